"""Micro-batching: results do not depend on how inputs are grouped; batches really are batched."""

from __future__ import annotations

import random

import numpy as np
import pytest
from conftest import ASSETS

from qwen3vl_demo.backends.local import VISION_CHUNK_TOKENS
from qwen3vl_demo.core.batching import plan_batches

IMAGES = ASSETS / "images"


def _embed_items():
    return [
        {"text": "A cyclist rides down a green bike lane."},
        {"image": str(IMAGES / "img_8.jpg")},
        {"text": "short"},
        {"text": "A bathroom with a white shower curtain.", "image": str(IMAGES / "img_6.jpg")},
        {"video": str(ASSETS / "videos" / "bathrooms.mp4"), "fps": 2.0, "max_frames": 4},
        {"text": "一个女人在海滩上和她的狗玩耍。", "instruction": "Find images matching this description"},
        {},
        {"image": [str(IMAGES / "img_4.jpg"), str(IMAGES / "img_5.jpg")]},
    ]


def _rerank_documents():
    return [
        {"text": "A cyclist rides down a green bike lane."},
        {"image": str(IMAGES / "img_8.jpg")},
        {"text": "Kitchen sink.", "image": str(IMAGES / "img_3.jpg")},
        {"text": "A train passing by."},
        {"text": "Wooden spoons laid out on a table, next to a bowl of fresh fruit and a kettle."},
        {},
    ]


QUERY = {"text": "A person riding a bicycle in the city."}


# --- embed ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def embed_reference(embedder):
    return embedder.embed(_embed_items(), batch_size=1)


@pytest.mark.slow  # a model loaded per batch size
@pytest.mark.parametrize("batch_size", [3, None])
def test_embed_independent_of_batch_size(embedder, embed_reference, batch_size):
    vectors = embedder.embed(_embed_items(), batch_size=batch_size)
    assert vectors.shape == embed_reference.shape
    assert np.abs(vectors - embed_reference).max() < 1e-5


def test_embed_independent_of_order(embedder, embed_reference):
    items = _embed_items()
    order = list(range(len(items)))
    random.Random(7).shuffle(order)
    assert order != sorted(order)
    vectors = embedder.embed([items[i] for i in order])
    assert np.abs(vectors - embed_reference[order]).max() < 1e-5


def test_embed_items_are_not_mixed_up(embed_reference):
    # Rows in input order: distinct inputs give distinct vectors (a stale or shared row would not).
    sims = embed_reference @ embed_reference.T
    off_diagonal = sims[~np.eye(len(sims), dtype=bool)]
    assert off_diagonal.max() < 0.9999


def count_forwards(model, monkeypatch) -> list[int]:
    """The size of every forward pass ``model`` makes from now on (the real method still runs)."""
    calls: list[int] = []
    original = model.last_hidden

    def counting(batch):
        calls.append(len(batch))
        return original(batch)

    monkeypatch.setattr(model, "last_hidden", counting)
    return calls


def test_embed_batches_several_items_per_forward(embedder, monkeypatch):
    calls = count_forwards(embedder, monkeypatch)
    items = [{"text": f"caption number {i}"} for i in range(6)]
    vectors = embedder.embed(items, batch_size=4)
    assert vectors.shape[0] == 6
    assert calls == [4, 2]


def test_embed_invalid_batch_size(embedder):
    from qwen3vl_demo import InputError

    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(InputError, match="batch_size"):
            embedder.embed([{"text": "a"}], batch_size=bad)


# --- rerank ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def rerank_reference(reranker):
    return reranker.rerank(QUERY, _rerank_documents(), batch_size=1)


@pytest.mark.slow  # a model loaded per batch size
@pytest.mark.parametrize("batch_size", [3, None])
def test_rerank_independent_of_batch_size(reranker, rerank_reference, batch_size):
    scores = reranker.rerank(QUERY, _rerank_documents(), batch_size=batch_size)
    assert len(scores) == len(rerank_reference)
    np.testing.assert_allclose(scores, rerank_reference, atol=1e-5, rtol=0)


def test_rerank_independent_of_order(reranker, rerank_reference):
    documents = _rerank_documents()
    order = [4, 1, 5, 0, 3, 2]
    scores = reranker.rerank(QUERY, [documents[i] for i in order])
    np.testing.assert_allclose(scores, [rerank_reference[i] for i in order], atol=1e-5, rtol=0)
    assert len(set(np.round(rerank_reference, 7))) == len(rerank_reference)  # distinct scores


def test_rerank_uses_fewer_forward_passes_than_documents(reranker, rerank_reference, monkeypatch):
    calls = count_forwards(reranker, monkeypatch)
    scores = reranker.rerank(QUERY, _rerank_documents())
    assert sum(calls) == 6
    assert len(calls) < 6
    np.testing.assert_allclose(scores, rerank_reference, atol=1e-5, rtol=0)


def test_rerank_no_documents(reranker):
    assert reranker.rerank(QUERY, []) == []


# --- plan_batches ---------------------------------------------------------------------------------
def _check_plan(lengths, batch_size, batch_tokens):
    batches = plan_batches(lengths, batch_size, batch_tokens)
    flat = [i for batch in batches for i in batch]
    assert sorted(flat) == list(range(len(lengths))), "every index exactly once"
    for batch in batches:
        assert batch, "no empty batch"
        assert len(batch) <= batch_size
        longest = max(lengths[i] for i in batch)
        if len(batch) > 1:
            assert longest * len(batch) <= batch_tokens, (batch, [lengths[i] for i in batch])
        if longest > batch_tokens:
            assert len(batch) == 1, "an oversize item runs alone"
    return batches


def test_plan_batches_random():
    rng = random.Random(1234)
    for _ in range(300):
        n = rng.randint(0, 40)
        lengths = [rng.choice([rng.randint(1, 50), rng.randint(1, 5000)]) for _ in range(n)]
        _check_plan(lengths, rng.randint(1, 10), rng.randint(1, 4000))


def test_plan_batches_oversize_items_alone():
    lengths = [10, 5000, 20, 9000, 30]
    batches = _check_plan(lengths, 8, 1000)
    assert [1] in batches and [3] in batches
    assert sorted([0, 2, 4]) in [sorted(b) for b in batches]


def test_plan_batches_respects_batch_size():
    batches = _check_plan([5] * 10, 3, 10**6)
    assert [len(b) for b in batches] == [3, 3, 3, 1]


def test_plan_batches_respects_token_budget():
    # 4 items of 100 tokens under a 250-token budget: two per batch.
    batches = _check_plan([100, 100, 100, 100], 8, 250)
    assert [len(b) for b in batches] == [2, 2]


def test_plan_batches_groups_similar_lengths():
    lengths = [1000, 3, 1000, 4, 1000, 5]
    batches = _check_plan(lengths, 3, 10**6)
    assert sorted(map(sorted, batches)) == [[0, 2, 4], [1, 3, 5]]


def test_plan_batches_empty():
    assert plan_batches([], 4, 100) == []


# --- vision features: each distinct image encoded once ----------------------------------------------
@pytest.mark.slow  # models of their own, whole galleries
class TestVisionFeatureReuse:
    def _count_encodes(self, monkeypatch, model) -> list[int]:
        calls: list[int] = []
        original = model.backbone.get_image_features

        def counting(pixel_values, image_grid_thw=None, **kwargs):
            calls.append(len(image_grid_thw))
            return original(pixel_values, image_grid_thw, **kwargs)

        monkeypatch.setattr(model.backbone, "get_image_features", counting)
        return calls

    def test_image_query_is_encoded_once_for_all_pairs(self, reranker_path, monkeypatch):
        from qwen3vl_demo import load_reranker

        rr = load_reranker(reranker_path, device="cpu", vision_cache_mb=64)
        calls = self._count_encodes(monkeypatch, rr)
        query = {"image": str(ASSETS / "images" / "img_4.jpg")}
        docs = [{"text": t} for t in ("Wooden spoons.", "A train.", "A kitchen.", "Cyclists.")]
        scores = rr.rerank(query, docs)
        assert sum(calls) == 1  # one image encoded, though it appears in four pairs
        one_by_one = [rr.rerank(query, [d])[0] for d in docs]
        np.testing.assert_allclose(scores, one_by_one, atol=1e-5)

    def test_cached_features_give_the_same_scores_as_fresh_ones(self, reranker_path):
        from qwen3vl_demo import load_reranker

        fresh = load_reranker(reranker_path, device="cpu", vision_cache_mb=0)
        cached = load_reranker(reranker_path, device="cpu", vision_cache_mb=64)
        query = {"text": "A bathroom."}
        docs = [{"image": str(ASSETS / "images" / f"img_{i}.jpg")} for i in (6, 7, 9)]
        cached.rerank(query, docs)  # fills the cache
        np.testing.assert_allclose(cached.rerank(query, docs), fresh.rerank(query, docs), atol=1e-5)

    def test_remembered_gallery_features_skip_the_tower_and_give_the_same_scores(self, reranker_path,
                                                                                   monkeypatch):
        from qwen3vl_demo import load_reranker

        fresh = load_reranker(reranker_path, device="cpu", vision_cache_mb=0)
        warmed = load_reranker(reranker_path, device="cpu", vision_cache_mb=48)
        docs = [{"image": str(ASSETS / "images" / f"img_{i}.jpg")} for i in (0, 5, 8)] + [
            {"video": str(ASSETS / "videos" / "cycling.mp4")}, {"text": "A kitchen."}]
        assert warmed.remember_visuals(docs) == 4  # three images and a video; text has none
        calls = self._count_encodes(monkeypatch, warmed)
        query = {"text": "Cyclists in a city."}
        scores = warmed.rerank(query, docs)
        assert calls == []  # every document's vision features were there already
        np.testing.assert_allclose(scores, fresh.rerank(query, docs), atol=1e-5)

    def test_remembering_stops_before_the_budget_is_exceeded(self, reranker_path):
        from qwen3vl_demo import load_reranker

        small = load_reranker(reranker_path, device="cpu", vision_cache_mb=0.4)  # room for two or three of them
        docs = [{"image": str(ASSETS / "images" / f"img_{i}.jpg")} for i in range(6)]
        done = small.remember_visuals(docs)
        assert 0 < done < len(docs)
        assert small.vision_cache.bytes <= small.vision_cache.max_bytes
        assert len(small.vision_cache._entries) == done  # nothing encoded was evicted again

    def test_zero_budget_keeps_nothing_and_still_works_within_one_batch(self, embedder_path):
        from qwen3vl_demo import load_embedder

        emb = load_embedder(embedder_path, device="cpu", vision_cache_mb=0)
        items = [{"image": str(ASSETS / "images" / f"img_{i}.jpg")} for i in (1, 2, 3, 1)]
        vectors = emb.embed(items)
        assert emb.vision_cache.bytes == 0 and len(emb.vision_cache._entries) == 0
        np.testing.assert_allclose(vectors[0], vectors[3], atol=1e-6)  # the repeat reused, in-batch
        np.testing.assert_allclose(vectors, emb.embed(items, batch_size=1), atol=1e-5)


def test_vision_chunks_keep_order_and_respect_the_budget():
    from qwen3vl_demo.backends.vision_cache import chunks as _chunks

    entries = [(str(i), size) for i, size in enumerate([500, 700, 900, 3000, 100, 100])]
    chunks = _chunks(entries, lambda size: size, 2048)
    assert [key for chunk in chunks for key, _ in chunk] == [str(i) for i in range(6)]
    assert [[size for _, size in chunk] for chunk in chunks] == [[500, 700], [900], [3000], [100, 100]]
    assert _chunks([], lambda size: size, 2048) == []


@pytest.mark.slow  # a model of its own
def test_encoding_images_in_chunks_gives_the_vectors_of_one_pass(embedder_path):
    from qwen3vl_demo import load_embedder

    emb = load_embedder(embedder_path, device="cpu", vision_cache_mb=0)
    items = [{"image": str(ASSETS / "documents" / f"doc_{i}.jpg")} for i in range(3)] + [
        {"image": str(ASSETS / "images" / "img_3.jpg")}]
    try:
        emb.vision_chunk_tokens = 1  # one image per chunk
        chunked = emb.embed(items)
        emb.vision_chunk_tokens = 2**62  # all at once, as the official code does
        whole = emb.embed(items)
    finally:
        emb.vision_chunk_tokens = VISION_CHUNK_TOKENS
    np.testing.assert_allclose(chunked, whole, atol=1e-5)


def test_plan_batches_runs_flagged_items_alone():
    batches = plan_batches([10, 20, 30, 40], batch_size=8, batch_tokens=10_000,
                           solo=[False, True, False, True])
    assert [1] in batches and [3] in batches
    assert sorted(i for b in batches for i in b) == [0, 1, 2, 3]
    assert [0, 2] in batches
