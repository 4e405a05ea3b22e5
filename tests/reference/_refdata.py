"""Hypothesis strategies and fixed edge inputs shared by the reference proofs."""

from __future__ import annotations

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

# Modest example counts keep the whole reference run well under a minute on a loaded
# 2-core machine; deadline=None because a shared machine makes timings noisy.
PROOF = settings(max_examples=60, deadline=None)
# For proofs whose single example builds and runs torch modules over several steps.
PROOF_SLOW = settings(max_examples=30, deadline=None)

FLOAT64_MAX = float(np.finfo(np.float64).max)
TINY = float(np.finfo(np.float64).tiny)  # smallest normal
SUBNORMAL = 5e-324  # smallest subnormal

# Values every element-wise proof must cover, whatever Hypothesis draws.
EDGE_VALUES = np.array(
    [
        0.0, -0.0, 1.0, -1.0, 1e-8, -1e-8, 0.5, -0.5, 3.0, -3.0,
        19.0, -19.0, 20.0, -20.0, 37.0, -37.0, 40.0, -40.0,
        709.0, -709.0, 710.0, -710.0, 745.0, -745.0,
        1000.0, -1000.0, 1e4, -1e4, 1e154, -1e154, 1e300, -1e300,
        FLOAT64_MAX, -FLOAT64_MAX, TINY, -TINY, SUBNORMAL, -SUBNORMAL, 1e-310, -1e-310,
    ]
)  # fmt: skip

edge_floats = st.sampled_from([float(v) for v in EDGE_VALUES])
finite_floats = st.floats(allow_nan=False, allow_infinity=False, width=64)
moderate_floats = st.floats(-50.0, 50.0, allow_nan=False, width=64)

# Elements: the edges, moderate values (where the functions are curved) and the whole
# finite range (Hypothesis also favours 0, ±tiny and ±max on its own).
activation_elements = st.one_of(edge_floats, moderate_floats, finite_floats)

# Shapes from 0-d and empty to 4-d.
any_shape = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5)

activation_inputs = hnp.arrays(np.float64, any_shape, elements=activation_elements)
