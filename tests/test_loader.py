"""The shared model loader: caching, thread safety, failures, and the offline ``tiny`` preset.

The loader's cache is process-global, so each test uses its own key (an option nobody else uses).
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from conftest import ASSETS

from qwen3vl_demo import ModelLoadError, load_embedder, load_reranker
from qwen3vl_demo.backends import loader
from qwen3vl_demo.backends.local import Qwen3VLEmbedder, Qwen3VLReranker


# --- caching --------------------------------------------------------------------------------------
def test_same_arguments_same_object(embedder_path, reranker_path):
    assert load_embedder(embedder_path, device="cpu") is load_embedder(embedder_path, device="cpu")
    assert load_reranker(reranker_path, device="cpu") is load_reranker(reranker_path, device="cpu")
    # dtype spelled differently but the same: still one object.
    assert load_embedder(embedder_path, device="cpu", dtype="float32") is load_embedder(
        embedder_path, device="cpu", dtype="fp32"
    )


@pytest.mark.slow  # four model loads
def test_different_options_different_object(embedder_path, reranker_path):
    base = load_embedder(embedder_path, device="cpu", batch_size=3)
    other = load_embedder(embedder_path, device="cpu", batch_size=4)
    assert base is not other
    assert (base.batch_size, other.batch_size) == (3, 4)
    assert isinstance(base, Qwen3VLEmbedder)
    short = load_embedder(embedder_path, device="cpu", max_length=512)
    assert short is not load_embedder(embedder_path, device="cpu", max_length=513)
    assert short.max_length == 512
    rr = load_reranker(reranker_path, device="cpu", batch_size=3)
    assert isinstance(rr, Qwen3VLReranker)
    assert rr is not load_reranker(reranker_path, device="cpu")
    assert rr.batch_size == 3
    # Same checkpoint loaded as both kinds: two different objects.
    assert load_reranker(embedder_path, device="cpu", batch_size=3) is not base


def test_options_take_effect(embedder_path):
    short = load_embedder(embedder_path, device="cpu", max_length=64)
    prepared = short.prepare({"text": "word " * 500})
    assert len(prepared.ids) <= 64
    assert short.embed([{"text": "word " * 500}]).shape == (1, short.full_dim)


def _load_concurrently(function, *args, **kwargs):
    barrier = threading.Barrier(8)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(function(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(results) == 8
    return results


@pytest.mark.parametrize("kind", ["embedding", "reranker"])
def test_concurrent_first_load_loads_once(kind, embedder_path, reranker_path):
    function, path = (
        (load_embedder, embedder_path) if kind == "embedding" else (load_reranker, reranker_path)
    )
    options = {"batch_size": 7}
    key = loader._key(kind, path, "cpu", None, options)
    assert key not in loader.loaded_models(), "test needs a key nobody loaded yet"
    results = _load_concurrently(function, path, device="cpu", **options)
    assert all(r is results[0] for r in results)
    assert loader.LOAD_COUNTS[key] == 1
    assert loader.loaded_models()[key] is results[0]
    assert function(path, device="cpu", **options) is results[0]
    assert loader.LOAD_COUNTS[key] == 1


# --- failures -------------------------------------------------------------------------------------
def test_missing_directory_raises_helpful_error_and_is_not_cached(tmp_path):
    missing = tmp_path / "no-such-checkpoint"
    with pytest.raises(ModelLoadError) as first:
        load_embedder(str(missing), device="cpu")
    message = str(first.value)
    assert str(missing) in message
    assert "no such directory" in message.lower() or "not found" in message.lower()
    key = loader._key("embedding", str(missing), "cpu", None, {})
    assert key not in loader.loaded_models()
    with pytest.raises(ModelLoadError):
        load_embedder(str(missing), device="cpu")
    assert key not in loader.loaded_models()
    assert loader.LOAD_COUNTS[key] == 2  # tried again, not served from a cache


def test_incomplete_directory_raises_and_retry_succeeds(tmp_path, embedder_path):
    """A failed load is not cached: once the checkpoint is complete, the same call works."""
    import shutil

    target = tmp_path / "ckpt"
    target.mkdir()
    with pytest.raises(ModelLoadError) as info:
        load_reranker(str(target), device="cpu")
    assert "ckpt" in str(info.value)
    assert "not a complete" in str(info.value)
    for item in Path(embedder_path).iterdir():
        shutil.copy(item, target / item.name)
    model = load_reranker(str(target), device="cpu")
    assert isinstance(model, Qwen3VLReranker)
    assert load_reranker(str(target), device="cpu") is model


def test_bad_dtype_is_refused(embedder_path):
    with pytest.raises(ValueError, match="dtype"):
        load_embedder(embedder_path, device="cpu", dtype="int7")


# --- the tiny preset ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tiny_cache(tmp_path_factory):
    """$QWEN3VL_CACHE pointing at a fresh directory, set before the preset is first built."""
    cache = tmp_path_factory.mktemp("qwen3vl-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("QWEN3VL_CACHE", str(cache))
        yield cache


@pytest.fixture(scope="module")
def tiny_embedder(tiny_cache):
    # batch_size=5: a key of our own, so the preset is built here whatever ran before.
    return load_embedder("tiny", device="cpu", batch_size=5)


def test_tiny_builds_into_cache_dir(tiny_cache, tiny_embedder):
    from qwen3vl_demo.backends.presets import tiny_path

    built = tiny_path("embedding")
    assert built.parent == tiny_cache
    assert (built / "model.safetensors").is_file()
    assert (built / "tokenizer.json").is_file()
    assert Path(tiny_embedder.info.path) == built
    assert isinstance(tiny_embedder, Qwen3VLEmbedder)
    # Wide enough for the MRL sizes to mean something offline, and known before loading.
    from qwen3vl_demo.backends.presets import configured_size

    assert tiny_embedder.full_dim == configured_size("tiny") == 512
    assert tiny_embedder.embed([{"text": "a dog"}], dim=128).shape == (1, 128)


def test_tiny_embeds_text_and_image(tiny_embedder):
    items = [
        {"text": "a dog on a beach"},
        {"image": str(ASSETS / "images" / "img_0.jpg")},
        {"text": "a dog", "image": str(ASSETS / "images" / "img_1.jpg")},
    ]
    vectors = tiny_embedder.embed(items)
    assert vectors.shape == (3, tiny_embedder.full_dim)
    assert np.isfinite(vectors).all()
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert (vectors @ vectors.T)[~np.eye(3, dtype=bool)].max() < 0.9999


@pytest.mark.slow  # builds the tiny preset twice
def test_tiny_is_deterministic(tiny_cache, tiny_embedder, tmp_path, monkeypatch):
    from qwen3vl_demo.backends.presets import ensure_tiny

    first = tiny_cache / ensure_tiny("embedding").name / "model.safetensors"
    monkeypatch.setenv("QWEN3VL_CACHE", str(tmp_path))
    second = ensure_tiny("embedding")
    assert second.parent == tmp_path
    assert (second / "model.safetensors").read_bytes() == first.read_bytes()
    assert (second / "config.json").read_text() == (first.parent / "config.json").read_text()
