"""ZeroGPU: the app as it runs on Hugging Face's shared GPUs, on this CPU.

Two ways, both with ``SPACES_ZERO_GPU=true``:
- under ``tests/zerogpu_standin/spaces`` (a stand-in that forks a worker per call, pickles what
  crosses, calls the duration with the call's arguments and fails any model use in the main process
  after launch): every tab answers as it does off ZeroGPU, the models are ready when the page is
  served, a repeated request is answered from the main process's cache;
- under the real ``spaces`` package, its device API stood in by a local HTTP server: the app starts,
  both models are ready before launch, and only the main thread touches a model.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import ASSETS, ROOT, LiveApp, running_app
from gradio_client import handle_file

from qwen3vl_demo.core import config
from qwen3vl_demo.core.errors import InputError
from qwen3vl_demo.service.compute import EmbedRequest, GpuBudget, RerankRequest
from qwen3vl_demo.ui.tabs.moments import EXAMPLES as MOMENTS_EXAMPLES
from qwen3vl_demo.ui.tabs.pdf_search import PDF_EXAMPLES

STANDIN = ROOT / "tests" / "zerogpu_standin"
IMAGE = ASSETS / "images" / "img_8.jpg"
VIDEO = ASSETS / "videos" / "cycling.mp4"
FIGURES = ASSETS / "pdf" / "figures.pdf"
TIMING_KEYS = ("seconds", "cost", "after_start_s", "eta_s", "path", "url", "file", "csv", "video")


def zerogpu_env(root: Path, spaces_path: Path | None) -> dict[str, str]:
    env = {"SPACES_ZERO_GPU": "true", "ZEROGPU_STANDIN_LOG": str(root / "gpu-calls.jsonl")}
    if spaces_path is not None:
        env["PYTHONPATH"] = str(spaces_path)
    return env


def gpu_calls(app: LiveApp) -> list[dict[str, Any]]:
    path = Path(app.log.parent / "gpu-calls.jsonl")
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture(scope="module")
def zerogpu_app(embedder_path: str, reranker_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    root = tmp_path_factory.mktemp("zerogpu-app")
    # The page answers only once the whole gallery is indexed, through forked workers on one thread each.
    with running_app(root, embedder_path, reranker_path, wait_for_models=False,
                     extra_env=zerogpu_env(root, STANDIN), timeout=600) as app:
        yield app


@pytest.fixture(scope="module")
def status_when_served(zerogpu_app: LiveApp) -> dict[str, Any]:
    """/status asked as soon as the page answers (the fixture returns then)."""
    client = zerogpu_app.client()
    try:
        return client.predict(api_name="/status")
    finally:
        client.close()


def test_the_models_and_the_gallery_are_ready_when_the_page_is_served(status_when_served, zerogpu_app) -> None:
    assert status_when_served["embedding"]["state"] == "ready"
    assert status_when_served["reranker"]["state"] == "ready"
    assert status_when_served["gallery"]["state"] == "ready"
    assert status_when_served["compute"] == "ZeroGPU" and status_when_served["can_retry"] is False
    before_launch = [call for call in gpu_calls(zerogpu_app) if not call["launched"]]
    assert before_launch, "the gallery is indexed through GPU calls before launch"
    # The whole gallery (24 items) and the examples' 40 inputs in a few calls, not one per item.
    assert len(before_launch) <= 10, before_launch  # a probe, then one call per instruction


def plain(value: Any) -> Any:
    """An API output without what differs between two servers (timings, costs, file paths)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if not any(word in k for word in TIMING_KEYS)}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def assert_same(ours: Any, theirs: Any, where: str = "") -> None:
    """Equal structure and text; numbers within 1e-5."""
    if isinstance(ours, dict):
        assert sorted(ours) == sorted(theirs), where
        for key in ours:
            assert_same(ours[key], theirs[key], f"{where}.{key}")
    elif isinstance(ours, list):
        assert len(ours) == len(theirs), where
        for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            assert_same(a, b, f"{where}[{i}]")
    elif isinstance(ours, float) or isinstance(theirs, float):
        assert math.isclose(ours, theirs, abs_tol=1e-5), f"{where}: {ours} != {theirs}"
    else:
        assert ours == theirs, f"{where}: {ours!r} != {theirs!r}"


def last_json(outputs: Any) -> Any:
    """The JSON result among an event's outputs (the last dict)."""
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return plain(next(o for o in reversed(outputs) if isinstance(o, dict) and "value" not in o))


def similarity(client) -> Any:
    return client.predict(query_text="A woman playing with her dog.\nA red bicycle.", query_files=[handle_file(IMAGE)],
                          query_instruction="", document_text="A dog on a beach.\nA city street.",
                          document_files=[handle_file(VIDEO)], pair_text="", pair_image=None,
                          document_instruction="", dim=64, api_name="/similarity")


TAB_CALLS = {
    "similarity": similarity,
    "search with rerank": lambda c: c.predict(query_text="A dog on a beach.", query_image=None, query_video=None,
                                              instruction="", k=5, rerank=True, dim=64, api_name="/search"),
    "reranker": lambda c: c.predict(query_text="A bar chart.", query_file=None, instruction="",
                                    document_text="A chart of results.\nA cat.",
                                    document_files=[handle_file(IMAGE)], api_name="/rerank"),
    "pages of one PDF": lambda c: c.predict(PDF_EXAMPLES[0][0], handle_file(FIGURES), *PDF_EXAMPLES[0][2:],
                                            api_name="/search_pdf"),
    "moments": lambda c: c.predict(MOMENTS_EXAMPLES[0][0], handle_file(str(VIDEO)), *MOMENTS_EXAMPLES[0][2:],
                                   api_name="/moments"),
    "inside: video frames": lambda c: c.predict(handle_file(str(VIDEO)), 1, 8, api_name="/inspect_video"),
    "inside: storage": lambda c: c.predict("a dog", None, "", 5, api_name="/compare_storage"),
    "where it matches": lambda c: c.predict("A bike.", None, "", handle_file(IMAGE), "embedding", "gradient", 64, "",
                                            api_name="/explain"),
    "where it matches (reranker)": lambda c: c.predict("A bike.", None, "", handle_file(IMAGE), "reranker",
                                                       "occlusion", None, "", api_name="/explain"),
    "evaluate": lambda c: c.predict(handle_file(ASSETS / "evaluation" / "sample_gallery.csv"),
                                    "Retrieve images or text relevant to the user's query.", "", "", 10, True,
                                    api_name="/evaluate"),
}


@pytest.mark.parametrize("tab", list(TAB_CALLS))
def test_each_tab_answers_as_it_does_off_zerogpu(tab: str, zerogpu_app: LiveApp, live_app: LiveApp) -> None:
    results = []
    for app in (zerogpu_app, live_app):
        client = app.client()
        try:
            results.append(TAB_CALLS[tab](client))
        finally:
            client.close()
    ours, theirs = results
    if tab == "evaluate":  # the metrics table, as text
        assert ours[1]["data"] == theirs[1]["data"]
    else:
        assert_same(last_json(ours), last_json(theirs), tab)
    assert "ModelUsedAfterLaunch" not in zerogpu_app.log_tail(200_000)


def test_the_visitors_own_gallery_items_are_searched_on_zerogpu(zerogpu_app: LiveApp, tmp_path: Path) -> None:
    from PIL import Image

    mine = tmp_path / "my_orange_square.png"
    Image.new("RGB", (96, 64), (255, 128, 0)).save(mine)
    client = zerogpu_app.client()
    try:
        client.predict(files=[handle_file(mine)], api_name="/gallery_add")
        *_, result = client.predict(query_text="", query_image=handle_file(mine), query_video=None,
                                    instruction="", k=3, rerank=True, dim=64, api_name="/search")
    finally:
        client.close()
    own = [hit for hit in result["results"] if hit["is_query"]]  # the reranker's random weights may reorder
    assert len(own) == 1 and own[0]["label"].startswith(mine.name) and result["reranked"] is True


def test_the_map_of_a_pdf_page_runs_in_a_gpu_call_at_the_score_the_page_search_shows(zerogpu_app: LiveApp) -> None:
    query, _, instruction, *_ = PDF_EXAMPLES[0]
    client = zerogpu_app.client()
    try:
        *_, found = client.predict(query, handle_file(FIGURES), instruction, 5, False, api_name="/search_pdf")
        calls = len(gpu_calls(zerogpu_app))
        _, _, how = client.predict(query, handle_file(FIGURES), instruction, 5, False, 1, 2, "gradient", 0.5,
                                   api_name="/pdf_explain")
    finally:
        client.close()
    assert len(gpu_calls(zerogpu_app)) > calls, "the map ran in a GPU call"
    shown = next(hit["embedding_score"] for hit in found["results"] if hit["label"].endswith("· p.2"))
    assert float(how.split("similarity ")[1].split("*")[0]) == pytest.approx(shown, abs=1e-4), how
    assert "ModelUsedAfterLaunch" not in zerogpu_app.log_tail(200_000)


def test_a_repeated_request_is_answered_from_the_main_process_cache(zerogpu_app: LiveApp) -> None:
    client = zerogpu_app.client()
    try:
        first = similarity(client)
        calls = len(gpu_calls(zerogpu_app))
        again = similarity(client)
    finally:
        client.close()
    assert len(gpu_calls(zerogpu_app)) == calls, "the second time needs no GPU"
    assert_same(last_json(again), last_json(first))
    assert again[-1]["cost"]["cached_inputs"] == 6  # 3 queries, 3 documents


def test_gpu_calls_ask_for_seconds_within_the_cap_in_fresh_and_reused_workers(zerogpu_app: LiveApp) -> None:
    client = zerogpu_app.client()
    try:
        similarity(client)
    finally:
        client.close()
    calls = [call for call in gpu_calls(zerogpu_app) if call["launched"]]
    assert calls and all(0 < call["asked_s"] <= config.ZEROGPU_CALL_SECONDS for call in calls)
    assert {call["fresh"] for call in calls} == {True, False}


# --- What each call asks for, from its real work ----------------------------------------------------
TWO_B = 2_000_000_000
PAGE = str(ASSETS / "documents" / "doc_0.jpg")


def asked(request: EmbedRequest | RerankRequest, parameters: int = TWO_B) -> float:
    return GpuBudget().seconds(sum(request.work()), parameters)


def test_the_seconds_asked_grow_with_the_work_and_the_model() -> None:
    text = EmbedRequest(({"text": "a dog"},))
    photo = EmbedRequest(({"image": str(IMAGE)},))
    page = EmbedRequest(({"image": PAGE},))
    video = EmbedRequest(({"video": str(VIDEO)},))
    longer = EmbedRequest(({"video": str(VIDEO), "fps": 2.0, "max_frames": 64},))
    assert asked(text) < asked(photo) < asked(page)
    assert asked(photo) < asked(video) < asked(longer)
    pairs = RerankRequest({"text": "a dog"}, tuple({"image": str(IMAGE)} for _ in range(4)))
    assert asked(pairs) > asked(RerankRequest({"text": "a dog"}, ({"image": str(IMAGE)},)))
    assert asked(page, 8 * TWO_B // 2) > asked(page)


def test_work_larger_than_one_call_is_split_and_too_much_is_refused_up_front() -> None:
    budget = GpuBudget(call_s=20.0, request_s=150.0)
    pages = [budget.rate(TWO_B) * 6] * 12  # 6 s of work each: two fit a 20 s call
    calls = budget.plan(pages, TWO_B, "document")
    assert calls[0] == (0, 2) and calls[-1][1] == 12 and len(calls) == 6
    assert all(budget.seconds(int(sum(pages[a:b])), TWO_B) <= budget.call_s for a, b in calls)
    with pytest.raises(InputError, match="needs about 36 s of GPU time") as refused:
        budget.plan([10, 10, budget.rate(TWO_B) * 30], TWO_B, "document")
    assert refused.value.index == 2  # 0-based: the engine names it as the caller numbers it
    with pytest.raises(InputError, match="more than the 150 s one request may use"):
        budget.plan(pages * 3, TWO_B, "document")


def test_every_one_click_example_fits_one_call_at_2b() -> None:
    """A signed-in free visitor (3.5 min a day) can run each example: each asks for at most one call."""
    from qwen3vl_demo.ui.examples import embedding_inputs

    budget = GpuBudget()
    for item, instruction in embedding_inputs():
        request = EmbedRequest((item.to_input(instruction),))
        assert len(budget.plan(request.work(), TWO_B, "input")) == 1, item
    one_page = RerankRequest({"text": PDF_EXAMPLES[0][0]}, ({"image": PAGE},) * 5)
    assert budget.seconds(sum(one_page.work()), TWO_B) < budget.call_s


# --- The real spaces package, its device API stood in ------------------------------------------------
class DeviceApi(BaseHTTPRequestHandler):
    """ZeroGPU's device API as spaces 0.51 calls it: start-up report, schedule, allow, release."""

    def do_POST(self) -> None:
        body = b""
        if self.path.startswith("/schedule"):
            body = json.dumps({"idle": True, "nvidiaIndex": 0, "nvidiaUUID": "GPU-stand-in",
                               "allowToken": "token"}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        del args


@pytest.fixture
def device_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), DeviceApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


WATCH_THREADS = '''
import os, threading, torch
_main = os.getpid()
def _watch(module, args):
    if os.getpid() == _main and threading.current_thread() is not threading.main_thread():
        with open(os.environ["MODEL_THREADS_LOG"], "a") as f:
            f.write(threading.current_thread().name + " " + type(module).__name__ + "\\n")
torch.nn.modules.module.register_module_forward_pre_hook(_watch)
'''


@pytest.mark.app
def test_the_real_spaces_package_starts_the_app_with_both_models_loaded_in_the_main_thread(
        embedder_path: str, reranker_path: str, device_api: str, tmp_path: Path) -> None:
    (tmp_path / "watch").mkdir()
    (tmp_path / "watch" / "sitecustomize.py").write_text(WATCH_THREADS)
    env = {"SPACES_ZERO_GPU": "true", "SPACES_ZERO_DEVICE_API_URL": device_api,
           "ZEROGPU_OFFLOAD_DIR": str(tmp_path / "offload"),
           "ZEROGPU_MMAP_AUTOPRUNE_PATTERN": str(tmp_path / "nothing" / "*"),
           "PYTHONPATH": str(tmp_path / "watch"), "MODEL_THREADS_LOG": str(tmp_path / "threads.log")}
    with running_app(tmp_path, embedder_path, reranker_path, wait_for_models=False, extra_env=env,
                     device=None) as app:
        client = app.client()
        try:
            status = client.predict(api_name="/status")
        finally:
            client.close()
        log = app.log_tail(200_000)
    assert status["embedding"]["state"] == "ready" and status["reranker"]["state"] == "ready", log
    assert status["embedding"]["device"] == "cuda" and status["embedding"]["dtype"] == "bfloat16"
    threads = tmp_path / "threads.log"
    assert not threads.exists() or threads.read_text() == "", threads.read_text()
    # This machine has no GPU: the gallery's GPU call fails in ZeroGPU's worker, and says so.
    assert status["gallery"]["state"] == "failed"
    assert "Low-level CUDA init" not in log
    assert np.isfinite(status["embedding"]["load_seconds"])


def test_a_load_that_fails_because_of_the_platform_says_so_not_check_your_network(monkeypatch) -> None:
    from qwen3vl_demo.backends.loader import explain_load_failure

    cuda = RuntimeError("Low-level CUDA init (`torch._C._cuda_init`) reached. This means ZeroGPU's PyTorch CUDA "
                        "emulation mode did not intercept a CUDA operation in your code.")
    monkeypatch.setenv("SPACES_ZERO_GPU", "true")
    message = explain_load_failure("Qwen/Qwen3-VL-Embedding-2B", cuda)
    assert "main thread" in message and "network" not in message
    monkeypatch.delenv("SPACES_ZERO_GPU")
    message = explain_load_failure("Qwen/Qwen3-VL-Embedding-2B", RuntimeError("Found no NVIDIA driver on your system."))
    assert "--device cpu" in message and "network" not in message
    assert "network" in explain_load_failure("Qwen/Qwen3-VL-Embedding-2B", OSError("couldn't connect"))
