"""The sentence-transformers peer (tools.st_peer): it loads from the reproduced Hub configuration,
and the parity figures docs/sentence-transformers.md quotes are what it computes on the test checkpoints.

Skipped unless sentence-transformers is installed (it is not a requirement of the project: an
``optional`` part, the only kind of test allowed to skip)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qwen3vl_demo.tools import st_peer

pytestmark = [pytest.mark.optional, pytest.mark.skipif(not st_peer.available(),
                                                       reason="sentence-transformers is not installed")]


@pytest.fixture(scope="module")
def peer_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.mktemp("st-peer-cache")
    old = os.environ.get("QWEN3VL_CACHE")
    os.environ["QWEN3VL_CACHE"] = str(cache)
    yield cache
    if old is None:
        os.environ.pop("QWEN3VL_CACHE")
    else:
        os.environ["QWEN3VL_CACHE"] = old


@pytest.fixture(scope="module")
def cases(peer_cache: Path, embedder_path: str, reranker_path: str) -> dict[str, st_peer.Case]:
    return {case.name: case for case in st_peer.parity(embedder_path, reranker_path)}


def test_the_peer_loads_as_a_user_loads_it(peer_cache: Path, embedder_path: str, reranker_path: str) -> None:
    encoder = st_peer.load_peer(embedder_path, "embedder")
    assert [type(m).__name__ for m in encoder] == ["Transformer", "Pooling", "Normalize"]
    assert encoder[0].transformer_task == "feature-extraction" and "message" in encoder[0].modality_config
    assert encoder[1].pooling_mode == "lasttoken"
    assert encoder.get_embedding_dimension() == 64  # the tiny text model's hidden size, filled in
    assert encoder.prompts["document"] == "Represent the user's input." and encoder.default_prompt_name == "document"
    cross = st_peer.load_peer(reranker_path, "reranker")
    assert [type(m).__name__ for m in cross] == ["Transformer", "LogitScore"]
    assert (cross[1].true_token_id, cross[1].false_token_id) == (9693, 2152)  # "yes", "no"
    folder = st_peer.peer_dir(embedder_path, "embedder")
    assert folder.is_relative_to(peer_cache) and (folder / "model.safetensors").is_symlink()  # weights not copied


def test_embedding_parity_per_case(cases: dict[str, st_peer.Case]) -> None:
    embedding = {name: c for name, c in cases.items() if c.kind == "embedding"}
    assert len(embedding) == 11 and all(c.passes(c.ours) for c in embedding.values())
    # the configuration is reproduced faithfully: where the peer formats as the official code does, it agrees
    for name in ("text_query_with_instruction", "text_document_default_instruction", "image_photo",
                 "two_images", "chinese_text"):
        assert embedding[name].peer >= 0.9999, name
    # where it does not: parts in the caller's order (text before image), no punctuation rule, its
    # processor's pixel cap on a large page, an empty input refused
    assert embedding["text_and_image"].peer < 0.99
    assert 0.98 < embedding["instruction_without_final_punctuation"].peer < 0.9999
    assert 0.99 < embedding["image_large_document_figure"].peer < 0.9999
    assert embedding["empty_input"].peer is None and "Empty" in embedding["empty_input"].error
    for name in ("video_file_defaults", "video_file_fps2_max8"):
        if not st_peer.peer_decodes_video():
            assert embedding[name].peer is None and "torchcodec" in embedding[name].error
        else:
            assert not embedding[name].passes(embedding[name].peer)
    lines = st_peer.parity_lines(list(cases.values()))
    assert any("ours passes 11/11" in line for line in lines)


def test_reranker_parity_per_case(cases: dict[str, st_peer.Case]) -> None:
    # the reproduced chat template writes the official prompt: an image query over texts agrees
    image_query = cases["custom_instruction_image_query"]
    assert image_query.passes(image_query.ours) and image_query.passes(image_query.peer)
    mixed = cases["text_query_mixed_documents"]
    assert mixed.passes(mixed.ours) and not mixed.passes(mixed.peer)
    if not st_peer.peer_decodes_video():  # the video document raises; the text+image one is off (part order)
        alone = mixed.error.split("each document alone: ")[1].split(", ")
        assert alone[3] == "raises" and float(alone[2]) > 1e-3 and float(alone[0]) <= 1e-3


def test_the_bench_says_when_the_peer_cannot_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(st_peer, "available", lambda: False)
    lines = st_peer.bench_lines("x", "y", None, 1)
    assert len(lines) == 1 and "skipped" in lines[0] and "pip install sentence-transformers" in lines[0]
