"""ctypes libc.unshare/setns/mount/ptrace: escape the namespaces, trace the grader."""
import ctypes
import os
import socket

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWNET, CLONE_NEWPID = 0x20000, 0x10000000, 0x40000000, 0x20000000


def attack(repo, port, grader_pid, zygote_pid, **ctx):
    libc = ctypes.CDLL(None, use_errno=True)
    gained = []
    for name, flags in (("user", CLONE_NEWUSER), ("net", CLONE_NEWNET), ("mnt", CLONE_NEWNS),
                        ("user+net+mnt", CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS)):
        if libc.unshare(flags) == 0:
            gained.append(f"unshare {name}")
    for pid in (1, grader_pid, zygote_pid):
        for ns in ("net", "mnt", "pid", "user"):
            try:
                fd = os.open(f"/proc/{pid}/ns/{ns}", os.O_RDONLY)
            except OSError:
                continue
            if libc.setns(fd, 0) == 0:
                gained.append(f"setns {pid}/{ns}")
            os.close(fd)
    for target in (repo, "/root", "/proc", "/"):
        if libc.umount2(target.encode(), 2) == 0:  # MNT_DETACH
            gained.append(f"umount {target}")
    if libc.mount(b"/dev/vda", b"/mnt", b"ext4", 1, None) == 0:
        gained.append("mount /dev/vda")
    for pid in (grader_pid, zygote_pid, os.getppid()):
        if pid and libc.ptrace(16, pid, None, None) == 0:  # PTRACE_ATTACH
            gained.append(f"ptrace {pid}")
    # whatever was gained, the answer key and the network must still be out of reach
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3):
            gained.append("network")
    except OSError:
        pass
    try:
        os.listdir(f"{repo}/reference")
        gained.append("reference")
    except OSError:
        pass
    return gained
