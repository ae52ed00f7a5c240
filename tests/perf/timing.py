"""Timing helpers shared by the benchmarks: mean time per call beside a baseline, and p50/p95."""
from __future__ import annotations

import statistics
import time


def per_call(label: str, calls, baseline: float | None = None, *, unit: str = "call", width: int = 48) -> float:
    """Run ``calls`` once each, print the mean milliseconds per call (and the ratio to ``baseline``)."""
    start = time.perf_counter()
    for call in calls:
        call()
    mean = (time.perf_counter() - start) / max(1, len(calls)) * 1000
    ratio = f"{mean / baseline:6.2f}x baseline" if baseline else "baseline"
    print(f"{label:<{width}} {mean:8.2f} ms/{unit}   {ratio}")
    return mean


def percentiles(fn, repeats: int) -> tuple[float, float]:
    """Run ``fn`` ``repeats`` times; its p50 and p95 in milliseconds."""
    samples = []
    for _ in range(repeats):
        began = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]
