"""The parent side: a pool of warm zygote slots that evaluate plans in contained children.

``Sandbox.evaluate`` sends the plan to a forked child of a warm zygote and reads back, as
they are produced, one outcome per call. It enforces the wall time (per call and for the
whole evaluation) by SIGKILL through a pidfd, caps stdout/stderr, parses every frame
strictly (``wire``), and turns every way a child can end — an exit, a signal, a hang, a
flood of output, garbage on the result pipe — into :class:`~grader.sandbox.plan.CallError`
outcomes. When a child dies, the call it was running gets the reason, the rest of that
call's group is ``not-run``, and the remaining calls go to a fresh child (with the
``keep`` calls they refer to replayed first), until all are done or the budget runs out.
Nothing the submission does makes ``evaluate`` raise.

A child that has sent everything and closed its pipes is done: ``evaluate`` returns
without waiting for its exit (tearing down a forked address space takes milliseconds),
kills it, and reads the zygote's report of that exit — after which the reaper has
cleared the slot's uid — right after it asks the same slot for the next child, which
the zygote readies meanwhile but lets run only after that report.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import math
import os
import queue
import select
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from grader.i18n import msg
from grader.sandbox import wire
from grader.sandbox.limits import CHILD_SETUP_FAILED, Layer, SandboxConfig, claim_uid, layer
from grader.sandbox.plan import CPU_TIME, Call, CallError, Outcome, Ref
from grader.sandbox.runner import LoadFailure, Rules

__all__ = [
    "EvalRequest",
    "Evaluation",
    "Sandbox",
    "SandboxError",
    "default_sandbox",
]

log = logging.getLogger("gradwell.sandbox")

_READ = 1 << 20
#: the result pipe's capacity (``/proc/sys/fs/pipe-max-size`` is 1 MiB by default)
_RESULT_PIPE = 1 << 20
#: after ``done``, how long a child may take to exit before it is killed (no penalty)
_EXIT_GRACE = 1.0


OnOutcome = Callable[[str, Outcome], None]


class SandboxError(RuntimeError):
    """The sandbox itself cannot work (a zygote that does not start): never the
    submission's doing."""


@dataclass(frozen=True)
class EvalRequest:
    """One submission and the calls to evaluate against it."""

    source: str
    filename: str  #: what tracebacks show, e.g. ``"activations.py"``
    module_name: str  #: e.g. ``"activations"``
    calls: tuple[Call, ...]
    rules: Rules = Rules()  # noqa: RUF009 - frozen, so one shared default is safe
    call_timeout: float = 2.0  #: wall seconds one call may take
    budget: float = 20.0  #: wall seconds for the whole evaluation


@dataclass(frozen=True)
class Evaluation:
    """What a submission computed.

    ``load_failure`` is set (and ``outcomes`` empty) when the module could not be loaded:
    a syntax error, an exception, a crash or a hang at import time. Otherwise every
    call id of the request is in ``outcomes``.
    """

    load_failure: LoadFailure | None
    outcomes: Mapping[str, Outcome]
    stdout: str  #: capped, for the instructor (never parsed)
    stderr: str
    seconds: float
    children: int  #: how many children it took


# --------------------------------------------------------------------------- zygote slot


class _SlotDied(Exception):
    pass


def _minimal_env() -> dict[str, str]:
    import grader

    root = os.path.dirname(os.path.dirname(os.path.realpath(grader.__file__)))
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": "/nonexistent",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "PYTHONPATH": root,  # removed from sys.path by the zygote once it has imported
    }


class _Slot:
    """One warm zygote and its control socket; used by one evaluation at a time."""

    def __init__(self, index: int, config: SandboxConfig) -> None:
        self.index = index
        self.config = config
        self.proc: subprocess.Popen[bytes] | None = None
        self.ctl: socket.socket | None = None
        self.layers: list[Layer] = []
        self.starts = 0
        #: the last child ended before the zygote reported its exit (read before the next)
        self.owes_exit = False
        claim = claim_uid(config)
        self.uid = claim[0] if claim else None
        self._uid_lock = claim[1] if claim else None

    def release(self) -> None:
        self.stop()
        if self._uid_lock is not None:
            os.close(self._uid_lock)
            self._uid_lock = None

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None and self.ctl is not None

    def ensure(self) -> None:
        if not self.alive:
            self.stop()
            self.start()

    def start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        cmd = [self.config.python, "-s", "-m", "grader.sandbox.zygote", str(theirs.fileno())]
        try:
            proc = subprocess.Popen(
                cmd, pass_fds=[theirs.fileno()], env=_minimal_env(), cwd="/",
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, start_new_session=True,
            )
        finally:
            theirs.close()
        self.proc, self.ctl = proc, ours
        self.starts += 1
        config = self.config.to_json()
        config["slot"] = self.index
        config["uid"] = self.uid if self.uid is not None else -1
        ours.sendall(wire_json(config))
        msg = self._recv(timeout=self.config.start_timeout)[0]
        if msg is None or msg.get("type") != "ready":
            error = (msg or {}).get("error", "it exited or did not answer")
            self.stop()
            raise SandboxError(f"the sandbox zygote of slot {self.index} did not start: {error}")
        self.layers = [Layer(**d) for d in msg["layers"]]
        for item in self.layers:
            if not item.active:
                log.warning("sandbox layer %s is NOT active: %s", item.id, item.en)
        log.info("sandbox slot %d ready (zygote pid %d); layers active: %s; not active: %s",
                 self.index, msg["pid"],
                 ", ".join(x.id for x in self.layers if x.active) or "none",
                 ", ".join(x.id for x in self.layers if not x.active) or "none")

    def stop(self) -> None:
        self.owes_exit = False
        if self.ctl is not None:
            with contextlib.suppress(OSError):
                self.ctl.sendall(wire_json({"type": "quit"}))
            self.ctl.close()
            self.ctl = None
        if self.proc is not None:
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def spawn(self, fds: Sequence[int], cpu_seconds: int) -> int:
        """Ask for a child; return a pidfd for it."""
        assert self.ctl is not None
        try:
            socket.send_fds(self.ctl, [wire_json({"type": "spawn", "cpu": cpu_seconds})],
                            list(fds))
        except OSError as exc:
            raise _SlotDied(str(exc)) from None
        if self.owes_exit:
            # The previous child may still be exiting: the zygote readies the new one
            # meanwhile, and reports that exit (and the reaper's sweep) before it lets
            # the new one run.
            self.exited(timeout=30.0)
            self.owes_exit = False
        msg, got = self._recv(timeout=30.0)
        if msg is None or msg.get("type") != "spawned" or len(got) != 1:
            for fd in got:
                os.close(fd)
            raise _SlotDied("the zygote did not fork")
        return got[0]

    def exited(self, timeout: float) -> dict[str, Any]:
        msg, got = self._recv(timeout=timeout)
        for fd in got:
            os.close(fd)
        if msg is None or msg.get("type") != "exited":
            raise _SlotDied("the zygote did not report the child's exit")
        return msg

    def _recv(self, timeout: float) -> tuple[dict[str, Any] | None, list[int]]:
        assert self.ctl is not None
        poller = select.poll()  # not select(): a busy server's fds can exceed FD_SETSIZE
        poller.register(self.ctl.fileno(), select.POLLIN)
        if not poller.poll(timeout * 1000):
            return None, []
        try:
            data, fds, _flags, _addr = socket.recv_fds(self.ctl, 1 << 20, 4)
        except OSError:
            return None, []
        if not data:
            return None, list(fds)
        import json

        return json.loads(data.decode()), list(fds)


def wire_json(obj: Any) -> bytes:
    import json

    return json.dumps(obj).encode()


# --------------------------------------------------------------------------- one child


@dataclass
class _Capture:
    keep: int
    data: bytearray = field(default_factory=bytearray)
    total: int = 0

    def add(self, chunk: bytes) -> None:
        self.total += len(chunk)
        room = self.keep - len(self.data)
        if room > 0:
            self.data += chunk[:room]

    def text(self) -> str:
        s = self.data.decode("utf-8", errors="replace")
        if self.total > len(self.data):
            s += f"\n… [{self.total - len(self.data)} more bytes not kept]\n"
        return s


@dataclass
class _ChildResult:
    received: list[tuple[str, Outcome]] = field(default_factory=list)
    loaded: bool = False
    load_failure: LoadFailure | None = None
    done: bool = False
    error: CallError | None = None  #: why the child stopped before ``done``
    error_seconds: float = 0.0  #: how long the call it stopped in had run
    budget_out: bool = False
    setup_failed: bool = False
    slot_died: bool = False


def _signal_name(sig: int) -> str:
    try:
        return signal.Signals(sig).name
    except ValueError:
        return f"signal {sig}"


class _Evaluator:
    def __init__(self, sandbox: Sandbox, slot: _Slot, request: EvalRequest,
                 on_outcome: OnOutcome | None = None) -> None:
        self.sandbox = sandbox
        self.slot = slot
        self.request = request
        self.on_outcome = on_outcome
        self.replay_ids: set[str] = set()
        self.config = sandbox.config
        self.stdout = _Capture(self.config.output_keep)
        self.stderr = _Capture(self.config.output_keep)

    def run(self) -> Evaluation:
        req = self.request
        if len(req.source) <= wire.DEFAULT_LIMITS.text:
            self.slot.ensure()  # a cold slot's start-up is not the submission's time
        start = time.monotonic()
        if len(req.source) > wire.DEFAULT_LIMITS.text:
            failure = LoadFailure("SourceTooLarge", f"the source is longer than "
                                  f"{wire.DEFAULT_LIMITS.text} characters")
            return Evaluation(failure, {}, "", "", 0.0, 0)
        deadline = start + req.budget
        by_id = {c.id: c for c in req.calls}
        outcomes: dict[str, Outcome] = {}
        remaining = list(req.calls)
        children = 0
        deaths = 0
        budget_left = True
        first = True  # with no calls, one child still loads the module (a syntax error)
        while remaining or first:
            first = False
            if time.monotonic() >= deadline:
                budget_left = False
                break
            replay = _replays(remaining, outcomes, by_id)
            plan_calls = [*replay, *remaining]
            replay_ids = self.replay_ids = {c.id for c in replay}
            try:
                self.slot.ensure()
                res = self._run_child(plan_calls, deadline)
            except _SlotDied as exc:  # before any child ran: restart and try again
                deaths += 1
                log.warning("sandbox slot %d died: %s", self.slot.index, exc)
                self.slot.stop()
                if deaths >= 3:
                    raise SandboxError(f"the sandbox zygote keeps dying: {exc}") from None
                continue
            children += 1
            if res.slot_died:
                deaths += 1
                self.slot.stop()  # restarted by ``ensure`` for the next child
                if deaths >= 3:
                    raise SandboxError("the sandbox zygote keeps dying")
                if not res.loaded and res.load_failure is None:
                    continue  # it died before the module was loaded: not the module's doing
            if res.setup_failed:
                deaths += 1
                self.slot.stop()
                if deaths >= 3:
                    raise SandboxError("the sandbox child could not be set up: "
                                       + self.stderr.text()[-500:])
                continue
            if res.load_failure is not None or (not res.loaded and res.error is not None):
                failure = res.load_failure or _load_failure_from(res.error)
                if not outcomes and not replay_ids:
                    return Evaluation(failure, {}, self.stdout.text(), self.stderr.text(),
                                      time.monotonic() - start, children)
                for call in remaining:  # loaded before, not now: nondeterministic import
                    outcomes[call.id] = Outcome(error=CallError(
                        "crashed", message=f"the module failed to load again: {failure.message}"))
                remaining = []
                break
            done_ids = set()
            for cid, outcome in res.received:
                if cid in replay_ids:
                    continue
                outcomes[cid] = _memory_kind(outcome)
                done_ids.add(cid)
            remaining = [c for c in remaining if c.id not in done_ids]
            if res.done or not remaining:
                if remaining:  # ``done`` without every outcome: the stream was cut short
                    for call in remaining:
                        outcomes[call.id] = Outcome(error=CallError(
                            "crashed", message="the process stopped before this call"))
                    remaining = []
                break
            err = res.error or CallError("crashed", message="the process ended unexpectedly")
            received = {cid for cid, _ in res.received}
            current = next((c for c in plan_calls if c.id not in received), None)
            if current is None:
                break
            if current.id in replay_ids:
                # a replayed call failed this time: whoever needs its result cannot run
                for call in list(remaining):
                    if current.id in _refs(call):
                        outcomes[call.id] = Outcome(error=CallError(
                            "not-run", message=f"needs the result of {current.id!r}, "
                            f"which failed when it was run again ({err.message})"))
                remaining = [c for c in remaining if c.id not in outcomes]
            else:
                outcomes[current.id] = Outcome(error=err, seconds=res.error_seconds)
                group = current.group_key
                for call in remaining:
                    if call.id != current.id and call.group_key == group:
                        outcomes[call.id] = Outcome(error=CallError(
                            "not-run", message=f"{current.id!r} of the same group stopped the "
                            f"process ({err.kind}: {err.message})"))
                remaining = [c for c in remaining if c.id not in outcomes]
            if res.budget_out:
                budget_left = False
                break
        if remaining:
            msg = f"the evaluation's time budget of {req.budget:g} s ran out"
            if budget_left:
                msg = "not evaluated"
            for call in remaining:
                outcomes[call.id] = Outcome(error=CallError("timeout", message=msg))
        ordered = {c.id: outcomes[c.id] for c in req.calls}
        return Evaluation(None, ordered, self.stdout.text(), self.stderr.text(),
                          time.monotonic() - start, children)

    # ------------------------------------------------------------------ one child

    def _run_child(self, calls: list[Call], deadline: float) -> _ChildResult:
        req = self.request
        data = wire.encode_plan(wire.PlanMessage(req.source, req.filename, req.module_name,
                                                 tuple(calls), req.rules))
        memfd = os.memfd_create("gradwell-plan", os.MFD_CLOEXEC)
        pipes = [os.pipe() for _ in range(3)]
        result_r, out_r, err_r = (r for r, _ in pipes)
        with contextlib.suppress(OSError):  # a 64 KiB pipe makes a 512 KiB sample 8 round trips
            fcntl.fcntl(result_r, fcntl.F_SETPIPE_SZ, _RESULT_PIPE)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(memfd, view):]
            cpu = max(1, math.ceil(deadline - time.monotonic())) + 1
            pidfd = self.slot.spawn([memfd, *(w for _, w in pipes)], cpu)
        except BaseException:
            for r, w in pipes:
                os.close(r)
                os.close(w)
            raise
        finally:
            os.close(memfd)
        for _, w in pipes:
            os.close(w)
        try:
            return self._watch(calls, deadline, pidfd, result_r, out_r, err_r, cpu)
        finally:
            for fd in (pidfd, result_r, out_r, err_r):
                with contextlib.suppress(OSError):
                    os.close(fd)

    def _watch(self, calls: list[Call], deadline: float, pidfd: int, result_r: int,
               out_r: int, err_r: int, cpu: int) -> _ChildResult:
        req, cfg = self.request, self.config
        res = _ChildResult()
        reader = wire.FrameReader()
        open_fds = {result_r, out_r, err_r}
        for fd in open_fds:
            os.set_blocking(fd, False)
        poller = select.poll()
        for fd in (*open_fds, pidfd):
            poller.register(fd, select.POLLIN)
        exited = False
        killed = False
        kill_error: CallError | None = None
        call_start = born = time.monotonic()
        done_at: float | None = None
        protocol_broken = False

        def kill(error: CallError | None) -> None:
            nonlocal killed, kill_error
            if not killed:
                with contextlib.suppress(ProcessLookupError, OSError):
                    signal.pidfd_send_signal(pidfd, signal.SIGKILL)
                killed = True
                kill_error = error
                res.error_seconds = time.monotonic() - call_start

        while not exited or open_fds:
            if not open_fds and (res.done or res.load_failure is not None):
                break  # complete: its exit is the zygote's to report, before the next spawn
            now = time.monotonic()
            if not killed:
                if done_at is not None:
                    limit = done_at + _EXIT_GRACE
                    if now >= limit:
                        kill(None)
                else:
                    limit = min(call_start + req.call_timeout, deadline)
                    if now >= limit:
                        if deadline <= call_start + req.call_timeout:
                            res.budget_out = True
                            kill(CallError("timeout", message=f"the evaluation's time budget "
                                           f"of {req.budget:g} s ran out"))
                        else:
                            kill(CallError("timeout", message=f"exceeded "
                                           f"{req.call_timeout:g} s"))
                wait = max(0.0, limit - now) if not killed else 5.0
            else:
                wait = 5.0
            if exited:
                wait = min(wait, 0.5)
            events = poller.poll(wait * 1000)
            if not events and exited:
                break  # a pipe still held open by something we cannot see: give up on it
            for fd, _ev in events:
                if fd == pidfd:
                    exited = True
                    poller.unregister(pidfd)
                    continue
                try:
                    chunk = os.read(fd, _READ)
                except BlockingIOError:
                    continue
                if not chunk:
                    poller.unregister(fd)
                    open_fds.discard(fd)
                    continue
                if fd != result_r:
                    (self.stdout if fd == out_r else self.stderr).add(chunk)
                    if self.stdout.total + self.stderr.total > cfg.output_limit:
                        kill(CallError("output-limit", message=f"printed more than "
                                       f"{cfg.output_limit} bytes"))
                    continue
                if protocol_broken:
                    continue
                try:
                    reader.feed(chunk)
                    for header, body in reader.frames():
                        kind, payload = wire.decode_child_message(header, body)
                        self._handle(res, calls, kind, payload)
                        call_start = time.monotonic()
                        if res.done or res.load_failure is not None:
                            done_at = call_start
                except wire.WireError as exc:
                    protocol_broken = True
                    reason = msg("detail.unreadable", error=exc)
                    kill(CallError("bad-output", message=reason.en, message_ko=reason.ko))
        if not killed:
            res.error_seconds = time.monotonic() - call_start
        if not exited:  # ended early (above): all it could send has been read
            with contextlib.suppress(ProcessLookupError, OSError):
                signal.pidfd_send_signal(pidfd, signal.SIGKILL)
            self.slot.owes_exit = True
            return res
        try:
            status = self.slot.exited(timeout=30.0)
        except _SlotDied:
            res.slot_died = True
            if not (res.done or res.load_failure is not None):
                res.error = kill_error or CallError(
                    "crashed", message="the sandbox process died while this call ran")
            return res
        if res.done or res.load_failure is not None:
            return res
        if kill_error is not None:
            res.error = kill_error
            return res
        res.error = self._death_reason(status, cpu, time.monotonic() - born)
        if res.error is None:
            res.setup_failed = True
        return res

    def _handle(self, res: _ChildResult, calls: list[Call], kind: str, payload: Any) -> None:
        if res.done or res.load_failure is not None:
            raise wire.WireError(f"{kind!r} after the end of the stream")
        if kind == "loaded":
            if res.loaded:
                raise wire.WireError("'loaded' twice")
            res.loaded = True
        elif kind == "load-failure":
            if res.loaded:
                raise wire.WireError("'load-failure' after 'loaded'")
            res.load_failure = payload
        elif kind == "done":
            if not res.loaded:
                raise wire.WireError("'done' before 'loaded'")
            res.done = True
        else:
            cid, outcome = payload
            index = len(res.received)
            if not res.loaded or index >= len(calls) or calls[index].id != cid:
                raise wire.WireError(f"an outcome for {cid!r} out of order")
            res.received.append((cid, outcome))
            if self.on_outcome is not None and cid not in self.replay_ids:
                self._stream(cid, _memory_kind(outcome))

    def _stream(self, cid: str, outcome: Outcome) -> None:
        """Hand a final outcome to the caller while the child runs on. A failing
        callback only stops the streaming: the caller still gets every outcome."""
        assert self.on_outcome is not None
        try:
            self.on_outcome(cid, outcome)
        except Exception:  # the caller's bug must not kill the evaluation
            log.exception("on_outcome failed for %s; streaming stopped", cid)
            self.on_outcome = None

    def _death_reason(self, status: Mapping[str, Any], cpu: int,
                      lifetime: float) -> CallError | None:
        code = int(status["status"])
        used = float(status["cpu"])
        if os.WIFSIGNALED(code):
            sig = os.WTERMSIG(code)
            # not killed by us: SIGXCPU, or the SIGKILL of the hard CPU limit (which the
            # child may have lowered itself) after a CPU-bound run
            if sig == signal.SIGXCPU or (sig == signal.SIGKILL and used >= 0.5
                                         and used >= 0.5 * lifetime):
                return CallError("timeout", CPU_TIME, f"exceeded the CPU time limit after "
                                 f"{used:.1f} s of CPU time (killed by {_signal_name(sig)})")
            if sig == signal.SIGKILL:
                return CallError("memory", message="killed by SIGKILL (out of memory)")
            if sig == signal.SIGXFSZ:
                return CallError("crashed", message="killed by SIGXFSZ (wrote a file larger "
                                 f"than {self.config.file_bytes} bytes)")
            return CallError("crashed", message=f"killed by {_signal_name(sig)}")
        exit_code = os.WEXITSTATUS(code) if os.WIFEXITED(code) else -1
        if exit_code == CHILD_SETUP_FAILED and "could not be set up" in self.stderr.text():
            return None
        return CallError("crashed", message=f"the process exited with code {exit_code}")


def _refs(call: Call) -> set[str]:
    found: set[str] = set()

    def walk(a: Any) -> None:
        if isinstance(a, Ref):
            found.add(a.call_id)
        elif isinstance(a, (tuple, list)):
            for x in a:
                walk(x)

    for a in (*call.args, *call.kwargs.values()):
        walk(a)
    return found


def _replays(remaining: Sequence[Call], outcomes: Mapping[str, Outcome],
             by_id: Mapping[str, Call]) -> list[Call]:
    """The finished ``keep`` calls whose results the remaining calls refer to (and those
    they refer to), in plan order: a fresh child must compute them again."""
    need: set[str] = set()
    todo = [r for c in remaining for r in _refs(c)]
    while todo:
        cid = todo.pop()
        if cid in need or cid not in by_id or cid not in outcomes:
            continue
        if not outcomes[cid].ok:
            continue
        need.add(cid)
        todo.extend(_refs(by_id[cid]))
    return [c for c in by_id.values() if c.id in need]


def _memory_kind(outcome: Outcome) -> Outcome:
    """A ``MemoryError`` raised under the address-space limit is a memory outcome."""
    err = outcome.error
    if err is not None and err.kind == "exception" and err.type == "MemoryError":
        return Outcome(error=CallError("memory", err.type, err.message or
                                       "ran out of memory", err.lineno),
                       mutated=outcome.mutated, warnings=outcome.warnings,
                       forbidden=outcome.forbidden, seconds=outcome.seconds)
    return outcome


def _load_failure_from(error: CallError | None) -> LoadFailure:
    if error is None:
        return LoadFailure("Crashed", "the process ended while loading the module")
    kinds = {"timeout": "Timeout", "memory": "MemoryError", "output-limit": "OutputLimit",
             "bad-output": "BadOutput"}
    kind = "CPUTime" if error.kind == "timeout" and error.type == CPU_TIME else (
        kinds.get(error.kind, "Crashed"))
    return LoadFailure(kind, f"while loading the module: {error.message}")


# --------------------------------------------------------------------------- pool


class Sandbox:
    """A pool of warm zygote slots; thread-safe; a context manager.

    Each slot serves one evaluation at a time; ``evaluate`` waits for a free slot.
    Zygotes start lazily and are restarted transparently when they die.
    """

    def __init__(self, slots: int = 1, *, config: SandboxConfig | None = None) -> None:
        if slots < 1:
            raise ValueError(f"slots must be at least 1, got {slots}")
        self.config = config or SandboxConfig()
        self._slots = [_Slot(i, self.config) for i in range(slots)]
        # Last in, first out: when fewer evaluations run than there are slots, the
        # same zygote serves them all and its pages stay in the CPU's caches (a child's
        # copy-on-write faults are ~10 ms cheaper than with slots taken in turn).
        self._free: queue.LifoQueue[_Slot] = queue.LifoQueue()
        for s in reversed(self._slots):
            self._free.put(s)
        self._closed = False
        self._pid = os.getpid()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def slot_uids(self) -> tuple[int, ...]:
        """The unprivileged uids this sandbox's children run as."""
        return tuple(s.uid for s in self._slots if s.uid is not None)

    def zygote_pids(self) -> tuple[int, ...]:
        return tuple(s.proc.pid for s in self._slots if s.proc is not None and s.alive)

    def _acquire(self) -> _Slot:
        if self._closed:
            raise SandboxError("the sandbox is closed")
        if os.getpid() != self._pid:
            raise SandboxError("a Sandbox cannot be used across fork(); create one in this "
                               "process (default_sandbox() does)")
        return self._free.get()

    def evaluate(self, request: EvalRequest, *, on_outcome: OnOutcome | None = None
                 ) -> Evaluation:
        """Evaluate ``request``'s calls against its source in contained children.

        ``on_outcome(call_id, outcome)``, if given, is called (in this thread) with each
        outcome the child sends as soon as it arrives, while the child runs on: the
        grader judges a test whose calls are all in without waiting for the rest.
        Streamed outcomes are final and equal to those in the returned
        :class:`Evaluation`; outcomes the parent makes up (a call killed by a timeout,
        calls not run after a crash) are only in the latter.
        """
        slot = self._acquire()
        try:
            return _Evaluator(self, slot, request, on_outcome).run()
        finally:
            self._free.put(slot)

    def layers(self) -> list[Layer]:
        """The containment layers of this host, as the first slot's zygote found them."""
        slot = self._acquire()
        try:
            slot.ensure()
            child_side = list(slot.layers)
        finally:
            self._free.put(slot)
        cfg = self.config
        return [
            *child_side,
            layer("wall-time", True, "per call and per evaluation, through a pidfd",
                  "호출별·평가별, pidfd로"),
            layer("output-cap", True, f"{cfg.output_keep} bytes kept per stream, killed "
                  f"beyond {cfg.output_limit} bytes", f"스트림마다 {cfg.output_keep}바이트 "
                  f"보관, {cfg.output_limit}바이트를 넘으면 종료"),
            layer("wire", True),
        ]

    def close(self) -> None:
        """Stop the zygotes (only in the process that started them)."""
        self._closed = True
        if os.getpid() != self._pid:
            return  # a forked copy: the zygotes belong to the parent
        for s in self._slots:
            s.release()


_default: Sandbox | None = None
_default_pid = 0
_default_lock = threading.Lock()


def default_sandbox() -> Sandbox:
    """The process-wide sandbox (slots from ``GRADWELL_SANDBOX_SLOTS``, default 2)."""
    global _default, _default_pid
    with _default_lock:
        # a pre-forking server (gunicorn, Celery prefork) must not share its parent's
        # zygotes: a forked process starts its own
        if _default is None or _default_pid != os.getpid():
            import atexit

            raw = os.environ.get("GRADWELL_SANDBOX_SLOTS", "2")
            try:
                slots = max(1, int(raw))
            except ValueError:
                raise SandboxError(f"GRADWELL_SANDBOX_SLOTS must be a whole number, "
                                   f"got {raw!r}") from None
            _default = Sandbox(slots)
            _default_pid = os.getpid()
            atexit.register(_default.close)
        return _default
