"""Kinds of checks: comparisons with the reference, stability, gradients, statistics."""
