"""Fair turns at the model: one visitor's long job runs in chunks, and another visitor's short
request waits for at most one of them (counted in chunks, not timed); one long job per visitor; the
rest of a job is dropped once its visitor's tab has closed."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from conftest import ASSETS

from qwen3vl_demo.core.errors import InputError
from qwen3vl_demo.core.items import Item
from qwen3vl_demo.service.compute import InProcess, split_work
from qwen3vl_demo.service.engine import Engine
from qwen3vl_demo.service.turns import CURRENT_VISITOR, FairTurns, Visitor

PHOTOS = sorted(str(p) for p in (ASSETS / "images").glob("*.jpg"))


def test_split_work_keeps_order_and_bounds() -> None:
    assert split_work([10, 10, 10, 50, 5], 25) == [(0, 2), (2, 3), (3, 4), (4, 5)]
    assert split_work([], 10) == [(0, 0)]


def run_as(visitor: Visitor, fn, results: dict, key: str) -> threading.Thread:
    def target() -> None:
        CURRENT_VISITOR.set(visitor)
        try:
            results[key] = fn()
        except Exception as exc:  # noqa: BLE001 - the test reads it
            results[key] = exc

    thread = threading.Thread(target=target)
    thread.start()
    return thread


def test_a_short_request_waits_at_most_one_chunk_of_another_visitors_long_job() -> None:
    turns = FairTurns()
    long_visitor, short_visitor = Visitor("long"), Visitor("short")
    chunk_started = threading.Event()

    def long_job() -> None:
        for _ in range(8):
            with turns.turn(long_visitor):
                chunk_started.set()
                time.sleep(0.05)

    results: dict = {}
    worker = run_as(long_visitor, long_job, results, "long")
    chunk_started.wait(5)
    arrived = len(turns.log)
    with turns.turn(short_visitor):
        served = len(turns.log) - 1
    worker.join(10)
    between = list(turns.log)[arrived:served]
    assert between.count("long") <= 1, list(turns.log)
    assert list(turns.log).count("long") == 8


@pytest.fixture
def engine(embedder_path: str, reranker_path: str, tmp_path: Path) -> Engine:
    engine = Engine(embedder_path, reranker_path, device="cpu", samples=[], disk_cache=str(tmp_path))
    assert isinstance(engine.runner, InProcess)
    engine.runner.turn_tokens = 200  # a chunk per photo or so, on the tiny model
    return engine


@pytest.mark.slow  # loads the tiny models in this process
def test_visitors_take_turns_through_the_engine(engine: Engine) -> None:
    photos = [Item("image", path=p) for p in PHOTOS[:8]]
    long_visitor, short_visitor = Visitor("long"), Visitor("short")
    engine.embed_items([Item("text", text="warm the model up")], None, None)
    results: dict = {}
    started = threading.Event()
    engine.runner.turns.log.clear()

    def long_job():
        started.set()
        return engine.embed_items(photos, None, None, "photo")

    worker = run_as(long_visitor, long_job, results, "long")
    started.wait(5)
    while "long" not in engine.runner.turns.log:
        time.sleep(0.01)
    arrived = len(engine.runner.turns.log)
    CURRENT_VISITOR.set(short_visitor)
    short = engine.embed_items([Item("text", text="a quick question")], None, None, "query")
    CURRENT_VISITOR.set(None)
    worker.join(120)
    log = list(engine.runner.turns.log)
    served = arrived + log[arrived:].index("short")
    assert log[arrived:served].count("long") <= 1, log
    assert log.count("long") >= 4, "the long job ran in several chunks"
    assert short.shape[0] == 1 and results["long"].shape[0] == 8


@pytest.mark.slow  # loads the tiny models in this process
def test_one_long_job_per_visitor(engine: Engine) -> None:
    photos = [Item("image", path=p) for p in PHOTOS[:6]]
    visitor = Visitor("twice")
    results: dict = {}
    worker = run_as(visitor, lambda: engine.embed_items(photos, None, None, "photo"), results, "first")
    while "twice" not in engine.runner.turns.log:
        time.sleep(0.01)
    CURRENT_VISITOR.set(visitor)
    try:
        with pytest.raises(InputError, match="long request running already"):
            engine.embed_items([Item("image", path=p) for p in PHOTOS[6:12]], None, None, "photo")
        # a short request of the same visitor still goes through, between the chunks
        assert engine.embed_items([Item("text", text="meanwhile")], None, None).shape[0] == 1
    finally:
        CURRENT_VISITOR.set(None)
    worker.join(120)
    assert results["first"].shape[0] == 6


@pytest.mark.slow  # loads the tiny models in this process
def test_the_rest_of_a_job_is_dropped_when_its_visitor_leaves(engine: Engine) -> None:
    photos = [Item("image", path=p) for p in PHOTOS[:8]]
    gone = threading.Event()
    visitor = Visitor("leaving", gone.is_set)
    results: dict = {}
    worker = run_as(visitor, lambda: engine.embed_items(photos, None, None, "photo"), results, "job")
    while "leaving" not in engine.runner.turns.log:
        time.sleep(0.01)
    gone.set()
    worker.join(60)
    assert isinstance(results["job"], InputError) and "page that asked for this was closed" in str(results["job"])
    assert list(engine.runner.turns.log).count("leaving") < 8


@pytest.mark.slow  # loads the tiny models in this process
def test_a_request_estimated_over_the_budget_is_refused_before_it_runs(engine: Engine) -> None:
    photos = [Item("image", path=p) for p in PHOTOS[:4]]
    engine.runner.request_seconds = 0.5  # the tiny models' prior: about 0.2 s an input, more per photo
    engine.runner.turns.log.clear()
    with pytest.raises(InputError, match=r"4 inputs, about [\d,]+ tokens\) would take about .* min here, more than"):
        engine.embed_items(photos, None, None, "photo")
    assert not engine.runner.turns.log, "nothing ran"
    assert engine.embed_items(photos[:1], None, None).shape[0] == 1  # a small one still runs


@pytest.mark.slow  # loads the tiny models in this process
def test_another_visitors_similarity_waits_at_most_one_chunk_of_a_moments_job(engine: Engine, tmp_path: Path) -> None:
    from qwen3vl_demo.service import moments as mm

    video = str(ASSETS / "videos" / "cycling.mp4")
    results: dict = {}
    worker = run_as(Visitor("moments"), lambda: mm.find_moments(
        engine, video, [Item("text", text="cyclists")], None, 2, 1, tmp_path, lambda *_: None), results, "moments")
    while "moments" not in engine.runner.turns.log:
        time.sleep(0.01)
    arrived = len(engine.runner.turns.log)
    CURRENT_VISITOR.set(Visitor("similarity"))
    try:
        found = engine.similarity([Item("text", text="a bicycle")], [Item("text", text="a road")], None, None)
    finally:
        CURRENT_VISITOR.set(None)
    worker.join(300)
    log = list(engine.runner.turns.log)
    first = arrived + log[arrived:].index("similarity")
    assert log[arrived:first].count("moments") <= 1, log
    assert log.count("moments") >= 4 and log.index("similarity") < len(log) - log[::-1].index("moments") - 1, \
        "the Moments job ran in several chunks, and the similarity was answered before it ended"
    assert found.scores.shape == (1, 1) and results["moments"].scores.shape[1] == len(results["moments"].windows)
