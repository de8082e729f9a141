"""Shared test fixtures: the tiny checkpoints, their goldens and the sample media.

Parity tests find the fixtures through ``QWEN3VL_FIXTURES`` (default ``../shared/fixtures``).
Under CI (``CI`` set) a missing fixture directory is an error, not a skip.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(os.environ.get("QWEN3VL_FIXTURES", ROOT.parent / "shared" / "fixtures")).resolve()
SHARED_ASSETS = FIXTURES.parent / "assets"
ASSETS = ROOT / "assets"  # the project's own copy of the sample media


def _require(path: Path) -> Path:
    if not path.exists():
        message = f"test fixtures not found at {path}; set QWEN3VL_FIXTURES"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return _require(FIXTURES)


@pytest.fixture(scope="session")
def embedder_path(fixtures_dir: Path) -> str:
    return str(_require(fixtures_dir / "tiny-qwen3vl-embedding"))


@pytest.fixture(scope="session")
def reranker_path(fixtures_dir: Path) -> str:
    return str(_require(fixtures_dir / "tiny-qwen3vl-reranker"))


@pytest.fixture(scope="session")
def golden(fixtures_dir: Path) -> dict:
    return json.loads(_require(fixtures_dir / "golden" / "public.json").read_text())


@pytest.fixture(scope="session")
def embedder(embedder_path: str):
    from qwen3vl_demo import load_embedder

    return load_embedder(embedder_path, device="cpu")


@pytest.fixture(scope="session")
def reranker(reranker_path: str):
    from qwen3vl_demo import load_reranker

    return load_reranker(reranker_path, device="cpu")


def golden_input(obj: dict, assets: Path = ASSETS) -> dict:
    """A golden case's input with media paths made absolute (they are relative to assets/)."""
    obj = dict(obj)
    for key in ("image", "video"):
        if key in obj:
            value = obj[key]
            obj[key] = [str(assets / v) for v in value] if isinstance(value, list) else str(assets / value)
    return obj


# --- The real app, started once per test session (end-to-end and browser tests) ----------------
APP_START_TIMEOUT = 120.0  # seconds until the page answers and both models report "ready"


def example_args(example: list, names: list[str]) -> dict:
    """A UI example row as API keyword arguments (files wrapped with handle_file)."""
    from gradio_client import handle_file

    def wrap(value):
        if isinstance(value, list):
            return [handle_file(v) for v in value]
        if isinstance(value, str) and Path(value).is_file():
            return handle_file(value)
        return value

    return {name: wrap(value) for name, value in zip(names, example, strict=True)}


@dataclass
class LiveApp:
    """A running ``app.py`` subprocess on the tiny fixtures."""

    url: str
    process: subprocess.Popen
    log: Path
    embedder: str
    reranker: str

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no log)"

    def client(self, download_dir: Path | None = None):
        """A new gradio_client session on the app (each Client is its own browser-like session)."""
        from gradio_client import Client

        return Client(self.url, verbose=False, analytics_enabled=False,
                      download_files=str(download_dir) if download_dir else False)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _app_env(cache: Path, gradio_tmp: Path) -> dict[str, str]:
    """This environment without settings that would override the command line (QWEN3VL_TINY...)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QWEN3VL_", "GRADIO_"))}
    env.update(QWEN3VL_CACHE=str(cache), GRADIO_TEMP_DIR=str(gradio_tmp), GRADIO_ANALYTICS_ENABLED="False",
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONUNBUFFERED="1")
    return env


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def _wait_until_ready(app: LiveApp, deadline: float, models: bool = True) -> None:
    """Until the page answers and (if ``models``) /status reports both models ready (and the sample
    gallery indexed, where the app reports an index)."""
    import urllib.error
    import urllib.request

    def check_alive() -> None:
        if app.process.poll() is not None:
            raise RuntimeError(f"app.py exited with code {app.process.returncode}")

    while True:  # 1. the page
        check_alive()
        try:
            with urllib.request.urlopen(app.url, timeout=5) as response:
                if response.status == 200:
                    break
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{app.url} did not answer in time")
        time.sleep(0.3)
    if not models:
        return
    client = app.client()
    try:
        while True:  # 2. both models
            check_alive()
            status = client.predict(api_name="/status")
            states = {k: status[k]["state"] for k in ("embedding", "reranker")}
            gallery = status.get("gallery", {}).get("state", "ready")  # the sample gallery's index
            if all(s == "ready" for s in states.values()) and gallery in ("ready", "failed"):
                return
            if "failed" in states.values():
                errors = {k: status[k].get("error") for k in states}
                raise RuntimeError(f"a model failed to load: {errors}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"models not ready in time: {states}")
            time.sleep(0.5)
    finally:
        client.close()


@contextlib.contextmanager
def running_app(root: Path, embedder_path: str, reranker_path: str, cache: Path | None = None,
                wait_for_models: bool = True, extra_env: dict[str, str] | None = None,
                device: str | None = "cpu", timeout: float = APP_START_TIMEOUT) -> Iterator[LiveApp]:
    """``python app.py --embedder … --reranker … --device cpu --dtype float32`` (exact, to compare
    with the model layer; ``device`` None: the app's own choice of device and dtype) on a free loopback port, its files
    under ``root`` (its cache in ``cache`` if given), ready when entered (its models loaded, unless
    ``wait_for_models`` is false), stopped on exit."""
    env = {**_app_env(cache or root / "cache", root / "gradio"), **(extra_env or {})}
    deadline = time.monotonic() + timeout
    for attempt in range(3):  # another process may take the free port before the app binds it
        port = _free_port()
        log = root / f"server-{attempt}.log"
        command = [sys.executable, str(ROOT / "app.py"), "--embedder", embedder_path, "--reranker", reranker_path,
                   *(["--device", device, "--dtype", "float32"] if device else []), "--port", str(port),
                   "--host", "127.0.0.1"]
        with log.open("wb") as handle:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
        app = LiveApp(f"http://127.0.0.1:{port}/", process, log, embedder_path, reranker_path)
        try:
            _wait_until_ready(app, deadline, wait_for_models)
        except BaseException as exc:
            _stop(process)
            if not isinstance(exc, Exception):  # Ctrl-C: stop the server, then stop
                raise
            if "Cannot find empty port" in app.log_tail() and attempt < 2:
                continue
            pytest.fail(f"the app did not start: {exc}\n--- server log ---\n{app.log_tail()}",
                        pytrace=False)
        break
    try:
        yield app
    finally:
        _stop(app.process)


@pytest.fixture(scope="session")
def live_app(embedder_path: str, reranker_path: str, tmp_path_factory: pytest.TempPathFactory):
    """The app, started once per session, stopped at teardown (also when startup or a test fails)."""
    with running_app(tmp_path_factory.mktemp("live-app"), embedder_path, reranker_path) as app:
        yield app


@pytest.fixture
def start_app(embedder_path: str, reranker_path: str):
    """``with start_app(root, cache) as app:``: a fresh app.py, for tests of start-up itself
    (``embedder=`` another model directory, ``wait_for_models=False`` to return once the page is up)."""
    return lambda root, cache=None, embedder=None, wait_for_models=True: running_app(
        root, embedder or embedder_path, reranker_path, cache, wait_for_models)
