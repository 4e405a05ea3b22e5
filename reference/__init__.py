"""Trusted reference implementations, proven against PyTorch."""
