"""Benchmark: grading latency and throughput inside ``gradwell batch`` vs a fresh pytest.

Run ``python bench/grade_latency.py [--rounds 3] [--baseline 4] [--jobs 2] [--json out.json]``.

Submissions, per code exercise: the reference (full marks) and every catalogued mutant
(the reference with one wrong function: each loses points and is diagnosed), so both
the passing path and the failing path with misconception diagnosis are measured.

Measured in the same run:

- ``latency``: each submission through :func:`grader.batch.grade_batch` — the engine
  of ``gradwell batch`` — with ``--jobs 1``, warm sandbox, ``rounds`` times; median and
  p95 of the per-submission wall time, per exercise;
- ``throughput``: the same submissions with ``--jobs`` threads (and as many sandbox
  slots), submissions per second of wall time, per exercise and over all of them;
- ``baseline``: ``--baseline`` submissions per exercise graded the fresh-process way,
  a new ``python -m pytest bench/fresh_pytest/test_submission.py`` per submission
  running the same checks in-process; its median, and the ratio to gradwell's median.
  The two scores of every baseline submission must agree, or the run fails.

The first pass over every submission (zygote start, trusted reference and mutant runs,
cached) is a warm-up and is not counted: a grading service pays it once.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import batch, engine, exercise  # noqa: E402
from grader.result import Result  # noqa: E402
from grader.sandbox import Sandbox  # noqa: E402

TARGET_MEDIAN_MS = 50.0
TARGET_THROUGHPUT = 40.0
TARGET_RATIO = 40.0


@dataclass
class ExerciseRun:
    exercise: str
    submissions: list[batch.Submission]
    latencies: list[float] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    throughput: float = 0.0
    baseline: list[float] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1e3

    @property
    def p95_ms(self) -> float:
        return _quantile(self.latencies, 0.95) * 1e3

    @property
    def baseline_ms(self) -> float:
        return statistics.median(self.baseline) * 1e3 if self.baseline else float("nan")


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def write_submissions(directory: Path, ids: list[str]) -> dict[str, list[batch.Submission]]:
    """``<dir>/<exercise>/reference.py`` and one ``<mutant id>.py`` per misconception."""
    out: dict[str, list[batch.Submission]] = {}
    for ex_id in ids:
        ex = exercise.get(ex_id)
        folder = directory / ex_id
        folder.mkdir(parents=True)
        reference = ex.reference_source()
        (folder / "reference.py").write_text(reference, encoding="utf-8")
        for spec in ex.misconceptions:
            mutant = spec.mutant.read_text(encoding="utf-8")
            (folder / f"{spec.id}.py").write_text(reference + "\n\n" + mutant, encoding="utf-8")
        out[ex_id] = batch.discover(folder)
    return out


def timed_grade(sandbox: Sandbox, sink: list[float], lock: threading.Lock
                ) -> batch.GradeFn:
    def grade(exercise_id: str, source: str) -> Result:
        start = time.perf_counter()
        result = engine.grade(exercise_id, source, sandbox=sandbox)
        elapsed = time.perf_counter() - start
        with lock:
            sink.append(elapsed)
        return result

    return grade


def run_batch(run: ExerciseRun, sandbox: Sandbox, jobs: int, rounds: int
              ) -> tuple[list[float], float, dict[str, float]]:
    """Per-submission seconds, wall seconds, and scores (by file) of ``rounds`` batches."""
    sink: list[float] = []
    lock = threading.Lock()
    scores: dict[str, float] = {}
    grade = timed_grade(sandbox, sink, lock)
    start = time.perf_counter()
    for _ in range(rounds):
        for row in batch.grade_batch(run.exercise, run.submissions, jobs=jobs, grade=grade):
            if row.result is None:
                raise SystemExit(f"{row.submission.file}: not graded: {row.error}")
            scores[row.submission.file] = row.result.score
    return sink, time.perf_counter() - start, scores


def fresh_pytest(ex_id: str, submission: Path, out: Path) -> tuple[float, float]:
    env = {**os.environ, "GRADWELL_BENCH_EXERCISE": ex_id,
           "GRADWELL_BENCH_SUBMISSION": str(submission), "GRADWELL_BENCH_OUT": str(out),
           "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
           "-o", "filterwarnings=default", "-o", "addopts=", "--rootdir", str(ROOT / "bench"),
           str(ROOT / "bench" / "fresh_pytest" / "test_submission.py")]
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1) or not out.exists():
        raise SystemExit(f"the baseline pytest failed on {submission}:\n{proc.stdout[-2000:]}"
                         f"\n{proc.stderr[-2000:]}")
    return elapsed, float(json.loads(out.read_text())["score"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="counted passes per exercise")
    parser.add_argument("--baseline", type=int, default=4,
                        help="fresh-pytest submissions per exercise")
    parser.add_argument("--jobs", type=int, default=2, help="threads and sandbox slots")
    parser.add_argument("--exercise", action="append", help="only these exercises")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    ids = args.exercise or [e.id for e in exercise.load_all().values() if e.kind == "code"]
    runs: list[ExerciseRun] = []
    with tempfile.TemporaryDirectory(prefix="gradwell-bench-") as tmp, \
            Sandbox(max(1, args.jobs)) as sandbox:
        subs = write_submissions(Path(tmp), ids)
        for ex_id in ids:
            run = ExerciseRun(ex_id, subs[ex_id])
            # warm-up: every slot's zygote, the trusted reference and mutant runs
            _, _, warm = run_batch(run, sandbox, args.jobs, 1)
            run.latencies, _, run.scores = run_batch(run, sandbox, 1, args.rounds)
            if run.scores != warm:
                raise SystemExit(f"{ex_id}: scores differ between passes: {warm} vs {run.scores}")
            _, wall, scores = run_batch(run, sandbox, args.jobs, args.rounds)
            if scores != run.scores:
                raise SystemExit(f"{ex_id}: scores differ with --jobs {args.jobs}")
            run.throughput = len(run.submissions) * args.rounds / wall
            runs.append(run)
            print(f"{ex_id:14s} n={len(run.latencies):4d}  median {run.median_ms:6.1f} ms  "
                  f"p95 {run.p95_ms:6.1f} ms  {run.throughput:6.1f} subs/s (--jobs {args.jobs})",
                  flush=True)
        sandbox.close()  # the baseline gets the machine to itself
        for run in runs:
            for sub in run.submissions[: args.baseline]:
                seconds, score = fresh_pytest(run.exercise, sub.path,
                                              Path(tmp) / f"{run.exercise}-{sub.path.stem}.json")
                want = run.scores[sub.file]
                if abs(score - want) > 1e-6:
                    raise SystemExit(f"{run.exercise}/{sub.file}: fresh pytest scored {score}, "
                                     f"gradwell {want}: not the same checks")
                run.baseline.append(seconds)
            print(f"{run.exercise:14s} fresh pytest median {run.baseline_ms:7.0f} ms "
                  f"(n={len(run.baseline)}), {run.baseline_ms / run.median_ms:5.1f}x", flush=True)

    total_subs = sum(len(r.submissions) for r in runs) * args.rounds
    total_wall = sum(len(r.submissions) * args.rounds / r.throughput for r in runs)
    overall = total_subs / total_wall
    print()
    print(f"| exercise | subs | median ms | p95 ms | subs/s (--jobs {args.jobs}) | "
          f"fresh pytest ms | ratio |")
    print("|---|---|---|---|---|---|---|")
    for r in runs:
        print(f"| {r.exercise} | {len(r.submissions)} | {r.median_ms:.1f} | {r.p95_ms:.1f} | "
              f"{r.throughput:.1f} | {r.baseline_ms:.0f} | {r.baseline_ms / r.median_ms:.0f}x |")
    print(f"| all | {total_subs // args.rounds} | | | {overall:.1f} | | |")
    print()
    checks = [
        (f"median <= {TARGET_MEDIAN_MS:g} ms for every exercise",
         all(r.median_ms <= TARGET_MEDIAN_MS for r in runs)),
        (f">= {TARGET_THROUGHPUT:g} submissions/s over all exercises",
         overall >= TARGET_THROUGHPUT),
        (f">= {TARGET_RATIO:g}x faster than fresh pytest for every exercise",
         all(r.baseline_ms / r.median_ms >= TARGET_RATIO for r in runs)),
    ]
    for label, ok in checks:
        print(f"{'met' if ok else 'NOT met'}: {label}")
    if args.json:
        args.json.write_text(json.dumps({
            "load_average": os.getloadavg(),
            "rounds": args.rounds, "jobs": args.jobs,
            "exercises": [{
                "exercise": r.exercise, "submissions": len(r.submissions),
                "median_ms": r.median_ms, "p95_ms": r.p95_ms,
                "throughput_per_s": r.throughput, "baseline_median_ms": r.baseline_ms,
                "baseline_n": len(r.baseline), "ratio": r.baseline_ms / r.median_ms,
            } for r in runs],
            "throughput_per_s": overall,
            "targets": {label: ok for label, ok in checks},
        }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
