"""Benchmark: the warm, contained fork path vs a fresh Python + torch per submission.

Run ``python bench/sandbox.py [--n 60] [--fresh 8] [--slots 2] [--json out.json]``.

Measured in the same run, on the same submission and calls:

- ``layers``: ``Sandbox.evaluate`` with every containment layer on;
- ``none``: the same with ``SandboxConfig(isolation=False)`` (fork, run, wire; no
  namespaces, rlimits, uid, seccomp) — interleaved with ``layers`` call by call, so that
  machine noise hits both alike;
- ``fresh``: ``python -c "import torch, numpy; <same calls>"`` per submission (what a
  grader without a warm process pays);
- throughput: ``--slots`` slots kept busy by as many threads.

Memory: PSS/RSS from ``/proc/<pid>/smaps_rollup`` of N zygotes with their children (N
slots evaluating at once: per slot the evaluation's child and the standby forked for the
next one) vs N fresh processes holding the same work, sampled while every process is
alive.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grader.sandbox import EvalRequest, Sandbox, SandboxConfig
from grader.sandbox.plan import Call, Tensor

SOURCE = '''
import math
import numpy as np
import torch
from scipy.special import erf

def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))

def tanh_grad(x):
    return 1.0 - np.tanh(x) ** 2

def relu(x):
    return np.maximum(x, 0.0)

def gelu(x):
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))

def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta

def layer_grad(x):
    w = torch.ones(x.shape[1], dtype=x.dtype, requires_grad=True)
    y = (x * w - (x * w).mean(dim=0)) / torch.sqrt((x * w).var(dim=0) + 1e-5)
    (y ** 2).sum().backward()
    return w.grad
'''


def _inputs() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    return {"x": rng.normal(size=(64, 32)), "g": rng.normal(size=32), "b": rng.normal(size=32)}


def _calls(hold: float = 0.0) -> tuple[Call, ...]:
    v = _inputs()
    calls = [
        Call("sigmoid", "sigmoid", (v["x"],)),
        Call("tanh_grad", "tanh_grad", (v["x"],)),
        Call("relu", "relu", (v["x"],)),
        Call("gelu", "gelu", (v["x"],)),
        Call("bn", "batchnorm_forward", (v["x"], v["g"], v["b"])),
        Call("lg", "layer_grad", (Tensor(v["x"]),)),
    ]
    if hold:
        calls.append(Call("hold", "hold", (hold,), returns="skip"))
    return tuple(calls)


FRESH = '''
import numpy as np, torch
rng = np.random.default_rng(0)
x, g, b = rng.normal(size=(64, 32)), rng.normal(size=32), rng.normal(size=32)
m = {{}}
exec(compile({source!r}, "activations.py", "exec"), m)
out = [np.asarray(m["sigmoid"](x.copy())), np.asarray(m["tanh_grad"](x.copy())),
       np.asarray(m["relu"](x.copy())), np.asarray(m["gelu"](x.copy())),
       np.asarray(m["batchnorm_forward"](x.copy(), g.copy(), b.copy())),
       m["layer_grad"](torch.tensor(x)).numpy()]
import time; time.sleep({hold})
'''


def _stats(samples: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples)
    return {"n": len(ms), "median_ms": statistics.median(ms),
            "p95_ms": ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))],
            "min_ms": ms[0], "max_ms": ms[-1]}


def _smaps(pid: int) -> dict[str, float]:
    out = {"rss_mib": 0.0, "pss_mib": 0.0, "private_mib": 0.0}
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return out
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        kib = float(rest.split()[0]) if rest.split() and rest.split()[0].isdigit() else 0.0
        if key == "Rss":
            out["rss_mib"] += kib / 1024
        elif key == "Pss":
            out["pss_mib"] += kib / 1024
        elif key in ("Private_Clean", "Private_Dirty"):
            out["private_mib"] += kib / 1024
    return out


def _children_of(pids: set[int]) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            for line in Path(f"/proc/{entry}/status").read_text().splitlines():
                if line.startswith("PPid:") and int(line.split()[1]) in pids:
                    found.append(int(entry))
        except OSError:
            continue
    return found


def _latency(n: int, fresh_n: int) -> dict[str, Any]:
    request = EvalRequest(SOURCE, "activations.py", "activations", _calls())
    results: dict[str, list[float]] = {"layers": [], "none": []}
    with Sandbox(1) as on, Sandbox(1, config=SandboxConfig(isolation=False)) as off:
        layers = [layer.id for layer in on.layers() if layer.active]
        off.layers()
        for box in (on, off):  # first evaluations fault in the zygote's lazy paths
            for _ in range(3):
                box.evaluate(request)
        check = on.evaluate(request)
        assert check.load_failure is None and all(o.ok for o in check.outcomes.values())
        for i in range(n):
            order = [("layers", on), ("none", off)] if i % 2 == 0 else [("none", off),
                                                                        ("layers", on)]
            for name, box in order:
                t = time.perf_counter()
                box.evaluate(request)
                results[name].append(time.perf_counter() - t)
    code = FRESH.format(source=SOURCE, hold=0.0)
    fresh: list[float] = []
    subprocess.run([sys.executable, "-c", code], check=True)  # warm the page cache
    for _ in range(fresh_n):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        fresh.append(time.perf_counter() - t)
    stats = {k: _stats(v) for k, v in results.items()}
    stats["fresh"] = _stats(fresh)
    return {
        "active_layers": layers,
        "latency": stats,
        "layers_minus_none_ms": stats["layers"]["median_ms"] - stats["none"]["median_ms"],
        "fresh_over_layers": stats["fresh"]["median_ms"] / stats["layers"]["median_ms"],
    }


def _at_once(box: Sandbox, request: EvalRequest, slots: int) -> None:
    """``slots`` evaluations at once, so that every slot's zygote starts (one at a
    time would all go to the most recently used slot). The sandbox serves an
    evaluation whose slot is busy with another free slot, so each of these gets its
    own as long as they overlap: they hold their slot for 0.3 s."""
    held = EvalRequest(request.source + "\ndef _hold():\n    import time\n    time.sleep(0.3)\n",
                       request.filename, request.module_name,
                       (*request.calls, Call("_hold", "_hold", (), returns="skip")))
    threads = [threading.Thread(target=box.evaluate, args=(held,)) for _ in range(slots)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _throughput(slots: int, n: int) -> dict[str, Any]:
    """Evaluations per second with ``slots`` slots kept busy by as many threads."""
    request = EvalRequest(SOURCE, "activations.py", "activations", _calls())
    with Sandbox(slots) as box:
        box.layers()
        for _ in range(2):
            _at_once(box, request, slots)  # every slot's zygote started and warm
        done = [0]
        lock = threading.Lock()

        def work() -> None:
            while True:
                with lock:
                    if done[0] >= n:
                        return
                    done[0] += 1
                box.evaluate(request)

        threads = [threading.Thread(target=work) for _ in range(slots)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - start
    return {"slots": slots, "evaluations": n, "seconds": seconds, "per_second": n / seconds}


def _memory(slots: int) -> dict[str, Any]:
    hold = 2.5
    source = SOURCE + "\ndef hold(s):\n    import time\n    time.sleep(s)\n"
    request = EvalRequest(source, "activations.py", "activations", _calls(hold), budget=30)
    with Sandbox(slots) as box:
        box.layers()
        _at_once(box, EvalRequest(source, "activations.py", "activations", _calls()), slots)
        threads = [threading.Thread(target=box.evaluate, args=(request,))
                   for _ in range(slots)]
        for t in threads:
            t.start()
        zygotes: set[int] = set()
        children: list[int] = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            zygotes = set(box.zygote_pids())
            children = _children_of(zygotes)
            # each zygote: the evaluation's child and the standby forked for the next
            if len(zygotes) == slots and len(children) == 2 * slots:
                break
            time.sleep(0.05)
        else:
            raise SystemExit(f"memory: expected {slots} zygotes with 2 children each, found "
                             f"zygotes {sorted(zygotes)} and children {children}")
        time.sleep(hold / 2)
        z = [_smaps(p) for p in zygotes]
        c = [_smaps(p) for p in children]
        for t in threads:
            t.join()
    code = FRESH.format(source=SOURCE, hold=6.0)
    procs = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(slots)]
    time.sleep(5.0)  # each has imported torch and done its calls, and sleeps
    f = [_smaps(p.pid) for p in procs]
    for p in procs:
        p.kill()
        p.wait()

    def total(rows: list[dict[str, float]], key: str) -> float:
        return round(sum(r[key] for r in rows), 1)

    return {
        "slots": slots,
        "zygotes": {k: total(z, k) for k in ("rss_mib", "pss_mib", "private_mib")},
        "children": {k: total(c, k) for k in ("rss_mib", "pss_mib", "private_mib")},
        "warm_total_pss_mib": total(z, "pss_mib") + total(c, "pss_mib"),
        "fresh": {k: total(f, k) for k in ("rss_mib", "pss_mib", "private_mib")},
        "fresh_total_pss_mib": total(f, "pss_mib"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=60, help="warm evaluations per configuration")
    parser.add_argument("--fresh", type=int, default=8, help="fresh-process submissions")
    parser.add_argument("--slots", type=int, default=2, help="N for the memory comparison")
    parser.add_argument("--json", type=Path, help="write the results to this JSON file")
    args = parser.parse_args()
    report = {"latency": _latency(args.n, args.fresh), "memory": _memory(args.slots),
              "throughput": _throughput(args.slots, 4 * args.n)}
    lat = report["latency"]
    print(f"active layers: {', '.join(lat['active_layers'])}")
    print(f"{'configuration':<34}{'n':>4}{'median ms':>11}{'p95 ms':>9}")
    names = {"layers": "warm fork, every layer on", "none": "warm fork, no layers",
             "fresh": "fresh python + torch per submission"}
    for key, label in names.items():
        s = lat["latency"][key]
        print(f"{label:<34}{s['n']:>4}{s['median_ms']:>11.1f}{s['p95_ms']:>9.1f}")
    print(f"layers cost: {lat['layers_minus_none_ms']:+.1f} ms per evaluation (median)")
    print(f"fresh / warm with layers: {lat['fresh_over_layers']:.0f}x")
    tp = report["throughput"]
    print(f"throughput, {tp['slots']} slots, every layer on: {tp['per_second']:.1f} "
          f"evaluations/s ({tp['evaluations']} in {tp['seconds']:.1f} s)")
    mem = report["memory"]
    print(f"memory, {mem['slots']} at once (PSS MiB): zygotes {mem['zygotes']['pss_mib']} + "
          f"children, running + standby {mem['children']['pss_mib']} "
          f"(private {mem['children']['private_mib']})"
          f" = {mem['warm_total_pss_mib']:.1f}  vs  fresh {mem['fresh_total_pss_mib']}")
    print(f"  RSS MiB: zygotes {mem['zygotes']['rss_mib']}, children "
          f"{mem['children']['rss_mib']}, fresh {mem['fresh']['rss_mib']}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
