"""Write outside the scratch dir."""
import os


def attack(repo, marker, **ctx):
    wrote = []
    for d in (repo, f"{repo}/.venv", f"{repo}/.venv/lib", "/var/tmp", "/run/lock", "/root",
              "/etc", "/", "/work", "/usr/lib", "/tmp", "/dev/shm", os.getcwd(),
              os.path.expanduser("~")):
        p = os.path.join(d, marker)
        try:
            with open(p, "w") as f:
                f.write("pwned")
            wrote.append(p)
        except OSError:
            pass
    return wrote
