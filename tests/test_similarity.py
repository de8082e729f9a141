"""Similarity maths against plain numpy references. Matrices are [n_queries, n_docs]."""

from __future__ import annotations

import numpy as np
import pytest

from qwen3vl_demo.core.similarity import l2_normalize, similarity_matrix, top_k, truncate_dim


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


@pytest.fixture
def rng():
    return np.random.default_rng(2024)


# --- similarity_matrix ----------------------------------------------------------------------------
@pytest.mark.parametrize(("n_queries", "n_docs", "dim"), [(1, 1, 8), (3, 5, 64), (7, 2, 2048), (4, 4, 3)])
def test_similarity_matrix_matches_numpy(rng, n_queries, n_docs, dim):
    queries = rng.normal(size=(n_queries, dim)) * rng.uniform(0.1, 10, size=(n_queries, 1))
    docs = rng.normal(size=(n_docs, dim)) * rng.uniform(0.1, 10, size=(n_docs, 1))
    got = similarity_matrix(queries, docs)
    assert got.shape == (n_queries, n_docs)
    assert got.dtype == np.float32
    expected = np.array([[q @ d / (np.linalg.norm(q) * np.linalg.norm(d)) for d in docs] for q in queries])
    np.testing.assert_allclose(got, expected, atol=1e-5)
    assert (np.abs(got) <= 1 + 1e-5).all()


def test_similarity_matrix_is_dot_product_of_unit_vectors(rng):
    queries = _normalise(rng.normal(size=(3, 16))).astype(np.float32)
    docs = _normalise(rng.normal(size=(6, 16))).astype(np.float32)
    np.testing.assert_allclose(similarity_matrix(queries, docs), queries @ docs.T, atol=1e-6)
    np.testing.assert_allclose(similarity_matrix(docs, queries), (queries @ docs.T).T, atol=1e-6)
    np.testing.assert_allclose(np.diag(similarity_matrix(docs, docs)), 1.0, atol=1e-6)


def test_similarity_matrix_zero_vector_gives_zero(rng):
    queries = np.zeros((1, 8))
    docs = rng.normal(size=(2, 8))
    got = similarity_matrix(queries, docs)
    assert np.isfinite(got).all()
    np.testing.assert_array_equal(got, np.zeros((1, 2)))


def test_l2_normalize(rng):
    x = rng.normal(size=(5, 10)) * 7
    np.testing.assert_allclose(l2_normalize(x), _normalise(x), atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(l2_normalize(x), axis=1), 1.0, atol=1e-6)
    assert l2_normalize(x).dtype == np.float32


# --- truncate_dim ---------------------------------------------------------------------------------
@pytest.mark.parametrize("dim", [1, 64, 100, 256])
def test_truncate_dim_matches_numpy(rng, dim):
    full = rng.normal(size=(4, 256)) * 3
    got = truncate_dim(full, dim)
    assert got.shape == (4, dim)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, _normalise(full[:, :dim]), atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_truncate_normalised_equals_truncate_raw(rng):
    # SPEC: cutting a normalised vector and renormalising is the same as cutting the raw one.
    raw = rng.normal(size=(3, 128))
    np.testing.assert_allclose(truncate_dim(_normalise(raw), 64), truncate_dim(raw, 64), atol=1e-6)


@pytest.mark.parametrize("dim", [0, -1, 257])
def test_truncate_dim_out_of_range(rng, dim):
    with pytest.raises(ValueError):
        truncate_dim(rng.normal(size=(2, 256)), dim)


# --- top_k ----------------------------------------------------------------------------------------
def _reference_top_k(scores, k):
    scores = np.asarray(scores, dtype=np.float64).ravel()
    order = sorted(range(scores.size), key=lambda i: (-scores[i], i))
    return order[: max(0, min(k, scores.size))]


def test_top_k_matches_reference(rng):
    for _ in range(200):
        n = int(rng.integers(0, 30))
        scores = rng.integers(0, 5, size=n).astype(float) if rng.random() < 0.5 else rng.normal(size=n)
        k = int(rng.integers(-2, n + 4))
        assert top_k(scores, k) == _reference_top_k(scores, k), (scores, k)


def test_top_k_examples():
    scores = [0.1, 0.9, 0.5, 0.9, -1.0]
    assert top_k(scores, 3) == [1, 3, 2]  # tie: earlier index first
    assert top_k(scores, 10) == [1, 3, 2, 0, 4]
    assert top_k(scores, 0) == []
    assert top_k(np.array([[0.2, 0.8]]), 1) == [1]  # a [1, n_docs] row works too
    assert all(isinstance(i, int) for i in top_k(scores, 5))


def test_top_k_on_similarity_row(rng):
    queries, docs = rng.normal(size=(2, 8)), rng.normal(size=(9, 8))
    sims = similarity_matrix(queries, docs)
    for row in range(2):
        assert top_k(sims[row], 4) == list(np.argsort(-sims[row].astype(np.float64), kind="stable")[:4])
