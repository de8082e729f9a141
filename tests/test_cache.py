"""The shared embedding cache and the gallery's disk cache: correctness, not speed."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import ASSETS

from qwen3vl_demo.backends import vision_cache
from qwen3vl_demo.core import media
from qwen3vl_demo.core.items import Item, make_item
from qwen3vl_demo.core.similarity import truncate_dim
from qwen3vl_demo.service.engine import Engine
from qwen3vl_demo.service.saved_index import DiskIndex
from qwen3vl_demo.service.store import EmbeddingCache, FileHasher, content_key

IMG = str(ASSETS / "images" / "img_8.jpg")
VIDEO = str(ASSETS / "videos" / "cycling.mp4")


@pytest.fixture()
def engine(embedder_path: str, reranker_path: str, tmp_path) -> Engine:
    samples = [make_item(path=IMG, origin="sample"), make_item("wooden spoons", origin="sample"),
               make_item(path=str(ASSETS / "images" / "img_4.jpg"), origin="sample")]
    return Engine(embedder_path, reranker_path, device="cpu", samples=samples,
                  disk_cache=str(tmp_path / "disk"))


# --- content keys ---------------------------------------------------------------------------------
class TestContentKey:
    def test_same_content_same_key_even_under_another_name(self, tmp_path):
        copy = tmp_path / "copy.jpg"
        shutil.copy(IMG, copy)
        hasher = FileHasher()
        assert content_key({"image": IMG}, "m", hasher) == content_key({"image": str(copy)}, "m", hasher)

    @pytest.mark.parametrize("change", [
        {"text": "other"}, {"instruction": "Find images."}, {"image": str(ASSETS / "images" / "img_7.jpg")},
    ])
    def test_any_change_changes_the_key(self, change):
        hasher = FileHasher()
        base = {"text": "a dog", "image": IMG}
        assert content_key(base, "m", hasher) != content_key({**base, **change}, "m", hasher)

    def test_model_and_video_settings_are_part_of_the_key(self):
        hasher = FileHasher()
        video = {"video": VIDEO}
        assert content_key(video, "a", hasher) != content_key(video, "b", hasher)
        assert content_key(video, "a", hasher) != content_key({**video, "fps": 2.0}, "a", hasher)
        assert content_key(video, "a", hasher) != content_key({**video, "max_frames": 8}, "a", hasher)

    def test_edited_file_gets_a_new_key(self, tmp_path):
        path = tmp_path / "x.jpg"
        shutil.copy(IMG, path)
        hasher = FileHasher()
        before = content_key({"image": str(path)}, "m", hasher)
        shutil.copy(ASSETS / "images" / "img_7.jpg", path)
        assert content_key({"image": str(path)}, "m", hasher) != before

    def test_default_instruction_spellings_share_a_key(self):
        hasher = FileHasher()
        plain = content_key({"text": "x"}, "m", hasher)
        assert plain == content_key({"text": "x", "instruction": "Represent the user's input."}, "m", hasher)
        assert content_key({"text": "x", "instruction": "Find images"}, "m", hasher) == content_key(
            {"text": "x", "instruction": "Find images."}, "m", hasher)

    def test_pil_images_are_not_cached(self):
        from PIL import Image

        assert content_key({"image": Image.new("RGB", (8, 8))}, "m", FileHasher()) is None


class TestEmbeddingCache:
    def test_lru_bound(self):
        cache = EmbeddingCache(max_entries=2)
        for i in range(3):
            cache.put(("k", i), np.ones(4))
        assert len(cache) == 2 and cache.get(("k", 0)) is None and cache.get(("k", 2)) is not None


# --- the engine's cached embeddings ----------------------------------------------------------------
class TestEngineCache:
    def test_cached_vectors_equal_uncached(self, engine, embedder):
        items = [make_item("A dog on a beach."), make_item(path=IMG), make_item(path=VIDEO)]
        first = engine.embed_items(items, "Find images.", None)
        misses = engine.cache.misses
        again = engine.embed_items(items, "Find images.", None)
        assert engine.cache.misses == misses  # served from the cache
        direct = embedder.embed([i.to_input("Find images.") for i in items])
        np.testing.assert_allclose(first, direct, atol=1e-6)
        np.testing.assert_array_equal(first, again)

    def test_other_dims_come_from_the_full_vector(self, engine, embedder):
        items = [make_item("wooden spoons"), make_item(path=IMG)]
        full = engine.embed_items(items, None, None)
        misses = engine.cache.misses
        small = engine.embed_items(items, None, 64)
        assert engine.cache.misses == misses
        np.testing.assert_allclose(small, truncate_dim(full, 64), atol=1e-6)
        np.testing.assert_allclose(small, embedder.embed([i.to_input() for i in items], dim=64), atol=1e-5)

    def test_instruction_change_is_a_miss_with_different_vectors(self, engine):
        item = [make_item("wooden spoons")]
        a = engine.embed_items(item, "Find images.", None)
        misses = engine.cache.misses
        b = engine.embed_items(item, "Find a video that contains the following visual content.", None)
        assert engine.cache.misses == misses + 1
        assert float(a[0] @ b[0]) < 0.9999


# --- the disk cache of the sample gallery -----------------------------------------------------------
class TestDiskIndex:
    def _saved(self, tmp_path):
        disk = DiskIndex(tmp_path)
        vectors = truncate_dim(np.random.default_rng(0).normal(size=(3, 8)), 8)
        probe = truncate_dim(np.ones((1, 8)), 8)[0]
        disk.save("fp", ["a", "b", "c"], vectors, probe)
        return disk, vectors, probe

    def test_round_trip(self, tmp_path):
        disk, vectors, probe = self._saved(tmp_path)
        saved, stored_probe = disk.read("fp", ["a", "b", "c"])
        np.testing.assert_array_equal(saved, vectors)
        assert disk.confirm(stored_probe, probe)

    def test_stale_fingerprint_or_keys_are_refused(self, tmp_path):
        disk, _, _ = self._saved(tmp_path)
        assert disk.read("other", ["a", "b", "c"]) is None
        assert disk.read("fp", ["a", "b", "x"]) is None and "stale" in disk.last_problem

    def test_truncated_file_is_refused(self, tmp_path):
        disk, _, _ = self._saved(tmp_path)
        path = disk.path_for("fp")
        with open(path, "rb") as handle:
            data = handle.read()
        with open(path, "wb") as handle:
            handle.write(data[: len(data) // 2])
        assert disk.read("fp", ["a", "b", "c"]) is None and "unreadable" in disk.last_problem

    def test_tampered_vectors_fail_the_checksum(self, tmp_path):
        disk, _, _ = self._saved(tmp_path)
        path = disk.path_for("fp")
        with np.load(path) as data:
            fields = {k: data[k] for k in data.files}
        fields["vectors"] = fields["vectors"][::-1].copy()
        np.savez(path, **fields)
        assert disk.read("fp", ["a", "b", "c"]) is None and "checksum" in disk.last_problem

    def test_changed_model_numerics_fail_the_probe(self, tmp_path):
        disk, _, _ = self._saved(tmp_path)
        other = truncate_dim(np.arange(8)[None] + 1.0, 8)[0]
        _, stored_probe = disk.read("fp", ["a", "b", "c"])
        assert not disk.confirm(stored_probe, other) and "probe" in disk.last_problem


class TestIndexSamples:
    def test_second_start_reads_the_disk_and_gets_the_same_vectors(self, engine, embedder_path,
                                                                   reranker_path, embedder):
        first = engine.index_samples()
        assert first["state"] == "ready" and first["source"].startswith("computed")
        restarted = Engine(embedder_path, reranker_path, device="cpu", samples=engine.samples,
                           disk_cache=engine.disk.directory)
        second = restarted.index_samples()
        assert second["source"] == "disk cache"
        misses = restarted.cache.misses
        got = restarted.embed_items(engine.samples, None, None)
        assert restarted.cache.misses == misses  # every sample came from the disk cache
        np.testing.assert_allclose(got, embedder.embed([i.to_input() for i in engine.samples]), atol=1e-5)

    def test_corrupt_file_is_rebuilt_not_trusted(self, engine, embedder_path, reranker_path):
        engine.index_samples()
        path = next(Path(engine.disk.directory).glob("*.npz"))
        path.write_bytes(b"not a numpy file")
        restarted = Engine(embedder_path, reranker_path, device="cpu", samples=engine.samples,
                           disk_cache=engine.disk.directory)
        state = restarted.index_samples()
        assert state["state"] == "ready" and "unreadable" in state["source"]
        third = Engine(embedder_path, reranker_path, device="cpu", samples=engine.samples,
                       disk_cache=engine.disk.directory).index_samples()
        assert third["source"] == "disk cache"  # the rebuilt file is valid

    def test_changed_sample_file_invalidates(self, engine, embedder_path, reranker_path, tmp_path):
        path = tmp_path / "sample.jpg"
        shutil.copy(IMG, path)
        samples = [Item("image", path=str(path), origin="sample")]
        make = lambda: Engine(embedder_path, reranker_path, device="cpu", samples=samples,  # noqa: E731
                              disk_cache=str(tmp_path / "d"))
        assert make().index_samples()["source"].startswith("computed")
        assert make().index_samples()["source"] == "disk cache"
        shutil.copy(ASSETS / "images" / "img_7.jpg", path)
        assert make().index_samples()["source"].startswith("computed")


class TestSavedIndexBeforeTheModel:
    """The saved index is read at start-up, before the model loads, and confirmed once it has."""

    def _two_starts(self, engine, embedder_path, reranker_path, preload):
        make = lambda: Engine(embedder_path, reranker_path, device="cpu", samples=engine.samples,  # noqa: E731
                              disk_cache=engine.disk.directory, preload=preload)
        make().index_samples()
        return make()

    def test_samples_and_example_inputs_are_answered_without_loading_the_model(
            self, engine, embedder_path, reranker_path, embedder):
        preload = [(make_item("A woman with her dog."), "Find images."), (make_item(path=IMG), None)]
        restarted = self._two_starts(engine, embedder_path, reranker_path, preload)
        assert restarted.index.read()
        state = restarted.status()["gallery"]
        assert state["state"] == "ready" and state["confirmed"] is False and state["after_start_s"] > 0
        samples = restarted.embed_items(restarted.samples, None, None)
        query = restarted.embed_items([preload[0][0]], "Find images.", 64)
        assert restarted.embedder.state == "idle"  # nothing was loaded to answer
        np.testing.assert_allclose(samples, embedder.embed([i.to_input() for i in engine.samples]), atol=1e-5)
        expected = embedder.embed([{"text": "A woman with her dog.", "instruction": "Find images."}], dim=64)
        np.testing.assert_allclose(query, expected, atol=1e-5)
        confirmed = restarted.index_samples()  # loads the model and compares the probe
        assert confirmed["confirmed"] is True and confirmed["source"] == "disk cache"

    def test_the_export_slider_end_means_full_size_before_the_model_loads(self, engine, embedder_path,
                                                                           reranker_path):
        from qwen3vl_demo.ui.tabs.inside import clamp_dim as _clamp_dim

        restarted = self._two_starts(engine, embedder_path, reranker_path, [])
        assert restarted.index.read()
        assert _clamp_dim(restarted, 4096) is None and _clamp_dim(restarted, 63) == 63  # the full size is 64
        assert restarted.embedder.state == "idle"

    def test_a_probe_that_differs_replaces_what_was_served(self, engine, embedder_path, reranker_path, embedder):
        restarted = self._two_starts(engine, embedder_path, reranker_path, [])
        path = next(Path(engine.disk.directory).glob("*.npz"))
        with np.load(path) as data:
            fields = {k: data[k] for k in data.files}
        wrong = truncate_dim(np.random.default_rng(1).normal(size=fields["vectors"].shape), fields["vectors"].shape[1])
        fields["vectors"] = wrong  # as if another model had written it, checksum and all
        fields["checksum"] = np.array(hashlib.sha256(wrong.tobytes()).hexdigest())
        fields["probe"] = wrong[0]
        np.savez(path, **fields)
        assert restarted.index.read()
        np.testing.assert_allclose(restarted.embed_items(restarted.samples, None, None), wrong)  # served...
        state = restarted.index_samples()
        assert state["state"] == "ready" and "probe" in state["source"]
        truth = embedder.embed([i.to_input() for i in engine.samples])
        np.testing.assert_allclose(restarted.embed_items(restarted.samples, None, None), truth, atol=1e-5)
        np.testing.assert_allclose(restarted.embed_items(restarted.samples[:1], None, None), truth[:1], atol=1e-5)

    def test_example_inputs_are_built_as_the_handlers_build_them(self):
        from qwen3vl_demo.ui.examples import SEARCH_EXAMPLES, SIMILARITY_EXAMPLES, embedding_inputs

        inputs = embedding_inputs()
        first = SIMILARITY_EXAMPLES[0]
        assert (make_item(first[0].splitlines()[0]), first[2]) in inputs  # a query line, its instruction
        assert (make_item(first[5], first[6]), first[7]) in inputs  # the text+image pair
        assert (make_item(path=SEARCH_EXAMPLES[2][1]), SEARCH_EXAMPLES[2][3]) in inputs  # an image query
        assert all(isinstance(item.text, str) and item.kind for item, _ in inputs)


def test_the_reranker_remembers_the_sample_gallery_visuals(engine) -> None:
    model = engine.reranker.get()
    assert engine.remember_sample_visuals() == 2  # two images among the three samples
    keys = [vision_cache.content_key("image", media.load_image(item.path))
            for item in engine.samples if item.path]
    assert all(key in model.vision_cache for key in keys)


def test_a_list_embedded_before_is_served_whole_without_per_item_work(engine, monkeypatch):
    """The warm-search path: the gallery's matrix comes from the memo, no item is looked at again;
    editing one file in place is noticed."""
    import qwen3vl_demo.service.engine as engine_module

    items = [make_item("wooden spoons"), make_item(path=IMG)]
    first = engine.embed_items(items, None, None)
    calls: list[int] = []
    original = engine_module.content_key
    monkeypatch.setattr(engine_module, "content_key", lambda *a, **k: calls.append(1) or original(*a, **k))
    np.testing.assert_array_equal(engine.embed_items(items, None, None), first)
    assert calls == []


def test_the_memo_notices_a_file_edited_in_place(engine, tmp_path):
    path = tmp_path / "photo.jpg"
    shutil.copy(IMG, path)
    items = [make_item(path=str(path))]
    before = engine.embed_items(items, None, None)
    shutil.copy(ASSETS / "images" / "img_2.jpg", path)
    import os

    os.utime(path, ns=(1, 1))  # a different modification time, as any real edit gives
    after = engine.embed_items(items, None, None)
    assert float(before[0] @ after[0]) < 0.9999
