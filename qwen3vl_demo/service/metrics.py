"""What the process costs: its age and its memory (psutil; GPU memory from the torch backend)."""

from __future__ import annotations

import time

import psutil


def seconds_since_start() -> float:
    """Seconds since this process started, by the OS's clock (interpreter start-up included)."""
    return time.time() - psutil.Process().create_time()


def memory_usage(on_cuda: bool = False) -> dict[str, float]:
    """Resident memory of this process and, when a model runs on CUDA, GPU memory (GiB)."""
    usage = {"process_rss_gib": round(psutil.Process().memory_info().rss / 2**30, 2)}
    if on_cuda:  # only then: torch is fully imported by a loaded model
        from ..backends.local import cuda_memory_gib

        usage.update(cuda_memory_gib())
    return usage
