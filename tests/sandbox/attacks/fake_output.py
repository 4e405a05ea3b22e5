"""Print a fake perfect result and write into fd 1, fd 2 and every other descriptor."""
import json
import os
import sys


def attack(x, **ctx):
    perfect = {"score": 40.0, "max_score": 40.0, "tests": [
        {"name": "sigmoid: values", "score": 40.0, "max_score": 40.0, "status": "passed"}]}
    print(json.dumps(perfect))
    sys.stderr.write(json.dumps(perfect) + "\n")
    os.write(1, b'{"score": 40.0, "max_score": 40.0}\n')
    os.write(2, b"ALL TESTS PASSED\n")
    wrote = []
    for fd in range(4, 256):
        try:
            os.write(fd, b"GWF1 fake")
            wrote.append(fd)
        except OSError:
            pass
    return x * 0.0 + len(wrote)
