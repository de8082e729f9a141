"""Fair turns at the model: one visitor's long job (many photos, a Moments search, an evaluation)
runs in chunks, and another visitor's short request waits for at most one of them (counted in
chunks, not timed); one long job per visitor, Moments and Evaluate each one job from start to end;
the rest of a job is dropped once its visitor's tab has closed."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from conftest import ASSETS

from qwen3vl_demo.core.errors import InputError
from qwen3vl_demo.core.evaluation import LabelledSet
from qwen3vl_demo.core.inputs import estimated_tokens
from qwen3vl_demo.core.items import Item
from qwen3vl_demo.service import moments as mm
from qwen3vl_demo.service.compute import InProcess, split_work, visual_work
from qwen3vl_demo.service.engine import Engine
from qwen3vl_demo.service.evaluate import EvaluationResult, Evaluator, Options
from qwen3vl_demo.service.turns import CURRENT_VISITOR, Cancelled, FairTurns, Visitor

PHOTOS = sorted(str(p) for p in (ASSETS / "images").glob("*.jpg"))
VIDEO = str(ASSETS / "videos" / "cycling.mp4")


def test_split_work_keeps_order_and_bounds() -> None:
    assert split_work([10, 10, 10, 50, 5], 25) == [(0, 2), (2, 3), (3, 4), (4, 5)]
    assert split_work([], 10) == [(0, 0)]
    # the seconds bound cuts too, whichever comes first; one input at least
    assert split_work([10, 10, 10, 10], 100, [2.0, 2.0, 5.0, 0.5], 3.0) == [(0, 1), (1, 2), (2, 3), (3, 4)]
    assert split_work([10, 10, 10, 10], 25, [0.1] * 4, 3.0) == [(0, 2), (2, 4)]


def test_a_big_model_on_a_cpu_takes_its_turns_by_a_photo_or_a_few_queries(tmp_path: Path) -> None:
    """Chunks bounded by estimated seconds as well as tokens: a model not loaded yet is priced as
    the 2B default on the CPU, where 2,048 tokens were eight photos and 20 s that another visitor
    waited (``tools.turns_bench``); with the tiny models the token bound decides as before."""
    from qwen3vl_demo.core import config
    from qwen3vl_demo.service.compute import EmbedRequest

    engine = Engine("unloaded-embedder", "unloaded-reranker", samples=[], disk_cache=str(tmp_path))
    photos = EmbedRequest(tuple({"image": p} for p in PHOTOS[:8]))
    queries = EmbedRequest(tuple({"text": f"a query about photo number {i}"} for i in range(12)))
    assert engine.runner.chunks(photos) == [(i, i + 1) for i in range(8)]
    assert 1 < len(engine.runner.chunks(queries)) < 12
    for start, stop in engine.runner.chunks(queries):
        assert stop - start == 1 or engine.runner.speeds.estimate(
            engine.runner.shape(queries), visual_work(queries.part(start, stop).work())).seconds <= config.TURN_SECONDS


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
    engine.runner.request_seconds = 0.05  # the tiny models' prior: 0.01 s an input and ~0.16 ms a token
    engine.runner.turns.log.clear()
    with pytest.raises(InputError, match=r"4 inputs, about [\d,]+ tokens\) would take about .* min here, more than"):
        engine.embed_items(photos, None, None, "photo")
    assert not engine.runner.turns.log, "nothing ran"
    assert engine.embed_items(photos[:1], None, None).shape[0] == 1  # a small one still runs


def similarity_during(engine: Engine, name: str, job) -> tuple[list[str], object]:
    """Another visitor's one-line similarity, sent once ``job`` (run as the visitor ``name``) has
    had its first turn; checks it waited at most one chunk of the job for each of its two turns (its
    query, then its document) and was answered before the job ended. (The turns given, the job's
    result.)"""
    results: dict = {}
    worker = run_as(Visitor(name), job, results, "job")
    while name not in engine.runner.turns.log:
        time.sleep(0.01)
    arrived = len(engine.runner.turns.log)
    CURRENT_VISITOR.set(Visitor("similarity"))
    try:
        found = engine.similarity([Item("text", text="a bicycle")], [Item("text", text="a road")], None, None)
    finally:
        CURRENT_VISITOR.set(None)
    worker.join(300)
    log = list(engine.runner.turns.log)
    served = [arrived + i for i, turn in enumerate(log[arrived:]) if turn == "similarity"]
    assert len(served) == 2 and found.scores.shape == (1, 1), log
    for waited_from, turn in zip([arrived, served[0] + 1], served, strict=True):
        assert log[waited_from:turn].count(name) <= 1, log
    assert served[-1] < len(log) - log[::-1].index(name) - 1, "answered before the long job ended"
    return log, results["job"]


@pytest.mark.slow  # loads the tiny models in this process
def test_another_visitors_similarity_waits_at_most_one_chunk_of_a_moments_job(engine: Engine, tmp_path: Path) -> None:
    log, found = similarity_during(engine, "moments", lambda: mm.find_moments(
        engine, VIDEO, [Item("text", text="cyclists")], None, 2, 1, tmp_path, lambda *_: None))
    assert log.count("moments") >= 4, "the Moments job ran in several chunks"
    assert found.scores.shape[1] == len(found.windows)


# --- An evaluation as the long job ----------------------------------------------------------------
def photo_set(name: str) -> LabelledSet:
    """Eight photos and three text queries: with 200-token chunks, the corpus alone is eight chunks,
    and reranking each query's top four four more."""
    doc_ids = [f"photo{i}" for i in range(8)]
    queries = [Item("text", text=text) for text in ("cyclists in a city", "a kitchen", "a bathroom")]
    query_ids = [f"q{i}" for i in range(len(queries))]
    return LabelledSet(name, doc_ids, [Item("image", path=p) for p in PHOTOS[:8]], query_ids, queries,
                       {q: {doc_ids[i]: 1} for i, q in enumerate(query_ids)})


def corpus_chunks(engine: Engine, dataset: LabelledSet) -> int:
    return len(split_work([estimated_tokens(d.to_input()) for d in dataset.documents], engine.runner.turn_tokens))


@pytest.mark.slow  # loads the tiny models in this process
def test_another_visitors_similarity_waits_at_most_one_chunk_of_an_evaluation(engine: Engine) -> None:
    dataset = photo_set("long")
    assert corpus_chunks(engine, dataset) == 8
    log, result = similarity_during(engine, "evaluate", lambda: Evaluator(engine).run(dataset, Options(depth=4)))
    # the corpus a chunk per photo, the queries one, each query's four reranked pairs one each
    assert log.count("evaluate") == 8 + 1 + 3 * 4, log
    assert isinstance(result, EvaluationResult), result


def held_at(step: str, reached: threading.Event, release: threading.Event):
    """A job's progress callback that stops the job at its first message starting with ``step``
    (outside any model call: between two of them) until ``release`` is set."""

    def progress(*args) -> None:
        message = args[-1] if isinstance(args[-1], str) else ""
        if message.startswith(step) and not reached.is_set():
            reached.set()
            release.wait(120)

    return progress


@pytest.mark.slow  # loads the tiny models in this process
def test_an_evaluation_or_a_moments_search_is_the_visitors_one_long_job(engine: Engine, tmp_path: Path) -> None:
    visitor = Visitor("twice")

    def moments(progress):
        return mm.find_moments(engine, VIDEO, [Item("text", text="cyclists")], None, 2, 1, tmp_path, progress)

    results: dict = {}
    reranking, release = threading.Event(), threading.Event()
    worker = run_as(visitor, lambda: Evaluator(engine).run(photo_set("first"), Options(depth=4), held_at(
        "Reranking", reranking, release)), results, "evaluate")
    CURRENT_VISITOR.set(visitor)
    try:
        assert reranking.wait(120), results
        # The evaluation stands between two of its model calls (its corpus done, its reranking not):
        # still this visitor's one long job, so another evaluation or a Moments search is refused at once.
        with pytest.raises(InputError, match=r"long request running already \(an evaluation; "):
            Evaluator(engine).run(photo_set("second"), Options(depth=2))
        with pytest.raises(InputError, match=r"long request running already \(an evaluation; "):
            moments(lambda *_: None)
        with pytest.raises(InputError, match="long request running already"):  # many photos in one request
            engine.embed_items([Item("image", path=p) for p in PHOTOS[8:11]], None, None, "photo")
        # a short request of the same visitor still goes through
        assert engine.similarity([Item("text", text="meanwhile")], [Item("text", text="a road")], None, None)
    finally:
        release.set()
        CURRENT_VISITOR.set(None)
    worker.join(300)
    assert isinstance(results["evaluate"], EvaluationResult), results["evaluate"]

    decoding, release = threading.Event(), threading.Event()
    worker = run_as(visitor, lambda: moments(held_at("Decoding", decoding, release)), results, "moments")
    CURRENT_VISITOR.set(visitor)
    try:
        assert decoding.wait(120), results
        with pytest.raises(InputError, match=r"long request running already \(a Moments search; "):
            Evaluator(engine).run(photo_set("third"), Options(depth=2))
    finally:
        release.set()
        CURRENT_VISITOR.set(None)
    worker.join(300)
    assert results["moments"].scores.shape[1] == len(results["moments"].windows)
    assert engine.status()["turns"]["long_jobs"] == 0  # each let go when it ended


@pytest.mark.slow  # loads the tiny models in this process
def test_an_evaluation_is_dropped_between_chunks_when_its_visitor_leaves(engine: Engine) -> None:
    dataset = photo_set("left")
    gone = threading.Event()
    results: dict = {}
    worker = run_as(Visitor("leaving", gone.is_set), lambda: Evaluator(engine).run(dataset, Options(depth=4)),
                    results, "job")
    while "leaving" not in engine.runner.turns.log:
        time.sleep(0.01)
    gone.set()
    worker.join(60)
    # the visitor's own message, not re-worded as a bad document of the set
    assert isinstance(results["job"], Cancelled), results["job"]
    assert str(results["job"]) == "stopped: the page that asked for this was closed"
    ran = list(engine.runner.turns.log).count("leaving")
    assert ran < corpus_chunks(engine, dataset), "stopped within the corpus, not after the whole job"
    turns = engine.status()["turns"]
    assert turns["dropped"] == 1 and turns["long_jobs"] == 0
    assert turns["chunks"] == len(engine.runner.turns.log)  # every chunk run is counted, and only those
