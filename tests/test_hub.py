"""Models from a hub id, through the real huggingface_hub client, against a local HTTP server that
serves the fixtures as the Hub does (``HF_ENDPOINT``): the download's progress reaches the model's
slot (what the header shows), the model is the same as loaded from the folder, and an unreachable
Hub fails at once with the way out (``--tiny``). Each run is a fresh process: huggingface_hub reads
its endpoint when imported."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import ROOT

from qwen3vl_demo.ui.header import download_text

REPO = "fake-org/tiny-embedding"
SHA = "a" * 40


def hub_handler(folder: Path, seconds_per_mb: float) -> type:
    files = sorted(p.name for p in folder.iterdir() if p.is_file())

    class Hub(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_HEAD(self) -> None:
            self.do_GET(body=False)

        def send_json(self, data: object) -> None:
            body = json.dumps(data).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self, body: bool = True) -> None:
            path = urllib.parse.urlsplit(self.path).path
            if path.startswith(f"/api/models/{REPO}/revision/"):
                return self.send_json({"id": REPO, "sha": SHA, "siblings": [{"rfilename": f} for f in files]})
            if path.startswith(f"/api/models/{REPO}/tree/"):
                return self.send_json([{"type": "file", "path": f, "size": (folder / f).stat().st_size,
                                        "oid": hashlib.sha1((folder / f).read_bytes()).hexdigest()} for f in files])
            name = path.rsplit("/", 1)[-1]
            if path.startswith(f"/{REPO}/resolve/") and name in files:
                data = (folder / name).read_bytes()
                self.send_response(200)
                self.send_header("X-Repo-Commit", SHA)
                self.send_header("ETag", f'"{hashlib.sha1(data).hexdigest()}"')
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                for start in range(0, len(data) if body else 0, 1 << 20):  # slowly, as over a network
                    self.wfile.write(data[start:start + (1 << 20)])
                    time.sleep(seconds_per_mb)
                return None
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None

    return Hub


@pytest.fixture()
def fake_hub(embedder_path: str) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), hub_handler(Path(embedder_path), seconds_per_mb=0.05))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def run(code: str, endpoint: str, home: Path, timeout: float = 180) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_ENDPOINT": endpoint, "HF_HOME": str(home), "PYTHONPATH": str(ROOT)}
    env.pop("HF_HUB_OFFLINE", None)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT)


SLOT_SCRIPT = """
import json, sys, time
from qwen3vl_demo import load_embedder
from qwen3vl_demo.service.slots import ModelSlot
slot = ModelSlot("embedding", sys.argv[1] if len(sys.argv) > 1 else {repo!r}, load_embedder, device="cpu")
slot.start()
seen = []
while slot.state == "loading":
    if "download" in slot.describe():
        seen.append(slot.describe()["download"])
    time.sleep(0.05)
vector = slot.get().embed([{{"text": "a dog"}}])[0]
local = load_embedder({fixture!r}, device="cpu").embed([{{"text": "a dog"}}])[0]
print(json.dumps({{"state": slot.state, "seen": seen, "cosine": float(vector @ local),
                  "path": slot.instance.info.path}}))
"""


@pytest.mark.slow  # a child Python process against a local Hub
def test_a_hub_model_downloads_with_progress_and_is_the_same_model(fake_hub, embedder_path, tmp_path):
    done = run(SLOT_SCRIPT.format(repo=REPO, fixture=embedder_path), fake_hub, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    total = sum(p.stat().st_size for p in Path(embedder_path).iterdir() if p.is_file())
    assert report["state"] == "ready" and report["cosine"] > 0.999999
    assert "snapshots" in report["path"]  # loaded from the Hub's cache, through from_pretrained
    seen = report["seen"]
    assert len(seen) >= 3, "the slot should show the download while it runs"
    assert [s["done_bytes"] for s in seen] == sorted(s["done_bytes"] for s in seen)
    assert 0 < seen[-1]["total_bytes"] <= total and seen[-1]["bytes_per_s"] > 0
    again = run(SLOT_SCRIPT.format(repo=REPO, fixture=embedder_path), "http://127.0.0.1:9", tmp_path)
    assert again.returncode == 0, again.stderr[-3000:]  # then offline: served from the cache
    assert json.loads(again.stdout.strip().splitlines()[-1])["state"] == "ready"


@pytest.mark.slow  # a child Python process
def test_an_unreachable_hub_fails_at_once_with_the_way_out(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = ("import time; from qwen3vl_demo import load_embedder, ModelLoadError\n"
            "started = time.monotonic()\n"
            "try:\n    load_embedder('Qwen/Qwen3-VL-Embedding-2B', device='cpu')\n"
            "except ModelLoadError as exc:\n    print(round(time.monotonic() - started, 1), exc)\n")
    done = run(code, f"http://127.0.0.1:{port}", tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    seconds, message = done.stdout.strip().split(" ", 1)
    assert "cannot be reached" in message and "--tiny" in message and "not in the local cache" in message
    print(f"unreachable Hub refused after {seconds} s")


def test_the_header_says_how_much_is_left():
    text = download_text({"done_bytes": 1.2e9, "total_bytes": 4.3e9, "bytes_per_s": 35e6, "seconds_left": 88.6})
    assert text.english == "downloading 1.2 of 4.3 GB · 35 MB/s · about 89 s left"
    assert text.texts["zh-CN"] == "正在下载 1.2 / 4.3 GB · 35 MB/秒 · 约剩 89 秒"
