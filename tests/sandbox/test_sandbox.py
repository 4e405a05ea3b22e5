"""The sandbox as a service: layers, restarts, concurrency, the reaper, the doctor."""

from __future__ import annotations

import os
import signal
import threading
import time

import numpy as np
import pytest
from attack_table import leftovers, uid_of
from click.testing import CliRunner

from grader.sandbox import (
    EvalRequest,
    Sandbox,
    SandboxConfig,
    SandboxError,
    default_sandbox,
    limits,
)
from grader.sandbox.cli import run_doctor
from grader.sandbox.cli import sandbox as sandbox_cli
from grader.sandbox.plan import Call

X = np.linspace(-3.0, 3.0, 7)
SOURCE = '''
import numpy as np
import time

def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))

def slow(x):
    time.sleep(30)
'''


def _request(*calls: Call, timeout: float = 2.0) -> EvalRequest:
    return EvalRequest(SOURCE, "activations.py", "activations", calls, call_timeout=timeout)


def _ok(ev_value: object) -> bool:
    return isinstance(ev_value, np.ndarray) and np.allclose(ev_value, 1 / (1 + np.exp(-X)))


def test_every_layer_is_active_on_this_host(sandbox: Sandbox) -> None:
    layers = {layer.id: layer for layer in sandbox.layers()}
    expected = {"zygote-env", "network", "mount", "pid-namespace", "setsid", "tmpfs",
                "rlimits", "uid", "no-new-privs", "seccomp", "reaper", "wall-time",
                "output-cap", "wire"}
    assert set(layers) == expected
    inactive = {k: v.en for k, v in layers.items() if not v.active}
    assert inactive == {}
    for layer in layers.values():
        assert layer.en and layer.ko and layer.en != layer.ko


def test_zygote_killed_between_evaluations_is_restarted(sandbox: Sandbox) -> None:
    [old] = sandbox.zygote_pids()
    os.kill(old, signal.SIGKILL)
    time.sleep(0.1)
    ev = sandbox.evaluate(_request(Call("s", "sigmoid", (X,))))
    assert _ok(ev.outcomes["s"].value)
    [new] = sandbox.zygote_pids()
    assert new != old


def test_zygote_killed_mid_evaluation_costs_only_the_running_call(sandbox: Sandbox) -> None:
    [old] = sandbox.zygote_pids()
    timer = threading.Timer(0.5, os.kill, (old, signal.SIGKILL))
    timer.start()
    ev = sandbox.evaluate(_request(Call("a", "slow", (X,), group="a"),
                                   Call("s", "sigmoid", (X,), group="s"), timeout=5.0))
    timer.join()
    assert ev.outcomes["a"].error is not None and ev.outcomes["a"].error.kind == "crashed"
    assert _ok(ev.outcomes["s"].value)
    assert sandbox.zygote_pids() != (old,)


@pytest.mark.slow
def test_two_slots_evaluate_concurrently() -> None:
    with Sandbox(2, config=SandboxConfig(uid_base=62100)) as box:
        assert len(set(box.slot_uids)) == 2
        results: list[float] = []

        def work() -> None:
            t = time.monotonic()
            ev = box.evaluate(EvalRequest(SOURCE + "\ndef nap(x):\n    time.sleep(0.8)\n"
                                          "    return x\n", "m.py", "m",
                                          (Call("n", "nap", (X,)),)))
            assert np.array_equal(ev.outcomes["n"].value, X)
            results.append(time.monotonic() - t)

        box.layers()
        box.evaluate(_request(Call("s", "sigmoid", (X,))))  # both slots may start lazily

        def bomb() -> None:  # a fork flood and a spin next door change nothing
            source = SOURCE + (
                "\nimport os\n\ndef flood(x):\n    while True:\n        try:\n"
                "            if os.fork() == 0:\n                time.sleep(600)\n"
                "        except OSError:\n            while True:\n                pass\n")
            ev = box.evaluate(EvalRequest(source, "m.py", "m", (Call("f", "flood", (X,)),),
                                          call_timeout=1.5))
            assert ev.outcomes["f"].error is not None
            assert ev.outcomes["f"].error.kind == "timeout"

        threads = [threading.Thread(target=work) for _ in range(4)]
        threads.append(threading.Thread(target=bomb))
        start = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(results) == 4
        # four 0.8 s naps and a 1.5 s bomb on two slots: about three rounds, not five
        assert time.monotonic() - start < 4.5
        assert leftovers(box.slot_uids) == []


def test_slot_uids_are_claimed_exclusively(sandbox: Sandbox) -> None:
    # only the live slot's uid in range: nobody else may have it (whatever other
    # sandboxes on this host hold, this one's claim is exclusive)
    config = SandboxConfig(uid_base=sandbox.slot_uids[0], uid_count=1)
    assert limits.claim_uid(config) is None
    # a free uid of a wider range is claimed, never the live one
    claim = limits.claim_uid(SandboxConfig(uid_base=sandbox.slot_uids[0], uid_count=50))
    assert claim is not None and claim[0] != sandbox.slot_uids[0]
    os.close(claim[1])


def test_reaper_kills_only_the_slot_uid() -> None:
    uid = 62900
    pid = os.fork()
    if pid == 0:
        try:
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            time.sleep(60)
        finally:
            os._exit(0)
    time.sleep(0.2)
    assert limits.reap_uid(uid)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    assert os.getresuid() == (0, 0, 0)  # the reaper's thread gave its uid back


def test_seccomp_program_is_well_formed() -> None:
    prog = limits._seccomp_program()
    labels = {item[0] for item in prog if isinstance(item[0], str)}
    targets = {j for item in prog if not isinstance(item[0], str) for j in item[1:3]
               if isinstance(j, str)}
    assert targets <= labels


def test_doctor_report_in_both_languages(sandbox: Sandbox) -> None:
    layers, en = run_doctor("en", sandbox)
    assert len(en.splitlines()) == len(layers) + 4
    assert "✓ network" in en and "Every layer is active." in en and "NOT ACTIVE" not in en
    _, ko = run_doctor("ko", sandbox)
    assert "✓ network" in ko and "모든 계층이 활성입니다." in ko
    assert "네트워크 차단" in ko


def test_doctor_command_starts_its_own_sandbox() -> None:
    result = CliRunner().invoke(sandbox_cli, ["doctor", "--lang", "en", "--strict", "--json"])
    assert result.exit_code == 0, result.output
    import json

    layers = json.loads(result.output)
    assert {d["id"] for d in layers} >= {"network", "mount", "uid", "seccomp"}
    assert all(d["active"] for d in layers)


@pytest.mark.slow
def test_doctor_reports_layers_turned_off() -> None:
    with Sandbox(1, config=SandboxConfig(isolation=False)) as box:
        layers = {layer.id: layer for layer in box.layers()}
    assert not layers["network"].active and "isolation=False" in layers["network"].en
    assert not layers["seccomp"].active and layers["wire"].active


def test_default_sandbox_rejects_a_bad_slot_count(monkeypatch: pytest.MonkeyPatch) -> None:
    import grader.sandbox.executor as executor

    monkeypatch.setattr(executor, "_default", None)
    monkeypatch.setenv("GRADWELL_SANDBOX_SLOTS", "many")
    with pytest.raises(SandboxError, match="GRADWELL_SANDBOX_SLOTS"):
        default_sandbox()


def test_output_is_captured_capped_and_separate(sandbox: Sandbox) -> None:
    source = SOURCE + '''
import sys

def talk(x):
    print("to stdout")
    print("to stderr", file=sys.stderr)
    sys.stdout.write("z" * 100000)
    return x
'''
    ev = sandbox.evaluate(EvalRequest(source, "m.py", "m", (Call("t", "talk", (X,)),)))
    assert ev.outcomes["t"].ok
    assert ev.stdout.startswith("to stdout\nzzz") and "more bytes not kept" in ev.stdout
    assert ev.stderr == "to stderr\n"


def _children_of(pid: int) -> list[int]:
    found: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as f:
            found += [int(p) for p in f.read().split()]
    return found


def _gone(pid: int) -> bool:
    """Whether process ``pid`` has ended and been reaped, within 5 s."""
    deadline = time.monotonic() + 5.0
    while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
        time.sleep(0.01)
    return not os.path.exists(f"/proc/{pid}")


def _standby_of(sandbox: Sandbox) -> int:
    """The zygote's one child once the last evaluation's child is gone: the standby,
    not contained yet (the grader's uid, not the slot's): it holds nothing of anyone's."""
    [zygote] = sandbox.zygote_pids()
    deadline = time.monotonic() + 5.0
    while True:
        children = {pid: uid_of(pid) for pid in _children_of(zygote)}
        if list(children.values()) == [os.getuid()]:
            return next(iter(children))
        assert time.monotonic() < deadline, f"the zygote's children (pid: uid): {children}"
        time.sleep(0.01)


def test_the_next_child_is_forked_before_it_is_needed(sandbox: Sandbox) -> None:
    assert _ok(sandbox.evaluate(_request(Call("s", "sigmoid", (X,)))).outcomes["s"].value)
    standby = _standby_of(sandbox)
    assert _ok(sandbox.evaluate(_request(Call("s", "sigmoid", (X,)))).outcomes["s"].value)
    # that standby ran the evaluation and is gone; a new one waits
    assert _gone(standby)
    assert _standby_of(sandbox) != standby


def test_a_dead_standby_is_replaced_without_losing_an_evaluation(sandbox: Sandbox) -> None:
    sandbox.evaluate(_request(Call("s", "sigmoid", (X,))))
    [zygote] = sandbox.zygote_pids()
    standby = _standby_of(sandbox)
    os.kill(standby, signal.SIGKILL)
    ev = sandbox.evaluate(_request(Call("s", "sigmoid", (X,))))
    assert _ok(ev.outcomes["s"].value) and ev.children == 1
    assert sandbox.zygote_pids() == (zygote,)  # the zygote forked afresh, no restart
    assert _gone(standby)  # and reaped the dead one
    assert _standby_of(sandbox) != standby


def test_a_standby_killed_while_the_last_child_exits_loses_nothing(sandbox: Sandbox) -> None:
    # the next spawn reaches the zygote while the last child may still be exiting: it
    # goes to the standby, held until that exit; if the standby is dead, it is forked
    # for once the exit is reported
    [zygote] = sandbox.zygote_pids()
    for _ in range(5):
        sandbox.evaluate(_request(Call("s", "sigmoid", (X,))))
        for pid in _children_of(zygote):
            if uid_of(pid) == os.getuid():
                os.kill(pid, signal.SIGKILL)
        ev = sandbox.evaluate(_request(Call("s", "sigmoid", (X,))))
        assert _ok(ev.outcomes["s"].value) and ev.children == 1
    assert sandbox.zygote_pids() == (zygote,)
    assert leftovers(sandbox.slot_uids) == []


def test_closing_the_sandbox_leaves_no_standby_behind() -> None:
    with Sandbox(1) as box:
        box.evaluate(_request(Call("s", "sigmoid", (X,))))
        standby = _standby_of(box)
    assert _gone(standby)


def test_output_written_just_before_the_end_is_kept(sandbox: Sandbox) -> None:
    # the child flushes after its last result and only then closes its pipes: the
    # evaluation does not wait for its exit, and must not lose the tail
    source = SOURCE + """
import sys

def tail(x):
    sys.stdout.write("no newline at the end")
    sys.stderr.write("nor here")
    return x
"""
    ev = sandbox.evaluate(EvalRequest(source, "m.py", "m", (Call("t", "tail", (X,)),)))
    assert ev.outcomes["t"].ok
    assert ev.stdout == "no newline at the end" and ev.stderr == "nor here"


def test_a_cpu_limit_hit_while_importing_is_named_as_such(sandbox: Sandbox) -> None:
    # the module lowers its own CPU limit and spins at import: the kernel's SIGKILL, not
    # the grader's clock, ends it, and the load failure says which
    source = """
import resource, signal
signal.signal(signal.SIGXCPU, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_CPU, (1, 1))
while True:
    pass
"""
    ev = sandbox.evaluate(EvalRequest(source, "m.py", "m", (), call_timeout=10.0))
    assert ev.load_failure is not None and ev.load_failure.type == "CPUTime", ev.load_failure
    assert "exceeded the CPU time limit" in ev.load_failure.message


def test_a_forked_copy_neither_uses_nor_stops_the_parents_zygotes(sandbox: Sandbox) -> None:
    zygotes = sandbox.zygote_pids()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            try:
                sandbox.evaluate(_request(Call("s", "sigmoid", (X,))))
            except SandboxError:
                sandbox.close()  # what an atexit hook in a forked worker would do
                code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    assert sandbox.zygote_pids() == zygotes
    assert _ok(sandbox.evaluate(_request(Call("s", "sigmoid", (X,)))).outcomes["s"].value)


_NOT_ROOT_SCRIPT = r'''
import json, os
import numpy as np
from grader.sandbox import EvalRequest, Sandbox
from grader.sandbox.plan import Call
src = """
import os, socket, time
def probe(repo):
    with open("/proc/self/status") as f:
        caps = [line.split()[1] for line in f if line.startswith(("CapEff", "CapPrm", "CapBnd"))]
    out = {"uid": os.getuid(), "listing": sorted(os.listdir(repo)), "caps": caps,
           "pids": [p for p in os.listdir("/proc") if p.isdigit()]}
    try:
        socket.create_connection(("127.0.0.1", 22), timeout=0.3)
        out["net"] = "reached"
    except OSError as exc:
        out["net"] = exc.errno
    for _ in range(5):
        if os.fork() == 0:
            time.sleep(600)
    return out
"""
with Sandbox(1) as box:
    layers = {l.id: l.active for l in box.layers()}
    ev = box.evaluate(EvalRequest(src, "m.py", "m", (Call("p", "probe", (REPO,), returns="raw"),)))
    print(json.dumps({"euid": os.geteuid(), "layers": layers, "value": ev.outcomes["p"].value}))
'''


@pytest.mark.slow
def test_without_root_a_user_namespace_provides_the_namespaces() -> None:
    """Not root (uid 1000 of a user namespace): the zygote becomes root of its own user
    namespace; every layer but the per-slot uid and its reaper is active."""
    import json
    import subprocess
    import sys

    import grader

    repo = os.path.dirname(os.path.dirname(os.path.realpath(grader.__file__)))
    script = _NOT_ROOT_SCRIPT.replace("REPO", repr(repo))
    done = subprocess.run(
        ["unshare", "--user", "--map-user=1000", "--map-group=1000", sys.executable, "-c",
         script], capture_output=True, text=True, timeout=300, cwd="/tmp",
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/tmp"})
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["euid"] == 1000
    off = sorted(k for k, v in report["layers"].items() if not v)
    assert off == ["reaper", "uid"]
    value = report["value"]
    assert value["listing"] == [".venv"] and value["pids"] == ["1"]
    assert value["net"] == 101  # ENETUNREACH
    assert value["caps"] == ["0000000000000000"] * 3  # root of its namespace, powerless


def test_a_plan_without_calls_still_reports_load_failures(sandbox: Sandbox) -> None:
    ev = sandbox.evaluate(EvalRequest("def f(:\n", "m.py", "m", ()))
    assert ev.load_failure is not None and ev.load_failure.type == "SyntaxError"
    assert ev.load_failure.lineno == 1 and ev.children == 1
    ok = sandbox.evaluate(EvalRequest("x = 1\n", "m.py", "m", ()))
    assert ok.load_failure is None and ok.outcomes == {}


def test_odd_sources_and_strings_never_raise(sandbox: Sandbox) -> None:
    source = (SOURCE + '\nNOTE = chr(0xD800) + " lone surrogate, 한국어"\n'
              "\ndef s():\n    return NOTE\n")
    ev = sandbox.evaluate(EvalRequest(source, "m.py", "m", (Call("s", "s", returns="raw"),)))
    assert ev.load_failure is None
    value = ev.outcomes["s"].value
    assert isinstance(value, str) and value.endswith(" lone surrogate, 한국어")
    value.encode("utf-8")  # renderable
    bad = sandbox.evaluate(EvalRequest(SOURCE + "# \ud800\n", "m.py", "m", ()))
    assert bad.load_failure is not None and bad.load_failure.type == "UnicodeEncodeError"
    big = sandbox.evaluate(EvalRequest("x = 1\n" * 1_000_000, "m.py", "m", ()))
    assert big.load_failure is not None and big.load_failure.type == "SourceTooLarge"
    nul = sandbox.evaluate(EvalRequest("x = 1\0\n", "m.py", "m", ()))
    assert nul.load_failure is not None


def test_what_a_killed_call_printed_reaches_the_instructor(sandbox: Sandbox) -> None:
    source = SOURCE + '\ndef chatty(x):\n    print("step 1 done, 한국어")\n    time.sleep(30)\n'
    ev = sandbox.evaluate(EvalRequest(source, "m.py", "m", (Call("c", "chatty", (X,)),),
                                      call_timeout=0.5))
    assert ev.outcomes["c"].error is not None and ev.outcomes["c"].error.kind == "timeout"
    assert ev.stdout == "step 1 done, 한국어\n"


def test_outcomes_stream_while_the_child_runs(sandbox: Sandbox) -> None:
    """Each outcome reaches ``on_outcome`` as soon as it is sent: the first call's
    outcome arrives while the second call is still sleeping in the child."""
    source = SOURCE + '''
def nap(x):
    time.sleep(0.5)
    return x
'''
    seen: list[tuple[str, float]] = []
    start = time.monotonic()
    request = EvalRequest(source, "activations.py", "activations",
                          (Call("a", "sigmoid", (X,)), Call("b", "nap", (X,))), call_timeout=5.0)
    ev = sandbox.evaluate(request, on_outcome=lambda cid, o: seen.append((cid, time.monotonic())))
    finished = time.monotonic()
    assert [cid for cid, _ in seen] == ["a", "b"]
    assert finished - seen[0][1] >= 0.4  # "a" came before "b" had slept
    assert seen[0][1] - start < finished - start - 0.4
    assert _ok(ev.outcomes["a"].value)


def test_streamed_outcomes_are_the_final_ones_even_across_a_crash(sandbox: Sandbox) -> None:
    """A call that kills the child is never streamed (the parent makes its outcome up);
    the calls after it run in a fresh child and are streamed from there."""
    source = SOURCE + '''
import ctypes

def crash(x):
    ctypes.string_at(0)
'''
    streamed: dict[str, object] = {}
    calls = (Call("a", "sigmoid", (X,)), Call("c", "crash", (X,), group="crash"),
             Call("d", "sigmoid", (X,)))
    ev = sandbox.evaluate(EvalRequest(source, "activations.py", "activations", calls),
                          on_outcome=lambda cid, o: streamed.setdefault(cid, o))
    assert set(streamed) == {"a", "d"}
    assert ev.outcomes["c"].error is not None and ev.outcomes["c"].error.kind == "crashed"
    for cid, outcome in streamed.items():
        final = ev.outcomes[cid]
        assert isinstance(outcome, type(final)) and outcome.error == final.error is None
        assert np.array_equal(outcome.value, final.value) and _ok(final.value)


def test_a_failing_outcome_callback_does_not_lose_outcomes(sandbox: Sandbox) -> None:
    def boom(cid: str, outcome: object) -> None:
        raise RuntimeError("the caller's bug")

    ev = sandbox.evaluate(_request(Call("a", "sigmoid", (X,)), Call("b", "sigmoid", (X,))),
                          on_outcome=boom)
    assert _ok(ev.outcomes["a"].value) and _ok(ev.outcomes["b"].value)


def test_a_cold_slots_start_up_is_not_charged_to_the_budget() -> None:
    """Starting a zygote takes seconds; a submission with a 1 s budget on a cold
    sandbox is still evaluated, not timed out while the grader warmed up."""
    with Sandbox(1) as box:
        ev = box.evaluate(EvalRequest(SOURCE, "activations.py", "activations",
                                      (Call("a", "sigmoid", (X,)),), budget=1.0))
    assert ev.load_failure is None and _ok(ev.outcomes["a"].value)
