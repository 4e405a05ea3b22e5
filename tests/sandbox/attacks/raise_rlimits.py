"""Raise its own resource limits back to unlimited."""
import resource


def attack(**ctx):
    raised = []
    for name in ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_NPROC", "RLIMIT_FSIZE", "RLIMIT_NOFILE",
                 "RLIMIT_CORE"):
        which = getattr(resource, name)
        try:
            resource.setrlimit(which, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
            raised.append(name)
        except (ValueError, OSError):
            _soft, hard = resource.getrlimit(which)
            try:
                resource.setrlimit(which, (hard, hard))
                if hard == resource.RLIM_INFINITY:
                    raised.append(name + " (hard was unlimited)")
            except (ValueError, OSError):
                pass
    return raised
