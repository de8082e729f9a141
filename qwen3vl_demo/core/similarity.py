"""Similarity maths on embeddings: pure numpy, no model.

Shapes: query vectors [n_queries, dim], document vectors [n_docs, dim]; matrices come back as
[n_queries, n_docs].
"""

from __future__ import annotations

import numpy as np

from . import config
from .errors import InputError


def l2_normalize(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero). [n, dim] -> [n, dim] float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)


def check_dim(dim: object, full_dim: int) -> int:
    """An MRL size as an int in [64, full_dim] (None: full size); InputError names a bad one."""
    if dim is None:
        return full_dim
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise InputError(f"dim must be an integer, got {dim!r}")
    if not config.MIN_EMBED_DIM <= int(dim) <= full_dim:
        raise InputError(f"dim must be between {config.MIN_EMBED_DIM} and {full_dim}, got {dim}")
    return int(dim)


def truncate_dim(vectors: np.ndarray, dim: int) -> np.ndarray:
    """MRL: keep the first ``dim`` components and renormalise. [n, full] -> [n, dim] float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if not 1 <= dim <= vectors.shape[-1]:
        raise ValueError(f"dim must be between 1 and {vectors.shape[-1]}, got {dim}")
    return l2_normalize(vectors[..., :dim])


def similarity_matrix(queries: np.ndarray, documents: np.ndarray) -> np.ndarray:
    """Cosine similarity of every query with every document: [n_queries, n_docs] float32."""
    return (l2_normalize(queries) @ l2_normalize(documents).T).astype(np.float32)


def top_k(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the ``k`` highest scores, best first; ties keep the earlier index first."""
    scores = np.asarray(scores, dtype=np.float64).ravel()
    k = max(0, min(int(k), scores.size))
    order = np.lexsort((np.arange(scores.size), -scores))
    return order[:k].tolist()
