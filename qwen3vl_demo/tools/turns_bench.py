"""What fair turns buy and cost: a visitor's one-line text query while another visitor's long job
(photos embedded in one request) runs, with the job in chunks that take turns against the job in one
piece (as before turns existed), and what the chunking costs the long job itself; all in one run.

    python -m qwen3vl_demo.tools.turns_bench --model tiny            # the tiny preset (seconds)
    python -m qwen3vl_demo.tools.turns_bench --model random-2b --photos 6 --dtype bfloat16

Prints medians and ratios. The waiting query is sent once the long job's first chunk has started.
"""

from __future__ import annotations

import argparse
import math
import statistics
import threading
import time
from collections.abc import Callable

from ..core import config
from ..core.items import Item, sample_items
from ..service.compute import EmbedRequest
from ..service.engine import Engine
from ..service.turns import CURRENT_VISITOR, Visitor

QUERIES = iter(range(10**9))


def query() -> Item:
    """A text query never asked before (so never served from a cache)."""
    return Item("text", text=f"a red bicycle leaning on wall number {next(QUERIES)}")


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def query_during_job(engine: Engine, photos: list[Item], in_turns: bool) -> tuple[float, float]:
    """(the query's seconds, the job's seconds) with the job cut into the app's chunks, or in one
    piece (as before turns existed)."""
    engine.runner.turn_tokens = config.TURN_TOKENS if in_turns else 10**9
    engine.runner.turn_seconds = config.TURN_SECONDS if in_turns else math.inf
    engine.lists.clear()
    job_seconds: list[float] = []

    def job() -> None:
        CURRENT_VISITOR.set(Visitor("long job"))
        job_seconds.append(timed(lambda: engine.embed_items(photos, None, None, "photo")))

    worker = threading.Thread(target=job)
    worker.start()
    while "long job" not in engine.runner.turns.log:
        time.sleep(0.005)
    CURRENT_VISITOR.set(Visitor("visitor"))
    waited = timed(lambda: engine.embed_items([query()], None, None, "query"))
    CURRENT_VISITOR.set(None)
    worker.join()
    engine.runner.turns.log.clear()
    return waited, job_seconds[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=config.TINY_PRESET, help="embedder: a preset, directory or hub id")
    parser.add_argument("--dtype", default="auto")
    parser.add_argument("--photos", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    # A one-entry cache: every embedding in the bench is computed, none served from memory.
    engine = Engine(args.model, args.model, device="cpu", dtype=args.dtype, samples=[], cache_entries=1)
    photos = [item for item in sample_items() if item.kind == "image" and item.path][:args.photos]
    engine.embed_items([*photos[:1], query()], None, None)  # warm
    rows = {"idle": [], "chunked": [], "whole": [], "job chunked": [], "job whole": []}
    for _ in range(args.rounds):
        engine.lists.clear()
        rows["idle"].append(timed(lambda: engine.embed_items([query()], None, None, "query")))
        waited, job = query_during_job(engine, photos, True)
        rows["chunked"].append(waited)
        rows["job chunked"].append(job)
        waited, job = query_during_job(engine, photos, False)
        rows["whole"].append(waited)
        rows["job whole"].append(job)
    median = {name: statistics.median(values) for name, values in rows.items()}
    engine.runner.turn_tokens, engine.runner.turn_seconds = config.TURN_TOKENS, config.TURN_SECONDS
    chunks = engine.runner.chunks(EmbedRequest(tuple(photo.to_input() for photo in photos)))
    print(f"model {args.model} ({engine.embedder.describe().get('dtype')}), {len(photos)} photos in the long job "
          f"({len(chunks)} chunks in turns), medians of {args.rounds}")
    print(f"text query idle:                           {median['idle']:.3f} s")
    print(f"text query during the job, in turns:       {median['chunked']:.3f} s "
          f"({median['chunked'] / median['idle']:.1f}x idle)")
    print(f"text query during the job, in one piece:   {median['whole']:.3f} s "
          f"({median['whole'] / median['idle']:.1f}x idle)")
    print(f"the long job in turns vs in one piece:     {median['job chunked']:.2f} s vs {median['job whole']:.2f} s "
          f"({median['job chunked'] / median['job whole']:.2f}x)")


if __name__ == "__main__":
    main()
