"""The "inside the embeddings" views, without UI: sizes and quantization, instruction A/B, the map
of the gallery, the video inspector and the gallery export. Each returns plain data."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core import analysis, config, media
from ..core.errors import InputError
from ..core.items import Item
from ..core.similarity import similarity_matrix
from .engine import Engine
from .results import Cost
from .session_files import fresh_folder

MRL_SIZES = (4096, 2048, 1024, 512, 256, 128, 64)


@dataclass
class StorageReport:
    """One query over the gallery under every storage setting (see analysis.compare_settings)."""

    query: Item
    gallery: list[Item]
    settings: list[analysis.Setting]
    k: int

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query.label, "k": self.k, "settings": [
            {"setting": s.name, "storage": s.storage, "dim": s.dim, "bytes_per_vector": s.bytes_per_vector,
             f"overlap_at_{self.k}": round(s.overlap, 4), "mean_score_error": round(s.mean_error, 5),
             "max_score_error": round(s.max_error, 5),
             "top_k": [self.gallery[i].label for i in s.ranking[: self.k]]}
            for s in self.settings]}


def compare_storage(engine: Engine, query: Item, gallery: Sequence[Item], instruction: str | None,
                    k: int) -> StorageReport:
    """How scores and the top-k change from full size down to 64 dimensions, and with int8 and
    binary vectors, against float at full size."""
    k = max(1, min(int(k), len(gallery)))
    q = engine.embed_items([query], instruction, None, "query")[0]
    g = engine.embed_items(gallery, None, None, "gallery item")
    dims = [d for d in MRL_SIZES if d <= len(q)] or [len(q)]
    return StorageReport(query, list(gallery), analysis.compare_settings(q, g, dims, k), k)


@dataclass
class InstructionComparison:
    """The gallery ranked for one query under two instructions."""

    gallery: list[Item]
    scores_a: np.ndarray
    scores_b: np.ndarray
    rows: list[tuple[int, int, int]]  # (item, rank A, rank B) in A's order

    def to_json(self) -> dict[str, Any]:
        return {"results": [{"label": self.gallery[i].label, "rank_a": a, "rank_b": b, "moved": a - b,
                             "score_a": round(float(self.scores_a[i]), 6),
                             "score_b": round(float(self.scores_b[i]), 6)} for i, a, b in self.rows]}


def compare_instructions(engine: Engine, query: Item, gallery: Sequence[Item], instruction_a: str,
                         instruction_b: str) -> InstructionComparison:
    g = engine.embed_items(gallery, None, None, "gallery item")
    scores = []
    for instruction in (instruction_a, instruction_b):
        q = engine.embed_items([query], instruction, None, "query")
        scores.append(similarity_matrix(q, g)[0])
    return InstructionComparison(list(gallery), scores[0], scores[1], analysis.rank_table(*scores))


@dataclass
class EmbeddingMap:
    """Gallery (and query) points in 2-D, with k-means clusters of the full embeddings."""

    items: list[Item]
    is_query: list[bool]
    points: np.ndarray  # [n, 2]
    clusters: np.ndarray  # [n]; queries get the cluster of their nearest centre
    k: int
    silhouettes: dict[int, float]

    def to_json(self) -> dict[str, Any]:
        rows = zip(self.items, self.points, self.clusters, self.is_query, strict=True)
        return {"k": self.k, "silhouette_by_k": {str(k): round(v, 4) for k, v in self.silhouettes.items()},
                "points": [{"label": item.label, "x": round(float(x), 5), "y": round(float(y), 5),
                            "cluster": int(c), "query": q} for item, (x, y), c, q in rows]}


def embedding_map(engine: Engine, gallery: Sequence[Item], queries: Sequence[Item],
                  instruction: str | None, k: int | None) -> EmbeddingMap:
    """PCA of gallery + queries; k-means on the gallery's full embeddings (k given, or chosen by
    the best silhouette from 2 to 8)."""
    g = engine.embed_items(gallery, None, None, "gallery item")
    q = engine.embed_items(queries, instruction, None, "query") if queries else np.zeros((0, g.shape[1]))
    if k is None or k == 0:
        k, silhouettes = analysis.choose_k(g, range(2, min(9, len(g))))
    else:
        if not 1 <= int(k) <= len(g):
            raise InputError(f"k must be between 1 and {len(g)} (the gallery's size), got {k}")
        k, silhouettes = int(k), {}
    labels, centres = analysis.kmeans(g, k)
    query_labels = analysis.nearest(q, centres)
    everything = np.concatenate([g, q]) if len(q) else g
    return EmbeddingMap([*gallery, *queries], [False] * len(gallery) + [True] * len(queries),
                        analysis.pca_2d(everything), np.concatenate([labels, query_labels]).astype(int),
                        k, silhouettes)


@dataclass
class VideoInspection:
    """What the model sees of one video."""

    name: str
    frames: list[np.ndarray]  # resized as the model receives them, uint8 [H, W, 3]
    timestamps: list[float]  # one per temporal group (pair of frames)
    size: tuple[int, int]
    visual_tokens: int
    prompt_tokens: int
    decode_s: float
    embed_s: float
    source_fps: float
    source_frames: int

    def to_json(self) -> dict[str, Any]:
        return {"video": self.name, "frames": len(self.frames), "frame_size": list(self.size),
                "timestamps": [round(t, 2) for t in self.timestamps], "visual_tokens": self.visual_tokens,
                "prompt_tokens": self.prompt_tokens, "decode_seconds": round(self.decode_s, 3),
                "embed_seconds": round(self.embed_s, 3), "source_fps": round(self.source_fps, 3),
                "source_frames": self.source_frames}


def inspect_video(engine: Engine, path: str, fps: float | None, max_frames: int | None) -> VideoInspection:
    """Sample the video as the model does, and time decoding and embedding separately."""
    from PIL import Image

    if media.kind_of_file(path) != "video":
        raise InputError(f"{os.path.basename(path)} is not a video")
    started = time.perf_counter()
    clip = media.load_video(path, fps, max_frames)
    decode_s = time.perf_counter() - started
    cost = Cost()
    engine.embed_fresh([Item("video", path=path)], None, "video", cost, fps=fps, max_frames=max_frames)
    height, width = clip.size
    frames = [np.asarray(Image.fromarray(f).resize((width, height), Image.Resampling.BICUBIC))
              for f in clip.frames]
    return VideoInspection(clip.name, frames, clip.timestamps(), clip.size,
                           clip.groups * clip.tokens_per_group, cost.tokens["video 1"][0], decode_s,
                           cost.model_s, clip.fps, clip.total_frames)


def export_gallery(engine: Engine, gallery: Sequence[Item], dim: int | None) -> str:
    """The gallery's embeddings as ``.npz``: vectors [n, dim], names, kinds, dim and model id."""
    vectors = engine.embed_items(gallery, None, dim, "gallery item")
    path = str(fresh_folder("export-") / f"gallery-embeddings-{vectors.shape[1]}d.npz")
    np.savez(path, embeddings=vectors.astype(np.float32), names=np.array([i.label for i in gallery]),
             kinds=np.array([i.kind for i in gallery]), dim=np.array(vectors.shape[1]),
             model=np.array(engine.embedder.model), instruction=np.array(config.EMBED_DEFAULT_INSTRUCTION))
    return path
