"""What makes the real sizes usable, checked on the fixtures: the dtype policy, the real-shape
presets' configurations, the warm-up at load, background work that gives way to visitors in the
middle of a forward, and the sample gallery indexed cheapest first with progress, searchable while
it is being built. (Speed itself is the benchmark's business: ``python -m qwen3vl_demo.bench``.)"""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch
from conftest import ASSETS

from qwen3vl_demo import load_embedder
from qwen3vl_demo.backends import local, presets
from qwen3vl_demo.core.items import make_item
from qwen3vl_demo.service.engine import Engine
from qwen3vl_demo.service.slots import BusyCount
from qwen3vl_demo.ui.header import indexing_text

IMAGES = sorted(str(p) for p in (ASSETS / "images").glob("*.jpg"))
PAGE = str(ASSETS / "documents" / "doc_0.jpg")


# --- dtype policy --------------------------------------------------------------------------------
def test_the_python_api_stays_exact_and_auto_follows_the_cpu():
    assert local.choose_dtype(None, "cpu")[0] is torch.float32
    assert local.choose_dtype(None, "cuda")[0] is torch.bfloat16
    assert local.choose_dtype("float32", "cpu") == (torch.float32, "as asked")
    dtype, why = local.choose_dtype("auto", "cpu")
    if local.fast_bfloat16_cpu():
        assert dtype is torch.bfloat16 and local.fast_bfloat16_cpu() in why
    else:
        assert dtype is torch.float32 and "no native bfloat16" in why
    with pytest.raises(ValueError, match="'auto' or one of"):
        local.choose_dtype("int4", "cpu")


def test_auto_is_what_the_loader_records(embedder_path):
    model = load_embedder(embedder_path, device="cpu", dtype="auto")
    expected, why = local.choose_dtype("auto", "cpu")
    assert model.info.dtype == str(expected).replace("torch.", "") and model.info.dtype_reason.startswith(why)
    assert load_embedder(embedder_path, device="cpu").info.dtype == "float32"


def test_the_vision_attention_runs_in_float32_where_bfloat16_attention_is_slow(embedder_path):
    """bfloat16 on a CPU without AMX: the vision tower's attention in float32 (PyTorch's bfloat16
    attention kernel is the slower one there), the language model's in bfloat16; float32 as before."""
    assert local.attention_implementation("cpu", torch.float32) == "sdpa"
    slow = local.fast_bfloat16_cpu() != "AMX"
    vision = local.attention_implementation("cpu", torch.bfloat16)
    assert vision == ("sdpa_float32" if slow else "sdpa") and local.language_attention(vision) == "sdpa"
    exact = load_embedder(embedder_path, device="cpu")
    assert exact.backbone.visual.config._attn_implementation == "sdpa"
    fast = load_embedder(embedder_path, device="cpu", dtype="bfloat16")
    assert fast.backbone.visual.config._attn_implementation == vision
    assert fast.backbone.language_model.config._attn_implementation == "sdpa"
    items = [{"image": IMAGES[0]}, {"text": "a dog", "image": IMAGES[1]}]
    cosines = np.sum(exact.embed(items) * fast.embed(items), axis=1)
    assert cosines.min() > 0.999, cosines


def test_float32_sdpa_is_sdpa_in_float32():
    from transformers.integrations.sdpa_attention import sdpa_attention_forward

    module = torch.nn.Module()
    module.is_causal, module.num_key_value_groups = False, 1
    q, k, v = (torch.randn(1, 2, 5, 8).to(torch.bfloat16) for _ in range(3))
    out, _ = local.float32_sdpa(module, q, k, v, None, scaling=8**-0.5)
    expected, _ = sdpa_attention_forward(module, q.float(), k.float(), v.float(), None, scaling=8**-0.5)
    assert out.dtype is torch.bfloat16 and out.shape == (1, 5, 2, 8)
    torch.testing.assert_close(out, expected.to(torch.bfloat16))


# --- presets ---------------------------------------------------------------------------------------
def test_real_shape_presets_have_the_published_configurations():
    from transformers import Qwen3VLConfig

    two = Qwen3VLConfig(**presets.model_config("random-2b"))
    assert (two.text_config.hidden_size, two.text_config.num_hidden_layers, two.text_config.intermediate_size,
            two.text_config.num_attention_heads, two.text_config.num_key_value_heads,
            two.text_config.head_dim) == (2048, 28, 6144, 16, 8, 128)
    assert (two.vision_config.depth, two.vision_config.hidden_size, two.vision_config.out_hidden_size,
            two.vision_config.num_position_embeddings, two.vision_config.deepstack_visual_indexes) == (
        24, 1024, 2048, 2304, [5, 11, 17])
    assert two.tie_word_embeddings
    eight = Qwen3VLConfig(**presets.model_config("random-8b"))
    assert (eight.text_config.hidden_size, eight.text_config.num_hidden_layers,
            eight.vision_config.depth, eight.vision_config.out_hidden_size) == (4096, 36, 27, 4096)
    assert not eight.tie_word_embeddings
    assert presets.model_config("tiny") is presets.MODEL_CONFIG  # the tiny preset is unchanged


def test_parameter_counts_are_the_published_sizes_without_building_weights():
    from qwen3vl_demo.tools.shape_bench import held_gib

    two, eight = presets.parameter_counts("random-2b"), presets.parameter_counts("random-8b")
    assert round(two["total"] / 1e9, 2) == 2.13 and two["lm_head"] == 0  # tied to the embeddings
    assert eight["lm_head"] == eight["embeddings"] == 151936 * 4096  # untied: a second vocabulary matrix
    for counts in (two, eight):
        assert counts["total"] == counts["vision"] + counts["language"] + counts["embeddings"] + counts["lm_head"]
    assert 4.5 < eight["language"] / two["language"] < 5.5  # 36 layers of 4096 against 28 of 2048
    assert held_gib(eight, "float32") == 2 * held_gib(eight, "bfloat16") > 16  # no lm_head held


# --- memory ----------------------------------------------------------------------------------------------
def test_freed_memory_is_given_back_after_a_page_not_after_a_query(embedder, monkeypatch):
    import sys

    calls = []
    monkeypatch.setattr(local, "return_freed_memory", lambda: calls.append(1))
    embedder.embed([{"text": "a short query"}])
    assert calls == []
    embedder.vision_cache.clear()
    embedder.embed([{"image": PAGE}])  # about 1800 tokens
    assert calls == [1]
    monkeypatch.undo()
    assert local.return_freed_memory() is sys.platform.startswith("linux")


# --- warm-up -----------------------------------------------------------------------------------------
def test_a_loaded_model_has_run_once_and_remembers_nothing_of_it(embedder_path, monkeypatch):
    calls: list[dict] = []
    original = local.Qwen3VLEmbedder.warm_up_call
    monkeypatch.setattr(local.Qwen3VLEmbedder, "warm_up_call",
                        lambda self, item: calls.append(item) or original(self, item))
    model = load_embedder(embedder_path, device="cpu", batch_tokens=4095)  # a new key: a fresh load
    assert [sorted(c) for c in calls] == [["image", "text"], ["text"]]
    assert model.vision_cache.bytes == 0


# --- background work gives way ------------------------------------------------------------------------
@pytest.mark.slow  # waits on background forwards
def test_a_visitor_is_served_while_background_work_is_paused_mid_forward(embedder):
    busy = BusyCount()
    items = [{"image": path} for path in IMAGES] + [{"image": PAGE}]
    expected = embedder.embed(items)
    embedder.vision_cache.clear()
    started, result, finished = threading.Event(), {}, threading.Event()

    def background() -> None:
        with embedder.in_background(busy.active, busy.wait_until_idle):
            started.set()
            result["vectors"] = embedder.embed(items)
        finished.set()

    with busy.working():  # a visitor's request arrives: the background pauses at its next layer
        thread = threading.Thread(target=background)
        thread.start()
        started.wait(10)
        answer = embedder.embed([{"text": "a visitor's query"}])
        assert not finished.is_set(), "the background work should be waiting for the visitor"
    thread.join(120)
    assert finished.is_set() and answer.shape == (1, embedder.full_dim)
    np.testing.assert_allclose(result["vectors"], expected, atol=1e-5)  # paused, not disturbed


# --- the sample gallery: cheapest first, progress, searchable while it builds ---------------------------
@pytest.mark.slow  # indexes the whole gallery
def test_the_gallery_is_indexed_cheapest_first_and_searchable_meanwhile(embedder_path, reranker_path, tmp_path):
    samples = [make_item(path=PAGE, origin="sample"), make_item(path=IMAGES[0], origin="sample"),
               make_item("wooden spoons", origin="sample"), make_item(path=IMAGES[1], origin="sample")]
    example_page = make_item(path=str(ASSETS / "documents" / "doc_8.jpg"), origin="sample")  # cheaper than PAGE
    engine = Engine(embedder_path, reranker_path, device="cpu", samples=samples, disk_cache=str(tmp_path),
                    preload=[(example_page, "Represent the user's input.")])
    seen: list[list[str]] = []
    states: list[dict] = []
    searches = []

    def embed(items, instruction, what, progress):
        seen.append([item.kind + ":" + (item.name or item.text) for item in items])
        states.append(dict(engine.index.state))
        if len(seen) == 2:  # half-way: a visitor searches the gallery
            searches.append(engine.search(make_item("a kitchen"), samples, None, 4))
        return engine.embed_items(items, instruction, None, what, progress, background=True)

    engine.index.confirm_or_build(embed, engine.fresh_vector)
    kinds = [entry.split(":")[0] for run in seen for entry in run]
    assert kinds.index("text") < kinds.index("image")
    assert seen[-2:] == [["image:doc_0.jpg"], ["image:doc_8.jpg"]]  # pages last, the gallery's first
    assert states[0]["state"] == "indexing" and states[0]["done"] == 0 and states[0]["total"] == 5
    assert states[-1]["done"] == 4 and states[-1]["eta_s"] is not None
    assert [state["gallery_done"] for state in states] == [False] * (len(states) - 1) + [True]  # the example page
    assert indexing_text(states[-1]).english.startswith("all searchable · indexing the examples' inputs, 1 to go")
    partial = searches[0]
    assert partial.not_indexed_yet > 0 and partial.gallery_size == 4 - partial.not_indexed_yet
    assert engine.index.state["state"] == "ready"
    assert engine.search(make_item("a kitchen"), samples, None, 4).not_indexed_yet == 0
    assert indexing_text({"done": 3, "total": 24, "eta_s": 200}).english == (
        "indexing 3 of 24 · about 3 min left · search covers what is done")


# --- the one test at real size (random weights in the published 2B shape: 4.3 GB, built once) -----
@pytest.mark.real_size
def test_the_2b_shape_loads_in_bfloat16_and_embeds_repeatably():
    model = load_embedder("random-2b", device="cpu", dtype="bfloat16")
    assert model.full_dim == 2048 and model.info.dtype == "bfloat16"
    assert model.info.parameters > 2_000_000_000
    items = [{"text": "A woman playing with her dog on a beach at sunset."}, {"image": IMAGES[0]}]
    first = model.embed(items)
    model.vision_cache.clear()
    second = model.embed(items)
    assert first.shape == (2, 2048)
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(first, second)


@pytest.mark.app
def test_the_first_start_bench_runs_the_real_app_through_its_visitor_probes():
    from qwen3vl_demo.tools.shape_bench import first_start, first_start_lines

    times = first_start("tiny", timeout_s=600)
    assert times["gallery_failed"] == 0
    assert times["page"] <= times["embedder"] <= times["gallery_whole"] <= times["gallery"] <= times["reranker"]
    assert times["peak_gib"] > 0
    lines = first_start_lines(times)
    assert "whole gallery searchable" in lines[0] and "n/a" not in lines[0] and "app.py defaults" in lines[0]
    assert "app.py --dtype float32" in first_start_lines(times, "float32")[0]
