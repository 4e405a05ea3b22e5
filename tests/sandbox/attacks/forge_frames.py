"""Write forged protocol frames into the result pipe (fd 3): an outcome for a later call."""
import os

import numpy as np


def attack(x, **ctx):
    from grader.sandbox import wire
    from grader.sandbox.plan import Outcome

    os.write(3, wire.encode_outcome("after", Outcome(value=np.full_like(x, 0.5))))
    os.write(3, b"garbage that is not a frame")
    return x
