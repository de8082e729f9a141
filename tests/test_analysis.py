"""Quantization, MRL comparisons, projections and clusters against numpy / scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score, silhouette_score

from qwen3vl_demo.core import analysis
from qwen3vl_demo.core.similarity import l2_normalize

RNG = np.random.default_rng(7)
GALLERY = l2_normalize(RNG.normal(size=(40, 128)))
QUERY = l2_normalize(GALLERY[3] + 0.3 * RNG.normal(size=128))[None][0]


class TestInt8:
    def test_codes_use_the_gallery_range_per_dimension(self):
        book = analysis.Int8Codebook.fit(GALLERY)
        codes = book.encode(GALLERY)
        assert codes.dtype == np.int8
        np.testing.assert_array_equal(codes.min(axis=0), -128)
        np.testing.assert_array_equal(codes.max(axis=0), 127)
        np.testing.assert_allclose(book.decode(codes), GALLERY, atol=float(book.step.max()) / 2 + 1e-6)

    def test_scores_match_a_plain_numpy_reference(self):
        low, high = GALLERY.min(0), GALLERY.max(0)
        step = (high - low) / 255

        def roundtrip(v):
            return (np.clip(np.rint((v - low) / step), 0, 255)) * step + low

        q, g = roundtrip(QUERY[None]), roundtrip(GALLERY)
        q, g = q / np.linalg.norm(q, axis=1, keepdims=True), g / np.linalg.norm(g, axis=1, keepdims=True)
        expected = q @ g.T
        np.testing.assert_allclose(analysis.int8_scores(QUERY[None], GALLERY), expected, atol=1e-5)


class TestBinary:
    def test_hamming_similarity_matches_counting_bits(self):
        bits_q, bits_g = QUERY[None] > 0, GALLERY > 0
        expected = 1 - (bits_q[:, None, :] != bits_g[None]).sum(-1) / 128
        codes_q, codes_g = analysis.binary_codes(QUERY[None]), analysis.binary_codes(GALLERY)
        got = analysis.hamming_similarity(codes_q, codes_g, 128)
        np.testing.assert_allclose(got, expected)

    def test_dims_not_a_multiple_of_eight(self):
        x = l2_normalize(RNG.normal(size=(5, 70)))
        got = analysis.binary_scores(x, x)
        np.testing.assert_allclose(np.diag(got), 1.0)
        assert analysis.binary_codes(x).shape == (5, 9)

    def test_angular_cosine_estimates_cosine(self):
        x = l2_normalize(RNG.normal(size=(2, 4096)))
        x[1] = l2_normalize(x[0] + 0.8 * x[1])
        estimate = analysis.angular_cosine(analysis.binary_scores(x[:1], x[1:]))[0, 0]
        assert abs(estimate - float(x[0] @ x[1])) < 0.05


class TestCompareSettings:
    def test_full_float_is_the_reference_and_smaller_settings_drift(self):
        rows = analysis.compare_settings(QUERY, GALLERY, [128, 64, 32, 16], k=5)
        by_name = {r.name: r for r in rows}
        assert by_name["float 128"].overlap == 1.0 and by_name["float 128"].max_error < 1e-6
        assert {"int8 128", "binary 128"} <= set(by_name)
        assert by_name["int8 128"].mean_error < 0.02
        assert by_name["float 16"].mean_error > by_name["float 64"].mean_error
        assert by_name["binary 128"].bytes_per_vector == 16 and by_name["float 64"].bytes_per_vector == 256
        reference = list(np.argsort(-(GALLERY @ QUERY), kind="stable"))
        assert by_name["float 128"].ranking[:5] == reference[:5]

    def test_overlap_at_k(self):
        assert analysis.overlap_at_k([1, 2, 3, 4], [3, 2, 9, 1], 2) == 0.5
        assert analysis.overlap_at_k([1, 2], [2, 1], 5) == 1.0


def test_rank_table():
    a, b = np.array([0.9, 0.1, 0.5]), np.array([0.2, 0.8, 0.5])
    assert analysis.rank_table(a, b) == [(0, 1, 3), (2, 2, 2), (1, 3, 1)]


class TestMaps:
    def test_pca_matches_scikit_learn_up_to_sign(self):
        ours = analysis.pca_2d(GALLERY)
        theirs = PCA(n_components=2).fit_transform(GALLERY)
        for c in range(2):
            same, flipped = np.abs(ours[:, c] - theirs[:, c]), np.abs(ours[:, c] + theirs[:, c])
            assert min(same.max(), flipped.max()) < 1e-4

    def test_kmeans_finds_the_same_clusters_as_scikit_learn(self):
        centres = RNG.normal(size=(3, 16)) * 5
        x = np.concatenate([c + RNG.normal(size=(15, 16)) for c in centres])
        labels, found = analysis.kmeans(x, 3)
        reference = KMeans(n_clusters=3, n_init=4, random_state=0).fit(x)
        assert adjusted_rand_score(labels, reference.labels_) == 1.0
        assert found.shape == (3, 16)

    def test_silhouette_matches_scikit_learn(self):
        labels, _ = analysis.kmeans(GALLERY, 4)
        expected = silhouette_score(GALLERY, labels)
        assert analysis.silhouette(GALLERY, labels) == pytest.approx(expected, abs=1e-6)

    def test_choose_k_prefers_the_true_number_of_groups(self):
        centres = RNG.normal(size=(4, 8)) * 10
        x = np.concatenate([c + 0.5 * RNG.normal(size=(10, 8)) for c in centres])
        best, scores = analysis.choose_k(x, range(2, 8))
        assert best == 4 and set(scores) == set(range(2, 8))
