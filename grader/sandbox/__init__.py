"""The boundary between the trusted grader and the student's code.

``plan`` describes what to compute, ``runner`` computes it next to the student's code,
and the rest of this package runs the runner in a contained, warm, forked child.
"""
