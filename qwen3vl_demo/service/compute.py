"""The compute boundary: every model call the app makes crosses it as one plain request and comes
back as one plain result.

A request holds official input dicts (texts and file paths, nothing decoded); a result holds numpy
values, the call's statistics and, where an input was bad, the problem as data. So the same call
runs in this process (:class:`InProcess`: a laptop, a GPU box, a CPU Space, a vLLM server behind the
backend) or in a worker that ZeroGPU forks for it (:class:`ZeroGPU`), where arguments and results
are pickled across and nothing the worker writes survives. Every cache, the saved index and the
per-visitor scoping stay on the caller's side of this boundary.

Shapes: an embedding result's ``values`` is float32 [n_inputs, full_dim] (rows L2-normalised); a
rerank result's is float64 [n_documents], each in (0, 1), in document order.
"""

from __future__ import annotations

import contextlib
import logging
import math
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import numpy as np

from ..core import config, explain
from ..core.errors import InputError
from ..core.inputs import estimated_tokens
from .saved_index import RUN_TOKENS
from .slots import BusyCount, ModelSlot
from .speed import ModelShape, SpeedBook, VisualInput
from .turns import Cancelled, FairTurns, LongJob, LongJobs, Visitor, current_visitor

log = logging.getLogger(__name__)

Progress = Callable[..., None]  # (done, total, note="") inputs or pairs; a note while waiting for a turn


def no_progress(done: int, total: int, note: str = "") -> None:
    del done, total, note


@dataclass(frozen=True)
class EmbedRequest:
    """Embed these official input dicts (full-size vectors; the caller cuts MRL sizes)."""

    inputs: tuple[dict[str, Any], ...]
    kind: ClassVar[str] = "embedding"

    def __len__(self) -> int:
        return len(self.inputs)

    def work(self) -> list[int]:
        """Each input's estimated tokens (from text lengths and file headers)."""
        return [estimated_tokens(obj) for obj in self.inputs]

    def part(self, start: int, stop: int) -> EmbedRequest:
        return replace(self, inputs=self.inputs[start:stop])

    def forwards(self) -> list[int]:
        """The tokens of each input as the model sees it (what its time grows with)."""
        return self.work()


@dataclass(frozen=True)
class RerankRequest:
    """Score each document for the query with the reranker (``instruction`` None: the default)."""

    query: dict[str, Any]
    documents: tuple[dict[str, Any], ...]
    instruction: str | None = None
    kind: ClassVar[str] = "reranker"

    def __len__(self) -> int:
        return len(self.documents)

    def work(self) -> list[int]:
        """Each (query, document) pair's estimated tokens."""
        query = estimated_tokens(self.query)
        return [query + estimated_tokens(obj) for obj in self.documents]

    def part(self, start: int, stop: int) -> RerankRequest:
        return replace(self, documents=self.documents[start:stop])

    def forwards(self) -> list[int]:
        return self.work()


@dataclass(frozen=True)
class ExplainRequest:
    """Where one pair's score comes from (``core.explain``): ``model`` "embedding" (``option`` the
    MRL size, None: full) or "reranker" (``option`` the instruction, None: the default). The
    result's ``values`` is the map's grid and ``stats["explanation"]`` the whole Explanation."""

    query: dict[str, Any]
    document: dict[str, Any]
    model: str = "embedding"
    method: str = "occlusion"
    option: Any = None

    @property
    def kind(self) -> str:
        return self.model

    def __len__(self) -> int:
        return 1

    def work(self) -> list[int]:
        """The pair's estimated tokens once per forward a map may take."""
        return [sum(self.forwards())]

    def forwards(self) -> list[int]:
        """The tokens of each forward a map may take (the pair, once per occluded cell or word group)."""
        passes = explain.MAX_CELLS + explain.MAX_WORD_GROUPS + 1 if self.method == "occlusion" else (
            explain.MAX_WORD_GROUPS + 3)
        return [estimated_tokens(self.query) + estimated_tokens(self.document)] * passes

    def part(self, start: int, stop: int) -> ExplainRequest:
        del start, stop  # one pair: never split
        return self


ComputeRequest = EmbedRequest | RerankRequest | ExplainRequest


@dataclass
class Refusal:
    """An input the model could not take: the cause and the position of the input (None: the
    rerank query, or nothing in particular), as ``InputError`` carries them."""

    cause: str
    index: int | None


@dataclass
class ComputeResult:
    """What a request gives back; ``stats`` as ``Embedder.embed`` fills it (prepare_s, model_s,
    tokens and visual_tokens per input)."""

    values: np.ndarray
    stats: dict[str, Any] = field(default_factory=dict)
    refusal: Refusal | None = None

    def check(self) -> ComputeResult:
        """This result, or the refusal raised again as the InputError it was."""
        if self.refusal is not None:
            raise InputError(self.refusal.cause, self.refusal.index)
        return self


def execute(model: Any, request: ComputeRequest, progress: Progress | None = None) -> ComputeResult:
    """Run ``request`` on a loaded backend model, here; a bad input comes back as a refusal."""
    stats: dict[str, Any] = {}
    try:
        if isinstance(request, EmbedRequest):
            values = model.embed(list(request.inputs), progress=progress, stats=stats)
        elif isinstance(request, ExplainRequest):
            found = model.explain(request.query, request.document, request.option, method=request.method)
            stats["explanation"] = found
            values = found.grid
        else:
            values = np.asarray(model.rerank(request.query, list(request.documents), instruction=request.instruction,
                                             progress=progress, stats=stats), dtype=np.float64)
    except InputError as exc:
        return ComputeResult(np.zeros(0, dtype=np.float32), stats, Refusal(exc.cause, exc.index))
    return ComputeResult(values, stats)


def joined(results: Sequence[ComputeResult], starts: Sequence[int]) -> ComputeResult:
    """The results of consecutive parts of one request (each starting at ``starts[i]``) as one; the
    first refusal stops there, its position counted in the whole request."""
    stats: dict[str, Any] = {"prepare_s": 0.0, "model_s": 0.0, "tokens": [], "visual_tokens": []}
    for result, start in zip(results, starts, strict=True):
        stats["prepare_s"] += result.stats.get("prepare_s", 0.0)
        stats["model_s"] += result.stats.get("model_s", 0.0)
        stats["tokens"] += list(result.stats.get("tokens", []))
        stats["visual_tokens"] += list(result.stats.get("visual_tokens", []))
        stats.update({k: v for k, v in result.stats.items() if k not in stats})  # an explanation
        if result.refusal is not None:
            index = None if result.refusal.index is None else result.refusal.index + start
            return ComputeResult(result.values, stats, Refusal(result.refusal.cause, index))
    return ComputeResult(np.concatenate([r.values for r in results]), stats)


@dataclass
class TurnCounts:
    """What visitors' requests have run at the models since the start (``Engine.status()["turns"]``,
    the ``/status`` endpoint): chunks (one model call each) and their estimated tokens, and requests
    whose rest was dropped because the page that asked for them had closed."""

    chunks: int = 0
    tokens: int = 0
    dropped: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def chunk_ran(self, tokens: int) -> None:
        with self.lock:
            self.chunks += 1
            self.tokens += tokens

    def request_dropped(self) -> None:
        with self.lock:
            self.dropped += 1

    def to_json(self) -> dict[str, int]:
        with self.lock:
            return {"chunks": self.chunks, "tokens": self.tokens, "dropped": self.dropped}


class Runner(ABC):
    """Where model calls run. One abstract method; the engine calls nothing else of a model."""

    #: whether a model's own memory (its vision-feature cache) lasts from one call to the next here
    keeps_model_memory: bool = True
    #: whether models may be loaded again after a failure, in a background thread
    can_reload: bool = True
    #: the most tokens one call of background work (indexing the gallery) should take
    background_tokens: int = RUN_TOKENS

    def __init__(self, slots: Mapping[str, ModelSlot], busy: BusyCount) -> None:
        self.slots = slots
        self.busy = busy
        self.long_jobs = LongJobs()
        self.counts = TurnCounts()

    @abstractmethod
    def run(self, request: ComputeRequest, progress: Progress = no_progress,
            background: bool = False, job: LongJob | None = None) -> ComputeResult:
        """The request's result (a refusal inside it, not raised). ``background``: work nobody waits
        for, which gives way to visitors' requests where the runner can. ``job``: the long job
        (``long_job``) this request is part of: it runs as that job's visitor, and is not refused as
        a second long job."""

    def long_job(self, what: str, within: LongJob | None = None) -> AbstractContextManager[LongJob]:
        """The current visitor's one long job, held for a block of several model calls (Moments,
        Evaluate; ``what`` names it in the message a second one gets); InputError at once if they
        have one running. ``within``: a job held already, which the block joins."""
        if within is not None:
            return contextlib.nullcontext(within)
        return self.long_jobs.hold(current_visitor(), what)

    def activity(self) -> dict[str, int]:
        """The counts of ``TurnCounts`` and the long jobs running now."""
        return {**self.counts.to_json(), "long_jobs": len(self.long_jobs)}


def visual_work(work: Sequence[int]) -> list[VisualInput]:
    """Tokens per input as the speed book counts them (each input one frame group: a bound)."""
    return [VisualInput(tokens, tokens) for tokens in work]


def split_work(work: Sequence[int], limit: float, seconds: Sequence[float] = (),
               seconds_limit: float = math.inf) -> list[tuple[int, int]]:
    """``work`` (tokens per input, in order) cut into consecutive parts of at most ``limit`` tokens
    and, given each input's estimated ``seconds``, at most ``seconds_limit`` seconds (one input at
    least): [(start, stop), ...]."""
    seconds = list(seconds) or [0.0] * len(work)
    parts: list[tuple[int, int]] = []
    start, tokens_in_part, seconds_in_part = 0, 0, 0.0
    for i, tokens in enumerate(work):
        if i > start and (tokens_in_part + tokens > limit or seconds_in_part + seconds[i] > seconds_limit):
            parts.append((start, i))
            start, tokens_in_part, seconds_in_part = i, 0, 0.0
        tokens_in_part += tokens
        seconds_in_part += seconds[i]
    parts.append((start, len(work)))
    return parts


class InProcess(Runner):
    """The models in this process. A visitor's request runs in chunks of at most ``turn_tokens``
    tokens and ``turn_seconds`` estimated seconds (a big model on a CPU: an input or two), each at
    the model in its turn (``FairTurns``): between two chunks of one visitor's long
    job, every other visitor waiting gets a chunk; a visitor has one long job at a time; the rest of
    a job is dropped once its visitor's tab has closed. Background work runs outside the turns and
    pauses between layers while any visitor's request runs."""

    def __init__(self, slots: Mapping[str, ModelSlot], busy: BusyCount,
                 turn_tokens: int = config.TURN_TOKENS, request_seconds: float = config.MAX_REQUEST_SECONDS,
                 turn_seconds: float = config.TURN_SECONDS) -> None:
        super().__init__(slots, busy)
        self.turns = FairTurns()
        self.turn_tokens = turn_tokens
        self.turn_seconds = turn_seconds
        self.request_seconds = request_seconds
        self.speeds = SpeedBook()

    def run(self, request: ComputeRequest, progress: Progress = no_progress,
            background: bool = False, job: LongJob | None = None) -> ComputeResult:
        model = self.slots[request.kind].get()
        if background:
            with model.in_background(self.busy.active, self.busy.wait_until_idle):
                return execute(model, request, progress)
        visitor = current_visitor() if job is None else job.visitor
        # counted once (file headers are read for it): tokens per input, and per forward
        work, forwards = request.work(), request.forwards()
        self.check_budget(request, forwards)
        chunks = self.chunks(request, work)
        started = time.perf_counter()
        # a request of several chunks is a long job of its own, unless it is part of one
        long = job is None and len(chunks) > 1
        what = f"a request of {len(request)} {'inputs' if request.kind == 'embedding' else 'documents'}"
        with self.busy.working(), self.long_jobs.hold(visitor, what) if long else contextlib.nullcontext():
            results = self.in_turns(model, request, chunks, work, visitor, progress)
        result = joined(results, [start for start, _ in chunks[:len(results)]])
        if result.refusal is None:
            self.speeds.record(self.shape(request), visual_work(forwards), time.perf_counter() - started)
        return result

    def in_turns(self, model: Any, request: ComputeRequest, chunks: Sequence[tuple[int, int]], work: Sequence[int],
                 visitor: Visitor, progress: Progress) -> list[ComputeResult]:
        """Each chunk's result, run in ``visitor``'s turn (up to a refusal); ``work``: the request's
        tokens per input. Cancelled once the visitor has gone: the rest is dropped, counted and
        logged."""
        results: list[ComputeResult] = []
        try:
            for start, stop in chunks:
                if visitor.is_gone():
                    raise Cancelled()
                with self.turns.turn(visitor, lambda ahead, done=start: progress(
                        done, len(request), f"Waiting for the model: {ahead} ahead of you")):
                    results.append(execute(model, request.part(start, stop), lambda done, total, at=start: progress(
                        at + done, len(request))))
                    self.counts.chunk_ran(sum(work[start:stop]))
                if results[-1].refusal is not None:
                    break
        except Cancelled:
            self.counts.request_dropped()
            log.info("dropped the rest of a request of %s (its page closed): %d of its %d chunks had run",
                     visitor.name, len(results), len(chunks))
            raise
        return results

    def shape(self, request: ComputeRequest) -> ModelShape:
        return ModelShape.of(self.slots[request.kind].describe())

    def chunks(self, request: ComputeRequest, work: Sequence[int] | None = None) -> list[tuple[int, int]]:
        """Where ``request`` is cut into turns: [(start, stop), ...] of its inputs (``work``: its
        tokens per input, when counted already)."""
        work, shape = request.work() if work is None else work, self.shape(request)
        seconds = [self.speeds.estimate(shape, [each]).seconds for each in visual_work(work)]
        return split_work(work, self.turn_tokens, seconds, self.turn_seconds)

    def check_budget(self, request: ComputeRequest, work: Sequence[int]) -> None:
        """InputError, before anything runs, for a request whose estimated time exceeds
        ``request_seconds`` (from this model's measured speed here, or a prior for its size);
        ``work``: the request's tokens per forward."""
        estimate = self.speeds.estimate(self.shape(request), visual_work(work))
        if estimate.seconds > self.request_seconds:
            what = "inputs" if request.kind == "embedding" else "documents"
            raise InputError(f"this request ({len(request)} {what}, about {sum(work):,} tokens) would take about "
                             f"{estimate.seconds / 60:.0f} min here, more than the {self.request_seconds / 60:.0f} "
                             f"min one request may take: send fewer {what}, smaller images or shorter videos")


@dataclass(frozen=True)
class GpuBudget:
    """How many seconds of GPU to ask ZeroGPU for, from a request's estimated tokens.

    ZeroGPU charges the seconds asked against the visitor's daily quota and refuses a call that
    asks for more than is left, so each call asks for what its work needs: a worker's start (a
    fork, and the weights moved to the GPU unless the worker is reused) plus its tokens at the
    model's rate. Rates are estimates for a 2B model in bfloat16 on ZeroGPU's card (half an RTX
    Pro 6000 or an H200 slice, about 100 TFLOP/s of bfloat16 sustained, 2 x parameters FLOPs a
    token) with a margin of 4x, scaled by parameters for other sizes; replaced once measured.
    """

    start_s: float = 6.0
    tokens_per_s_at_2b: float = 6000.0
    call_s: float = config.ZEROGPU_CALL_SECONDS  # the most one call asks for
    request_s: float = config.ZEROGPU_REQUEST_SECONDS  # the most one visitor's request may use in all

    def rate(self, parameters: int) -> float:
        """Tokens a second on a model of ``parameters``."""
        return self.tokens_per_s_at_2b * 2e9 / max(parameters, 1e8)

    def seconds(self, tokens: int, parameters: int) -> float:
        """Seconds for one call of ``tokens`` of work, the worker's start included."""
        return self.start_s + tokens / self.rate(parameters)

    def plan(self, work: Sequence[int], parameters: int, what: str) -> list[tuple[int, int]]:
        """``work`` (tokens per input, in order) cut into consecutive calls that each fit
        ``call_s``: [(start, stop), ...]. InputError, before anything runs, if one input alone
        does not fit one call, or all the calls together exceed ``request_s``."""
        for i, tokens in enumerate(work):
            if self.seconds(tokens, parameters) > self.call_s:
                raise InputError(f"needs about {self.seconds(tokens, parameters):.0f} s of GPU time, more than one "
                                 f"GPU call's {self.call_s:.0f} s here: use a shorter video (or fewer frames), a "
                                 "smaller image or a shorter text", i, what)
        calls = split_work(work, (self.call_s - self.start_s) * self.rate(parameters))
        total = len(calls) * self.start_s + sum(work) / self.rate(parameters)
        if total > self.request_s:
            raise InputError(f"this request needs about {math.ceil(total)} s of GPU time in {len(calls)} calls, more "
                             f"than the {self.request_s:.0f} s one request may use on ZeroGPU (a free account has "
                             "a few minutes a day): send fewer or smaller inputs, or run the app on your own machine")
        return calls


class ZeroGPU(Runner):
    """Hugging Face ZeroGPU: a GPU is attached only inside a function decorated with
    ``spaces.GPU``, which runs in a worker forked from this process; the models, loaded before
    ``launch()``, are there in the worker's memory. Work larger than one call's budget runs as
    several calls, with progress between them."""

    keeps_model_memory = False
    can_reload = False

    def __init__(self, slots: Mapping[str, ModelSlot], busy: BusyCount, gpu: Callable[..., Any],
                 budget: GpuBudget | None = None) -> None:
        """``gpu``: ``spaces.GPU`` (or a stand-in that behaves as it does)."""
        super().__init__(slots, busy)
        self.budget = budget or GpuBudget()
        self.gpu_call = gpu(duration=self.seconds)(self.in_worker)
        # Each call is a GPU lease with a worker's start: the gallery in as few calls as fit (at 2B,
        # the whole sample gallery in one).
        self.background_tokens = int((self.budget.call_s - self.budget.start_s) * self.budget.rate(int(2e9)))

    def parameters(self, kind: str) -> int:
        info = getattr(self.slots[kind].instance, "info", None)
        return int(getattr(info, "parameters", 0) or 2e9)

    def seconds(self, request: ComputeRequest) -> float:
        """The seconds to ask for one call of ``request`` (ZeroGPU calls this with the call's own
        arguments, in this process, before forking)."""
        return min(self.budget.seconds(sum(request.work()), self.parameters(request.kind)), self.budget.call_s)

    def run(self, request: ComputeRequest, progress: Progress = no_progress,
            background: bool = False, job: LongJob | None = None) -> ComputeResult:
        del background, job  # each call is its own GPU lease: nothing to give way to, no turns
        self.slots[request.kind].get()  # a failed load is reported here, with its reason
        what = "input" if request.kind == "embedding" else "document"
        work = request.work()
        calls = self.budget.plan(work, self.parameters(request.kind), what)
        results = []
        with self.busy.working():
            for start, stop in calls:
                results.append(self.gpu_call(request.part(start, stop)))
                self.counts.chunk_ran(sum(work[start:stop]))
                progress(stop, len(request))
                if results[-1].refusal is not None:
                    break
        return joined(results, [start for start, _ in calls[:len(results)]])

    def in_worker(self, request: ComputeRequest) -> ComputeResult:
        """In the forked worker: the model as it was loaded before the fork, on the GPU now."""
        model = self.slots[request.kind].instance
        with contextlib.suppress(AttributeError):
            model.enter_forked_worker()
        return execute(model, request)
