"""Closing the tab cancels its long job, through the real chain: headless Chromium on the live app
starts an evaluation of many chunks from the Evaluate tab, the test closes the page, and the
server's own counts (``/status``: chunks run at the models, requests dropped) show the job stopped
between two chunks, long before its end. Nothing is mocked: Gradio marks the session closed when
the page's heartbeat connection drops, and the runner checks that before each chunk."""

from __future__ import annotations

import math
import time
import uuid

import pytest
from conftest import ASSETS, LiveApp, shots

from qwen3vl_demo.core import config
from qwen3vl_demo.core.inputs import estimated_tokens
from qwen3vl_demo.core.items import sample_items

pytestmark = pytest.mark.browser

SAMPLE_SET = ASSETS / "evaluation" / "sample_gallery.csv"  # 18 queries against the 24 samples
QUERIES = 18
STARTED_CHUNKS = 3  # the page is closed once this many chunks of its job have run


def turns(client) -> dict:
    return client.predict(api_name="/status")["turns"]


def wait_for(client, done, what: str, timeout_s: float = 120.0) -> dict:
    """The server's counts once ``done(counts)``; fails naming ``what`` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        counts = turns(client)
        if done(counts):
            return counts
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not seen in {timeout_s:.0f} s; the server counts {counts}")
        time.sleep(0.1)


def full_job_chunks() -> int:
    """The fewest chunks the evaluation below needs to finish: every query reranks all 24 samples
    (depth 30), at least their tokens over one chunk's."""
    corpus = sum(estimated_tokens(item.to_input()) for item in sample_items())
    return QUERIES * math.ceil(corpus / config.TURN_TOKENS)


def test_closing_the_tab_stops_its_evaluation_between_chunks(browser, live_app: LiveApp) -> None:
    client = live_app.client()
    page = shots.new_page(browser)
    try:
        shots.open_app(page, live_app.url)
        shots.select_tab(page, "📊 Evaluate")
        page.locator("#eval-file input[type=file]").set_input_files(str(SAMPLE_SET))
        page.locator("#eval-file").get_by_text(SAMPLE_SET.name).wait_for(timeout=shots.TIMEOUT_MS)
        # an instruction nobody has used: no reranker score is remembered, every pair is computed now
        page.locator("#eval-rerank-instruction textarea").fill(f"Find the photo described ({uuid.uuid4().hex[:8]})")
        page.get_by_label("number input for Rerank depth (0: none)").fill("30")
        before = turns(client)
        page.locator("#eval-button").click()
        at_close = wait_for(client, lambda c: c["chunks"] >= before["chunks"] + STARTED_CHUNKS,
                            "the evaluation running at the model")
        assert at_close["long_jobs"] == 1 and at_close["dropped"] == before["dropped"]
    finally:
        page.close()  # the visitor leaves: the tab closes mid-job
    try:
        dropped = wait_for(client, lambda c: c["dropped"] == before["dropped"] + 1, "the job dropped", 60)
        time.sleep(3)  # many chunks' time on the tiny models: what would have run had the job gone on
        after = turns(client)
    finally:
        client.close()
    assert after["chunks"] == dropped["chunks"] and after["long_jobs"] == 0, "nothing more of it runs"
    ran = after["chunks"] - before["chunks"]
    assert ran <= at_close["chunks"] - before["chunks"] + 2, "stopped within a chunk or two of the close"
    assert ran * 10 < full_job_chunks(), f"{ran} chunks of at least {full_job_chunks()}"
    assert "stopped: the page that asked for this was closed" in live_app.log_tail(20_000)
