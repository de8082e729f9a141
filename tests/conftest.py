"""Shared test fixtures: the tiny checkpoints, their goldens and the sample media.

Parity tests find the fixtures through ``QWEN3VL_FIXTURES`` (default ``../shared/fixtures``).
Under CI (``CI`` set) a missing fixture directory is an error, not a skip.
"""

from __future__ import annotations

import json
import os
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
