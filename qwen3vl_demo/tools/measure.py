"""What the benchmarks share: peak memory, timing, the official code's cold vision memory, and
``app.py`` started in a child process."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[2]


# --- Measuring ------------------------------------------------------------------------------------
def release_memory() -> None:
    """Give freed memory back to the OS so that the next peak is measured from a clean floor."""
    gc.collect()
    with contextlib.suppress(OSError):  # glibc only
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class PeakMemory:
    """Peak extra memory while the block runs: resident set size sampled every 2 ms (CPU), or
    torch's peak allocation (CUDA)."""

    def __init__(self, device: str) -> None:
        self.device = device
        self.peak_bytes = 0

    def __enter__(self) -> PeakMemory:
        release_memory()
        if self.device.startswith("cuda"):
            import torch

            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
            self._floor = torch.cuda.memory_allocated()
            return self
        self._process = psutil.Process()
        self._floor = self._process.memory_info().rss
        self._peak = self._floor
        self._running = True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while self._running:
            self._peak = max(self._peak, self._process.memory_info().rss)
            time.sleep(0.002)

    def __exit__(self, *exc: object) -> None:
        if self.device.startswith("cuda"):
            import torch

            torch.cuda.synchronize()
            self.peak_bytes = torch.cuda.max_memory_allocated() - self._floor
            return
        self._running = False
        self._thread.join()
        self._peak = max(self._peak, self._process.memory_info().rss)
        self.peak_bytes = self._peak - self._floor


def timed(fn: Callable[[], Any], repeats: int = 1) -> tuple[float, Any]:
    """Median wall time of ``repeats`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def time_and_memory(fn: Callable[[], Any], device: str, repeats: int) -> tuple[float, float, Any]:
    """Median wall time and median peak extra memory of ``repeats`` runs, and the last result."""
    times, peaks, result = [], [], None
    for _ in range(repeats):
        with PeakMemory(device) as memory:
            seconds, result = timed(fn)
        times.append(seconds)
        peaks.append(memory.peak_bytes)
    return statistics.median(times), statistics.median(peaks), result


def cold(model: Any, remember: bool) -> Any:
    """``model`` with its vision-feature memory emptied. ``remember=False`` is the official code's
    behaviour: nothing kept during the run, and every image of a batch turned into patches at once."""
    if not hasattr(model, "_budget"):
        model._budget = model.vision_cache.max_bytes, model.vision_chunk_tokens
    model.vision_cache.clear()
    model.vision_cache.max_bytes = model._budget[0] if remember else 0
    model.vision_chunk_tokens = model._budget[1] if remember else 2**62
    return model


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def launch_app(embedder: str, reranker: str, cache_dir: str,
               extra: list[str] | None = None) -> tuple[subprocess.Popen, str, float]:
    """``app.py`` on a free port with its own cache, once its page answers: the process, its
    address and when it was launched (``time.perf_counter()``)."""
    port = free_port()
    env = {**os.environ, "QWEN3VL_CACHE": cache_dir}
    command = [sys.executable, str(ROOT / "app.py"), "--embedder", embedder, "--reranker", reranker,
               "--port", str(port), *(extra or [])]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return process, url, started
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("the app exited during start-up") from None
            time.sleep(0.05)
