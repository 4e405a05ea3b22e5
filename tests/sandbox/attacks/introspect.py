"""Search sys.modules, the garbage collector and the caller frames for expected values."""
import gc
import sys

import numpy as np


def attack(**ctx):
    modules = sorted(m for m in sys.modules
                     if m.split(".")[0] in ("reference", "exercises", "web")
                     or m.startswith(("grader.suites", "grader.checks", "grader.diagnose")))
    arrays = [o for o in gc.get_objects() if type(o) is np.ndarray and o.dtype == np.float64]
    frame = sys._getframe()
    names = []
    while frame is not None:
        names.append(frame.f_code.co_name)
        for v in list(frame.f_locals.values()):
            if type(v) is np.ndarray and v.dtype == np.float64:
                arrays.append(v)
        frame = frame.f_back
    # anything that could be an expected output: same shape as an input, not an input
    return {"modules": modules, "frames": names, "arrays": arrays[:200]}
