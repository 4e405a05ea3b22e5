"""The warm zygote: ``python -I -m grader.sandbox.zygote CONTROL_FD``, one per worker slot.

It imports numpy, ``scipy.special`` and torch with one thread (``OMP_NUM_THREADS=1`` and
``torch.set_num_threads(1)`` before the first torch op: a child forked after torch ran a
parallel op with more threads hangs in libgomp), warms up with neutral work (a built-in
dummy module run through ``runner.iter_execute``: NumPy ufuncs, torch autograd and
modules, the recipes, the wire — never ``reference`` or ``exercises``), applies the
zygote-wide layers (``limits.enter_zygote``), freezes the GC, self-tests the per-child
layers in a throwaway child, and then serves its parent over a ``SOCK_SEQPACKET``
control socket:

- parent → zygote: ``config`` (first message), ``spawn`` with four descriptors (a memfd
  holding the encoded plan, and the write ends of the result, stdout and stderr pipes)
  and the child's CPU seconds, ``quit``;
- zygote → parent: ``ready`` (the layers), ``spawned`` with a pidfd of the child (the
  parent kills through it: no pid reuse race), ``exited`` (wait status, CPU seconds,
  whether the reaper found leftovers), sent once the child is reaped and its uid swept;
  the parent reads it after its next ``spawn``, whose child may not run before it.

The zygote never reads what a child sends: results go straight to the parent through the
pipes, so nothing the student's code does can reach the long-lived zygote.

The next child is forked ahead of its ``spawn`` (a *standby*, blocked on a socket until it
is handed its descriptors): forking copies the page tables of the zygote's ~200 MiB of
heap, about 6 ms, which is then paid while no submission waits. A spawn that arrives
while the previous child is still exiting (tearing its address space down takes a few
ms) goes to the standby at once: it decodes its plan, and enters its sandbox only when
that child is reaped and its uid swept.
"""

from __future__ import annotations

import os

# Before anything imports torch or numpy (the parent sets them too).
for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_var] = "1"

import contextlib  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import select  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
import traceback  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

from grader.sandbox import limits  # noqa: E402

__all__ = ["main"]

#: modules whose presence in the zygote would put the answer key next to student code
FORBIDDEN_MODULES = ("reference", "exercises", "web", "grader.suites", "grader.checks",
                     "grader.diagnose", "grader.cases", "grader.exercise")

_WARM_SOURCE = '''
import math
import numpy as np
import torch
from scipy.special import erf

def act(x, slope=0.01):
    s = 1.0 / (1.0 + np.exp(-x))
    g = 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))
    return np.where(x > 0, x, slope * x) + s * (1 - s) + np.tanh(x) + g + np.maximum(x, 0)

def layers(x, weights):
    h, stds, norms = x, [], []
    for w in weights:
        h = np.tanh(h @ w)
        stds.append(float(h.std()))
        norms.append(float(np.linalg.norm(w)))
    return stds, norms

def norm(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    xhat = (x - mu) / np.sqrt(var + eps)
    return gamma * xhat + beta, mu, var, (xhat, var)

def back(dout, cache):
    xhat, var = cache
    return dout * xhat, dout.sum(axis=0), (dout * xhat).sum(axis=0)

def init(shape, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    return rng.uniform(-1.0, 1.0, size=shape), rng.normal(0.0, 1.0, size=shape)

def fans(shape):
    return int(shape[1]), int(shape[0])

def boom(x):
    return np.exp(x) / 0.0

def fails(x):
    raise ValueError("neutral failure")

class Net(torch.nn.Module):
    def __init__(self, n):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(n))
        self.bias = torch.nn.Parameter(torch.zeros(n))
        self.register_buffer("running", torch.zeros(n))

    def forward(self, x):
        mu = x.mean(dim=0)
        var = x.var(dim=0, unbiased=False)
        self.running.mul_(0.9).add_(0.1 * mu.detach())
        return self.weight * (x - mu) / torch.sqrt(var + 1e-5) + self.bias

def train(x):
    net = Net(x.shape[1]).double()
    out = net(x)
    (out ** 3).sum().backward()
    y = torch.nn.functional.layer_norm(x.detach(), (x.shape[1],))
    return out.detach(), net.weight.grad, x.grad, y

def fill_(t, generator=None, **kwargs):
    with torch.no_grad():
        t.uniform_(-1.0, 1.0, generator=generator)
        t.normal_(0.0, 1.0, generator=generator)
    return t
'''


def _warm_up() -> None:
    """Neutral work that touches the code paths a grading child takes."""
    import numpy as np

    from grader.sandbox import plan as P
    from grader.sandbox import runner, wire

    module = runner.load_module(_WARM_SOURCE, "gradwell_warmup", "warmup.py", register=False)
    assert not isinstance(module, runner.LoadFailure), module
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 128))
    calls = (
        P.Call("a", "act", (x,)),
        P.Call("a0", "act", (np.float64(1e4) * np.ones(()),), {"slope": 0.2}),
        P.Call("l", "layers", (x, [rng.normal(size=(128, 128)) for _ in range(3)]),
               returns=("raw", "raw")),
        P.Call("n", "norm", (x, np.ones(128), np.zeros(128)),
               returns=("array", "array", "array", "skip"), keep=True),
        P.Call("b", "back", (x, P.Ref("n", 3)), returns=("array", "array", "array")),
        P.Call("i", "init", ((256, 128),), {"rng": P.Rng(1)}, returns="array-list"),
        P.Call("f", "fans", ((3, 4),), returns="raw"),
        P.Call("boom", "boom", (x,)),
        P.Call("fails", "fails", (x,)),
        P.Call("missing", "nothing", ()),
        P.Call("t", "train", (P.Tensor(x, requires_grad=True),),
               returns=("array", "array", "array", "array")),
        P.Call("fill", "fill_", (P.Tensor(np.zeros((256, 128)), "float32"),),
               {"generator": P.TorchGenerator(3)}, returns="skip"),
        # the probes, as the torch exercises drive them
        P.Call("pm", "probe:torch_module",
               ("Net", (("n", 16),), (("weight", np.full(16, 2.0)),),
                (("train", x[:8, :16], x[8:16, :16]), ("eval", x[:8, :16], x[8:16, :16]))),
               returns="raw"),
        P.Call("pi", "probe:torch_init", ("fill_", (64, 32)), returns="raw"),
        P.Call("pd", "probe:describe_result", ("init", (4, 3)), returns="raw"),
    )
    message = wire.PlanMessage(_WARM_SOURCE, "warmup.py", "gradwell_warmup", calls,
                               runner.Rules(forbid_torch=True,
                                            forbidden_aten_ops=("native_batch_norm",)))
    decoded = wire.decode_plan(wire.encode_plan(message))
    for _ in range(2):
        trip = runner.Tripwires(decoded.rules)
        trip.install()  # modes only: no forbidden_calls, so no library is patched
        reader = wire.FrameReader()
        for cid, outcome in runner.iter_execute(module, decoded.calls, tripwires=trip):
            if cid.startswith("p") and outcome.error is not None:
                raise RuntimeError(f"the warm-up probe {cid} failed: {outcome.error}")
            reader.feed(wire.encode_outcome(cid, outcome))
        for header, body in reader.frames():
            wire.decode_child_message(header, body)
    sys.modules.pop("gradwell_warmup", None)


def _trim_heap() -> None:
    """Give the warm-up's freed heap back to the kernel (glibc ``malloc_trim``).

    Every anonymous page of the zygote is a page-table entry that each fork copies and
    each child's exit tears down: the warm-up's garbage would cost every evaluation
    milliseconds of CPU.
    """
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if name is None:
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(name).malloc_trim(0)


def _inside(path: str, dirs: list[str]) -> bool:
    return any(path == d or path.startswith(d.rstrip("/") + "/") for d in dirs)


def _clean_sys_path(hidden: list[str], keep: list[str]) -> None:
    """Drop the cwd and anything inside a hidden place (but not in the kept Python
    environment) from ``sys.path``, and the editable-install finders that map package
    names to the repository."""
    kept = []
    for p in sys.path:
        real = os.path.realpath(p) if p else ""
        if not p or real == "/" or (_inside(real, hidden) and not _inside(real, keep)):
            continue
        kept.append(p)
    sys.path[:] = kept

    def editable(obj: object) -> bool:
        names = (getattr(obj, "__module__", ""), type(obj).__module__,
                 getattr(obj, "__name__", ""), getattr(obj, "__qualname__", ""))
        return any("editable" in str(n).lower() for n in names)

    sys.meta_path[:] = [f for f in sys.meta_path if not editable(f)]
    sys.path_hooks[:] = [h for h in sys.path_hooks if not editable(h)]
    sys.path_importer_cache.clear()


def _enter_userns() -> bool:
    """Not root: become root of a new user namespace (before any thread exists)."""
    uid, gid = os.getuid(), os.getgid()
    try:
        limits.unshare(limits.CLONE_NEWUSER)
        with open("/proc/self/setgroups", "w") as f:
            f.write("deny")
        with open("/proc/self/uid_map", "w") as f:
            f.write(f"0 {uid} 1")
        with open("/proc/self/gid_map", "w") as f:
            f.write(f"0 {gid} 1")
    except OSError:
        return False
    # A PID namespace owned by our user namespace, with this process's continuation as
    # its init: only then may the zygote setns() back to it before each child's
    # unshare(CLONE_NEWPID). The original process waits and passes the exit status on.
    try:
        limits.unshare(limits.CLONE_NEWPID)
    except OSError:
        return True
    pid = os.fork()
    if pid:
        signal.signal(signal.SIGTERM, lambda *_: os.kill(pid, signal.SIGKILL))
        _, status = os.waitpid(pid, 0)
        os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
    limits.prctl(limits.PR_SET_PDEATHSIG, signal.SIGKILL)
    return True


#: how long a standby may take to confirm it received a spawn's descriptors
_RECEIPT_TIMEOUT = 10.0


@dataclass(frozen=True)
class _Standby:
    """A child forked ahead of its spawn, blocked reading ``sock``."""

    pid: int
    pidfd: int
    sock: socket.socket


@dataclass(frozen=True)
class _Held:
    """A child given a spawn's descriptors that waits on ``go`` before it enters its
    sandbox (``go`` is ``None``: it need not wait); or, with ``deferred``, a spawn that
    no child could take yet (no standby): forked for once the previous child is gone."""

    pid: int
    pidfd: int
    go: socket.socket | None
    deferred: tuple[list[int], int] | None = None


class Zygote:
    def __init__(self, ctl: socket.socket, config: dict[str, Any]) -> None:
        self.ctl = ctl
        self.config = config
        self.slot = int(config["slot"])
        self.plan: dict[str, bool] = {}
        self.layers: list[limits.Layer] = []
        self.own_pidns = -1
        self.standby: _Standby | None = None

    # ---------------------------------------------------------------- start-up

    def start(self) -> None:
        config = self.config
        userns = False
        if config["isolation"] and os.geteuid() != 0:
            userns = _enter_userns()
        import numpy  # noqa: F401
        import scipy.special  # noqa: F401
        import torch

        torch.set_num_threads(1)
        torch.set_num_interop_threads(1)
        import encodings.idna  # noqa: F401 - lazily imported by socket name lookups
        import importlib

        for name in config.get("preload", ()):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_MODULES):
                raise RuntimeError(f"the zygote must not preload {name!r}")
            importlib.import_module(name)

        from grader.sandbox import probes, runner, wire  # noqa: F401

        _warm_up()
        _clean_sys_path(config["hidden_paths"], config["keep_paths"])
        leaked = sorted(m for m in sys.modules
                        if any(m == f or m.startswith(f + ".") for f in FORBIDDEN_MODULES))
        if leaked:
            raise RuntimeError(f"the zygote must not import {leaked}")
        env_layer = limits.layer("zygote-env", True)
        secret = [k for k in os.environ if k.startswith("GRADWELL_")]
        if secret:
            env_layer = limits.layer("zygote-env", False, f"found {secret}", f"발견됨: {secret}")
        zlayers, self.plan = limits.enter_zygote(config, userns)
        if self.plan["pid-namespace"]:
            try:
                self.own_pidns = os.open("/proc/self/ns/pid", os.O_RDONLY | os.O_CLOEXEC)
            except OSError:
                self.plan["pid-namespace"] = False
        runner.index_modules()
        gc.collect()
        _trim_heap()
        gc.freeze()
        child_layers, problems = self._self_test()
        for i, zl in enumerate(zlayers):
            if zl.active and zl.id in problems:
                zlayers[i] = limits.layer(zl.id, False, f"self-test: {problems[zl.id]}",
                                          f"자체 점검: {problems[zl.id]}")
        self.layers = [env_layer, *zlayers, *child_layers]

    def _spec(self, cpu_seconds: int) -> limits.ChildSpec:
        c, iso = self.config, bool(self.config["isolation"])
        return limits.ChildSpec(
            isolation=iso, pid_namespace=iso and self.plan["pid-namespace"],
            tmpfs=iso and self.plan["tmpfs"],
            uid=c["uid"] if iso and self.plan["uid"] else None,
            cpu_seconds=cpu_seconds, memory_bytes=c["memory_bytes"],
            max_processes=c["max_processes"], file_bytes=c["file_bytes"],
            open_files=c["open_files"], tmp_bytes=c["tmp_bytes"],
            seccomp=iso and self.plan["seccomp"],
        )

    def _self_test(self) -> tuple[list[limits.Layer], dict[str, str]]:
        """Fork throwaway children until every per-child layer that is tried works."""
        reasons: dict[str, str] = {}
        child_ids = ("pid-namespace", "setsid", "tmpfs", "rlimits", "uid", "no-new-privs",
                     "seccomp")
        problems: dict[str, str] = {}
        for _attempt in range(len(child_ids) + 1):
            problems = self._self_test_once()
            failed = problems.pop("_setup", None)
            if failed is None:
                break
            lid = failed.split(":", 1)[0]
            if lid not in self.plan or not self.plan[lid]:
                raise RuntimeError(f"a required child layer failed: {failed}")
            self.plan[lid] = False
            reasons[lid] = failed
        iso = bool(self.config["isolation"])
        out = []
        for lid in child_ids:
            if not iso:
                out.append(limits.layer(lid, False, "turned off (isolation=False)",
                                        "꺼짐 (isolation=False)"))
            elif lid in reasons:
                out.append(limits.layer(lid, False, reasons[lid]))
            elif lid in self.plan and not self.plan[lid]:
                why, ko = {
                    "uid": ("needs root (a per-slot uid cannot be mapped in a user namespace)",
                            "root 권한 필요 (사용자 네임스페이스에서는 슬롯별 uid를 "
                            "매핑할 수 없음)"),
                    "seccomp": ("no system call table for this CPU architecture",
                                "이 CPU 아키텍처의 시스템 호출 표가 없음"),
                }.get(lid, ("needs root or an unprivileged user namespace",
                            "root 또는 비특권 사용자 네임스페이스 필요"))
                out.append(limits.layer(lid, False, why, ko))
            elif lid in problems:
                out.append(limits.layer(lid, False, f"self-test: {problems[lid]}",
                                        f"자체 점검: {problems[lid]}"))
            else:
                detail = (f"uid {self.config['uid']}" if lid == "uid" else "")
                out.append(limits.layer(lid, True, detail, detail))
        if self.plan.get("reaper") and self.plan.get("uid"):
            out.append(limits.layer("reaper", True))
        else:
            out.append(limits.layer("reaper", False, "needs the per-slot uid",
                                    "슬롯별 uid 필요"))
        return out, problems

    def _self_test_once(self) -> dict[str, str]:
        r, w = os.pipe()
        try:
            pid = self._fork()
        except RuntimeError as exc:  # no new PID namespace for the child
            os.close(r)
            os.close(w)
            return {"_setup": str(exc)}
        if pid == 0:
            code = 0
            try:
                os.close(r)
                os.dup2(w, 3)
                spec = self._spec(5)
                try:
                    limits.enter_child(spec)
                    result = limits.self_test(spec, self.config["hidden_paths"],
                                              self.config["keep_paths"])
                except limits.LayerError as exc:
                    result = {"_setup": exc.strerror or str(exc)}
                os.write(3, json.dumps(result).encode())
            except BaseException:
                traceback.print_exc()
                code = 1
            os._exit(code)
        os.close(w)
        data = b""
        while chunk := os.read(r, 65536):
            data += chunk
        os.close(r)
        os.waitpid(pid, 0)
        self._reap()
        try:
            return dict(json.loads(data.decode() or "{}"))
        except ValueError:
            return {"_setup": "rlimits: the self-test child died"}

    # ---------------------------------------------------------------- serving

    def _fork(self) -> int:
        pidns = bool(self.plan.get("pid-namespace") and self.config["isolation"])
        if pidns:
            try:
                # back to our own namespace for children, then a new one for this child
                limits.setns(self.own_pidns, limits.CLONE_NEWPID)
                limits.unshare(limits.CLONE_NEWPID)
            except limits.LayerError as exc:
                raise RuntimeError(f"pid-namespace: {exc.strerror}") from exc
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid and pidns:
            # threads cannot be created while children would go elsewhere (EINVAL)
            limits.setns(self.own_pidns, limits.CLONE_NEWPID)
        return pid

    def _reap(self) -> bool:
        sent = False
        if self.plan.get("reaper") and self.plan.get("uid") and self.config["isolation"]:
            sent = limits.reap_uid(self.config["uid"])
        while True:  # collect anything reparented to us
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
        return sent

    def serve(self) -> None:
        self._send({"type": "ready", "pid": os.getpid(),
                    "layers": [layer.to_json() for layer in self.layers]})
        held: _Held | None = None
        try:
            self._prefork()
            while True:
                if held is None:
                    msg, fds = self._recv()
                    if msg is None or msg.get("type") == "quit":
                        return
                    if msg.get("type") != "spawn" or len(fds) != 4:
                        for fd in fds:
                            os.close(fd)
                        continue
                    started = self._start(fds, int(msg["cpu"]))
                else:
                    started, held = self._release(held), None
                try:
                    alive, held = self._run(*started)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the parent is gone (its exit kills what we started)
                if not alive:
                    return
        finally:
            if held is not None:
                self._end_held(held)
            self._drop_standby()

    def _start(self, fds: list[int], cpu_seconds: int) -> tuple[int, int]:
        """A child for a spawn: the standby, or a fresh fork; ``(pid, pidfd)``."""
        handed = self._hand_to_standby(fds, cpu_seconds, hold=False)
        if handed is None:  # no standby (or it died): fork one now
            spec = self._spec(cpu_seconds)
            pid = self._fork()
            if pid == 0:
                self._child(fds, spec)  # never returns
            handed = _Held(pid, os.pidfd_open(pid), None)
        for fd in fds:
            os.close(fd)
        return handed.pid, handed.pidfd

    def _run(self, pid: int, pidfd: int) -> tuple[bool, _Held | None]:
        """Serve one child to its exit: ``(the parent is still there, a child handed
        the next spawn's descriptors meanwhile)``."""
        try:
            self._send({"type": "spawned", "pid": pid}, [pidfd])
            self._prefork()  # the next child, while this one runs: ready when it ends
            alive, held = self._wait(pid, pidfd)
        finally:
            os.close(pidfd)
        _, status, usage = os.wait4(pid, 0)
        reaped = self._reap()
        self._send({"type": "exited", "pid": pid, "status": status,
                    "cpu": usage.ru_utime + usage.ru_stime, "reaped": reaped})
        return alive, held

    def _release(self, held: _Held) -> tuple[int, int]:
        """Let a held child enter its sandbox: the previous one is reaped, its uid swept."""
        if held.deferred is not None:
            return self._start(*held.deferred)
        if held.go is not None:
            with contextlib.suppress(OSError):  # dead meanwhile: its exit is reported
                held.go.send(b"g")
            held.go.close()
        return held.pid, held.pidfd

    @staticmethod
    def _end_held(held: _Held) -> None:
        if held.deferred is not None:
            for fd in held.deferred[0]:
                os.close(fd)
            return
        if held.go is not None:
            held.go.close()  # end of file: it exits without entering its sandbox
        with contextlib.suppress(OSError):
            signal.pidfd_send_signal(held.pidfd, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitid(os.P_PIDFD, held.pidfd, os.WEXITED)
        os.close(held.pidfd)

    # ---------------------------------------------------------------- the standby child

    def _prefork(self) -> None:
        """Fork the next child now, while no submission waits for it."""
        if self.standby is not None:
            return
        # A standby is an optimisation: if it cannot be made now (no PID namespace, no
        # memory for a fork, no descriptors), ``_spawn`` forks later, and reports why.
        try:
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        except OSError:
            return
        try:
            pid = self._fork()
        except (RuntimeError, OSError):
            ours.close()
            theirs.close()
            return
        if pid == 0:
            ours.close()
            self._standby_child(theirs)  # never returns
        theirs.close()
        try:
            pidfd = os.pidfd_open(pid)
        except OSError:
            ours.close()  # end of file: it exits
            os.waitpid(pid, 0)
            return
        self.standby = _Standby(pid, pidfd, ours)

    def _standby_child(self, sock: socket.socket) -> None:
        """Wait for a spawn's descriptors and CPU seconds, then be that child. Nothing
        of the student's exists yet: what it runs is what a freshly forked child runs."""
        code = 0
        try:
            # the parent must see the control socket hang up when the zygote dies
            self.ctl.close()
            data, fds, _flags, _addr = socket.recv_fds(sock, 1 << 10, 4)
            if data and len(fds) == 4:
                sock.send(b"1")  # the receipt the zygote waits for
                spawn = json.loads(data.decode())
                go = sock if spawn["hold"] else None
                if go is None:
                    sock.close()
                self._child(fds, self._spec(int(spawn["cpu"])), go)
            # the zygote quit or died (end of file): nothing to run
        except BaseException:
            code = 120
        os._exit(code)

    def _hand_to_standby(self, fds: list[int], cpu_seconds: int, *, hold: bool
                         ) -> _Held | None:
        """Give the standby its descriptors, or ``None`` if there is no live standby.

        With ``hold``, it reads and decodes its plan and then waits for :meth:`_release`
        before it enters its sandbox: the previous child is still exiting.
        """
        standby, self.standby = self.standby, None
        if standby is None:
            return None
        receipt = b""
        try:
            socket.send_fds(standby.sock,
                            [json.dumps({"cpu": cpu_seconds, "hold": hold}).encode()], fds)
            # Its receipt: a standby that died (the OOM killer, an operator) must not take
            # the evaluation with it, and one that was dying while the descriptors were
            # in flight is only seen here (its socket closes: end of file).
            poller = select.poll()
            poller.register(standby.sock, select.POLLIN)
            if poller.poll(_RECEIPT_TIMEOUT * 1000):
                receipt = standby.sock.recv(1)
        except OSError:
            pass
        if receipt != b"1":  # dead or stuck: reap it, fork afresh
            standby.sock.close()
            self._end_standby(standby)
            return None
        if not hold:
            standby.sock.close()
        return _Held(standby.pid, standby.pidfd, standby.sock if hold else None)

    def _drop_standby(self) -> None:
        standby, self.standby = self.standby, None
        if standby is not None:
            standby.sock.close()  # end of file: it exits
            self._end_standby(standby)

    @staticmethod
    def _end_standby(standby: _Standby) -> None:
        with contextlib.suppress(OSError):
            signal.pidfd_send_signal(standby.pidfd, signal.SIGKILL)
        # by its pidfd: if ``_reap`` collected it already, its pid may be another's now
        with contextlib.suppress(ChildProcessError):
            os.waitid(os.P_PIDFD, standby.pidfd, os.WEXITED)
        os.close(standby.pidfd)

    def _wait(self, pid: int, pidfd: int) -> tuple[bool, _Held | None]:
        """Wait for the child's exit; if the parent hangs up, kill it and say so.

        The parent asks for the next child as soon as this one has sent everything,
        while it is still exiting: that spawn's descriptors go to the standby at once
        (it decodes its plan meanwhile), held until this child is reaped.
        """
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        poller.register(self.ctl.fileno(), select.POLLIN | select.POLLHUP)
        held: _Held | None = None
        while True:
            for fd, _ in poller.poll():
                if fd == pidfd:
                    return True, held
                msg, extra = self._recv()
                if (msg is not None and msg.get("type") == "spawn" and len(extra) == 4
                        and held is None):
                    held = self._hand_to_standby(extra, int(msg["cpu"]), hold=True)
                    if held is None:  # no standby: fork for it once this child is gone
                        held = _Held(-1, -1, None, deferred=(extra, int(msg["cpu"])))
                        extra = []
                for f in extra:
                    os.close(f)
                if msg is None or msg.get("type") == "quit":
                    signal.pidfd_send_signal(pidfd, signal.SIGKILL)
                    return False, held

    def _child(self, fds: list[int], spec: limits.ChildSpec,
               go: socket.socket | None = None) -> None:
        code = 120
        try:
            code = _child_main(fds, spec, go)
        except BaseException:
            try:
                traceback.print_exc()
                sys.stderr.flush()
            except BaseException:
                pass
        os._exit(code)

    # ---------------------------------------------------------------- control socket

    def _send(self, msg: dict[str, Any], fds: list[int] | None = None) -> None:
        data = json.dumps(msg).encode()
        if fds:
            socket.send_fds(self.ctl, [data], fds)
        else:
            self.ctl.sendall(data)

    def _recv(self) -> tuple[dict[str, Any] | None, list[int]]:
        try:
            data, fds, _flags, _addr = socket.recv_fds(self.ctl, 1 << 16, 8)
        except OSError:
            return None, []
        if not data:
            return None, list(fds)
        return json.loads(data.decode()), list(fds)


def _child_main(fds: list[int], spec: limits.ChildSpec, go: socket.socket | None = None
                ) -> int:
    """In the forked child: wire up the pipes, contain, load, run, stream, exit code.

    With ``go``, the plan is decoded first and the sandbox entered only once the zygote
    says so (the previous child of the slot is still exiting); end of file on ``go``:
    the zygote quit, nothing is run.
    """
    high = [os.dup(fd) for fd in fds]  # out of the way of 0..3 (dup clears CLOEXEC)
    for fd in high:
        os.set_inheritable(fd, False)
    memfd, result_w, out_w, err_w = high
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out_w, 1)
    os.dup2(err_w, 2)
    os.dup2(result_w, 3)
    size = os.fstat(memfd).st_size
    raw = bytearray()
    while len(raw) < size:
        chunk = os.pread(memfd, size - len(raw), len(raw))
        if not chunk:
            break
        raw += chunk
    from grader.sandbox import runner, wire

    plan = wire.decode_plan(bytes(raw))
    del raw
    if go is not None:
        if go.recv(1) != b"g":
            return 0
        go.close()
    try:
        scratch = limits.enter_child(spec)
    except limits.LayerError as exc:
        os.write(2, f"gradwell: the sandbox could not be set up: {exc.strerror}\n".encode())
        return limits.CHILD_SETUP_FAILED
    os.environ.clear()
    os.environ.update({"HOME": scratch, "TMPDIR": scratch, "PATH": "/usr/bin:/bin",
                       "LANG": "C.UTF-8", "OMP_NUM_THREADS": "1"})
    sys.argv = [plan.filename]
    for stream in (sys.stdout, sys.stderr):  # what a killed child printed is not lost
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    signal.signal(signal.SIGINT, signal.default_int_handler)
    out = _Out(3)
    trip = runner.Tripwires(plan.rules)
    trip.install()
    # what runs after the submission is loaded is bound now: patching these modules'
    # attributes from the submission changes nothing
    iterate, failure_type = runner.iter_execute, runner.LoadFailure
    encode_outcome, encode_done = wire.encode_outcome, wire.encode_done
    close = os.close
    module = runner.load_module(plan.source, plan.module_name, plan.filename)
    if isinstance(module, failure_type):
        out.send(wire.encode_load_failure(module))
    else:
        out.send(wire.encode_loaded())
        for cid, outcome in iterate(module, plan.calls, tripwires=trip):
            out.send(encode_outcome(cid, outcome))
    out.send(encode_done())
    for stream in (sys.__stdout__, sys.__stderr__, sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except BaseException:
            pass
    # End of file for the parent now: it need not wait for this process's exit, which
    # tears down the address space (a few ms) before the kernel closes descriptors.
    for fd in (1, 2, 3):
        with contextlib.suppress(OSError):
            close(fd)
    return 0


class _Out:
    """The result pipe, written with the raw system call (the student cannot have
    replaced a bound C function we captured before loading their module)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.write = os.write

    def send(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            n = self.write(self.fd, view)
            view = view[n:]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv if argv is None else argv
    ctl = socket.socket(fileno=int(argv[1]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C reaches the parent, who stops us
    data, _fds, _flags, _addr = socket.recv_fds(ctl, 1 << 20, 1)
    config = json.loads(data.decode())
    zygote = Zygote(ctl, config)
    try:
        zygote.start()
    except BaseException as exc:
        traceback.print_exc()
        with contextlib.suppress(OSError):
            ctl.sendall(json.dumps({"type": "failed", "error": f"{type(exc).__name__}: {exc}"})
                        .encode())
        return 1
    zygote.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
