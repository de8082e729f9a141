"""Qwen3-VL-Embedding and Qwen3-VL-Reranker, faithful to the official implementation.

    from qwen3vl_demo import load_embedder, load_reranker
    vectors = load_embedder("Qwen/Qwen3-VL-Embedding-2B").embed([{"text": "a dog"}], dim=256)
    scores = load_reranker("Qwen/Qwen3-VL-Reranker-2B").rerank({"text": "dog"}, [{"image": "a.jpg"}])

The package has floors that import one way: ``core`` (formats, media, items, maths) <- ``backends``
(the models) <- ``service`` (the app without its UI) <- ``ui`` (gradio); ``tools`` sit beside.
"""

from __future__ import annotations

from .backends.loader import load_embedder, load_reranker
from .core.errors import InputError, ModelLoadError

__all__ = ["InputError", "ModelLoadError", "load_embedder", "load_reranker"]
