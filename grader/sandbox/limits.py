"""Containment layers: what the zygote and each forked child apply, and how each is reported.

Two stages, each cheapest where it is placed:

*Once per zygote* (after its imports and warm-up, before it serves anything):

- ``network``: ``unshare(CLONE_NEWNET)``, a namespace with only a downed loopback. Every
  child of this zygote inherits it; children of one slot never overlap in time, so they
  cannot talk to each other through it, and nothing outside is reachable.
- ``mount``: ``unshare(CLONE_NEWNS)``; a read-only tmpfs over each secret place (the
  repository — ``reference/``, ``exercises/``, ``web/``, ``grader/`` source, ``.git``,
  the instance/database dir — ``/root``, ``/home``, ``/etc/gradwell``), with the Python
  environment bound back read-only where it lives inside one of them (the venv in the
  repository); the root filesystem is re-mounted read-only in this namespace. The zygote
  itself can no longer read the answer key after this point.

*Once per child* (in this order, before the student's source is even compiled):

1. close every inherited descriptor but the four pipes (stdin is ``/dev/null``);
2. ``pid-namespace``: the zygote forks each child into a new PID namespace, so the child
   is its init: when it ends the kernel kills every process it started, double-forked
   and ``setsid`` escapees included; a fresh ``/proc`` shows no other process;
3. ``setsid`` (its own session: no terminal, no shared process group);
4. ``tmpfs``: a private mount namespace with fresh tmpfs ``/tmp`` (scratch dir, the cwd)
   and ``/dev/shm`` — nothing persists to the next submission;
5. ``rlimits``: CPU seconds (soft, then hard SIGKILL), address space, processes, file
   size, open files, core 0 — soft = hard, so the child cannot raise them again;
6. ``uid``: ``setgroups([])``, ``setresgid``/``setresuid`` to a per-slot unprivileged id
   (claimed from ``uid_base`` upwards): it cannot signal or trace root processes or other slots,
   cannot read ``/proc/<pid>/environ`` of others, and ``RLIMIT_NPROC`` counts only its
   own processes;
7. ``no-new-privs`` (``PR_SET_NO_NEW_PRIVS``), ``PR_SET_DUMPABLE 0`` and a parent-death
   SIGKILL;
8. ``seccomp``: a filter that refuses namespace, mount, ptrace, module, keyring, BPF,
   userfaultfd and io_uring system calls (and ``clone`` with namespace flags), so an
   unprivileged user namespace — the door to most kernel privilege bugs — stays shut.

Parent side: ``wall-time`` (SIGKILL through a pidfd, whatever the child ignores),
``output-cap`` (stdout/stderr read through pipes, kept up to a cap, the child killed
beyond a limit), ``wire`` (strict frames, see ``wire.py``) and the ``reaper`` (after each
child, every process of the slot uid is killed — from a zygote thread that takes the
slot uid for itself only, ``kill(-1, SIGKILL)``).

Each layer that cannot be set on a host is reported (:class:`Layer`) at start-up and by
``gradwell sandbox doctor``; a layer reported active that then fails in a child aborts
that child (it is never run with less containment than reported).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import platform
import resource
import socket
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "CHILD_SETUP_FAILED",
    "ChildSpec",
    "Layer",
    "LayerError",
    "SandboxConfig",
    "default_hidden_paths",
    "default_keep_paths",
]

#: Exit code of a child whose containment could not be set up.
CHILD_SETUP_FAILED = 121

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38
PR_GET_NO_NEW_PRIVS = 39

#: raw syscall numbers for a per-thread credential change (the reaper)
_SYSCALLS = {
    "x86_64": {"setresuid": 117, "getresuid": 118, "kill": 62},
    "aarch64": {"setresuid": 147, "getresuid": 148, "kill": 129},
}

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                        ctypes.c_ulong, ctypes.c_char_p]
_libc.syscall.restype = ctypes.c_long


class LayerError(OSError):
    """A containment step failed."""


def _check(ret: int, what: str) -> None:
    if ret != 0:
        err = ctypes.get_errno()
        raise LayerError(err, f"{what}: {os.strerror(err)}")


def unshare(flags: int) -> None:
    _check(_libc.unshare(flags), "unshare")


def setns(fd: int, nstype: int) -> None:
    _check(_libc.setns(fd, nstype), "setns")


def mount(source: str | None, target: str, fstype: str | None, flags: int,
          data: str | None = None) -> None:
    def enc(s: str | None) -> bytes | None:
        return None if s is None else s.encode()

    _check(_libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data)),
           f"mount {target}")


def prctl(option: int, arg: int) -> None:
    _check(_libc.prctl(option, ctypes.c_ulong(arg), 0, 0, 0), f"prctl({option})")


# --------------------------------------------------------------------------- config


#: what students and tripwires import, beyond numpy, scipy.special and torch
DEFAULT_PRELOAD = (
    "scipy.stats",
    "scipy.linalg",
    "torch.nn.functional",
    "torch.nn.init",
    "numpy.typing",
)


@dataclass(frozen=True)
class SandboxConfig:
    """How a :class:`~grader.sandbox.Sandbox` contains its children.

    ``isolation=False`` forks and runs with none of the layers (the wall-time kill,
    output cap and wire stay): for benchmarks, never for grading.
    """

    isolation: bool = True
    #: slots take the first free uids from here; a uid is claimed with a lock file in
    #: ``/run/gradwell-sandbox`` for as long as its slot lives, so two sandboxes on one
    #: host (a web process and a worker) never share one (the reaper would kill the
    #: other's children, and ``RLIMIT_NPROC`` would count them together)
    uid_base: int = 61000
    uid_count: int = 1000
    #: address space a child may add to the warm zygote's (``RLIMIT_AS``)
    memory_bytes: int = 2 << 30
    max_processes: int = 64
    file_bytes: int = 8 << 20
    open_files: int = 64
    tmp_bytes: int = 64 << 20
    #: stdout and stderr are each kept up to this many bytes for the instructor
    output_keep: int = 64 << 10
    #: a child that prints more than this (both streams together) is killed
    output_limit: int = 8 << 20
    #: ``None``: :func:`default_hidden_paths`
    hidden_paths: tuple[str, ...] | None = None
    #: ``None``: :func:`default_keep_paths`
    keep_paths: tuple[str, ...] | None = None
    python: str = sys.executable
    start_timeout: float = 120.0
    #: library modules the zygote imports before it forks: a child that imports one of
    #: them (or an exercise's tripwire that wraps ``scipy.stats.norm.cdf``) finds it
    #: warm instead of paying its import (``scipy.stats`` alone costs ~0.5 s) per child.
    #: Only libraries: never ``reference``, ``exercises`` or ``web``.
    preload: tuple[str, ...] = DEFAULT_PRELOAD

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["hidden_paths"] = list(self.hidden_paths if self.hidden_paths is not None
                                    else default_hidden_paths())
        data["keep_paths"] = list(self.keep_paths if self.keep_paths is not None
                                  else default_keep_paths())
        return data


_UID_LOCK_DIR = "/run/gradwell-sandbox"


def claim_uid(config: SandboxConfig) -> tuple[int, int] | None:
    """Claim a free slot uid for this process: ``(uid, lock fd)``, or ``None`` if not
    root or none is free. Closing the fd (or exiting) releases it."""
    import fcntl

    if os.geteuid() != 0 or not config.isolation:
        return None
    os.makedirs(_UID_LOCK_DIR, mode=0o700, exist_ok=True)
    for uid in range(config.uid_base, config.uid_base + config.uid_count):
        fd = os.open(f"{_UID_LOCK_DIR}/{uid}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC,
                     0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return uid, fd
    return None


def _package_dir(name: str) -> str | None:
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return os.path.realpath(next(iter(spec.submodule_search_locations)))


def default_hidden_paths() -> tuple[str, ...]:
    """The secret places: the repository (or the installed packages), the database
    directory, home directories and the service configuration."""
    paths: list[str] = []
    for pkg in ("reference", "exercises", "web", "grader"):
        d = _package_dir(pkg)
        if d:
            paths.append(d)
            parent = os.path.dirname(d)
            if os.path.exists(os.path.join(parent, "pyproject.toml")):
                paths.append(parent)  # a source checkout: hide all of it (.git, tests, …)
    url = os.environ.get("GRADWELL_DATABASE_URL", "")
    if url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
        paths.append(os.path.dirname(os.path.realpath(url[len("sqlite:///"):])))
    for extra in ("/root", "/home", "/etc/gradwell", os.path.expanduser("~")):
        paths.append(os.path.realpath(extra))
    # a home directory that is a shared scratch place is replaced per child anyway
    never = ("/", "", "/tmp", "/var/tmp", "/dev/shm", "/usr", "/proc", "/dev", "/etc")
    return tuple(p for p in dict.fromkeys(paths) if p not in never)


def default_keep_paths() -> tuple[str, ...]:
    """The Python environment, which must stay readable even inside a hidden place."""
    keep = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    for p in sys.path:
        if p and os.path.isdir(p) and ("site-packages" in p or "dist-packages" in p):
            keep.add(os.path.realpath(p))
    return tuple(sorted(keep))


# --------------------------------------------------------------------------- layers


@dataclass(frozen=True)
class Layer:
    """One containment layer as ``doctor`` reports it."""

    id: str
    active: bool
    en: str
    ko: str

    def text(self, lang: str = "en") -> str:
        return self.ko if lang == "ko" else self.en

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


_DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "zygote-env": ("a fresh zygote with a minimal environment (no secrets, no GRADWELL_*)",
                   "최소 환경 변수로 시작한 새 자이고트 (비밀 값·GRADWELL_* 없음)"),
    "network": ("no network: a private network namespace with only a downed loopback",
                "네트워크 차단: 내려간 루프백만 있는 전용 네트워크 네임스페이스"),
    "mount": ("answer key unreachable: tmpfs over the repository, database dir, /root, "
              "/home, /etc/gradwell; root filesystem read-only",
              "정답 접근 차단: 저장소·DB 디렉터리·/root·/home·/etc/gradwell 위에 tmpfs, "
              "루트 파일시스템 읽기 전용"),
    "pid-namespace": ("a PID namespace per child: every process it starts dies with it; "
                      "a fresh /proc shows no other process",
                      "자식마다 PID 네임스페이스: 자식이 만든 모든 프로세스가 함께 종료되고, "
                      "새 /proc에는 다른 프로세스가 보이지 않음"),
    "setsid": ("its own session and process group", "독립된 세션과 프로세스 그룹"),
    "tmpfs": ("private, fresh /tmp (scratch dir, the cwd) and /dev/shm per child",
              "자식마다 새 전용 /tmp(작업 디렉터리)와 /dev/shm"),
    "rlimits": ("resource limits: CPU seconds, address space, processes, file size, "
                "open files, no core dumps (soft = hard)",
                "자원 제한: CPU 시간, 주소 공간, 프로세스 수, 파일 크기, 열린 파일 수, "
                "코어 덤프 없음 (soft = hard)"),
    "uid": ("an unprivileged uid/gid per worker slot",
            "작업 슬롯마다 권한 없는 uid/gid"),
    "no-new-privs": ("no new privileges, not dumpable, killed when the zygote dies",
                     "새 권한 획득 불가, 덤프 불가, 자이고트가 죽으면 함께 종료"),
    "seccomp": ("a seccomp filter: no namespaces, mounts, ptrace, kernel modules, keyrings, "
                "BPF, userfaultfd or io_uring",
                "seccomp 필터: 네임스페이스·마운트·ptrace·커널 모듈·키링·BPF·userfaultfd·"
                "io_uring 금지"),
    "reaper": ("after each child, every process left with the slot uid is killed",
               "자식이 끝나면 슬롯 uid로 남은 모든 프로세스를 종료"),
    "wall-time": ("wall time enforced by the parent with SIGKILL",
                  "부모가 SIGKILL로 실제 경과 시간 제한을 강제"),
    "output-cap": ("stdout/stderr captured and capped", "stdout/stderr 캡처 및 크기 제한"),
    "wire": ("strict pickle-free wire format with size caps, numeric dtypes only",
             "피클 없는 엄격한 전송 형식, 크기 제한, 숫자 dtype만 허용"),
}


def layer(id: str, active: bool, why_en: str = "", why_ko: str = "") -> Layer:
    en, ko = _DESCRIPTIONS[id]
    if why_en:
        en = f"{en} — {why_en}"
        ko = f"{ko} — {why_ko or why_en}"
    return Layer(id, active, en, ko)


# --------------------------------------------------------------------------- zygote stage


def _mount_hidden(hidden: Sequence[str], keep: Sequence[str]) -> list[str]:
    """tmpfs over each hidden dir, binding kept dirs back; returns the dirs hidden."""
    keep_fds = {}
    for k in keep:
        if any(k.startswith(h.rstrip("/") + "/") for h in hidden) and os.path.isdir(k):
            keep_fds[k] = os.open(k, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
    done: list[str] = []
    try:
        for h in sorted(hidden, key=len):
            if not os.path.isdir(h):
                continue
            mount("gradwell-hidden", h, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                  "size=64k,mode=755")
            inside = [k for k in keep_fds if k.startswith(h.rstrip("/") + "/")]
            for k in inside:
                os.makedirs(k, exist_ok=True)
            mount(None, h, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                  "size=64k,mode=755")
            for k in inside:
                mount(f"/proc/self/fd/{keep_fds[k]}", k, None, MS_BIND | MS_REC)
                mount(None, k, None, MS_REMOUNT | MS_BIND | MS_RDONLY)
            done.append(h)
    finally:
        for fd in keep_fds.values():
            os.close(fd)
    return done


def enter_zygote(config: dict[str, Any], userns: bool) -> tuple[list[Layer], dict[str, bool]]:
    """Apply the zygote-wide layers; return their reports and which child layers to try."""
    layers: list[Layer] = []
    plan = {"pid-namespace": False, "tmpfs": False, "uid": False, "reaper": False,
            "seccomp": False}
    if not config["isolation"]:
        for lid in ("network", "mount"):
            layers.append(layer(lid, False, "turned off (isolation=False)",
                                "꺼짐 (isolation=False)"))
        return layers, plan
    root = os.geteuid() == 0 or userns
    try:
        unshare(CLONE_NEWNET)
        layers.append(layer("network", True))
    except LayerError as exc:
        layers.append(layer("network", False, f"unshare(CLONE_NEWNET) failed: {exc.strerror}",
                            f"unshare(CLONE_NEWNET) 실패: {exc.strerror}"))
    try:
        unshare(CLONE_NEWNS)
        mount(None, "/", None, MS_REC | MS_PRIVATE)
        hidden = _mount_hidden(config["hidden_paths"], config["keep_paths"])
        mount("gradwell-shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
              "size=64k,mode=755")
        try:
            mount(None, "/", None, MS_REMOUNT | MS_BIND | MS_RDONLY)
            ro = "root filesystem read-only"
        except LayerError as exc:
            ro = f"root filesystem NOT read-only ({exc.strerror})"
        layers.append(layer("mount", True, f"hidden: {', '.join(hidden) or 'none'}; {ro}",
                            f"숨김: {', '.join(hidden) or '없음'}; {ro}"))
        plan["tmpfs"] = True
    except LayerError as exc:
        layers.append(layer("mount", False, f"mount namespace failed: {exc.strerror}; "
                            "run as root or enable unprivileged user namespaces",
                            f"마운트 네임스페이스 실패: {exc.strerror}; root로 실행하거나 "
                            "비특권 사용자 네임스페이스를 켜세요"))
    plan["pid-namespace"] = root
    plan["seccomp"] = seccomp_available()
    if plan["seccomp"]:
        compile_seccomp()
    plan["uid"] = os.geteuid() == 0 and not userns and int(config.get("uid", -1)) > 0
    plan["reaper"] = plan["uid"] and platform.machine() in _SYSCALLS
    return layers, plan


# --------------------------------------------------------------------------- child stage


@dataclass(frozen=True)
class ChildSpec:
    """What one child applies (decided by the zygote from its self-test)."""

    isolation: bool
    pid_namespace: bool
    tmpfs: bool
    uid: int | None
    cpu_seconds: int
    memory_bytes: int
    max_processes: int
    file_bytes: int
    open_files: int
    tmp_bytes: int
    seccomp: bool = False
    keep_fds: tuple[int, ...] = field(default=(0, 1, 2, 3))


def _vm_size() -> int:
    with open("/proc/self/status", "rb") as f:
        for line in f:
            if line.startswith(b"VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def drop_capabilities() -> None:
    """Leave uid 0 powerless: root never regains capabilities (``SECBIT_NOROOT``, locked),
    the bounding and ambient sets are emptied, and so are the process's own sets."""
    PR_SET_SECUREBITS, PR_CAPBSET_DROP, PR_CAP_AMBIENT = 28, 24, 47
    noroot = 0x1 | 0x2 | 0x4 | 0x8 | 0x40 | 0x80  # NOROOT, NO_SETUID_FIXUP, NO_CAP_AMBIENT
    prctl(PR_SET_SECUREBITS, noroot)  # (each with its _LOCKED bit)
    for cap in range(64):
        if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() == errno.EINVAL:
            break  # past the last capability this kernel knows
    _libc.prctl(PR_CAP_AMBIENT, 4, 0, 0, 0)  # PR_CAP_AMBIENT_CLEAR_ALL
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    _check(_libc.capset(ctypes.byref(header), data), "capset")


class _Step:
    """Names the layer a failing system call belongs to."""

    def __init__(self, layer_id: str) -> None:
        self.layer_id = layer_id

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: BaseException | None, tb: Any) -> None:
        if isinstance(exc, OSError):
            raise LayerError(exc.errno or errno.EPERM,
                             f"{self.layer_id}: {exc.strerror or exc}") from exc


def enter_child(spec: ChildSpec) -> str:
    """Apply the per-child layers in order; return the scratch dir.

    Raises :class:`LayerError` whose message starts with the failing layer's id.
    """
    os.closerange(max(spec.keep_fds) + 1, 1 << 16)
    if not spec.isolation:
        return os.getcwd()
    with _Step("setsid"):
        os.setsid()
    scratch = "/tmp"
    if spec.tmpfs:
        with _Step("tmpfs"):
            unshare(CLONE_NEWNS)
            mount(None, "/", None, MS_REC | MS_PRIVATE)
            flags = MS_NOSUID | MS_NODEV
            # A virtualenv that lives under /tmp (a CI clone) must stay importable:
            # hold it by an O_PATH fd and bind it back into the fresh /tmp.
            keep = [p for p in {os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix)}
                    if p.startswith("/tmp/")]
            held = [(p, os.open(p, os.O_PATH)) for p in keep]
            mount("gradwell-tmp", "/tmp", "tmpfs", flags, f"size={spec.tmp_bytes},mode=1777")
            for path, fd in held:
                os.makedirs(path, exist_ok=True)
                mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
                os.close(fd)
            mount("gradwell-shm", "/dev/shm", "tmpfs", flags, "size=1m,mode=1777")
            scratch = "/tmp/scratch"
            os.mkdir(scratch, 0o700)
            if spec.uid is not None:
                os.chown(scratch, spec.uid, spec.uid)
        if spec.pid_namespace:
            with _Step("pid-namespace"):
                mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    with _Step("rlimits"):
        # if the host runs out of memory after all, the child is the one to go
        with contextlib.suppress(OSError), open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        # soft: SIGXCPU; hard one second later: SIGKILL (for a child that ignores it)
        resource.setrlimit(resource.RLIMIT_CPU, (spec.cpu_seconds, spec.cpu_seconds + 1))
        mem = _vm_size() + spec.memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        resource.setrlimit(resource.RLIMIT_FSIZE, (spec.file_bytes, spec.file_bytes))
        resource.setrlimit(resource.RLIMIT_NOFILE, (spec.open_files, spec.open_files))
        resource.setrlimit(resource.RLIMIT_NPROC, (spec.max_processes, spec.max_processes))
    if spec.uid is not None:
        with _Step("uid"):
            os.setgroups([])
            os.setresgid(spec.uid, spec.uid, spec.uid)
            os.setresuid(spec.uid, spec.uid, spec.uid)
            if os.getresuid() != (spec.uid,) * 3 or os.getgroups():
                raise LayerError(errno.EPERM, "uid: the uid change did not take")
    with _Step("no-new-privs"):
        if spec.uid is None and os.geteuid() == 0:
            drop_capabilities()  # root of a user namespace, or root without a slot uid
        prctl(PR_SET_NO_NEW_PRIVS, 1)
        prctl(PR_SET_DUMPABLE, 0)
        prctl(PR_SET_PDEATHSIG, 9)
    os.chdir(scratch)
    if spec.seccomp:
        with _Step("seccomp"):
            install_seccomp()
    return scratch


def self_test(spec: ChildSpec, hidden: Iterable[str], keep: Sequence[str]) -> dict[str, str]:
    """Run in a freshly set-up child: check each layer's effect. ``{layer: problem}``."""
    problems: dict[str, str] = {}
    if spec.pid_namespace and (os.getpid() != 1 or
                               [p for p in os.listdir("/proc") if p.isdigit()] != ["1"]):
        problems["pid-namespace"] = "the child is not alone in its PID namespace"
    try:
        with socket.create_connection(("127.0.0.1", 9), timeout=0.2):
            pass
        problems["network"] = "a loopback connection was possible"
    except OSError as exc:
        if exc.errno not in (errno.ENETUNREACH, errno.EACCES, errno.EPERM):
            problems["network"] = f"a loopback connect failed with {exc} (not unreachable)"
    for h in hidden:
        try:
            entries = set(os.listdir(h))
        except OSError:
            continue
        allowed = {os.path.relpath(k, h).split("/")[0] for k in keep
                   if k.startswith(h.rstrip("/") + "/")}
        if entries - allowed:
            problems["mount"] = f"{h} is still readable"
    if spec.uid is not None and os.getresuid() != (spec.uid,) * 3:
        problems["uid"] = "the uid did not change"
    try:
        with open("/tmp/.gradwell-probe", "w") as f:
            f.write("x")
        os.unlink("/tmp/.gradwell-probe")
    except OSError as exc:
        problems["tmpfs"] = f"/tmp is not writable ({exc.strerror})"
    if spec.seccomp and _libc.unshare(CLONE_NEWUSER) == 0:
        problems["seccomp"] = "unshare(CLONE_NEWUSER) was allowed"
    if _libc.prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1:
        problems["no-new-privs"] = "PR_SET_NO_NEW_PRIVS is not set"
    return problems


# --------------------------------------------------------------------------- seccomp

_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
#: system calls a child has no business making: namespaces, mounts, tracing, kernel
#: modules, keyrings, BPF, userfaultfd, io_uring, handles (``EPERM``; ``clone3``:
#: ``ENOSYS``, so that libc falls back to ``clone``, whose flags are checked)
_DENIED = {
    "x86_64": {"unshare": 272, "setns": 308, "mount": 165, "umount2": 166,
               "pivot_root": 155, "chroot": 161, "ptrace": 101, "process_vm_readv": 310,
               "process_vm_writev": 311, "kexec_load": 246, "kexec_file_load": 320,
               "init_module": 175, "finit_module": 313, "delete_module": 176, "bpf": 321,
               "perf_event_open": 298, "userfaultfd": 323, "keyctl": 250, "add_key": 248,
               "request_key": 249, "name_to_handle_at": 303, "open_by_handle_at": 304,
               "swapon": 167, "swapoff": 168, "reboot": 169, "syslog": 103, "acct": 163,
               "quotactl": 179, "io_uring_setup": 425, "open_tree": 428, "move_mount": 429,
               "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433,
               "pidfd_getfd": 438, "mount_setattr": 442},
    "aarch64": {"unshare": 97, "setns": 268, "mount": 40, "umount2": 39, "pivot_root": 41,
                "chroot": 51, "ptrace": 117, "process_vm_readv": 270,
                "process_vm_writev": 271, "kexec_load": 104, "kexec_file_load": 294,
                "init_module": 105, "finit_module": 273, "delete_module": 106, "bpf": 280,
                "perf_event_open": 241, "userfaultfd": 282, "keyctl": 219, "add_key": 217,
                "request_key": 218, "name_to_handle_at": 264, "open_by_handle_at": 265,
                "swapon": 224, "swapoff": 225, "reboot": 142, "syslog": 116, "acct": 89,
                "quotactl": 60, "io_uring_setup": 425, "open_tree": 428, "move_mount": 429,
                "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433,
                "pidfd_getfd": 438, "mount_setattr": 442},
}
_CLONE = {"x86_64": 56, "aarch64": 220}
_CLONE3 = 435
_NS_FLAGS = 0x7E020080  # CLONE_NEW{NS,CGROUP,UTS,IPC,USER,PID,NET,TIME}


class _Insn(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte),
                ("k", ctypes.c_uint)]


class _Prog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Insn))]


def seccomp_available() -> bool:
    return platform.machine() in _DENIED


def _seccomp_program() -> list[tuple[int | str, Any, Any, int]]:
    """A classic-BPF filter as ``(code, jt, jf, k)`` with symbolic jump labels."""
    ld, jeq, jge, jset, ret = 0x20, 0x15, 0x35, 0x45, 0x06
    arch = platform.machine()
    eperm, enosys = 0x00050000 | errno.EPERM, 0x00050000 | errno.ENOSYS
    prog: list[tuple[int | str, Any, Any, int]] = [
        (ld, 0, 0, 4),  # seccomp_data.arch
        (jeq, 0, "kill", _AUDIT_ARCH[arch]),
        (ld, 0, 0, 0),  # seccomp_data.nr
        (jge, "deny", 0, 0x40000000),  # the x32 ABI
        (jeq, "enosys", 0, _CLONE3),
        (jeq, "clone", 0, _CLONE[arch]),
    ]
    prog += [(jeq, "deny", 0, nr) for nr in _DENIED[arch].values()]
    prog += [
        (ret, 0, 0, 0x7FFF0000),  # allow
        ("clone", 0, 0, 0),
        (ld, 0, 0, 16),  # low 32 bits of args[0]: the flags
        (jset, "deny", 0, _NS_FLAGS),
        (ret, 0, 0, 0x7FFF0000),
        ("deny", 0, 0, 0),
        (ret, 0, 0, eperm),
        ("enosys", 0, 0, 0),
        (ret, 0, 0, enosys),
        ("kill", 0, 0, 0),
        (ret, 0, 0, 0x80000000),  # SECCOMP_RET_KILL_PROCESS: a foreign ABI
    ]
    return prog


_compiled: list[Any] = []  # (prog, its instruction array), built once before forking


def install_seccomp() -> None:
    """Install the filter in this process (after ``PR_SET_NO_NEW_PRIVS``)."""
    prog = compile_seccomp()
    PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2
    _check(_libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0),
           "seccomp")


def compile_seccomp() -> _Prog:
    """The filter as a ``sock_fprog`` (cached: the zygote builds it, children inherit it)."""
    if _compiled:
        return _compiled[0]  # type: ignore[no-any-return]
    if not seccomp_available():
        raise LayerError(errno.ENOSYS, f"seccomp: no syscall table for {platform.machine()}")
    raw = _seccomp_program()
    labels: dict[str, int] = {}
    insns: list[tuple[int, Any, Any, int]] = []
    for code, jt, jf, k in raw:
        if isinstance(code, str):
            labels[code] = len(insns)
        else:
            insns.append((code, jt, jf, k))
    arr = (_Insn * len(insns))()
    for i, (code, jt, jf, k) in enumerate(insns):
        def rel(j: Any, i: int = i) -> int:
            return labels[j] - i - 1 if isinstance(j, str) else int(j)
        arr[i] = _Insn(code, rel(jt), rel(jf), k)
    prog = _Prog(len(insns), arr)
    _compiled[:] = [prog, arr]
    return prog


# --------------------------------------------------------------------------- reaper


def reap_uid(uid: int, rounds: int = 3) -> bool:
    """Kill every process whose uid is ``uid``; return whether the kills were sent.

    Runs in a thread of the (root) zygote that changes *its own* credentials only (a
    raw ``setresuid`` syscall, not glibc's, which would change every thread), so that
    ``kill(-1, SIGKILL)`` reaches exactly the slot uid's processes. The saved uid stays
    0 so the thread can return; if the change did not take, nothing is killed.
    ``kill(-1)`` succeeds whenever any process exists (EPERM ones count), so its result
    says nothing: a few rounds catch a process that was forking during the first (a
    fork with a pending SIGKILL fails, so a flood cannot outrun one round).
    """
    nr = _SYSCALLS.get(platform.machine())
    if nr is None or uid <= 0:
        return False
    import threading

    sent = [False]

    def run() -> None:
        if _libc.syscall(nr["setresuid"], uid, uid, -1) != 0:
            return
        try:
            r, e, s = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
            _libc.syscall(nr["getresuid"], ctypes.byref(r), ctypes.byref(e), ctypes.byref(s))
            if r.value != uid or e.value != uid:
                return
            for _ in range(rounds):
                _libc.syscall(nr["kill"], -1, 9)
                os.sched_yield()
            sent[0] = True
        finally:
            _libc.syscall(nr["setresuid"], 0, 0, -1)

    t = threading.Thread(target=run, name="gradwell-reaper", daemon=True)
    t.start()
    t.join()
    return sent[0]
