"""Parity with the official implementation: golden embeddings and scores (the checks of
``python -m qwen3vl_demo.tools.parity``), and the video prompt format."""

from __future__ import annotations

import re

import numpy as np
import pytest
from conftest import ASSETS, golden_input

from qwen3vl_demo.core import formatting
from qwen3vl_demo.tools import parity


@pytest.fixture(scope="module")
def embedding_checks(embedder, golden) -> list[parity.Check]:
    return parity.embedding_checks(embedder, golden["embedding"])


@pytest.fixture(scope="module")
def reranker_checks(reranker, golden) -> list[parity.Check]:
    return parity.reranker_checks(reranker, golden["reranker"])


# --- embedder: golden cases ---------------------------------------------------------------------
def test_every_golden_embedding_case_alone(embedding_checks, golden):
    alone = [c for c in embedding_checks if c.kind == "alone"]
    assert [c.case for c in alone] == [case["name"] for case in golden["embedding"]]
    assert not [c for c in alone if not c.passed]


def test_all_golden_embedding_cases_in_one_batch(embedding_checks, golden):
    batched = [c for c in embedding_checks if c.kind == "batched"]
    assert len(batched) == len(golden["embedding"])
    assert not [c for c in batched if not c.passed]


def test_vectors_are_float32_rows_of_unit_length(embedder, golden):
    cases = golden["embedding"][:3]
    vectors = embedder.embed([golden_input(c["input"]) for c in cases])
    assert vectors.shape == (3, len(cases[0]["embedding"])) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_golden_embedding_cases_are_distinct(golden):
    # Guards the parity tests themselves: the cases must not all be (nearly) the same vector.
    vectors = np.array([c["embedding"] for c in golden["embedding"]])
    sims = vectors @ vectors.T
    assert (sims[~np.eye(len(vectors), dtype=bool)] < 0.999).all()


def test_the_tolerances_tell_a_changed_prompt_apart(embedder, golden):
    # One token more in the prompt must fail the check: the tolerance is tight enough to matter.
    case = golden["embedding"][0]
    changed = dict(golden_input(case["input"]), text=case["input"]["text"] + " Now.")
    assert parity.cosine(embedder.embed([changed])[0], case["embedding"]) < parity.COSINE_MIN


# --- reranker: golden cases ---------------------------------------------------------------------
def test_every_golden_reranker_case(reranker_checks, golden):
    assert len(reranker_checks) == sum(len(case["scores"]) for case in golden["reranker"])
    assert not [c for c in reranker_checks if not c.passed]


def test_the_summary_table_is_what_readme_quotes(embedding_checks, reranker_checks):
    table = parity.summary_table(embedding_checks + reranker_checks)
    assert table[2].startswith("| embeddings, each case alone and all in one batch (22 checks) | min cosine 1.0000")
    assert table[3].startswith("| reranker scores (6 scores) | max difference 0.0000")


# --- video prompt format ------------------------------------------------------------------------
def _video_prompt(embedder, item):
    prepared = embedder.prepare(item)
    tokens = embedder.tokenizer.convert_ids_to_tokens(prepared.ids)
    return prepared, tokens, embedder.tokenizer.decode(prepared.ids)


@pytest.mark.parametrize(
    "item",
    [
        {"video": str(ASSETS / "videos" / "cycling.mp4")},
        {"video": str(ASSETS / "videos" / "bathrooms.mp4"), "fps": 2.0, "max_frames": 8},
    ],
    ids=["cycling_defaults", "bathrooms_fps2_max8"],
)
def test_video_prompt_has_no_outer_vision_pair(embedder, item):
    prepared, tokens, _ = _video_prompt(embedder, item)
    assert len(prepared.videos) == 1
    starts = [i for i, t in enumerate(tokens) if t == formatting.VISION_START]
    ends = [i for i, t in enumerate(tokens) if t == formatting.VISION_END]
    clip = prepared.videos[0]
    # One vision_start/vision_end pair per temporal group, nothing around them.
    assert len(starts) == len(ends) == clip.groups
    for start in starts:
        assert tokens[start + 1] == formatting.VIDEO_PAD, "vision_start followed by a timestamp"
    for end in ends:
        assert tokens[end - 1] == formatting.VIDEO_PAD
    # Each group holds exactly tokens_per_group video pads.
    for start, end in zip(starts, ends, strict=True):
        assert end - start - 1 == clip.tokens_per_group
        assert set(tokens[start + 1 : end]) == {formatting.VIDEO_PAD}
    # The token right before each vision_start closes a timestamp "<t seconds>".
    for start in starts:
        assert embedder.tokenizer.decode(prepared.ids[start - 1]).endswith(">")


def test_video_prompt_has_one_timestamp_per_temporal_group(embedder):
    item = {"video": str(ASSETS / "videos" / "cycling.mp4")}
    prepared, _, text = _video_prompt(embedder, item)
    clip = prepared.videos[0]
    # cycling.mp4: 96 frames at 8 fps, sampled at 1 fps -> 12 frames -> 6 groups.
    assert clip.groups == 6
    stamps = re.findall(r"<(\d+\.\d) seconds>", text)
    assert stamps == ["0.6", "2.7", "4.9", "7.0", "9.2", "11.3"]
    assert text.count("<0.6 seconds>") == 1
    # Timestamps sit immediately before each group's vision_start, with no outer pair.
    compact = re.sub(r"(<\|video_pad\|>)+", "<P>", text)
    groups = "".join(f"<{s} seconds><|vision_start|><P><|vision_end|>" for s in stamps)
    assert f"<|im_start|>user\n{groups}<|im_end|>" in compact
    assert "<|vision_start|><0" not in compact
    assert "<|vision_end|><|vision_end|>" not in compact
