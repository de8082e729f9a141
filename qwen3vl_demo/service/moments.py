"""Moments in a long video: the video cut into overlapping windows, each embedded as the official
implementation embeds a video given as a list of frames, and one or more queries scored against
every window (similarity against time).

Frames are sampled once on a 1 fps grid (the official default rate) for all windows, decoded
once each and kept as lossless PNG files; a window is the list of its frames' files, so its
embedding is cached by content like any other input and a new query costs one query forward.
"""

from __future__ import annotations

import hashlib
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from ..core import config
from ..core.errors import InputError
from ..core.items import Item
from ..core.media import describe, frame_pixel_bounds, local_path, reason, smart_resize, visual_tokens
from ..core.similarity import similarity_matrix
from .results import Cost
from .speed import MEANINGFUL_INPUTS, MEANINGFUL_TOKENS, Estimate, ModelShape, SpeedBook, VisualInput
from .turns import LongJob

SAMPLE_FPS = 1.0  # frames per second of video in each window (the official default rate)
MAX_WINDOWS = 60  # app limit per request
JOB_NAME = "a Moments search"  # as the message a visitor's second long job gets names it
MAX_WINDOW_SECONDS = 60  # frames per window at 1 fps: at most 60 (the official cap is 64)
MAX_STRIDE_SECONDS = 120  # above the length, windows leave gaps (said in the cost line)
DEFAULT_LENGTH_S, DEFAULT_STRIDE_S = 10.0, 5.0
TOP_RERANKED = 5  # best moments shown, and reranked when asked


@dataclass(frozen=True)
class VideoFacts:
    """What the container says of a video, read without decoding: seconds, frame size, frame rate."""

    name: str
    seconds: float
    width: int
    height: int
    fps: float


@dataclass(frozen=True)
class Window:
    start: float
    end: float

    def label(self, name: str) -> str:
        return f"{name} · {clock(self.start)}–{clock(self.end)}"


def clock(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


def video_facts(path: str) -> VideoFacts:
    import av

    name = describe(path)
    try:
        with av.open(str(local_path(path))) as container:
            if not container.streams.video:
                raise InputError(f"{name} has no video stream")
            stream = container.streams.video[0]
            seconds = float(stream.duration * stream.time_base) if stream.duration else \
                (container.duration or 0) / 1_000_000
            fps = float(stream.average_rate or 0) or 25.0
            facts = VideoFacts(name, seconds, stream.codec_context.width, stream.codec_context.height, fps)
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise InputError(f"{name} is not a readable video ({reason(exc)})") from None
    if not facts.seconds > 0 or not facts.width:
        raise InputError(f"{name}: its length or frame size cannot be read")
    if facts.seconds > config.MAX_VIDEO_SECONDS:
        raise InputError(f"{name} lasts {facts.seconds / 60:.0f} min; the limit is "
                         f"{config.MAX_VIDEO_SECONDS // 60} min")
    return facts


def plan_windows(seconds: float, length: float, stride: float) -> list[Window]:
    """Windows of ``length`` seconds every ``stride`` seconds covering the video; the last one
    ends with the video. InputError on bad settings or more than MAX_WINDOWS windows."""
    if not (2 <= length <= MAX_WINDOW_SECONDS):
        raise InputError(f"window length must be 2 to {MAX_WINDOW_SECONDS} s, got {length:g}")
    if not (1 <= stride <= MAX_STRIDE_SECONDS):
        raise InputError(f"stride must be 1 to {MAX_STRIDE_SECONDS} s, got {stride:g}")
    length = min(length, seconds)
    count = max(1, math.ceil((seconds - length) / stride - 1e-9) + 1)
    if count > MAX_WINDOWS:
        fits = math.ceil((seconds - length) / (MAX_WINDOWS - 1))
        raise InputError(f"{count} windows of {length:g} s every {stride:g} s; the limit is {MAX_WINDOWS} "
                         f"per request: choose a stride of at least {fits} s or a longer window")
    starts = [min(i * stride, seconds - length) for i in range(count)]
    return [Window(round(s, 3), round(s + length, 3)) for s in starts]


def window_times(window: Window) -> list[float]:
    """The 1 fps grid times a window's frames are taken at (shared by overlapping windows)."""
    first = math.ceil(window.start * SAMPLE_FPS - 1e-9)
    last = math.floor(window.end * SAMPLE_FPS - 1e-9)
    return [t / SAMPLE_FPS for t in range(first, max(first, last) + 1)]


def frame_size(facts: VideoFacts, frames: int) -> tuple[int, int]:
    """(height, width) the model resizes each frame of a ``frames``-frame list to: each frame is
    first read as an image (64-pixel multiples), then resized within the list's per-frame bounds."""
    height, width = smart_resize(facts.height, facts.width, config.FRAME_IMAGE_MIN_PIXELS,
                                 config.FRAME_IMAGE_MAX_PIXELS, config.FRAME_IMAGE_FACTOR)
    return smart_resize(height, width, *frame_pixel_bounds(frames + frames % 2, config.FRAME_LIST_TOTAL_PIXELS))


def window_tokens(facts: VideoFacts, window: Window) -> int:
    frames = len(window_times(window))
    return visual_tokens(*frame_size(facts, frames)) * math.ceil(frames / config.FRAME_FACTOR)


def video_digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:20]


def frame_files(path: str, times: list[float], out_dir: Path) -> dict[float, str]:
    """A PNG of the frame shown at each time (the first frame at or after it), each decoded once
    and kept; the decoder seeks over gaps longer than 5 s instead of decoding through them."""
    wanted = sorted(set(times))
    files = {t: str(out_dir / f"t{round(t * 1000):09d}.png") for t in wanted}
    missing = [t for t in wanted if not os.path.exists(files[t])]
    if missing:
        out_dir.mkdir(parents=True, exist_ok=True)
        decode_at(path, missing, files)
    return files


def decode_at(path: str, times: list[float], files: dict[float, str]) -> None:
    import av

    name = describe(path)
    try:
        with av.open(path) as container:
            stream = container.streams.video[0]
            pending, last = list(times), None
            while pending:
                if last is None or pending[0] - last > 5:
                    container.seek(int(max(0.0, pending[0] - 1) / stream.time_base), stream=stream)
                last = save_until(container, stream, pending, files)
                if last is None:  # the stream ended: the rest are shown as its last frame
                    raise InputError(f"{name}: no frame at {clock(pending[0])}")
    except av.FFmpegError as exc:
        raise InputError(f"{name} stopped decoding ({reason(exc)})") from None


def save_until(container, stream, pending: list[float], files: dict[float, str]) -> float | None:
    """Decode forward, saving the frames for ``pending`` times (removed as saved) until the next
    one is more than 5 s ahead; the time reached, or None if the stream ended first."""
    for frame in container.decode(stream):
        time = float(frame.pts * stream.time_base) if frame.pts is not None else None
        if time is None:
            continue
        while pending and time >= pending[0] - 0.5 / max(stream.average_rate or 25, 1):
            frame.to_image().save(files[pending.pop(0)], compress_level=1)
        if not pending or pending[0] - time > 5:
            return time
    return None


@dataclass
class Moments:
    """Every window of one video, its embedding and each query's score against time."""

    facts: VideoFacts
    windows: list[Window]
    items: list[Item]  # one frame-list video item per window
    scores: np.ndarray  # float32 [n_queries, n_windows]
    queries: list[Item]
    cost: Cost = field(default_factory=Cost)
    reranked: list[int] | None = None  # window order after reranking the top ones (first query)
    rerank_scores: dict[int, float] = field(default_factory=dict)


def window_items(path: str, facts: VideoFacts, windows: list[Window], out_root: Path) -> list[Item]:
    """One item per window: a video given as the list of its frames' files."""
    folder = out_root / f"frames-{video_digest(path)}"
    files = frame_files(path, [t for w in windows for t in window_times(w)], folder)
    return [Item("video", path=files[window_times(w)[0]], title=w.label(facts.name),
                 parts=tuple(files[t] for t in window_times(w))) for w in windows]


Progress = Callable[[float, str], None]
SPEEDS = SpeedBook()  # this process's measured speeds (windows embedded and reranked)
# Decoding, per pixel: every frame decoded between the sampled ones, and each sampled frame saved
# as a PNG (measured on 240p-720p H.264 on this project's 2-core machine, others working on it).
DECODE_PIXEL_S, SAVE_PIXEL_S = 8e-9, 40e-9
SEEK_GAP_S = 5.0  # decode_at seeks over a gap longer than this instead of decoding through it


@dataclass(frozen=True)
class MomentsEstimate:
    """What a Moments request will cost before it runs: decoding, embedding the windows, and
    reranking the best ``TOP_RERANKED`` (when asked), each in seconds, with what they rest on."""

    decode_s: float
    embed: Estimate
    rerank: Estimate
    embedder: ModelShape

    @property
    def seconds(self) -> float:
        return self.decode_s + self.embed.seconds

    def total(self, rerank: bool) -> float:
        return self.seconds + (self.rerank.seconds if rerank else 0.0)


def window_inputs(facts: VideoFacts, windows: list[Window]) -> list[VisualInput]:
    """Each window's visual work: its tokens and those of one frame group."""
    return [VisualInput(window_tokens(facts, w), visual_tokens(*frame_size(facts, len(window_times(w)))))
            for w in windows]


def decoded_frames(facts: VideoFacts, windows: list[Window]) -> int:
    """About how many frames decoding the windows' sampled times goes through: the frames between
    sampled times closer than the seek gap, and a second before each seek (to the keyframe)."""
    times = sorted({t for w in windows for t in window_times(w)})
    spans, start, last = 0.0, times[0], times[0]
    for t in times[1:]:
        if t - last > SEEK_GAP_S:
            spans += last - start + 1
            start = t
        last = t
    spans += last - start + 1
    return math.ceil(spans * facts.fps)


def decode_seconds(facts: VideoFacts, windows: list[Window]) -> float:
    pixels = facts.width * facts.height
    saved = len({t for w in windows for t in window_times(w)})
    return (decoded_frames(facts, windows) * DECODE_PIXEL_S + saved * SAVE_PIXEL_S) * pixels


def estimate(engine, facts: VideoFacts, windows: list[Window], book: SpeedBook = SPEEDS) -> MomentsEstimate:
    """The cost of a request from counted work and the models' speeds (prior, then measured)."""
    inputs = window_inputs(facts, windows)
    embedder, reranker = ModelShape.of(engine.embedder.describe()), ModelShape.of(engine.reranker.describe())
    best = sorted(inputs, key=lambda i: -i.tokens)[:TOP_RERANKED]
    return MomentsEstimate(decode_seconds(facts, windows), book.estimate(embedder, inputs),
                           book.estimate(reranker, best), embedder)


def duration(seconds: float) -> str:
    """Seconds as a person reads them: 40 s, 3.5 min, 2.8 h."""
    if seconds < 100:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.1f} min" if seconds < 6000 else f"{seconds / 3600:.1f} h"


def estimate_text(cost: MomentsEstimate) -> str:
    runs = cost.embed.measured_runs
    basis = (f"measured from {runs} earlier run{'s' if runs > 1 else ''}" if runs else
             f"a prior for {cost.embedder.text()}, until a run of {MEANINGFUL_INPUTS}+ windows and "
             f"{MEANINGFUL_TOKENS:,}+ visual tokens is measured")
    return (f"about {duration(cost.seconds)} on this device ({duration(cost.decode_s)} decoding, "
            f"{duration(cost.embed.seconds)} embedding; {basis}), reranking the best {TOP_RERANKED} about "
            f"{duration(cost.rerank.seconds)} more; windows already embedded cost nothing")


def cost_text(facts: VideoFacts, windows: list[Window], cost: MomentsEstimate) -> str:
    """The line shown before running: windows, frames, visual tokens and an estimated time."""
    tokens = sum(window_tokens(facts, w) for w in windows)
    frames = len({t for w in windows for t in window_times(w)})
    gaps = len(windows) > 1 and windows[1].start > windows[0].end
    return (f"{facts.name}: {clock(facts.seconds)} · {len(windows)} windows (limit {MAX_WINDOWS})"
            f"{' with gaps between them (stride above the length)' if gaps else ''} · "
            f"{frames} frames decoded once · {tokens:,} visual tokens · {estimate_text(cost)}")


def find_moments(engine, path: str, queries: list[Item], instruction: str | None, length: float,
                 stride: float, out_root: Path, progress: Progress, book: SpeedBook = SPEEDS,
                 job: LongJob | None = None) -> Moments:
    """Score every window of the video at ``path`` for each query (rows L2-normalised, cosine), as
    the visitor's one long job (``job``: one held already, which this joins)."""
    facts = video_facts(path)
    windows = plan_windows(facts.seconds, length, stride)
    with engine.long_job(JOB_NAME, job) as job:
        progress(0.0, f"Decoding {len(windows)} windows' frames")
        items = window_items(path, facts, windows, out_root)
        cost = Cost()
        # One list: the engine reports progress per window (videos are batched alone) and takes
        # each window from the cache by content when it has been embedded before.
        started = time.perf_counter()
        vectors = engine.embed_items(items, None, None, "window", progress, cost, job=job)
        if not cost.cached:  # every window computed now: a measurement of the embedder's speed
            book.record(ModelShape.of(engine.embedder.describe()), window_inputs(facts, windows),
                        time.perf_counter() - started)
        q = engine.embed_items(queries, instruction, None, "query", cost=cost, job=job)
    scores, cost.similarity_s = similarity_matrix(q, vectors), 0.0
    return Moments(facts, windows, items, scores.astype(np.float32), queries, cost)


def rerank_top(engine, moments: Moments, top: int = TOP_RERANKED, instruction: str | None = None,
               book: SpeedBook = SPEEDS, job: LongJob | None = None) -> None:
    """Rerank the ``top`` best windows of the first query with the reranker (in place), as part of
    ``job`` if given."""
    best = [int(i) for i in np.argsort(-moments.scores[0], kind="stable")[:top]]
    started = time.perf_counter()
    result = engine.rerank(moments.queries[0], [moments.items[i] for i in best], instruction, job=job)
    if not result.cost.cached:
        inputs = window_inputs(moments.facts, [moments.windows[i] for i in best])
        book.record(ModelShape.of(engine.reranker.describe()), inputs, time.perf_counter() - started)
    moments.cost.absorb(result.cost, "rerank ")
    moments.rerank_scores = {best[i]: float(result.scores[i]) for i in range(len(best))}
    moments.reranked = [best[i] for i in result.order]


def clip_file(path: str, window: Window, out_root: Path) -> str:
    """An H.264 MP4 of the video between the window's start and end (to play that moment),
    re-encoded from the decoded frames; kept by content and window."""
    import av

    target = out_root / f"clip-{video_digest(path)}-{window.start:g}-{window.end:g}.mp4"
    if target.exists():
        return str(target)
    out_root.mkdir(parents=True, exist_ok=True)
    with av.open(path) as source, av.open(str(target), "w") as sink:
        stream = source.streams.video[0]
        rate = stream.average_rate or 25
        encoder = sink.add_stream("libx264", rate=int(rate))
        encoder.width, encoder.height = stream.codec_context.width // 2 * 2, stream.codec_context.height // 2 * 2
        encoder.pix_fmt = "yuv420p"
        source.seek(int(max(0.0, window.start - 1) / stream.time_base), stream=stream)
        written = 0
        for frame in source.decode(stream):
            time = float(frame.pts * stream.time_base) if frame.pts is not None else -1
            if time >= window.end:
                break
            if time >= window.start:
                picture = frame.reformat(encoder.width, encoder.height, "yuv420p")
                picture.pts, picture.time_base = written, Fraction(1, int(rate))
                written += 1
                sink.mux(encoder.encode(picture))
        sink.mux(encoder.encode(None))
    return str(target)
