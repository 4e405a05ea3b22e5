"""Read or import the answer key: reference/, exercises/, grader internals, .git, /root."""
import glob
import os


def attack(repo, **ctx):
    found = []
    paths = [f"{repo}/reference/__init__.py", f"{repo}/reference/activations.py",
             f"{repo}/pyproject.toml", f"{repo}/.git/HEAD", f"{repo}/grader/sandbox/plan.py",
             "/root/.bash_history", "/root/.profile", "/etc/gradwell/config.toml"]
    paths += glob.glob(f"{repo}/exercises/**/*", recursive=True)
    paths += glob.glob(f"{repo}/tests/**/*.py", recursive=True)
    for p in paths:
        try:
            with open(p, "rb") as f:
                found.append(f"read {p}: {f.read(40)!r}")
        except OSError:
            pass
    for name in ("reference", "reference.activations", "exercises", "grader.suites",
                 "grader.checks", "grader.diagnose", "web"):
        try:
            __import__(name)
            found.append(f"import {name}")
        except Exception:
            pass
    try:  # under /tmp (where CI clones) the repository is simply not there
        listing = sorted(set(os.listdir(repo)) - {".venv"})
    except OSError:
        listing = []
    if listing:
        found.append(f"listed {repo}: {listing}")
    return found
