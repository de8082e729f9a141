"""The vLLM client (qwen3vl_demo.backends.vllm) against a small real HTTP server on 127.0.0.1.

The server plays vLLM: it records every request and answers canned JSON or errors, so these
tests check the exact requests, retries, timeouts and messages without vLLM installed.
"""

from __future__ import annotations

import base64
import io
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import pytest
from conftest import ASSETS, ROOT
from PIL import Image

from qwen3vl_demo import InputError, ModelLoadError
from qwen3vl_demo.backends import base, loader
from qwen3vl_demo.backends import vllm as remote
from qwen3vl_demo.core import config, media
from qwen3vl_demo.core.errors import ModelUnavailable
from qwen3vl_demo.core.similarity import truncate_dim

FULL_DIM = 128
SERVED = "served/qwen3-vl"
IMAGE_BIG = str(ASSETS / "documents" / "doc_3.jpg")  # shrunk to the official bounds
IMAGE_SMALL = str(ASSETS / "images" / "example_0.jpeg")
VIDEO = str(ASSETS / "videos" / "cycling.mp4")
CONTEXT_ERROR = ("This model's maximum context length is 8192 tokens. However, your prompt contains at "
                 "least 9000 input tokens, which exceeds this limit even without any output tokens.")


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


Handler = Callable[[Recorded], "tuple[int, Any]"]


@dataclass
class FakeVLLM:
    """A threaded HTTP server answering like vLLM; ``routes`` may be replaced per test."""

    requests: list[Recorded] = field(default_factory=list)
    routes: dict[tuple[str, str], Handler] = field(default_factory=dict)
    matryoshka: bool = False
    in_flight: int = 0
    most_in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, port: int = 0) -> FakeVLLM:
        fake = self

        class Handle(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                record = Recorded(method, self.path, dict(self.headers), json.loads(raw) if raw else None)
                with fake._lock:
                    fake.requests.append(record)
                    fake.in_flight += 1
                    fake.most_in_flight = max(fake.most_in_flight, fake.in_flight)
                try:
                    status, payload = fake.routes.get((method, self.path), _not_found)(record)
                finally:
                    with fake._lock:
                        fake.in_flight -= 1
                data = b"" if payload is None else json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (timeout tests)
                    pass

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

        self.routes = {
            ("GET", "/health"): lambda r: (200, None),
            ("GET", "/v1/models"): lambda r: (200, {"object": "list", "data": [
                {"id": SERVED, "object": "model", "max_model_len": 8192}]}),
            ("POST", "/v1/embeddings"): self.embeddings,
            ("POST", "/v1/rerank"): self.rerank,
        }
        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handle)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def posts(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST" and r.path == path]

    # --- Default answers ------------------------------------------------------------------------
    def embeddings(self, request: Recorded) -> tuple[int, Any]:
        vector = fake_vector(request.body["messages"])
        if "dimensions" in request.body:
            if not self.matryoshka:
                return 400, _error(f"Model '{SERVED}' does not support Matryoshka embeddings; "
                                   "dimensions must be unset (received dimensions=64).")
            vector = truncate_dim(vector[None], request.body["dimensions"])[0]
        tokens = 7 + len(json.dumps(request.body["messages"])) // 100
        return 200, {"object": "list", "model": SERVED, "usage": {"prompt_tokens": tokens}, "data": [
            {"index": 0, "object": "embedding", "embedding": vector.tolist()}]}

    def rerank(self, request: Recorded) -> tuple[int, Any]:
        documents = request.body["documents"]
        scores = [fake_score(d) for d in documents]
        order = sorted(range(len(documents)), key=lambda i: -scores[i])  # vLLM sorts by relevance
        return 200, {"model": SERVED, "results": [
            {"index": i, "relevance_score": scores[i]} for i in order]}


def _error(message: str, code: int = 400) -> dict[str, Any]:
    return {"error": {"message": message, "type": "BadRequestError", "param": None, "code": code}}


def _not_found(request: Recorded) -> tuple[int, Any]:
    return 404, {"detail": "Not Found"}


def fake_vector(messages: list[dict[str, Any]]) -> np.ndarray:
    """A deterministic, not normalised vector per conversation."""
    seed = abs(hash(json.dumps(messages, sort_keys=True))) % 2**32
    return np.random.default_rng(seed).normal(size=FULL_DIM).astype(np.float32) * 3


def fake_score(document: dict[str, Any]) -> float:
    text = "".join(p.get("text", "") for p in document["content"])
    return round(0.05 + 0.9 * (len(text) % 17) / 17, 6)


@pytest.fixture
def fake():
    server = FakeVLLM().start()
    yield server
    server.stop()


def embedder(fake: FakeVLLM, **options: Any) -> remote.RemoteEmbedder:
    options = {"backoff": 0.01, **options}
    return remote.RemoteEmbedder(fake.url, "my-embedder", **options)


def reranker(fake: FakeVLLM, **options: Any) -> remote.RemoteReranker:
    return remote.RemoteReranker(fake.url, "my-reranker", **{"backoff": 0.01, **options})


def decode_data_url(url: str, prefix: str) -> list[Image.Image]:
    assert url.startswith(prefix)
    return [Image.open(io.BytesIO(base64.b64decode(p))) for p in url[len(prefix):].split(",")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_remote_backend_needs_no_torch():
    code = ("import sys; import qwen3vl_demo.backends.vllm, qwen3vl_demo.backends.loader; "
            "assert 'torch' not in sys.modules, 'torch imported'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)
    assert issubclass(remote.RemoteError, RuntimeError) and issubclass(remote.RemoteError, ModelUnavailable)


# --- Load -----------------------------------------------------------------------------------------
def test_load_checks_health_models_and_probes(fake):
    emb = embedder(fake)
    assert [(r.method, r.path) for r in fake.requests[:2]] == [("GET", "/health"), ("GET", "/v1/models")]
    assert emb.server_model == SERVED and emb.max_model_len == 8192 and emb.full_dim == FULL_DIM
    assert emb.server_mrl is False  # the fake refused ``dimensions``
    assert emb.name == "my-embedder" and emb.batch_size == config.DEFAULT_BATCH_SIZE
    info = emb.info
    assert isinstance(info, base.LoadInfo)
    assert (info.model, info.path, info.device, info.dtype, info.attention, info.parameters) == (
        "my-embedder", fake.url, "remote", "server", "vLLM", 0)
    assert info.server_model == SERVED and info.max_model_len == 8192 and info.seconds > 0


def test_load_failure_is_a_model_load_error():
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ModelLoadError, match=r"^cannot reach the vLLM server .*connection refused"):
        remote.RemoteEmbedder(url, "m", retries=1, backoff=0.01)


def test_a_server_of_the_wrong_kind_fails_at_load(fake):
    fake.routes[("POST", "/v1/rerank")] = lambda r: (400, _error("The model does not support Rerank API"))
    with pytest.raises(ModelLoadError, match=r"reranker server .* not usable.*does not support Rerank"):
        reranker(fake)


# --- Embedding requests ---------------------------------------------------------------------------
def test_embedding_request_is_the_official_conversation(fake):
    emb = embedder(fake)
    fake.requests.clear()
    emb.embed([{"text": "wooden spoons", "instruction": "Find images matching this description"}])
    (request,) = fake.posts("/v1/embeddings")
    assert request.body == {
        "model": SERVED,
        "messages": [
            {"role": "system",
             "content": [{"type": "text", "text": "Find images matching this description."}]},
            {"role": "user", "content": [{"type": "text", "text": "wooden spoons"}]},
            {"role": "assistant", "content": ""},
        ],
        "continue_final_message": True,
        "add_special_tokens": True,
        "encoding_format": "float",
    }


@pytest.mark.parametrize(("instruction", "sent"), [
    (None, config.EMBED_DEFAULT_INSTRUCTION),
    ("   ", config.EMBED_DEFAULT_INSTRUCTION),
    ("  Find it!  ", "Find it!"),
    ("找到图片。", "找到图片。"),
    ("Find a video", "Find a video."),
])
def test_instruction_punctuation_rule(fake, instruction, sent):
    emb = embedder(fake)
    fake.requests.clear()
    emb.embed([{"text": "x", "instruction": instruction}])
    assert fake.posts("/v1/embeddings")[0].body["messages"][0]["content"] == [{"type": "text", "text": sent}]


def test_parts_are_videos_then_images_then_texts_and_empty_is_null(fake):
    emb = embedder(fake)
    fake.requests.clear()
    emb.embed([{"text": ["first", "second"], "image": [IMAGE_SMALL, IMAGE_BIG], "video": VIDEO}, {}])
    sent = [r.body["messages"][1]["content"] for r in fake.posts("/v1/embeddings")]
    empty, first = sorted(sent, key=len)  # requests run concurrently: order by size
    assert [p["type"] for p in first] == ["video_url", "image_url", "image_url", "text", "text"]
    assert [p["text"] for p in first[3:]] == ["first", "second"]
    assert empty == [{"type": "text", "text": "NULL"}]


def test_images_travel_as_png_resized_to_the_official_bounds(fake):
    emb = embedder(fake)
    fake.requests.clear()
    emb.embed([{"image": [IMAGE_BIG, IMAGE_SMALL]}])
    parts = fake.posts("/v1/embeddings")[0].body["messages"][1]["content"]
    for part, source in zip(parts, [IMAGE_BIG, IMAGE_SMALL], strict=True):
        (sent,) = decode_data_url(part["image_url"]["url"], "data:image/png;base64,")
        expected = media.load_image(source)
        assert sent.format == "PNG" and sent.size == expected.size
        assert sent.width % 32 == 0 and sent.height % 32 == 0
        assert config.IMAGE_MIN_PIXELS <= sent.width * sent.height <= config.IMAGE_MAX_PIXELS
        assert np.array_equal(np.asarray(sent.convert("RGB")), np.asarray(expected))
    assert Image.open(IMAGE_BIG).size != media.load_image(IMAGE_BIG).size  # it really was resized


def test_video_travels_as_sampled_frames_with_their_sampling(fake):
    emb = embedder(fake)
    fake.requests.clear()
    emb.embed([{"video": VIDEO, "fps": 2.0, "max_frames": 8}])
    body = fake.posts("/v1/embeddings")[0].body
    clip = media.load_video(VIDEO, 2.0, 8)
    (part,) = body["messages"][1]["content"]
    frames = decode_data_url(part["video_url"]["url"], "data:video/jpeg;base64,")
    # Frames smaller than their target go as decoded: the server enlarges them as the official
    # code does (torchvision), to the size its bounds force.
    assert np.array_equal(np.stack([np.asarray(f) for f in frames]), clip.frames)
    assert body["media_io_kwargs"] == {"video": {"num_frames": 8, "fps": clip.fps,
                                                 "frames_indices": clip.indices,
                                                 "total_num_frames": clip.total_frames}}
    low, high = media.frame_pixel_bounds(8, config.VIDEO_FILE_TOTAL_PIXELS)
    assert body["mm_processor_kwargs"] == {"videos_kwargs": {"size": {
        "shortest_edge": int(np.ceil(8 * low)), "longest_edge": int(8 * high)}}}


def test_big_video_frames_are_shrunk_before_sending(fake, tmp_path):
    frames = []
    for i in range(4):  # a frame list of large images: qwen-vl-utils shrinks them
        path = tmp_path / f"frame{i}.png"
        Image.new("RGB", (1920, 1080), (i * 40, 90, 200)).save(path)
        frames.append(str(path))
    emb = embedder(fake)
    fake.requests.clear()
    emb.embed([{"video": frames}])
    body = fake.posts("/v1/embeddings")[0].body
    sent = decode_data_url(body["messages"][1]["content"][0]["video_url"]["url"], "data:video/jpeg;base64,")
    clip = media.load_video(frames)
    assert [f.size for f in sent] == [(clip.size[1], clip.size[0])] * 4
    assert body["media_io_kwargs"]["video"]["frames_indices"] == [0, 1, 2, 3]
    assert body["media_io_kwargs"]["video"]["fps"] == config.FRAME_LIST_SAMPLE_FPS


def test_bad_input_is_refused_before_anything_is_sent(fake):
    emb = embedder(fake)
    fake.requests.clear()
    with pytest.raises(InputError, match=r"^item 1: file not found: nope\.jpg") as info:
        emb.embed([{"text": "fine"}, {"image": "nope.jpg"}])
    assert info.value.index == 1
    assert fake.posts("/v1/embeddings") == []
    with pytest.raises(InputError, match=r"reserved token"):
        emb.embed([{"text": "<|im_end|>"}])
    with pytest.raises(InputError, match=r"batch_size"):
        emb.embed([{"text": "x"}], batch_size=0)


# --- Vectors and MRL ------------------------------------------------------------------------------
def test_vectors_are_float32_normalised_and_in_input_order(fake):
    emb = embedder(fake)
    items = [{"text": f"item {i}"} for i in range(5)]
    vectors = emb.embed(items, batch_size=3)
    assert vectors.shape == (5, FULL_DIM) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    for item, vector in zip(items, vectors, strict=True):
        body = remote.embedding_request(SERVED, item)
        expected = fake_vector(body["messages"])
        np.testing.assert_allclose(vector, expected / np.linalg.norm(expected), atol=1e-6)
    assert emb.embed([]).shape == (0, FULL_DIM)


def test_mrl_is_client_side_unless_the_server_declares_it(fake):
    emb = embedder(fake)
    full = emb.embed([{"text": "x"}])
    fake.requests.clear()
    small = emb.embed([{"text": "x"}], dim=64)
    assert "dimensions" not in fake.posts("/v1/embeddings")[0].body
    np.testing.assert_allclose(small, truncate_dim(full, 64), atol=1e-6)
    assert small.shape == (1, 64)

    fake.matryoshka = True
    mrl = embedder(fake)
    assert mrl.server_mrl is True
    fake.requests.clear()
    np.testing.assert_allclose(mrl.embed([{"text": "x"}], dim=64), small, atol=1e-6)
    assert fake.posts("/v1/embeddings")[0].body["dimensions"] == 64
    fake.requests.clear()
    mrl.embed([{"text": "x"}])  # full size: nothing to ask
    assert "dimensions" not in fake.posts("/v1/embeddings")[0].body


@pytest.mark.parametrize(("dim", "message"), [
    (32, "between 64 and 128, got 32"), (129, "between 64 and 128"), (64.0, "must be an integer"),
    (True, "must be an integer"), ("64", "must be an integer"),
])
def test_check_dim_rules(fake, dim, message):
    emb = embedder(fake)
    with pytest.raises(InputError, match=message):
        emb.check_dim(dim)
    assert emb.check_dim(None) == FULL_DIM and emb.check_dim(np.int64(64)) == 64


def test_progress_and_concurrency(fake):
    slow = fake.embeddings

    def embeddings(request: Recorded) -> tuple[int, Any]:
        time.sleep(0.15)
        return slow(request)

    emb = embedder(fake)
    fake.routes[("POST", "/v1/embeddings")] = embeddings
    fake.most_in_flight = 0
    calls: list[tuple[int, int]] = []
    emb.embed([{"text": str(i)} for i in range(6)], batch_size=3, progress=lambda d, t: calls.append((d, t)))
    assert 1 < fake.most_in_flight <= 3
    assert [c[0] for c in calls] == list(range(1, 7)) and all(t == 6 for _, t in calls)


# --- Retries, timeouts, errors --------------------------------------------------------------------
def test_retries_5xx_with_backoff(fake):
    emb = embedder(fake, backoff=0.1)
    answers = iter([(503, _error("busy", 503)), (500, _error("oops", 500))])
    default = fake.embeddings
    fake.routes[("POST", "/v1/embeddings")] = lambda r: next(answers, None) or default(r)
    fake.requests.clear()
    started = time.perf_counter()
    assert emb.embed([{"text": "x"}]).shape == (1, FULL_DIM)
    assert len(fake.posts("/v1/embeddings")) == 3
    assert time.perf_counter() - started >= 0.1 + 0.2  # backoff doubles


def test_gives_up_after_the_retries_with_the_server_message(fake):
    emb = embedder(fake, retries=2)
    fake.routes[("POST", "/v1/embeddings")] = lambda r: (500, _error("EngineCore encountered an issue", 500))
    fake.requests.clear()
    with pytest.raises(remote.RemoteError, match=r"failed \(HTTP 500\).*EngineCore encountered") as info:
        emb.embed([{"text": "x"}])
    assert not isinstance(info.value, InputError)
    assert len(fake.posts("/v1/embeddings")) == 3


def test_retries_when_the_connection_is_refused():
    port = free_port()
    later = FakeVLLM()
    timer = threading.Timer(0.4, lambda: later.start(port))
    timer.start()
    try:
        emb = remote.RemoteEmbedder(f"http://127.0.0.1:{port}", "m", retries=6, backoff=0.1)
        assert emb.full_dim == FULL_DIM  # reached once the server was up
    finally:
        timer.join()
        later.stop()


def test_no_retry_on_4xx_and_the_input_is_named(fake):
    emb = embedder(fake)
    default = fake.embeddings

    def refuse_long(request: Recorded) -> tuple[int, Any]:
        text = request.body["messages"][1]["content"][-1].get("text", "")
        return (400, _error(CONTEXT_ERROR)) if text.startswith("long") else default(request)

    fake.routes[("POST", "/v1/embeddings")] = refuse_long
    fake.requests.clear()
    with pytest.raises(InputError) as info:
        emb.embed([{"text": "short"}, {"text": "long " * 50}], batch_size=1)
    assert info.value.index == 1
    assert str(info.value).startswith("item 1: too long for the model: it needs 9000 tokens or more, "
                                      "the server's limit is 8192")
    assert len([r for r in fake.posts("/v1/embeddings") if "long" in json.dumps(r.body)]) == 1


@pytest.mark.parametrize(("status", "detail", "error", "message"), [
    (400, "At most 1 image(s) may be provided in one prompt.", InputError,
     "item 0: too many images: the server accepts at most 1 per input"),
    (400, "Failed to load image: cannot identify image file", InputError,
     "item 0: the server could not read an image"),
    (413, "Request Entity Too Large", InputError, "item 0: the server refused it: Request Entity Too Large"),
    (400, "Per-request mm_processor_kwargs are disabled by default ... Start the server with "
          "--trust-request-mm-kwargs", remote.RemoteError, "--trust-request-mm-kwargs"),
    (404, "The model `x` does not exist.", remote.RemoteError, "not found \\(HTTP 404"),
])
def test_refusals_in_plain_words(fake, status, detail, error, message):
    emb = embedder(fake)
    fake.routes[("POST", "/v1/embeddings")] = lambda r: (status, _error(detail, status))
    with pytest.raises(error, match=message) as info:
        emb.embed([{"text": "x"}])
    if error is remote.RemoteError:
        assert not isinstance(info.value, InputError)


def test_read_timeout_is_not_retried(fake):
    emb = embedder(fake, read_timeout=0.3)
    default = fake.embeddings

    def slow(request: Recorded) -> tuple[int, Any]:
        time.sleep(1.0)
        return default(request)

    fake.routes[("POST", "/v1/embeddings")] = slow
    fake.requests.clear()
    started = time.perf_counter()
    with pytest.raises(remote.RemoteError, match=r"did not answer within 0.3 s"):
        emb.embed([{"text": "x"}])
    assert time.perf_counter() - started < 0.9
    assert len(fake.posts("/v1/embeddings")) == 1


def test_api_key_is_sent_as_bearer_and_a_wrong_one_is_explained(fake):
    def guarded(handler: Handler) -> Handler:
        def check(request: Recorded) -> tuple[int, Any]:
            if request.headers.get("Authorization") != "Bearer s3cret":
                return 401, {"error": "Unauthorized"}
            return handler(request)
        return check

    fake.routes = {key: guarded(handler) for key, handler in fake.routes.items()}
    with pytest.raises(ModelLoadError, match=r"refused the API key \(HTTP 401\).*--api-key"):
        remote.RemoteEmbedder(fake.url, "m", "wrong", backoff=0.01)
    fake.requests.clear()
    emb = remote.RemoteEmbedder(fake.url, "m", "s3cret", backoff=0.01)
    emb.embed([{"text": "x"}])
    assert fake.requests and all(r.headers["Authorization"] == "Bearer s3cret" for r in fake.requests)


# --- Reranking ------------------------------------------------------------------------------------
def test_rerank_request_and_scores_mapped_back_by_index(fake):
    rr = reranker(fake)
    fake.requests.clear()
    documents = [{"text": "a"}, {"text": "a much longer one"}, {"image": IMAGE_SMALL, "text": ["x", "y"]}, {}]
    scores = rr.rerank({"text": "the query"}, documents)
    (request,) = fake.posts("/v1/rerank")
    body = request.body
    assert body["model"] == SERVED
    assert body["query"] == {"content": [{"type": "text", "text": "the query"}]}
    assert body["chat_template_kwargs"] == {"instruction": config.RERANK_DEFAULT_INSTRUCTION}
    assert all(set(d) == {"content"} and isinstance(d["content"], list) for d in body["documents"])
    image_doc = body["documents"][2]["content"]
    assert [p["type"] for p in image_doc] == ["image_url", "text"] and image_doc[1]["text"] == "xy"
    assert body["documents"][3]["content"] == [{"type": "text", "text": "NULL"}]
    assert scores == [fake_score(d) for d in body["documents"]]  # the fake answered sorted by score
    assert scores != sorted(scores, reverse=True)


def test_rerank_instruction_batches_and_progress(fake):
    rr = reranker(fake)
    fake.requests.clear()
    calls: list[tuple[int, int]] = []
    documents = [{"text": "d" * i} for i in range(1, 6)]
    scores = rr.rerank({"image": IMAGE_SMALL}, documents, instruction="Find the dog.", batch_size=2,
                       progress=lambda d, t: calls.append((d, t)))
    requests = fake.posts("/v1/rerank")
    assert sorted(len(r.body["documents"]) for r in requests) == [1, 2, 2]
    assert all(r.body["chat_template_kwargs"] == {"instruction": "Find the dog."} for r in requests)
    assert scores == [fake_score({"content": [{"text": d["text"]}]}) for d in documents]
    assert sorted(calls)[-1] == (5, 5) and len(calls) == 3
    assert rr.rerank({"text": "q"}, []) == []


def test_rerank_refusal_is_traced_to_the_document(fake):
    rr = reranker(fake)
    default = fake.rerank

    def refuse_long(request: Recorded) -> tuple[int, Any]:
        if "TOO LONG" in json.dumps(request.body["documents"]):
            return 400, _error(CONTEXT_ERROR.replace("8192", "10240"))
        return default(request)

    fake.routes[("POST", "/v1/rerank")] = refuse_long
    documents = [{"text": "a"}, {"text": "b"}, {"text": "TOO LONG"}, {"text": "c"}]
    with pytest.raises(InputError, match=r"^document 2: too long for the model.*limit is 10240") as info:
        rr.rerank({"text": "q"}, documents, batch_size=4)
    assert info.value.index == 2 and info.value.cause.startswith("too long")
    with pytest.raises(InputError, match=r"^query: file not found"):
        rr.rerank({"image": "missing.png"}, documents)
    with pytest.raises(InputError, match=r"^document 1: unknown key"):
        rr.rerank({"text": "q"}, [{"text": "a"}, {"txt": "b"}])


def test_a_request_too_big_as_a_whole_is_sent_one_document_at_a_time(fake):
    rr = reranker(fake)
    default = fake.rerank
    fake.routes[("POST", "/v1/rerank")] = lambda r: (
        (413, {"detail": "Request Entity Too Large"}) if len(r.body["documents"]) > 1 else default(r))
    documents = [{"text": "a"}, {"text": "bb"}, {"text": "ccc"}]
    assert rr.rerank({"text": "q"}, documents) == [fake_score({"content": [d]}) for d in documents]


def test_stats_tell_tokens_and_seconds(fake):
    emb = embedder(fake)
    stats: dict[str, Any] = {}
    emb.embed([{"text": "x"}, {"image": IMAGE_SMALL}], stats=stats)
    image = media.load_image(IMAGE_SMALL)
    assert stats["visual_tokens"] == [0, media.visual_tokens(image.height, image.width)]
    bodies = [remote.embedding_request(SERVED, item) for item in ({"text": "x"}, {"image": IMAGE_SMALL})]
    assert stats["tokens"] == [7 + len(json.dumps(b["messages"])) // 100 for b in bodies]
    assert stats["prepare_s"] >= 0 and stats["model_s"] > 0
    rr = reranker(fake)
    stats = {}
    rr.rerank({"image": IMAGE_SMALL}, [{"text": "a"}, {"image": IMAGE_SMALL}], stats=stats)
    one = media.visual_tokens(image.height, image.width)
    assert stats["visual_tokens"] == [one, 2 * one] and stats["tokens"] == []


# --- Loader, settings, engine ---------------------------------------------------------------------
def test_loader_builds_remote_models_once_and_never_keeps_the_key(fake):
    first = loader.load_embedder("my-embedder", url=fake.url, api_key="s3cret", backoff=0.01)
    again = loader.load_embedder("my-embedder", device="cuda", dtype="bfloat16", url=fake.url + "/",
                                 api_key="s3cret", backoff=0.01)
    assert isinstance(first, remote.RemoteEmbedder) and again is first
    assert loader.load_embedder("my-embedder", url=fake.url, api_key="other", backoff=0.01) is not first
    rr = loader.load_reranker("my-reranker", url=fake.url, backoff=0.01)
    assert isinstance(rr, remote.RemoteReranker)
    keys = [k for k in loader.loaded_models() if fake.url in k]
    assert len(keys) == 3 and "s3cret" not in repr(keys)
    with pytest.raises(ModelLoadError, match=r"cannot reach"):
        loader.load_reranker("x", url=f"http://127.0.0.1:{free_port()}", retries=0)


def test_settings_take_urls_and_key_from_flags_or_environment():
    environ = {"QWEN3VL_EMBEDDER_URL": "http://e:1", "QWEN3VL_RERANKER_URL": "http://r:2",
               "QWEN3VL_API_KEY": "k"}
    def urls(settings: Any) -> tuple:
        return settings.embedder_url, settings.reranker_url, settings.api_key

    assert urls(config.parse_settings([], environ)) == ("http://e:1", "http://r:2", "k")
    assert urls(config.parse_settings(["--embedder-url", "http://x:3", "--api-key", "z"], {})) == (
        "http://x:3", None, "z")


def test_engine_uses_the_servers(fake, tmp_path):
    from qwen3vl_demo.core.items import Item
    from qwen3vl_demo.service.engine import Engine

    engine = Engine("my-embedder", "my-reranker", embedder_url=fake.url, reranker_url=fake.url,
                    api_key="k2", samples=[], disk_cache=str(tmp_path))
    documents = [Item("text", "a cat"), Item("image", path=IMAGE_SMALL)]
    result = engine.similarity([Item("text", "a dog")], documents, None, None, dim=64)
    assert result.scores.shape == (1, 2) and result.dim == 64
    ranked = engine.rerank(Item("text", "q"), [Item("text", "short"), Item("text", "a longer document")])
    assert sorted(ranked.scores, reverse=True) == [ranked.scores[i] for i in ranked.order]
    status = engine.status()
    assert status["embedding"]["device"] == "remote" and status["embedding"]["full_dim"] == FULL_DIM
    assert status["reranker"]["attention"] == "vLLM"
