"""Faults inside the app: models that fail to load, out-of-memory batches, files outside the
uploads, oversized text. Each test would fail if its protection were removed."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import ASSETS

from qwen3vl_demo import InputError, load_embedder
from qwen3vl_demo.core.errors import ModelUnavailable
from qwen3vl_demo.core.items import make_item
from qwen3vl_demo.service.engine import Engine


# --- models that cannot be loaded --------------------------------------------------------------------
def _engine(embedder: str, reranker: str, tmp_path: Path) -> Engine:
    return Engine(embedder, reranker, device="cpu", samples=[], disk_cache=str(tmp_path / "disk"))


class TestFailedLoads:
    def test_missing_directory_leaves_a_reason_and_a_way_to_retry(self, tmp_path, reranker_path):
        engine = _engine(str(tmp_path / "no-such-model"), reranker_path, tmp_path)
        with pytest.raises(ModelUnavailable, match=r"could not be loaded.*no such directory.*Retry"):
            engine.embed_items([make_item("a dog")], None, None)
        status = engine.status()["embedding"]
        assert status["state"] == "failed" and "no such directory" in status["error"]
        assert engine.rerank(make_item("y"), [make_item("x")]).scores  # the other model still serves
        engine.embedder.start()  # what the Retry button does
        engine.embedder._done.wait(60)
        assert engine.embedder.attempts == 2 and engine.embedder.state == "failed"

    def test_corrupt_weights_fail_with_a_reason_then_load_once_repaired(self, tmp_path, embedder_path,
                                                                         reranker_path):
        broken = tmp_path / "broken-embedding"
        shutil.copytree(embedder_path, broken)
        weights = broken / "model.safetensors"
        weights.chmod(0o644)
        good = weights.read_bytes()
        weights.write_bytes(good[: len(good) // 3])
        engine = _engine(str(broken), reranker_path, tmp_path)
        with pytest.raises(ModelUnavailable, match="could not be loaded"):
            engine.embedder.get(timeout=120)
        assert engine.status()["embedding"]["error"]
        weights.write_bytes(good)
        engine.embedder.start()
        assert engine.embedder.get(timeout=120) is not None
        assert engine.status()["embedding"]["state"] == "ready"


# --- failures inside one request --------------------------------------------------------------------
def test_out_of_memory_batches_are_retried_in_halves(embedder_path, monkeypatch):
    """A batch that runs out of memory is split until it fits; results match unsplit ones."""
    embedder = load_embedder(embedder_path, device="cpu", batch_size=8, vision_cache_mb=1)
    items = [{"text": f"item number {i}"} for i in range(6)]
    expected = embedder.embed(items)
    original = embedder.last_hidden
    sizes: list[int] = []

    def cpu_allocator_fails_above_two(batch):
        sizes.append(len(batch))
        if len(batch) > 2:
            raise RuntimeError("DefaultCPUAllocator: can't allocate memory: you tried to allocate 9 GB")
        return original(batch)

    monkeypatch.setattr(embedder, "last_hidden", cpu_allocator_fails_above_two)
    np.testing.assert_allclose(embedder.embed(items), expected, atol=1e-5)
    assert sizes[0] == 6 and max(s for s in sizes[1:]) <= 3 and min(sizes) <= 2


def test_other_runtime_errors_are_not_mistaken_for_memory(embedder_path, monkeypatch):
    embedder = load_embedder(embedder_path, device="cpu", batch_size=8, vision_cache_mb=2)
    calls: list[int] = []

    def broken(batch):
        calls.append(len(batch))
        raise RuntimeError("shape mismatch")

    monkeypatch.setattr(embedder, "last_hidden", broken)
    with pytest.raises(RuntimeError, match="shape mismatch"):
        embedder.embed([{"text": "a"}, {"text": "b"}])
    assert calls == [2]


def test_cuda_out_of_memory_error_type_is_recognised():
    from qwen3vl_demo.backends.local import is_out_of_memory as _is_out_of_memory

    assert _is_out_of_memory(torch.OutOfMemoryError("CUDA out of memory"))
    assert not _is_out_of_memory(ValueError("nope"))


# --- files and text the UI accepts ---------------------------------------------------------------------
class TestAllowedFiles:
    @pytest.mark.parametrize("path", ["/etc/passwd", str(ASSETS / ".." / "app.py"),
                                      str(ASSETS / "images" / ".." / ".." / "README.md"), "relative.jpg"])
    def test_files_outside_uploads_and_samples_are_refused(self, path):
        from qwen3vl_demo.ui.paths import allowed_file

        with pytest.raises(InputError, match="only uploaded files and the bundled samples"):
            allowed_file(path)

    def test_symlink_out_of_the_upload_folder_is_refused(self, tmp_path, monkeypatch):
        from qwen3vl_demo.ui.paths import allowed_file

        monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path))
        link = tmp_path / "innocent.jpg"
        link.symlink_to("/etc/passwd")
        with pytest.raises(InputError):
            allowed_file(str(link))
        real = tmp_path / "upload.jpg"
        shutil.copy(ASSETS / "images" / "img_8.jpg", real)
        assert allowed_file(str(real)) == str(real)

    def test_bundled_samples_are_allowed(self):
        from qwen3vl_demo.ui.paths import allowed_file

        sample = str(ASSETS / "images" / "img_8.jpg")
        assert allowed_file(sample) == sample


def test_text_over_the_limit_is_refused_with_its_size():
    from qwen3vl_demo.core import config
    from qwen3vl_demo.ui.forms import lines as _lines

    assert len(_lines("short\n\n  also short  ", "query")) == 2
    with pytest.raises(InputError, match=r"query line 2 has 1,000,000 characters; the limit is"):
        _lines("fine\n" + "x" * 1_000_000, "query")
    assert config.MAX_TEXT_CHARS >= 30_000  # the 8192-token context still fits


def test_emoji_right_to_left_and_mixed_scripts_embed(embedder):
    texts = ["🐶🏖️🌅 dog at the beach", "كلب يلعب على الشاطئ", "一只狗 on the plage, собака"]
    vectors = embedder.embed([{"text": t} for t in texts])
    assert vectors.shape == (3, embedder.full_dim) and np.isfinite(vectors).all()
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)


def test_retry_after_a_fixed_load_reindexes_the_gallery(tmp_path, embedder_path, reranker_path):
    """The gallery's indexing fails with its model; once Retry loads the model, it is indexed
    again (not left 'failed', with every search embedding the samples itself)."""
    from qwen3vl_demo.core.items import sample_items

    missing = tmp_path / "embedding-model"
    engine = Engine(str(missing), reranker_path, device="cpu", samples=sample_items()[:3],
                    disk_cache=str(tmp_path / "disk"))
    engine.start()
    _until(lambda: engine.index.state["state"] == "failed" and engine.reranker.state != "loading")
    assert engine.embedder.state == "failed"
    missing.symlink_to(embedder_path)  # the fault fixed
    assert engine.retry() == ["embedding"]
    assert engine.retry() == []  # pressed again at once: nothing new is started
    _until(lambda: engine.index.state["state"] == "ready")
    assert engine.index.state["state"] == "ready", (engine.embedder.state, engine.embedder.error, engine.index.state)
    assert len(engine.cache) >= 3  # the samples' vectors are served from the cache


def test_model_load_errors_show_no_server_paths(tmp_path, reranker_path):
    engine = _engine(str(tmp_path / "no-such-model"), reranker_path, tmp_path)
    with pytest.raises(ModelUnavailable) as caught:
        engine.embed_items([make_item("a dog")], None, None)
    status = engine.status()["embedding"]
    assert status["model"] == "no-such-model" and "no-such-model" in status["error"]
    for text in (str(caught.value), status["error"], str(status)):
        assert str(tmp_path) not in text, text


def _until(condition, seconds: float = 120.0) -> None:
    """Poll ``condition`` (background loads and indexing) until it holds or time runs out."""
    import time

    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
