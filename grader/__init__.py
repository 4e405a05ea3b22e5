"""gradwell's grading engine: trusted checks of untrusted submissions."""

__version__ = "0.1.0"
