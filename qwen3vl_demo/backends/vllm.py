"""Qwen3-VL-Embedding and Qwen3-VL-Reranker served by vLLM, behind the in-process interface.

No torch here. Inputs are validated, and their images and videos read, resized and sampled, by the
same code as in process (``formatting``, ``media``); then they travel to vLLM's OpenAI-compatible
server as chat messages with data URLs. Shapes: ``embed`` returns float32 [n_items, dim] with
L2-normalised rows; ``rerank`` returns one float in (0, 1) per document, in document order.

Server side (see docs/vllm.md): ``scripts/vllm/serve.sh`` starts both servers with
the flags this client relies on (image bounds, the reranker's overrides and chat template,
per-request video sampling).
"""

from __future__ import annotations

import base64
import io
import math
import re
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import httpx
import numpy as np
from PIL import Image

from ..core import config, formatting, media
from ..core.batching import check_batch_size
from ..core.errors import InputError, ModelLoadError, ModelUnavailable
from ..core.inputs import load_media
from .base import Backend, Batch, Embedder, LoadInfo, Progress, Reranker

PROBE_TEXT = "Qwen3-VL remote backend probe."
CONNECT_TIMEOUT = 10.0  # seconds to open a connection
READ_TIMEOUT = 600.0  # seconds to wait for an answer: a long video on a CPU server takes minutes
RETRIES = 3  # further attempts after a connection failure or a 5xx answer
BACKOFF = 0.5  # seconds before the first retry, doubled each time
MAX_BACKOFF = 8.0
RERANK_WORKERS = 4  # rerank requests in flight at once (each carries batch_size documents)


class RemoteError(ModelUnavailable):
    """The vLLM server could not be reached, did not answer in time, refused the API key or
    failed; the message says which and what to do. Bad input raises InputError instead.

    A RuntimeError, through the engine's ModelUnavailable: the app shows it as the model being
    unavailable and keeps serving."""


class Refused(RemoteError):
    """The server answered 4xx: ``status`` and the server's own ``detail``."""

    def __init__(self, message: str, status: int, detail: str) -> None:
        super().__init__(message)
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class RemoteLoadInfo(LoadInfo):
    """LoadInfo plus what the server says about itself."""

    server_model: str = ""
    max_model_len: int | None = None


# --- HTTP -----------------------------------------------------------------------------------------
class Connection:
    """JSON over HTTP to one server: timeouts, retries with backoff on connection errors and 5xx
    (never on 4xx, which would fail again), errors in plain words. Thread-safe."""

    def __init__(self, url: str, api_key: str | None = None, *,
                 connect_timeout: float = CONNECT_TIMEOUT, read_timeout: float = READ_TIMEOUT,
                 retries: int = RETRIES, backoff: float = BACKOFF) -> None:
        self.url = url.rstrip("/")
        self.read_timeout = read_timeout
        self.retries = retries
        self.backoff = backoff
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(
            base_url=self.url, headers=headers,
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
        )

    def close(self) -> None:
        self._http.close()

    def get(self, path: str) -> Any:
        return self._request("GET", path)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self._request("POST", path, body)

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            response = self._send(method, path, body, attempts=attempt + 1, last=last)
            if response is None or (response.status_code >= 500 and not last):
                self._sleep(attempt)
                continue
            return self._read(response, f"{self.url}{path}")
        raise AssertionError("unreachable")

    def _send(self, method: str, path: str, body: dict[str, Any] | None, attempts: int,
              last: bool) -> httpx.Response | None:
        """The server's response; None after a connection failure that is worth retrying."""
        try:
            return self._http.request(method, path, json=body)
        except (httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout):
            # The server got the request and is busy: sending it again only adds work.
            raise RemoteError(
                f"{self.url}{path} did not answer within {self.read_timeout:g} s; the server is "
                "overloaded or the input is very large (fewer video frames help)"
            ) from None
        except httpx.TransportError as exc:  # refused, reset, DNS, connect timeout
            if last:
                raise RemoteError(
                    f"cannot reach the vLLM server at {self.url} ({_reason(exc)}) after {attempts} "
                    "attempts; is it running? (docs/vllm.md)"
                ) from None
            return None

    @staticmethod
    def _read(response: httpx.Response, where: str) -> Any:
        """The JSON of a 2xx answer (None when empty); 4xx and 5xx become errors."""
        if response.status_code >= 400:
            raise _refusal(response, where)
        if not response.content:  # vLLM's /health answers 200 with an empty body
            return None
        try:
            return response.json()
        except ValueError:
            raise RemoteError(f"{where} answered with something that is not JSON") from None

    def _sleep(self, attempt: int) -> None:
        time.sleep(min(MAX_BACKOFF, self.backoff * 2**attempt))


def _reason(exc: httpx.TransportError) -> str:
    text = str(exc) or type(exc).__name__
    return "connection refused" if "refused" in text.lower() else text[:200]


def _detail(response: httpx.Response) -> str:
    """The server's own message: vLLM's {"error": {"message"}}, FastAPI's {"detail"}, or text."""
    try:
        data = response.json()
    except ValueError:
        return response.text.strip()[:500] or response.reason_phrase
    if isinstance(data, dict):
        error = data.get("error", data)
        if isinstance(error, dict):
            error = error.get("message") or error.get("detail") or error
        return str(data.get("detail") or error)[:1000]
    return str(data)[:1000]


def _refusal(response: httpx.Response, where: str) -> RemoteError:
    status, detail = response.status_code, _detail(response)
    if status >= 500:
        return RemoteError(f"the vLLM server failed (HTTP {status}) at {where}: {detail}")
    if status in (401, 403):
        message = (f"the server refused the API key (HTTP {status}); pass the key it was started "
                   "with as --api-key or QWEN3VL_API_KEY")
    elif status == 404:
        message = f"{where} not found (HTTP 404: {detail}); is this a vLLM server for the right model?"
    else:
        message = explain_refusal(detail)
    return Refused(message, status, detail)


_CONTEXT = re.compile(r"maximum context length is (\d+)")
_PROMPT_TOKENS = re.compile(r"(?:at least|has|contains) (\d+)(?: input)? tokens")
_TOO_MANY = re.compile(r"At most (\d+) (\w+)\(s\) may be provided")


def explain_refusal(detail: str) -> str:
    """What a 4xx from vLLM means for the user's input, in plain words."""
    context = _CONTEXT.search(detail)
    if context:
        tokens = _PROMPT_TOKENS.search(detail)
        needed = f"{tokens.group(1)} tokens or more" if tokens else "more tokens"
        return (f"too long for the model: it needs {needed}, the server's limit is {context.group(1)}; "
                "shorten the text, or use fewer or smaller images or video frames")
    many = _TOO_MANY.search(detail)
    if many:
        limit, kind = many.groups()
        return (f"too many {kind}s: the server accepts at most {limit} per input (start it with a "
                f"higher --limit-mm-per-prompt)")
    if "Failed to load image" in detail:
        return f"the server could not read an image ({detail})"
    return f"the server refused it: {detail}"


def _not_the_input(exc: Refused) -> bool:
    """A refusal that no input can fix: the key, the route or the model is wrong, or the server
    lacks a flag this client needs."""
    return exc.status in (401, 403, 404) or "--trust-request-mm-kwargs" in exc.detail or (
        "does not support" in exc.detail)


# --- Media as data URLs ---------------------------------------------------------------------------
def png_base64(image: Image.Image | np.ndarray) -> str:
    """Lossless, so the server sees exactly the pixels the official path would."""
    if isinstance(image, np.ndarray):
        image = Image.fromarray(image)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)  # speed over size: it only crosses once
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def frames_part(frames: Sequence[Image.Image | np.ndarray]) -> dict[str, Any]:
    """A video as its frames. vLLM reads a ``video/jpeg`` data URL as comma-separated base64
    frames and decodes each with PIL whatever its format, so PNG frames arrive losslessly."""
    url = "data:video/jpeg;base64," + ",".join(png_base64(f) for f in frames)
    return {"type": "video_url", "video_url": {"url": url}}


def resized_frames(clip: media.VideoClip) -> list[Image.Image]:
    """The clip's frames at the size the model sees (PIL bicubic: within a grey level or so of
    torchvision's when shrinking, further off when enlarging)."""
    height, width = clip.size
    return [Image.fromarray(f).resize((width, height), Image.Resampling.BICUBIC) for f in clip.frames]


@dataclass
class VideoRequest:
    """One input's videos as sent for embedding, with the per-request settings that make vLLM
    sample and resize them as the official code does."""

    parts: list[dict[str, Any]]
    media_io_kwargs: dict[str, Any]
    mm_processor_kwargs: dict[str, Any]


def exact_videos(clips: Sequence[media.VideoClip]) -> VideoRequest:
    """Frames, frame indices and fps as the official sampling chose them, so vLLM writes the same
    timestamps; and per-frame pixel bounds such that vLLM's own resize (torchvision, as in the
    official path) lands on the official size.

    Frames bigger than their target are shrunk here first (less to send); smaller ones are sent
    as decoded and enlarged by the server, exactly. vLLM takes one such setting per request, so
    several videos in one input must have been sampled alike.
    """
    clip = clips[0]
    signature = {(len(c.frames), c.fps, tuple(c.indices), c.frames.shape[1:3], c.size, c.pixel_bounds)
                 for c in clips}
    if len(signature) > 1:
        raise InputError("the vLLM backend takes several videos in one input only if they have the "
                         "same frame rate, length and size; send them as separate inputs")
    count = len(clip.frames)
    low, high = clip.pixel_bounds
    shrink = clip.size[0] * clip.size[1] < clip.frames.shape[1] * clip.frames.shape[2]
    parts = [frames_part(resized_frames(c) if shrink else list(c.frames)) for c in clips]
    # vLLM bounds the whole clip (frames x pixels), the official code each frame: scale by count.
    size = {"shortest_edge": math.ceil(count * low), "longest_edge": int(count * high)}
    sampling = {"num_frames": count, "fps": float(clip.fps), "frames_indices": [int(i) for i in clip.indices],
                "total_num_frames": max(int(clip.total_frames), count)}
    return VideoRequest(parts, {"video": sampling}, {"videos_kwargs": {"size": size}})


# --- Request bodies -------------------------------------------------------------------------------
@dataclass
class Content:
    """One input's content parts in the official order, what its images and videos cost in visual
    tokens, and the per-request settings its videos need (embedding requests only)."""

    parts: list[dict[str, Any]]
    visual_tokens: int = 0
    extras: dict[str, Any] = field(default_factory=dict)


def input_content(parsed: formatting.MultimodalInput, *, exact_video: bool, join_texts: bool) -> Content:
    """Parts in the official order: videos, images, texts; an input with none of them is ``NULL``.

    ``exact_video``: send videos with their sampling (``exact_videos``), else as frames resized
    here. ``join_texts``: one text part for all texts (the official template joins them with
    nothing; vLLM's scoring path would join separate parts with newlines).
    """
    loaded = load_media(parsed)
    clips, images = loaded.videos, loaded.images
    extras: dict[str, Any] = {}
    if clips and exact_video:
        plan = exact_videos(clips)
        parts = plan.parts
        extras = {"media_io_kwargs": plan.media_io_kwargs, "mm_processor_kwargs": plan.mm_processor_kwargs}
    else:
        parts = [frames_part(resized_frames(clip)) for clip in clips]
    parts += [{"type": "image_url", "image_url": {"url": "data:image/png;base64," + png_base64(im)}}
              for im in images]
    texts = ["".join(parsed.texts)] if join_texts and parsed.texts else parsed.texts
    parts += [{"type": "text", "text": text} for text in texts]
    visual = media.count_visual_tokens(images, clips)
    return Content(parts or [{"type": "text", "text": config.EMPTY_INPUT_TEXT}], visual, extras)


@dataclass
class Request:
    """A request body (or one query's or document's part of it) and its visual tokens."""

    body: dict[str, Any]
    visual_tokens: int = 0


def prepare_embedding(model: str, item: Any, dimensions: int | None = None) -> Request:
    """The /v1/embeddings body for one official input dict, and its visual tokens.

    The conversation ends in an empty assistant turn that is continued, which renders the
    official prompt's closing ``<|im_start|>assistant\\n`` (the pooled last token).
    """
    parsed = formatting.parse_input(item)
    instruction = formatting.embedding_instruction(parsed.instruction)
    content = input_content(parsed, exact_video=True, join_texts=False)
    body = {
        "model": model,
        "messages": [
            {"role": "system", "content": [{"type": "text", "text": instruction}]},
            {"role": "user", "content": content.parts},
            {"role": "assistant", "content": ""},
        ],
        "continue_final_message": True,
        "add_special_tokens": True,
        "encoding_format": "float",
        **content.extras,
    }
    if dimensions is not None:
        body["dimensions"] = dimensions
    return Request(body, content.visual_tokens)


def embedding_request(model: str, item: Any, dimensions: int | None = None) -> dict[str, Any]:
    """The /v1/embeddings body for one official input dict."""
    return prepare_embedding(model, item, dimensions).body


def prepare_score(item: Any) -> Request:
    """One query or document for /v1/rerank, ``{"content": [parts]}``, and its visual tokens.

    Videos go as frames resized here to the official size; /v1/rerank cannot carry their
    sampling, so vLLM writes their timestamps as for frames 0..n-1 at 1 fps (docs/vllm.md).
    """
    content = input_content(formatting.parse_input(item), exact_video=False, join_texts=True)
    return Request({"content": content.parts}, content.visual_tokens)


# --- Shared helpers -------------------------------------------------------------------------------
def _run_all(jobs: Sequence[Callable[[], Any]], workers: int, progress: Progress | None,
             weights: Sequence[int] | None = None) -> list[Any]:
    """Run ``jobs`` on a small thread pool; results in job order. ``progress(done, total)`` is
    called as jobs finish (``weights``: how many items each job counts for). The first failure
    cancels what has not started and is raised."""
    weights = list(weights or [1] * len(jobs))
    total, done = sum(weights), 0
    results: list[Any] = [None] * len(jobs)
    pool = ThreadPoolExecutor(max_workers=max(1, min(workers, len(jobs))), thread_name_prefix="vllm")
    try:
        futures: dict[Future, int] = {pool.submit(job): i for i, job in enumerate(jobs)}
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in finished:
                error = future.exception()
                if error is not None:
                    raise error
                results[futures[future]] = future.result()
                done += weights[futures[future]]
                if progress is not None:
                    progress(done, total)
    finally:
        # On failure, report now: requests already sent finish in the background, unread.
        pool.shutdown(wait=False, cancel_futures=True)
    return results


def _server_model(connection: Connection, kind: str) -> tuple[str, int | None]:
    """The served model's id and context length, from /health and /v1/models."""
    connection.get("/health")
    listing = connection.get("/v1/models")
    models = listing.get("data") if isinstance(listing, dict) else None
    if not models:
        raise ModelLoadError(f"the {kind} server at {connection.url} serves no model")
    first = models[0]
    length = first.get("max_model_len")
    return str(first.get("id")), int(length) if isinstance(length, (int, float)) else None


class RemoteBase(Backend):
    """Connection, server facts and load info shared by the embedder and the reranker."""

    kind = ""

    def __init__(self, url: str, model: str, api_key: str | None = None, *,
                 batch_size: int = config.DEFAULT_BATCH_SIZE, connect_timeout: float = CONNECT_TIMEOUT,
                 read_timeout: float = READ_TIMEOUT, retries: int = RETRIES,
                 backoff: float = BACKOFF) -> None:
        started = time.perf_counter()
        self.name = model
        self.batch_size = check_batch_size(batch_size, config.DEFAULT_BATCH_SIZE)
        self.connection = Connection(url, api_key, connect_timeout=connect_timeout,
                                     read_timeout=read_timeout, retries=retries, backoff=backoff)
        try:
            self.server_model, self.max_model_len = _server_model(self.connection, self.kind)
            self._probe()
        except BaseException as exc:
            self.connection.close()
            if isinstance(exc, (Refused, InputError)):
                raise ModelLoadError(f"the {self.kind} server at {self.url} is not usable: {exc}") from None
            if isinstance(exc, RemoteError):  # unreachable, timed out, failing: the message says so
                raise ModelLoadError(str(exc)) from None
            raise
        self.info = RemoteLoadInfo(
            model=model, path=self.url, device="remote", dtype="server", attention="vLLM",
            seconds=time.perf_counter() - started, parameters=0,
            server_model=self.server_model, max_model_len=self.max_model_len,
        )

    @property
    def url(self) -> str:
        return self.connection.url

    def _probe(self) -> None:
        """One small request at load: the server really does this model's task."""
        raise NotImplementedError

    def close(self) -> None:
        self.connection.close()


# --- Embedder -------------------------------------------------------------------------------------
class RemoteEmbedder(RemoteBase, Embedder):
    """Qwen3-VL-Embedding on a vLLM server: one conversation per request, several in flight."""

    kind = "embedding"

    def _probe(self) -> None:
        vector, _ = self._embed_one(embedding_request(self.server_model, {"text": PROBE_TEXT}), 0)
        self.full_dim = int(vector.shape[0])
        self.server_mrl = self._server_truncates()

    def _server_truncates(self) -> bool:
        """Whether the server declares matryoshka support (it then accepts ``dimensions``)."""
        try:
            body = embedding_request(self.server_model, {"text": PROBE_TEXT}, config.MIN_EMBED_DIM)
            return self._embed_one(body, 0)[0].shape[0] == config.MIN_EMBED_DIM
        except Refused:
            return False

    def prepare(self, item: Any) -> Request:
        return prepare_embedding(self.server_model, item)

    def embed_prepared(self, prepared: list[Request], dim: int, batch_size: int,
                       progress: Progress | None) -> Batch:
        """``batch_size`` requests in flight at once; the server cuts the vectors to ``dim`` where it
        declares matryoshka support. Tokens as the server counted them."""
        ask = {"dimensions": dim} if self.server_mrl and dim < self.full_dim else {}
        jobs = [lambda b={**p.body, **ask}, i=i: self._embed_one(b, i) for i, p in enumerate(prepared)]
        answers = _run_all(jobs, batch_size, progress)
        return Batch(np.stack([vector for vector, _ in answers]), [tokens for _, tokens in answers])

    def _embed_one(self, body: dict[str, Any], index: int) -> tuple[np.ndarray, int]:
        """One item's vector, float32 [dim], and its prompt tokens; a refusal about the input
        names the item."""
        try:
            answer = self.connection.post("/v1/embeddings", body)
        except Refused as exc:
            if _not_the_input(exc):
                raise
            raise InputError(str(exc), index) from None
        try:
            vector = np.asarray(answer["data"][0]["embedding"], dtype=np.float32)
        except (KeyError, IndexError, TypeError, ValueError):
            raise RemoteError(f"{self.url} answered without an embedding: {str(answer)[:200]}") from None
        if vector.ndim != 1 or not np.isfinite(vector).all():
            raise RemoteError(f"{self.url} returned a malformed or non-finite embedding")
        usage = answer.get("usage") if isinstance(answer.get("usage"), dict) else {}
        return vector, int(usage.get("prompt_tokens") or 0)


# --- Reranker -------------------------------------------------------------------------------------
class RemoteReranker(RemoteBase, Reranker):
    """Qwen3-VL-Reranker on a vLLM server: /v1/rerank, ``batch_size`` documents a request."""

    kind = "reranker"

    def _probe(self) -> None:
        self._score(_text_content(PROBE_TEXT), [_text_content(PROBE_TEXT)], config.RERANK_DEFAULT_INSTRUCTION)

    def prepare_query(self, query: Any) -> Request:
        return prepare_score(query)

    def prepare_document(self, query: Request, document: Any, instruction: str) -> Request:
        request = prepare_score(document)
        return Request(request.body, query.visual_tokens + request.visual_tokens)

    def score_prepared(self, query: Request, prepared: list[Request], instruction: str, batch_size: int,
                       progress: Progress | None) -> Batch:
        """``batch_size`` documents a request, a few requests in flight. /v1/rerank reports tokens
        per request, not per pair, so no tokens are returned."""
        contents = [p.body for p in prepared]
        starts = list(range(0, len(contents), batch_size))
        jobs = [lambda s=s: self._score_chunk(query.body, contents, s, batch_size, instruction) for s in starts]
        chunks = _run_all(jobs, RERANK_WORKERS, progress, [len(contents[s:s + batch_size]) for s in starts])
        return Batch([score for chunk in chunks for score in chunk])

    def _score_chunk(self, query: dict[str, Any], contents: list[dict[str, Any]], start: int, size: int,
                     instruction: str) -> list[float]:
        """Scores of documents ``start..start+size``. A refusal is traced to the input that
        causes it (the query, or which document) by asking again one document at a time; if
        each alone is accepted (the request as a whole was too big), their scores are used."""
        chunk = contents[start:start + size]
        try:
            return self._score(query, chunk, instruction)
        except Refused as exc:
            if _not_the_input(exc):
                raise
        try:
            self._score(query, [_text_content(config.EMPTY_INPUT_TEXT)], instruction)
        except Refused as exc:
            raise InputError(str(exc), None, "query") from None
        scores = []
        for offset, document in enumerate(chunk):
            try:
                scores += self._score(query, [document], instruction)
            except Refused as exc:
                raise InputError(str(exc), start + offset, "document") from None
        return scores

    def _score(self, query: dict[str, Any], documents: list[dict[str, Any]], instruction: str) -> list[float]:
        """One /v1/rerank call: scores in the order of ``documents`` (the server sorts its
        results by relevance; each carries its document's ``index``)."""
        body = {"model": self.server_model, "query": query, "documents": documents,
                "chat_template_kwargs": {"instruction": instruction}}
        answer = self.connection.post("/v1/rerank", body)
        scores: dict[int, float] = {}
        for result in answer.get("results", []) if isinstance(answer, dict) else []:
            scores[int(result["index"])] = float(result["relevance_score"])
        if sorted(scores) != list(range(len(documents))):
            raise RemoteError(
                f"{self.url} returned scores for {sorted(scores)} of {len(documents)} documents")
        ordered = [scores[i] for i in range(len(documents))]
        if not all(math.isfinite(s) for s in ordered):
            raise RemoteError(f"{self.url} returned non-finite scores")
        return ordered


def _text_content(text: str) -> dict[str, Any]:
    return {"content": [{"type": "text", "text": text}]}


# --- Construction (through loader.load_embedder / load_reranker) ----------------------------------
REMOTE_OPTIONS = frozenset({"batch_size", "connect_timeout", "read_timeout", "retries", "backoff"})
IN_PROCESS_OPTIONS = frozenset({"batch_tokens", "max_length", "vision_cache_mb"})  # no meaning here


def connect(kind: str, model: str, url: str, api_key: str | None = None, **options: Any) -> RemoteBase:
    """A RemoteEmbedder (``kind`` "embedding") or RemoteReranker on the server at ``url``.

    ``options``: batch_size, connect_timeout, read_timeout, retries, backoff; the in-process
    options (batch_tokens, max_length, vision_cache_mb) are accepted and ignored.
    """
    unknown = sorted(set(options) - REMOTE_OPTIONS - IN_PROCESS_OPTIONS)
    if unknown:
        raise TypeError(f"unknown option(s) for a remote {kind}: {', '.join(unknown)}")
    kept = {k: v for k, v in options.items() if k in REMOTE_OPTIONS}
    cls = RemoteEmbedder if kind == "embedding" else RemoteReranker
    return cls(url, model, api_key, **kept)

