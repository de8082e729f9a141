"""Parity with the official implementation: golden embeddings and scores, and the video prompt format."""

from __future__ import annotations

import re

import numpy as np
import pytest
from conftest import ASSETS, golden_input

from qwen3vl_demo.core import formatting

COSINE_MIN = 0.9999
SCORE_TOL = 1e-3


def _cosine(a, b) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


# --- embedder: golden cases ---------------------------------------------------------------------
def test_every_golden_embedding_case_alone(embedder, golden):
    failures = []
    for case in golden["embedding"]:
        vector = embedder.embed([golden_input(case["input"])])
        assert vector.shape == (1, len(case["embedding"]))
        assert vector.dtype == np.float32
        cos = _cosine(vector[0], case["embedding"])
        if cos < COSINE_MIN:
            failures.append(f"{case['name']}: cosine {cos:.6f}")
    assert not failures, failures


def test_all_golden_embedding_cases_in_one_batch(embedder, golden):
    cases = golden["embedding"]
    vectors = embedder.embed([golden_input(c["input"]) for c in cases])
    assert vectors.shape == (len(cases), len(cases[0]["embedding"]))
    failures = [
        f"{c['name']}: cosine {_cosine(v, c['embedding']):.6f}"
        for c, v in zip(cases, vectors, strict=True)
        if _cosine(v, c["embedding"]) < COSINE_MIN
    ]
    assert not failures, failures
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_golden_embedding_cases_are_distinct(golden):
    # Guards the parity tests themselves: the cases must not all be (nearly) the same vector.
    vectors = np.array([c["embedding"] for c in golden["embedding"]])
    sims = vectors @ vectors.T
    assert (sims[~np.eye(len(vectors), dtype=bool)] < 0.999).all()


# --- reranker: golden cases ---------------------------------------------------------------------
def test_every_golden_reranker_case(reranker, golden):
    failures = []
    for case in golden["reranker"]:
        data = case["input"]
        scores = reranker.rerank(
            golden_input(data["query"]),
            [golden_input(d) for d in data["documents"]],
            instruction=data.get("instruction"),
        )
        assert len(scores) == len(case["scores"])
        for i, (got, want) in enumerate(zip(scores, case["scores"], strict=True)):
            assert 0.0 < got < 1.0
            if abs(got - want) > SCORE_TOL:
                failures.append(f"{case['name']} doc {i}: {got:.6f} vs {want:.6f}")
    assert not failures, failures


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
