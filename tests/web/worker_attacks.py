"""The attack suite (``tests/sandbox/attack_table.py``) run through a real grading worker.

Every attack is submitted the way a student submits: the ``activations`` reference with
one exercise function per attack target replaced by a call of that target (the attack
file is appended as it is), sent to the web service's API and graded by the worker's
real code path (``web.grading.run_grading`` → ``grader.engine.grade`` → the worker's
``default_sandbox()``). The services are real processes: ``gradwell serve`` (embedded
grading threads, SQLite) and ``gradwell worker`` (Celery, Redis, PostgreSQL), each with a
secret in its environment.

What must hold after each attack, read from what the service stored and from the host:

- **score**: every test that never calls an attacked function keeps its full points;
  every test that does earns at most what an honest wrong answer (zeros) earns there,
  and the attacked functions' value tests earn nothing;
- **per target**, the row of the attack table: a target expected to end in an error
  (crash, exit, timeout, memory, output limit, refused output) shows that kind of error in
  the feedback of its function's value test, with the table's text wherever the sentence
  quotes the sandbox (exception type and message, signal, refused value's detail; the
  kind is read with every sentence the message catalogue has for it); a target expected
  to return findings (files read, hosts reached, environment lines with the secret, ...)
  returns them by raising ``AttackReport("<<json>>")``, whose message the feedback
  carries, and the table's check is applied to them (``introspect``'s arrays are
  compared, in the child, with the reference's outputs for the plan, which the harness
  holds as plain lists, and only the count of matches is sent); a target that returns a
  value has it judged (wrong: 0 points);
- the submission was claimed once (its grading was never interrupted);
- the grading process and every zygote it had are alive and were not restarted; no
  process of the worker's slot uids (found from its locks in ``/run/gradwell-sandbox``)
  is left; nothing connected to a listener of the test; the secret is in nothing stored
  nor answered; the next honest submission gets full marks.
"""

from __future__ import annotations

import json
import os
import re
import socket
import string
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sandbox"))
import attack_table as table

from grader import engine
from grader import exercise as exercises
from grader.i18n import MESSAGES
from grader.sandbox.plan import CallError, Outcome

EXERCISE = "activations"
EX = exercises.get(EXERCISE)
REFERENCE = EX.reference_source()
#: the i-th target of an attack replaces the i-th of these (each takes ``x`` only)
FUNCTIONS = ("sigmoid", "tanh", "relu", "gelu")
#: attacks that cost more than a few seconds through a worker (the exercise's 10 s call
#: timeout; a 2 GiB memory limit to fill)
SLOW = {"infinite_loop", "memory_bomb"}
#: the attacks each worker path runs in the fast suite at least (the rest are slow there)
REPRESENTATIVE = {"crashes", "exits", "infinite_loop", "memory_bomb", "fork_flood",
                  "read_reference", "environ", "network", "kill_parent", "fake_output",
                  "monkeypatch"}
#: where a call of the exercise differs from the table's call, what the target comes to
#: instead: an error, or ``None`` for a value (which the grader judges)
OVERRIDES: dict[tuple[str, str], table.ErrorIs | None] = {
    # the exercise's call timeout, not the test sandbox's
    ("infinite_loop", "attack"): table.ErrorIs("timeout", f"exceeded {EX.call_timeout:g} s"),
    # the table's call takes a raw value and refuses the liar; the exercise's call asks
    # for an array and converts it: a plain float64 array, judged wrong (0 points)
    ("liars", "attack_float_subclass"): None,
    ("liars", "attack_tuple_with_liar"): table.ErrorIs(
        "bad-output", "cannot be converted to a float64 array"),
}
GRADING_TIMEOUT = 180.0


def attack_params(slow: Iterable[str] = SLOW) -> list[Any]:
    """Every attack of the table, those in ``slow`` marked slow."""
    marked = set(slow)
    return [pytest.param(a, id=a.file, marks=[pytest.mark.slow] if a.file in marked else [])
            for a in table.ATTACK_LIST]


def environ_of(pid: int) -> bytes:
    return Path(f"/proc/{pid}/environ").read_bytes()


# -- what the worker's sandbox is made of, seen from the host -------------------------


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    state: str
    uid: int
    cmdline: bytes


def processes() -> dict[int, Proc]:
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{name}/stat").read_text()
            status = Path(f"/proc/{name}/status").read_text()
            cmdline = Path(f"/proc/{name}/cmdline").read_bytes()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        uid = next(int(line.split()[1]) for line in status.splitlines()
                   if line.startswith("Uid:"))
        found[int(name)] = Proc(int(name), int(ppid), state, uid, cmdline)
    return found


def alive(pid: int) -> bool:
    proc = processes().get(pid)
    return proc is not None and proc.state not in ("Z", "X")


def descendants(root: int, procs: Mapping[int, Proc]) -> set[int]:
    children = defaultdict(list)
    for p in procs.values():
        children[p.ppid].append(p.pid)
    found, todo = set(), [root]
    while todo:
        for child in children[todo.pop()]:
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def zygotes(root: int) -> set[int]:
    """The live sandbox zygotes started by ``root`` or its descendants (not the
    children they fork, whose command line is theirs: a standby, a running child)."""
    procs = processes()

    def zygote_code(pid: int) -> bool:
        return b"grader.sandbox.zygote" in procs[pid].cmdline

    return {pid for pid in descendants(root, procs)
            if zygote_code(pid) and procs[pid].state not in ("Z", "X")
            and not (procs[pid].ppid in procs and zygote_code(procs[pid].ppid))}


def slot_uids(pid: int) -> tuple[int, ...]:
    """The slot uids whose lock files (``/run/gradwell-sandbox/<uid>.lock``) ``pid``
    holds, from ``/proc/locks``."""
    lock_dir = Path("/run/gradwell-sandbox")
    by_inode = {}
    for path in lock_dir.glob("*.lock"):
        try:
            by_inode[path.stat().st_ino] = int(path.stem)
        except (OSError, ValueError):
            continue
    uids = set()
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if len(fields) > 5 and fields[1] == "FLOCK" and fields[4] == str(pid):
            inode = int(fields[5].rsplit(":", 1)[1])
            if inode in by_inode:
                uids.add(by_inode[inode])
    return tuple(sorted(uids))


# -- a service that grades submissions -----------------------------------------------


class Service:
    """A grading service under attack: how to reach its API, which processes are its
    own, and ``app``, a Flask app of this process on the service's database (it creates
    accounts and reads what was stored; it grades nothing)."""

    name = ""
    app: Any
    students = 0

    def post(self, token: str, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        raise NotImplementedError

    def get(self, token: str, path: str) -> Any:
        raise NotImplementedError

    def main_pids(self) -> list[int]:
        """The service's own processes that must stay alive."""
        raise NotImplementedError

    def check_running(self) -> None:
        for pid in self.main_pids():
            assert alive(pid), f"{self.name}: process {pid} died\n{self.log_tail()}"

    def log_tail(self) -> str:
        return ""

    # -- derived from the above ----------------------------------------------------

    def student(self) -> str:
        """A new student's API token."""
        from web.auth import create_token, create_user
        from web.db import db

        self.students += 1
        with self.app.app_context():
            # no password: none to hash (the student would set one by signing up)
            token: str = create_token(create_user(f"student{self.students}@example.com",
                                                  "student"))
            db.session.remove()
        return token

    def stored(self, sid: int) -> tuple[str, int]:
        """Everything stored about submission ``sid`` as text, and how many times a
        grader claimed it."""
        from sqlalchemy import select

        from web.db import db
        from web.models import Submission, TestRow

        with self.app.app_context():
            sub = db.session.get(Submission, sid)
            assert sub is not None
            rows = db.session.scalars(select(TestRow).where(TestRow.submission_id == sid))
            text = "\n".join([str(sub.result_json), str(sub.error),
                              *(f"{r.name} {r.status} {r.tags}" for r in rows)])
            claims = int(sub.dispatch_count)
            db.session.remove()
        return text, claims

    def zygotes(self) -> set[int]:
        found: set[int] = set()
        for pid in self.main_pids():
            found |= zygotes(pid)
        return found

    def grader_pid(self) -> int:
        """The process that runs ``grade()``: the parent of the service's zygotes."""
        procs = processes()
        parents = {procs[z].ppid for z in self.zygotes() if z in procs}
        assert len(parents) == 1, f"{self.name}: zygote parents {parents}"
        return parents.pop()

    def submit(self, token: str, source: str) -> int:
        status, body = self.post(token, f"/api/v1/exercises/{EXERCISE}/submissions",
                                 {"source": source})
        assert status == 202, (status, body)
        return int(body["id"])

    def wait(self, token: str, sid: int, timeout: float = GRADING_TIMEOUT) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        body: dict[str, Any] = {}
        while time.monotonic() < deadline:
            body = self.get(token, f"/api/v1/submissions/{sid}")
            if body["status"] in ("done", "error"):
                return body
            self.check_running()
            time.sleep(0.05)
        raise AssertionError(f"{self.name}: submission {sid} is {body.get('status')} after "
                             f"{timeout} s\n{self.log_tail()}")

    def grade(self, token: str, source: str) -> tuple[int, dict[str, Any]]:
        sid = self.submit(token, source)
        return sid, self.wait(token, sid)


# -- the submissions ------------------------------------------------------------------

HARNESS = '''

# -- the attack, wired into the exercise's functions --------------------------------
import json as _gw_json

_GW_CTX = {ctx!r}
_GW_TAKES_X = {takes_x!r}
_GW_REPORTING = {reporting!r}
_GW_EXPECTED = {expected!r}
_gw_reports = {{}}


class AttackReport(Exception):
    """Carries an attack's findings to the feedback of the test that called it."""


def _gw_findings(value):
    if isinstance(value, dict) and "arrays" in value:  # introspect: never send the arrays
        import numpy
        expected = [numpy.asarray(e, dtype=numpy.float64) for e in _GW_EXPECTED]
        found = sum(1 for a in value["arrays"] for e in expected
                    if a.shape == e.shape and numpy.allclose(a, e))
        return {{"modules": value["modules"], "arrays": len(value["arrays"]),
                "expected_found": found}}
    return value


def _gw_call(target, x):
    args = (x,) if _GW_TAKES_X else ()
    if target not in _GW_REPORTING:
        return globals()[target](*args, **_GW_CTX)
    if target not in _gw_reports:  # once per child; later calls repeat the findings
        findings = _gw_findings(globals()[target](*args, **_GW_CTX))
        _gw_reports[target] = _gw_json.dumps(findings, default=repr)
    raise AttackReport("<<" + _gw_reports[target] + ">>")
'''


@dataclass(frozen=True)
class Target:
    attack: table.Attack
    name: str  #: the attack's function
    function: str  #: the exercise's function it replaces
    reporting: bool  #: its findings come back in an ``AttackReport``
    check: table.Check


def targets(attack: table.Attack) -> list[Target]:
    assert len(attack.checks) <= len(FUNCTIONS), attack.file
    found = []
    for (name, (returns, check)), function in zip(attack.checks.items(), FUNCTIONS,
                                                  strict=False):
        reporting = returns == "raw" and not isinstance(check, table.ErrorIs)
        found.append(Target(attack, name, function, reporting, check))
    return found


@cache
def expected_outputs(function: str) -> tuple[np.ndarray, ...]:
    """The expected outputs of every call of ``function`` in the plan (computed here, from
    the reference), but those equal to an input of the plan."""
    plan = engine.plan_for(EX)
    expected = engine.trusted_runs.expected(plan)
    inputs = [a for c in plan.calls for a in c.args if isinstance(a, np.ndarray)]
    outputs = [o.value for c in plan.calls
               if c.target == function and isinstance((o := expected[c.id]).value, np.ndarray)]
    kept = tuple(e for e in outputs
                 if not any(a.shape == e.shape and np.allclose(a, e) for a in inputs))
    assert kept
    return kept


def attack_source(attack: table.Attack, ctx: Mapping[str, Any]) -> str:
    wired = targets(attack)
    harness = HARNESS.format(
        ctx=dict(ctx), takes_x=bool(attack.args),
        reporting=sorted(t.name for t in wired if t.reporting),
        expected=[e.tolist() for t in wired if t.check is table.check_introspect
                  for e in expected_outputs(t.function)],
    )
    defs = "".join(f"\n\ndef {t.function}(x, *args, **kwargs):\n"
                   f"    return _gw_call({t.name!r}, x)\n" for t in wired)
    return REFERENCE + "\n\n" + attack.source + harness + defs


def zeros_source() -> str:
    """The honest wrong answer: every function an attack may replace returns zeros."""
    defs = "".join(f"\n\ndef {f}(x, *args, **kwargs):\n    return np.zeros(np.shape(x))\n"
                   for f in FUNCTIONS)
    return REFERENCE + "\n\nimport numpy as np\n" + defs


@cache
def reached() -> dict[str, frozenset[str]]:
    """Test name -> the submission's functions its calls reach (from the real plan)."""
    return {t.spec.name: frozenset(c.target for c in t.calls)
            for t in engine.plan_for(EX).tests}


# -- reading the feedback -------------------------------------------------------------

#: every kind of call error; each is told by ``grade.<kind>`` or a ``grade.<kind>-*``
#: variant of the message catalogue (and SIGXFSZ by ``grade.file-too-large``)
_KINDS = ("exception", "bad-output", "timeout", "memory", "crashed", "output-limit",
          "not-run")
_OTHER_KEYS = {"grade.file-too-large": "crashed"}
#: the fields of those sentences that carry the sandbox's own words: the exception's
#: type and message, a signal's name, a refused value's detail
_DETAIL = ("type", "message", "signal", "detail")


@dataclass(frozen=True)
class Seen:
    """A call error as its feedback tells it."""

    error: CallError
    #: the sentence carries the sandbox's own words (some only say what happened)
    detailed: bool


def _regex(template: str, function: str) -> re.Pattern[str]:
    """``template`` (``str.format`` syntax) as a pattern, its detail fields as groups."""
    where = "".join(
        re.escape(lit) + (r"\d+" if name == "line" else ".*?" if name else "")
        for lit, name, _spec, _conv in string.Formatter().parse(MESSAGES["grade.where-line"][0]))
    out, named = [], set()
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        out.append(re.escape(literal))
        if name is None:
            continue
        if name == "function":
            out.append(re.escape(function))
        elif name == "where":
            out.append(f"(?:{where})?")
        elif name in _DETAIL and name not in named:
            named.add(name)
            out.append(rf"(?P<{name}>[\w.]+)" if name == "type" else f"(?P<{name}>.*?)")
        else:
            out.append(".*?")
    return re.compile("".join(out), re.DOTALL)


@cache
def _patterns(function: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(kind, pattern) for every sentence the catalogue has for a call error, so that
    rewording or refining one does not break this test."""
    found = []
    for key, (en, _ko) in MESSAGES.items():
        kind = _OTHER_KEYS.get(key) or next(
            (k for k in _KINDS if key == f"grade.{k}" or key.startswith(f"grade.{k}-")), None)
        if kind is not None:
            found.append((kind, _regex(en, function)))
    return tuple(found)


def error_in(feedback: str, function: str) -> Seen | None:
    """The call error a test's English feedback tells of for ``function``, if any."""
    for kind, pattern in _patterns(function):
        m = pattern.fullmatch(feedback)
        if m:
            fields = {k: v for k, v in m.groupdict().items() if v is not None}
            detail = " ".join(v for k, v in fields.items() if k != "type")
            error = CallError(kind, fields.get("type", ""), detail)  # type: ignore[arg-type]
            return Seen(error, bool(fields))
    return None


def outcome_of(target: Target, tests: Mapping[str, dict[str, Any]]) -> tuple[Outcome, bool]:
    """What the target's call came to, from the feedback of its function's value test;
    and whether that feedback shows the sandbox's own words."""
    feedback = tests[f"{target.function}: values"]["output"]
    seen = error_in(feedback, target.function)
    if seen is None:  # no error: a value, which the grader judged
        assert not target.reporting, f"no report in: {feedback}"
        return Outcome(value=None), False
    if target.reporting and seen.error.type == "AttackReport":
        m = re.fullmatch(r"<<(.*)>>", seen.error.message, re.DOTALL)
        assert m, f"{target.name}: a cut report (it found too much?): {feedback}"
        return Outcome(value=json.loads(m.group(1))), True
    return Outcome(error=seen.error), seen.detailed


# -- one attack ----------------------------------------------------------------------


@dataclass
class WorkerCtx:
    service: Service
    port: int
    grader: int
    zygotes: set[int]

    @property
    def kwargs(self) -> dict[str, Any]:
        return {"repo": table.REPO, "grader_pid": self.grader, "zygote_pid": min(self.zygotes),
                "port": self.port, "secret_name": table.SECRET_NAME, "marker": table.MARKER}

    def assert_intact(self) -> None:
        self.service.check_running()
        assert alive(self.grader), f"the grading process {self.grader} died"
        now = self.service.zygotes()
        assert self.zygotes <= now, f"zygotes {self.zygotes - now} died (now {now})"


def check_introspect_findings(out: Outcome, ctx: Any) -> None:
    assert out.error is None, out.error
    assert out.value["modules"] == []  # no answer key, suite, check or web module
    assert out.value["arrays"] > 0  # it looked at something
    assert out.value["expected_found"] == 0  # and none of it is an expected output


def check_target(target: Target, tests: Mapping[str, dict[str, Any]], ctx: WorkerCtx) -> None:
    out, detailed = outcome_of(target, tests)
    assert not table.contains_secret(out.value)
    expect = OVERRIDES.get((target.attack.file, target.name), target.check)
    if target.reporting:  # the table's check, on the findings
        check = (check_introspect_findings if target.check is table.check_introspect
                 else target.check)
        check(out, ctx)
    elif isinstance(expect, table.ErrorIs):
        # the kind, and the table's text where the feedback quotes the sandbox (a
        # sentence such as "ended the Python process" gives no exit code to compare)
        table.ErrorIs(expect.kind, expect.text if detailed else "")(out, ctx)
    else:  # a value: it reached the grader, which judged it wrong
        assert out.error is None, out.error


@dataclass
class Baseline:
    """What the service gives the honest wrong answer, per test."""

    control: dict[str, float]


def baseline(service: Service) -> Baseline:
    """Warm the service up, check it grades the reference with full marks, and grade the
    honest wrong answer every attack is measured against."""
    token = service.student()
    _, body = service.grade(token, REFERENCE)
    assert (body["status"], body["score"]) == ("done", EX.max_score), body
    assert service.zygotes(), f"{service.name}: no zygote after grading"
    _, body = service.grade(token, zeros_source())
    assert body["status"] == "done", body
    control = {t["name"]: float(t["score"]) for t in body["tests"]}
    for name, test in {t.name: t for t in EX.tests}.items():
        if reached()[name] & set(FUNCTIONS):
            if name.endswith(": values"):
                assert control[name] == 0.0, (name, body)
        else:
            assert control[name] == test.points, (name, body)
    return Baseline(control)


def run_attack(service: Service, base: Baseline, attack: table.Attack) -> None:
    listener = socket.socket()
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.setblocking(False)
        _run_attack(service, base, attack, listener.getsockname()[1])
        with pytest.raises(BlockingIOError):  # nobody from a sandbox reached the listener
            listener.accept()
    finally:
        listener.close()


def _run_attack(service: Service, base: Baseline, attack: table.Attack, port: int) -> None:
    token = service.student()
    before = service.zygotes()
    assert before, f"{service.name}: no zygote before the attack"
    ctx = WorkerCtx(service, port, service.grader_pid(), before)
    uids = slot_uids(ctx.grader)
    if os.geteuid() == 0:  # the uid layer is on: the worker holds its slot uids
        assert uids, f"{service.name}: no slot uid lock held by {ctx.grader}"
    sid, body = service.grade(token, attack_source(attack, ctx.kwargs))
    shown = json.dumps(body, indent=1, ensure_ascii=False)[:6000]
    assert body["status"] == "done", shown  # a graded result, not a grader error
    assert body["max_score"] == EX.max_score, shown
    tests = {t["name"]: t for t in body["tests"]}
    assert list(tests) == [t.name for t in EX.tests], shown

    # the honest part earns its due, the attacked part no more than an honest wrong answer
    wired = targets(attack)
    attacked = {t.function for t in wired}
    for spec in EX.tests:
        score = float(tests[spec.name]["score"])
        if reached()[spec.name] & attacked:
            assert score <= base.control[spec.name] + 1e-9, (spec.name, shown)
        else:
            assert score == spec.points, (spec.name, shown)
    for function in attacked:
        assert tests[f"{function}: values"]["score"] == 0.0, shown
    assert body["score"] < EX.max_score

    # each target came to what the attack table says
    for target in wired:
        try:
            check_target(target, tests, ctx)
        except AssertionError as exc:
            feedback = tests[f"{target.function}: values"]["output"]
            raise AssertionError(f"{attack.file}.{target.name} as {target.function}: {exc}\n"
                                 f"feedback: {feedback}") from exc

    # the worker is intact, nothing is left, nothing leaked
    assert table.leftovers(uids) == [], f"processes of the slot uids {uids} are left"
    ctx.assert_intact()
    assert table.SECRET not in json.dumps(body, ensure_ascii=False), "the secret was answered"
    stored, claims = service.stored(sid)
    assert table.SECRET not in stored, "the secret was stored"
    assert claims == 1, f"graded {claims} times: its grading was interrupted"
    for d in (table.REPO, "/var/tmp", "/run/lock", "/root", "/etc", "/", "/work", "/tmp",
              "/dev/shm"):
        assert not os.path.exists(os.path.join(d, table.MARKER)), d

    # and the next honest submission is graded right
    _, honest = service.grade(token, REFERENCE)
    assert (honest["status"], honest["score"]) == ("done", EX.max_score), honest
    assert all(t["status"] == "passed" for t in honest["tests"])
    assert table.leftovers(uids) == []
    ctx.assert_intact()
