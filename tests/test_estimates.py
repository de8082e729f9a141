"""Cost estimates said before work runs: the prior per model size, device and dtype; learning only
from runs of meaningful size (a tiny run once made the next Moments estimate 6.6x too long); the
work counted exactly; and, through the real engine on the tiny models, what a run teaches. How
close the estimates come to real time is measured by ``python -m qwen3vl_demo.tools.estimate_bench``."""

from __future__ import annotations

from pathlib import Path

import pytest

from qwen3vl_demo.core.items import make_item
from qwen3vl_demo.service import moments as mm
from qwen3vl_demo.service import speed
from qwen3vl_demo.service.speed import ModelShape, SpeedBook, VisualInput
from qwen3vl_demo.tools.estimate_bench import pattern_clip

TWO_B = ModelShape(speed.REFERENCE_PARAMETERS, "cpu", "float32")
WINDOW = VisualInput(tokens=1200, group_tokens=240)  # a 10 s window of a 640x360 video


# --- The prior and what it learns (no timing) -------------------------------------------------------
def test_the_prior_grows_with_the_model_and_knows_the_dtype_and_device() -> None:
    two, eight = (speed.prior_seconds(ModelShape(p, "cpu", "float32"), [WINDOW]) for p in (2.13e9, 8.77e9))
    tiny = speed.prior_seconds(ModelShape(10_215_360, "cpu", "float32"), [WINDOW])
    assert tiny < two / 20 < eight / 40  # a tiny model is not estimated like a real one
    assert 2.0 < eight / two < 4.12  # more work per token, less than the parameters' ratio
    bf16 = speed.prior_seconds(ModelShape(2.13e9, "cpu", "bfloat16"), [WINDOW])
    assert bf16 < two / 1.5
    assert speed.prior_seconds(ModelShape(2.13e9, "cuda", "bfloat16"), [WINDOW]) < bf16 / 50
    # a 2B window: ~39 ms per visual token on this project's CPU in float32 (bench, 2B shape)
    assert 35 < two < 60


def test_a_model_not_loaded_yet_is_assumed_the_default_size() -> None:
    shape = ModelShape.of({"kind": "embedding", "model": "Qwen/Qwen3-VL-Embedding-2B", "state": "loading"})
    assert shape.assumed and shape.parameters == speed.REFERENCE_PARAMETERS and "(assumed)" in shape.text()
    loaded = ModelShape.of({"parameters": 10_215_360, "device": "cuda:0", "dtype": "bfloat16"})
    assert (loaded.parameters, loaded.device, loaded.assumed) == (10_215_360, "cuda", False)
    assert loaded.text() == "10.2 M parameters, cuda, bfloat16"


def test_a_small_run_teaches_nothing_a_meaningful_one_corrects_the_prior() -> None:
    book = SpeedBook()
    prior = book.estimate(TWO_B, [WINDOW] * 20).seconds
    assert not book.record(TWO_B, [WINDOW] * 3, 500.0)  # 3 windows: too few, however slow
    assert not book.record(TWO_B, [VisualInput(200, 100)] * 10, 500.0)  # 2,000 tokens: too few
    assert book.runs(TWO_B) == 0 and book.estimate(TWO_B, [WINDOW] * 20).seconds == prior
    work = [WINDOW] * 8
    assert book.record(TWO_B, work, 2 * speed.prior_seconds(TWO_B, work))  # this machine: 2x slower
    assert book.runs(TWO_B) == 1
    assert book.estimate(TWO_B, work).seconds == pytest.approx(2 * speed.prior_seconds(TWO_B, work))
    assert book.estimate(TWO_B, [WINDOW] * 20).seconds == pytest.approx(2 * prior)  # scales with the work
    assert book.estimate(ModelShape(8.77e9, "cpu", "float32"), work).measured_runs == 0  # per model


def test_the_correction_is_a_running_mean_of_meaningful_runs() -> None:
    book, work = SpeedBook(), [WINDOW] * 8
    prior = speed.prior_seconds(TWO_B, work)
    for ratio in (1.0, 3.0):
        book.record(TWO_B, work, ratio * prior)
    assert book.estimate(TWO_B, work).seconds == pytest.approx(2.0 * prior)
    for _ in range(50):  # a machine that became slower: the old runs fade out
        book.record(TWO_B, work, 4.0 * prior)
    assert book.estimate(TWO_B, work).seconds == pytest.approx(4.0 * prior, rel=0.01)


def test_decoding_counts_the_frames_between_sampled_times_and_skips_long_gaps() -> None:
    facts = mm.VideoFacts("v.mp4", 600.0, 640, 360, 25.0)
    dense = mm.plan_windows(facts.seconds, 20, 12)  # every second of the video is sampled
    sparse = mm.plan_windows(facts.seconds, 2, 20)  # 2 s every 20 s: gaps of 18 s are sought over
    assert mm.decoded_frames(facts, dense) == 600 * 25  # seconds 0 to 599, 25 frames each
    assert mm.decoded_frames(facts, sparse) == 31 * 2 * 25  # 31 windows of 2 sampled seconds
    assert mm.decode_seconds(facts, sparse) < mm.decode_seconds(facts, dense) / 5


# --- Through the real engine on the tiny models ----------------------------------------------------
# How close the estimate comes to the real time is a benchmark's question, never a test's (machines
# differ several-fold on the tiny models' fixed costs): python -m qwen3vl_demo.tools.estimate_bench.
def clip(path: Path, seconds: int, shade: int, size: tuple[int, int] = (320, 240)) -> str:
    return pattern_clip(path, seconds, shade, size=size)


@pytest.fixture(scope="module")
def engine(embedder_path: str, reranker_path: str, tmp_path_factory: pytest.TempPathFactory):
    from qwen3vl_demo.service.engine import Engine

    engine = Engine(embedder_path, reranker_path, device="cpu", samples=[],
                    disk_cache=str(tmp_path_factory.mktemp("disk")))
    engine.embedder.get()
    engine.reranker.get()
    return engine


def timed_run(engine, path: str, length: float, stride: float, out: Path, book: SpeedBook) -> tuple[float, mm.Moments]:
    import time

    started = time.perf_counter()
    moments = mm.find_moments(engine, path, [make_item("a moving pattern")], None, length, stride, out,
                              lambda *_: None, book)
    return time.perf_counter() - started, moments


def test_the_estimate_counts_the_work_the_engine_does(engine, tmp_path: Path) -> None:
    path = clip(tmp_path / "count.mp4", 20, shade=11)
    facts = mm.video_facts(path)
    windows = mm.plan_windows(facts.seconds, 8, 4)
    book = SpeedBook()
    _, moments = timed_run(engine, path, 8, 4, tmp_path / "out", book)
    inputs = mm.window_inputs(facts, windows)
    computed = [visual for label, (_, visual) in moments.cost.tokens.items() if label.startswith("window")]
    assert computed == [i.tokens for i in inputs]  # the tokens estimated are those the model saw
    assert book.runs(ModelShape.of(engine.embedder.describe())) == 0  # 4 windows of 572 tokens: too small
    text = mm.cost_text(facts, windows, mm.estimate(engine, facts, windows, book))
    assert f"{sum(computed):,} visual tokens" in text
    assert ("a prior for 10.2 M parameters, cpu, float32, until a run of 4+ windows and 5,000+ visual tokens "
            "is measured") in text


@pytest.mark.slow  # about a minute on 2 cores
def test_a_meaningful_run_through_the_engine_corrects_the_estimate_of_another_shape(engine, tmp_path: Path) -> None:
    """9 windows of 572 visual tokens teach the book this machine's rate; a request of another shape
    (larger frames, longer windows) is then estimated from it, and says so."""
    book = SpeedBook()
    path = clip(tmp_path / "first.mp4", 40, 60)
    facts = mm.video_facts(path)
    windows = mm.plan_windows(facts.seconds, 8, 4)
    before = mm.estimate(engine, facts, windows, book)
    assert before.embed.measured_runs == 0 and "a prior for" in mm.estimate_text(before)
    timed_run(engine, path, 8, 4, tmp_path / "out", book)
    shape = ModelShape.of(engine.embedder.describe())
    assert book.runs(shape) == 1
    learnt = mm.estimate(engine, facts, windows, book)
    assert learnt.embed.seconds != pytest.approx(before.embed.seconds)  # the prior was replaced
    other = clip(tmp_path / "other.mp4", 30, 120, size=(640, 360))
    facts = mm.video_facts(other)
    after = mm.estimate(engine, facts, mm.plan_windows(facts.seconds, 12, 6), book)
    assert after.embed.measured_runs == 1
    assert "measured from 1 earlier run" in mm.estimate_text(after)
