"""Looking inside embeddings: MRL sizes, quantization, projections, clusters, rank changes.

Pure numpy. Shapes: a query vector [d] or queries [m, d]; a gallery [n, d]; score matrices
[m, n]. Quantization follows what vector databases do: int8 scalar quantization with per-dimension
ranges learnt from the gallery, and binary (sign) codes packed 8 per byte compared by Hamming
distance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .similarity import l2_normalize, top_k, truncate_dim


# --- Quantization ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Int8Codebook:
    """Per-dimension [low, high] ranges of the gallery: value -> round((v-low)/(high-low)*255) - 128."""

    low: np.ndarray  # [d]
    high: np.ndarray  # [d]

    @classmethod
    def fit(cls, gallery: np.ndarray) -> Int8Codebook:
        gallery = np.asarray(gallery, dtype=np.float32)
        return cls(gallery.min(axis=0), gallery.max(axis=0))

    @property
    def step(self) -> np.ndarray:
        return np.maximum(self.high - self.low, 1e-12) / 255.0

    def encode(self, vectors: np.ndarray) -> np.ndarray:
        """int8 codes [.., d]; values outside the gallery's range are clipped."""
        scaled = np.rint((np.asarray(vectors, dtype=np.float32) - self.low) / self.step)
        return (np.clip(scaled, 0, 255) - 128).astype(np.int8)

    def decode(self, codes: np.ndarray) -> np.ndarray:
        return ((codes.astype(np.float32) + 128.0) * self.step + self.low).astype(np.float32)


def int8_scores(queries: np.ndarray, gallery: np.ndarray) -> np.ndarray:
    """Cosine similarity [m, n] after int8 quantization of both sides with the gallery's ranges."""
    book = Int8Codebook.fit(gallery)
    return l2_normalize(book.decode(book.encode(queries))) @ l2_normalize(book.decode(book.encode(gallery))).T


def binary_codes(vectors: np.ndarray) -> np.ndarray:
    """Sign bits packed 8 per byte: [n, d] -> uint8 [n, ceil(d / 8)]."""
    return np.packbits(np.asarray(vectors) > 0, axis=-1)


def hamming_similarity(query_codes: np.ndarray, gallery_codes: np.ndarray, dim: int) -> np.ndarray:
    """1 - Hamming distance / d between packed codes: [m, bytes] x [n, bytes] -> [m, n]."""
    xor = np.bitwise_xor(query_codes[:, None, :], gallery_codes[None, :, :])
    distance = np.unpackbits(xor, axis=-1)[..., :dim].sum(axis=-1)
    return (1.0 - distance / dim).astype(np.float32)


def angular_cosine(hamming_sim: np.ndarray) -> np.ndarray:
    """The cosine that a Hamming similarity estimates (random-hyperplane relation)."""
    return np.cos(np.pi * (1.0 - np.asarray(hamming_sim, dtype=np.float64))).astype(np.float32)


def binary_scores(queries: np.ndarray, gallery: np.ndarray) -> np.ndarray:
    """Hamming similarity [m, n] of sign codes."""
    dim = np.asarray(gallery).shape[-1]
    return hamming_similarity(binary_codes(queries), binary_codes(gallery), dim)


# --- How scores and the top-k change -------------------------------------------------------------------
def overlap_at_k(reference: list[int], ranking: list[int], k: int) -> float:
    """Share of the reference top-k found in the other top-k."""
    if k <= 0:
        return 1.0
    return len(set(reference[:k]) & set(ranking[:k])) / min(k, len(reference))


@dataclass
class Setting:
    """One way of storing the vectors and what it does to one query's results."""

    name: str  # e.g. "float 256", "int8 2048", "binary 2048"
    storage: str  # float, int8, binary
    dim: int
    bytes_per_vector: int
    overlap: float  # overlap@k with float at full size
    mean_error: float  # mean |score - full float score| (binary: of the cosine it estimates)
    max_error: float
    ranking: list[int]


def compare_settings(query: np.ndarray, gallery: np.ndarray, dims: list[int], k: int) -> list[Setting]:
    """Float at each MRL size in ``dims``, and int8 and binary at full size, against float at full
    size: overlap@k of the top-k and the score error. ``query`` [d] full-size, ``gallery`` [n, d]."""
    query = l2_normalize(np.asarray(query, dtype=np.float32)[None])
    gallery = l2_normalize(gallery)
    full = gallery.shape[1]
    reference_scores = (query @ gallery.T)[0]
    reference = top_k(reference_scores, len(reference_scores))
    rows = []

    def add(name: str, storage: str, dim: int, size: int, scores: np.ndarray, comparable: np.ndarray) -> None:
        error = np.abs(comparable - reference_scores)
        ranking = top_k(scores, len(scores))
        rows.append(Setting(name, storage, dim, size, overlap_at_k(reference, ranking, k),
                            float(error.mean()), float(error.max()), ranking))

    for dim in sorted({d for d in dims if d <= full}, reverse=True):
        scores = (truncate_dim(query, dim) @ truncate_dim(gallery, dim).T)[0]
        add(f"float {dim}", "float", dim, 4 * dim, scores, scores)
    int8 = int8_scores(query, gallery)[0]
    add(f"int8 {full}", "int8", full, full, int8, int8)
    hamming = binary_scores(query, gallery)[0]
    add(f"binary {full}", "binary", full, (full + 7) // 8, hamming, angular_cosine(hamming))
    return rows


def rank_table(scores_a: np.ndarray, scores_b: np.ndarray) -> list[tuple[int, int, int]]:
    """(item, rank under A, rank under B), 1-based, in A's order."""
    order_a = top_k(scores_a, len(scores_a))
    order_b = top_k(scores_b, len(scores_b))
    rank_b = {item: r + 1 for r, item in enumerate(order_b)}
    return [(item, r + 1, rank_b[item]) for r, item in enumerate(order_a)]


# --- Maps: projection and clusters ----------------------------------------------------------------------
def pca_2d(vectors: np.ndarray) -> np.ndarray:
    """The first two principal components [n, 2], signs fixed so the output is deterministic."""
    x = np.asarray(vectors, dtype=np.float64)
    centered = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(centered, full_matrices=False)
    components = vt[:2]
    signs = np.sign(components[np.arange(len(components)), np.abs(components).argmax(axis=1)])
    projected = centered @ (components * signs[:, None]).T
    if projected.shape[1] < 2:
        projected = np.pad(projected, ((0, 0), (0, 2 - projected.shape[1])))
    return projected.astype(np.float32)


def kmeans(vectors: np.ndarray, k: int, seed: int = 0, iterations: int = 100,
           restarts: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Lloyd's k-means with k-means++ seeding, best of ``restarts``: (labels [n], centres [k, d])."""
    x = np.asarray(vectors, dtype=np.float64)
    if not 1 <= k <= len(x):
        raise ValueError(f"k must be between 1 and {len(x)}, got {k}")
    rng = np.random.default_rng(seed)
    best: tuple[float, np.ndarray, np.ndarray] | None = None
    for _ in range(restarts):
        centres = _plus_plus(x, k, rng)
        for _ in range(iterations):
            labels = nearest(x, centres)
            moved = np.array([x[labels == c].mean(axis=0) if np.any(labels == c) else centres[c]
                              for c in range(k)])
            if np.allclose(moved, centres):
                break
            centres = moved
        labels = nearest(x, centres)
        inertia = float(((x - centres[labels]) ** 2).sum())
        if best is None or inertia < best[0]:
            best = (inertia, labels, centres)
    assert best is not None
    return best[1], best[2]


def _plus_plus(x: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    centres = [x[rng.integers(len(x))]]
    for _ in range(1, k):
        distance = ((x[:, None, :] - np.array(centres)[None]) ** 2).sum(-1).min(axis=1)
        total = distance.sum()
        probabilities = distance / total if total > 0 else np.full(len(x), 1 / len(x))
        centres.append(x[rng.choice(len(x), p=probabilities)])
    return np.array(centres)


def nearest(x: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Index of the nearest centre (Euclidean) for each row of ``x``: [n]."""
    return ((x[:, None, :] - centres[None]) ** 2).sum(-1).argmin(axis=1)


def _distances(vectors: np.ndarray) -> np.ndarray:
    """Euclidean distances between all rows: [n, n], float64."""
    x = np.asarray(vectors, dtype=np.float64)
    return np.sqrt(np.maximum(((x[:, None, :] - x[None]) ** 2).sum(-1), 0))


def silhouette(vectors: np.ndarray, labels: np.ndarray, distances: np.ndarray | None = None) -> float:
    """Mean silhouette coefficient with Euclidean distance (as scikit-learn computes it);
    ``distances``: the vectors' [n, n] distances, if already computed."""
    labels = np.asarray(labels)
    distances = _distances(vectors) if distances is None else distances
    values = []
    for i in range(len(labels)):
        same = labels == labels[i]
        if same.sum() <= 1:
            values.append(0.0)
            continue
        a = distances[i, same].sum() / (same.sum() - 1)
        b = min(distances[i, labels == c].mean() for c in set(labels.tolist()) if c != labels[i])
        values.append((b - a) / max(a, b) if max(a, b) > 0 else 0.0)
    return float(np.mean(values))


def choose_k(vectors: np.ndarray, candidates: range) -> tuple[int, dict[int, float]]:
    """The k of ``candidates`` with the best silhouette, and every k's silhouette."""
    scores = {}
    distances = _distances(vectors)  # the same for every k
    for k in candidates:
        if 2 <= k < len(vectors):
            labels, _ = kmeans(vectors, k)
            if len(set(labels.tolist())) > 1:
                scores[k] = silhouette(vectors, labels, distances)
    if not scores:
        return 1, {}
    return max(scores, key=lambda k: (scores[k], -k)), scores
