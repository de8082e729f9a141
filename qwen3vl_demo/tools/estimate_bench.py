"""How close the Moments cost estimate comes to the real time, on this machine, as ratios.

    python -m qwen3vl_demo.tools.estimate_bench      # the test checkpoints; about a minute on 2 cores

Two numbers, each an estimate divided by the real time measured in the same run (1.00 is exact):

- **the prior**, before any run: a 40 s clip in 9 windows of 572 visual tokens, estimated from the
  model's size, device and dtype alone, against the faster of two runs of the same work (new
  content each, so no cache answers). The prior describes an average machine working alone; on
  the tiny test models the work is mostly fixed per-call costs, which differ most between machines.
- **once measured**: that run teaches the book this machine's rate; then a clip of another shape
  (640x360 frames, 12 s windows) is estimated and timed.

The load average is printed with each (a shared machine's other work slows a run no estimate can
know). The tests check what the estimate counts and what it learns, never how long things take.
"""

from __future__ import annotations

import argparse
import fractions
import os
import tempfile
import time
from pathlib import Path

import av
import numpy as np

from ..core.items import make_item
from ..service import moments
from ..service.speed import ModelShape, SpeedBook


def pattern_clip(path: Path, seconds: int, shade: int, fps: int = 10, size: tuple[int, int] = (320, 240)) -> str:
    """A moving pattern, H.264 (its ``shade`` makes its frames, and so its windows, new to the caches)."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = *size, "yuv420p"
        stream.options = {"preset": "ultrafast", "g": str(2 * fps)}
        y, x = np.mgrid[0:size[1], 0:size[0]]
        for i in range(seconds * fps):
            picture = np.stack([(x + 3 * i) % 256, (y + i) % 256, np.full_like(x, shade)], -1).astype(np.uint8)
            frame = av.VideoFrame.from_ndarray(picture, "rgb24")
            frame.pts, frame.time_base = i, fractions.Fraction(1, fps)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return str(path)


def timed_moments(engine, path: str, length: float, stride: float, out: Path, book: SpeedBook) -> float:
    """Seconds one Moments search of ``path`` takes through the engine (it records into ``book``)."""
    started = time.perf_counter()
    moments.find_moments(engine, path, [make_item("a moving pattern")], None, length, stride, out,
                         lambda *_: None, book)
    return time.perf_counter() - started


def ratio_line(name: str, estimated: float, real: float) -> str:
    load = os.getloadavg()[0] / (os.cpu_count() or 1)
    return (f"{name}: estimated {estimated:.2f} s, real {real:.2f} s, ratio {estimated / real:.2f} "
            f"(load per core {load:.2f})")


def run(work: Path) -> list[str]:
    """Both ratios, on the test checkpoints."""
    from ..service.engine import Engine
    from .fixtures import checkpoint

    engine = Engine(checkpoint("embedding"), checkpoint("reranker"), device="cpu", samples=[],
                    disk_cache=str(work / "disk"))
    engine.embedder.get()
    engine.reranker.get()
    book = SpeedBook()
    first, second = (pattern_clip(work / f"v{shade}.mp4", 40, shade) for shade in (40, 80))
    facts = moments.video_facts(first)
    windows = moments.plan_windows(facts.seconds, 8, 4)
    prior = moments.estimate(engine, facts, windows, book)
    real = min(timed_moments(engine, path, 8, 4, work / f"out{n}", book) for n, path in enumerate((first, second)))
    lines = [ratio_line("the prior (no run yet)", prior.seconds, real)]
    shape = ModelShape.of(engine.embedder.describe())
    other = pattern_clip(work / "other.mp4", 30, 120, size=(640, 360))
    facts = moments.video_facts(other)
    windows = moments.plan_windows(facts.seconds, 12, 6)
    after = moments.estimate(engine, facts, windows, book)
    real = timed_moments(engine, other, 12, 6, work / "out-other", book)
    lines.append(ratio_line(f"once measured ({book.runs(shape)} runs), another shape", after.seconds, real))
    return lines


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="qwen3vl-estimates-") as work:
        for line in run(Path(work)):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
