"""--mcp: the app also serves embed, search and rerank as MCP tools (Gradio's MCP server)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import ROOT, LiveApp, app_env, free_port, stop_process, wait_until_ready

pytestmark = pytest.mark.app  # its own app.py, started with --mcp


@pytest.fixture(scope="module")
def mcp_app(embedder_path: str, reranker_path: str, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("mcp-app")
    port = free_port()
    log = root / "server.log"
    command = [sys.executable, str(ROOT / "app.py"), "--embedder", embedder_path, "--reranker", reranker_path,
               "--device", "cpu", "--port", str(port), "--host", "127.0.0.1", "--mcp"]
    with log.open("wb") as handle:
        process = subprocess.Popen(command, cwd=ROOT, env=app_env(root / "cache", root / "gradio"),
                                   stdout=handle, stderr=subprocess.STDOUT)
    app = LiveApp(f"http://127.0.0.1:{port}/", process, log, embedder_path, reranker_path)
    try:
        wait_until_ready(app, time.monotonic() + 120)
        yield app
    finally:
        stop_process(process)


def test_schema_lists_embed_search_and_rerank_with_descriptions(mcp_app: LiveApp):
    with urllib.request.urlopen(mcp_app.url + "gradio_api/mcp/schema", timeout=30) as response:
        tools = {tool["name"]: tool for tool in json.load(response)}
    assert {"embed", "search", "rerank"} <= set(tools)
    assert "Qwen3-VL-Embedding" in tools["embed"]["description"]
    assert "Qwen3-VL-Reranker" in tools["rerank"]["description"]
    assert {"query_text", "k", "rerank", "dim"} <= set(tools["search"]["inputSchema"]["properties"])


def test_schema_lists_the_evaluation(mcp_app: LiveApp):
    with urllib.request.urlopen(mcp_app.url + "gradio_api/mcp/schema", timeout=30) as response:
        tools = {tool["name"]: tool for tool in json.load(response)}
    assert "evaluate" in tools and "nDCG@10" in tools["evaluate"]["description"]
    assert {"file", "depth", "query_instruction"} <= set(tools["evaluate"]["inputSchema"]["properties"])


def test_schema_lists_where_it_matches(mcp_app: LiveApp):
    with urllib.request.urlopen(mcp_app.url + "gradio_api/mcp/schema", timeout=30) as response:
        tools = {tool["name"]: tool for tool in json.load(response)}
    assert "explain" in tools and "map over the image" in tools["explain"]["description"]
    assert {"query_text", "document_file", "model", "method"} <= set(tools["explain"]["inputSchema"]["properties"])


def test_an_mcp_client_calls_the_rerank_tool(mcp_app: LiveApp, reranker):
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async def call() -> str:
        async with streamable_http_client(mcp_app.url + "gradio_api/mcp/") as (read, write, _):
            async with ClientSession(read, write) as session:
                await session.initialize()
                names = {tool.name for tool in (await session.list_tools()).tools}
                assert {"embed", "search", "rerank"} <= names
                result = await session.call_tool("rerank", {
                    "query_text": "A dog on a beach.", "instruction": "",
                    "document_text": "A dog runs on the sand.\nA kitchen sink."})
                return "\n".join(getattr(part, "text", "") for part in result.content)

    text = asyncio.run(call())
    expected = reranker.rerank({"text": "A dog on a beach."},
                               [{"text": "A dog runs on the sand."}, {"text": "A kitchen sink."}])
    for score in expected:
        assert f"{score:.4f}"[:5] in text
