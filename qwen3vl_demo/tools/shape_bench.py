"""The benchmark at real size: random weights in the published 2B (or 8B) shapes, built offline.

    python -m qwen3vl_demo.bench --shape 2b   # about 40 minutes on 2 CPU cores (--skip-app: 17)
    python -m qwen3vl_demo.bench --shape 8b   # what fits a 24 GB machine: 8 minutes

Per dtype (float32, bfloat16): load time and resident memory of each model, a text query (lengths
varying), a photo, a document page, a 10-second video, a rerank of 5 mixed results; both models
resident at once; the fidelity of bfloat16 to float32 (cosine, top-10 agreement of search); and
the indexing work of the default settings against the official behaviour (one padded batch,
float32) on the same items. One model is resident at a time where float32 would not fit twice.

First, computed from the configuration alone: the parameters, the weights one model and both hold
per dtype, and the work per token against 2B. Where a dtype's model would not fit this machine's
memory (8B in float32 here) it is not measured and the report says so; where both models would
not fit (8B), the embedder is measured alone in the dtypes that fit and both models' residence is
computed from it.
"""

from __future__ import annotations

import gc
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import psutil

from ..core import config
from ..core.config import ASSETS_DIR

PHOTO = str(ASSETS_DIR / "images" / "img_8.jpg")  # 640x427: 260 visual tokens
PAGE = str(ASSETS_DIR / "documents" / "doc_0.jpg")  # 1764 visual tokens
VIDEO = str(ASSETS_DIR / "videos" / "cycling.mp4")  # 12 s at 8 fps
QUERIES = ["a dog", "cyclists in a city bike lane", "a bathroom with a glass shower and a mirror",
           "a woman playing with her dog on a beach at sunset while the waves roll in",
           "wooden spoons laid out on a kitchen table next to a bowl of fruit and a cup of coffee in the morning"]
PHOTOS = sorted(str(p) for p in (ASSETS_DIR / "images").glob("*.jp*g"))


def rss_gib() -> float:
    gc.collect()
    return psutil.Process().memory_info().rss / 2**30


def seconds(fn: Callable[[], Any], repeats: int = 1) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def fresh(model: Any, item: dict) -> Callable[[], Any]:
    """Embed ``item`` with nothing remembered of it."""
    def call() -> Any:
        model.vision_cache.clear()
        return model.embed([item])
    return call


def embedder_rows(shape: str, dtype: str, vectors: bool = True) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """Times (s) and memory (GiB) of one embedder in ``dtype``, and (unless ``vectors`` is false)
    its vectors of the photos, queries and page for fidelity; the peak is then after those."""
    from ..backends.loader import load_embedder

    floor = rss_gib()
    started = time.perf_counter()
    model = load_embedder(f"random-{shape}", device="cpu", dtype=dtype)
    row = {"load_s": time.perf_counter() - started, "resident_gib": rss_gib() - floor}
    row["text_s"] = statistics.median(seconds(lambda q=q: model.embed([{"text": q}])) for q in QUERIES)
    row["photo_s"] = seconds(fresh(model, {"image": PHOTO}), 2)
    started = time.perf_counter()
    page = fresh(model, {"image": PAGE})()  # kept: the page is the costliest input of all
    row["page_s"] = time.perf_counter() - started
    row["video_s"] = seconds(fresh(model, {"video": VIDEO}))
    kept = {"photos": model.embed([{"image": p} for p in PHOTOS]),
            "queries": model.embed([{"text": q, "instruction": "Find images."} for q in QUERIES]),
            "page": page} if vectors else {}
    row["peak_gib"] = psutil.Process().memory_info().rss / 2**30 - floor
    model.vision_cache.clear()
    return row, kept


def reranker_rows(shape: str, dtype: str) -> dict[str, float]:
    from ..backends.loader import load_reranker

    floor = rss_gib()
    started = time.perf_counter()
    model = load_reranker(f"random-{shape}", device="cpu", dtype=dtype)
    row = {"load_s": time.perf_counter() - started, "resident_gib": rss_gib() - floor}
    documents = [{"image": PHOTOS[0]}, {"text": "A kitchen sink under a window."}, {"image": PHOTOS[3]},
                 {"text": "Cyclists ride down a green lane."}, {"image": PHOTOS[5]}]

    def rerank() -> Any:
        model.vision_cache.clear()
        return model.rerank({"text": "cyclists in a city"}, documents)

    row["rerank5_s"] = seconds(rerank)
    return row


def release(kind: str) -> None:
    """Forget every loaded model of ``kind`` and free its memory."""
    from ..backends import loader

    loader.forget(kind)
    gc.collect()


def fidelity(exact: dict[str, np.ndarray], fast: dict[str, np.ndarray], k: int = 10) -> dict[str, float]:
    """bfloat16 against float32: cosines of the same inputs, and how much of the top-k of each
    query over the photos is the same."""
    cosines = np.concatenate([np.sum(exact[key] * fast[key], axis=1) for key in exact])
    agree = []
    for q_exact, q_fast in zip(exact["queries"], fast["queries"], strict=True):
        top_exact = set(np.argsort(-(exact["photos"] @ q_exact))[:k].tolist())
        top_fast = set(np.argsort(-(fast["photos"] @ q_fast))[:k].tolist())
        agree.append(len(top_exact & top_fast) / k)
    return {"min_cosine": float(cosines.min()), "mean_cosine": float(cosines.mean()),
            f"top{k}_agreement": float(np.mean(agree))}


def indexing_against_baseline(shape: str) -> tuple[float, float]:
    """Seconds of the default settings (bfloat16 here, micro-batches) and of the official way (one
    padded batch, float32) on the same items: 6 photos and 4 texts."""
    from ..backends.loader import load_embedder
    items = [{"image": p} for p in PHOTOS[:6]] + [{"text": q} for q in QUERIES[:4]]
    ours = load_embedder(f"random-{shape}", device="cpu", dtype="auto")
    ours_s = seconds(lambda: (ours.vision_cache.clear(), ours.embed(items)))
    release("embedding")
    exact = load_embedder(f"random-{shape}", device="cpu", dtype="float32")
    exact.vision_cache.max_bytes, exact.vision_chunk_tokens = 0, 2**62  # nothing kept, all at once
    base_s = seconds(lambda: official_embed(exact, items))
    release("embedding")
    return ours_s, base_s


def official_embed(embedder: Any, items: list[dict]) -> np.ndarray:
    """The official way: every item in one padded batch, one forward, no cache."""
    import torch

    prepared = [embedder.prepare(item) for item in items]
    hidden = embedder.last_hidden(prepared)
    return torch.nn.functional.normalize(hidden, dim=-1).cpu().numpy()


def run_shape(shape: str, app: bool = True, first_starts: Sequence[str] = ("auto",),
              models: bool = True) -> list[str]:
    """The report's lines, each printed as soon as it is measured (the whole run takes a while):
    the models' rows unless ``models`` is false, then the app's first start in each dtype of
    ``first_starts`` unless ``app`` is false (or both models do not fit this machine)."""
    lines: list[str] = []

    def say(*new: str) -> None:
        print(*new, sep="\n", flush=True)
        lines.extend(new)

    if models and not model_rows(shape, say):
        return lines
    for dtype in first_starts if app else ():
        say(*first_start_lines(first_start(f"random-{shape}", dtype), dtype))
    return lines


def model_rows(shape: str, say: Callable[..., None]) -> bool:
    """The models' part of the report, said line by line; whether both models fit this machine
    (else only what fits was measured, and the app is not started)."""
    from ..backends.presets import ensure_preset

    computed, measurable = budget(shape)
    say(*computed, matmul_ceiling())
    if measurable != ["bfloat16", "float32"]:
        one_model(shape, measurable, say)
        return False
    started = time.perf_counter()
    for kind in ("embedding", "reranker"):
        ensure_preset(f"random-{shape}", kind)
    say(f"# checkpoints random-{shape} ready in {time.perf_counter() - started:.0f} s (built once, cached)")
    rows: dict[str, dict[str, float]] = {}
    vectors = {}
    for dtype in ("bfloat16", "float32"):
        rows[dtype], vectors[dtype] = embedder_rows(shape, dtype)
        release("embedding")
        rows[dtype].update({f"reranker_{k}": v for k, v in reranker_rows(shape, dtype).items()})
        release("reranker")
        say(f"# {dtype}: " + ", ".join(f"{k} {v:.2f}" for k, v in rows[dtype].items()))
    say(*table(rows))
    say(f"# bfloat16 vs float32 at {shape} shape: " + ", ".join(
        f"{k} {v:.5f}" for k, v in fidelity(vectors["float32"], vectors["bfloat16"]).items()))
    say(both_resident(shape))
    ours_s, base_s = indexing_against_baseline(shape)
    say(f"{'index 6 photos + 4 texts: default settings':<46} {ours_s:9.1f} s  vs {base_s:9.1f} s "
        f"official (float32, one padded batch)  {base_s / ours_s:5.2f}x  (>= 4x)")
    return True


HEADROOM_GIB = 4.0  # besides one model's weights: the app, a page's activations, the system


def held_gib(counts: dict[str, int], dtype: str) -> float:
    """GiB of weights one loaded model holds in ``dtype``: all but the lm_head (the embedder drops
    it, the reranker keeps one row of it)."""
    return (counts["total"] - counts["lm_head"]) * (4 if dtype == "float32" else 2) / 2**30


def budget(shape: str) -> tuple[list[str], list[str]]:
    """Lines computed from ``shape``'s configuration (parameters, the weights one model and both
    hold, the work per token against 2B), and the dtypes in which one model fits this machine's
    memory with headroom (and whose checkpoints fit its disk), in the order to measure them."""
    from ..backends.presets import parameter_counts, preset_path

    counts = parameter_counts(f"random-{shape}")
    ram = psutil.virtual_memory().total / 2**30
    missing = [kind for kind in ("embedding", "reranker")
               if not (preset_path(f"random-{shape}", kind) / "config.json").is_file()]
    disk_ok = len(missing) * counts["total"] * 2 / 2**30 + 2 <= shutil.disk_usage(config.cache_dir()).free / 2**30
    measurable = [d for d in ("bfloat16", "float32") if disk_ok and held_gib(counts, d) + HEADROOM_GIB <= ram]
    head = f"{counts['lm_head'] / 1e9:.2f} B (untied)" if counts["lm_head"] else "tied"
    lines = [
        f"# random-{shape}, computed from its configuration: {counts['total'] / 1e9:.2f} B parameters "
        f"(vision {counts['vision'] / 1e9:.2f} B, language {counts['language'] / 1e9:.2f} B, "
        f"embeddings {counts['embeddings'] / 1e9:.2f} B, lm_head {head})",
        "# weights held, at most (the embeddings are paged in as tokens use them): one model float32 "
        f"{held_gib(counts, 'float32'):.1f} GiB, bfloat16 "
        f"{held_gib(counts, 'bfloat16'):.1f} GiB; both models float32 {2 * held_gib(counts, 'float32'):.1f} GiB, "
        f"bfloat16 {2 * held_gib(counts, 'bfloat16'):.1f} GiB; this machine has {ram:.1f} GiB",
    ]
    if shape != "2b":
        base = parameter_counts("random-2b")
        lines.append(f"# work per token against 2B: language {counts['language'] / base['language']:.2f}x, "
                     f"vision {counts['vision'] / base['vision']:.2f}x (matrix products; attention grows "
                     "with the tokens)")
    lines += [f"# {d}: not measured here ({held_gib(counts, d):.1f} GiB of weights + {HEADROOM_GIB:g} GiB "
              f"headroom > {ram:.1f} GiB{'' if disk_ok else ', or the checkpoints would not fit the disk'})"
              for d in ("bfloat16", "float32") if d not in measurable]
    return lines, measurable


def one_model(shape: str, dtypes: list[str], say: Callable[..., None]) -> None:
    """Where both models (or float32) do not fit: the embedder alone in each of ``dtypes``, and
    both models resident computed from its measured memory (the reranker holds as much)."""
    from ..backends.presets import ensure_preset

    if dtypes:
        started = time.perf_counter()
        ensure_preset(f"random-{shape}", "embedding")
        say(f"# checkpoint random-{shape} (embedder) ready in {time.perf_counter() - started:.0f} s (built once)")
    for dtype in dtypes:
        row, _ = embedder_rows(shape, dtype, vectors=False)
        release("embedding")
        say(f"# {dtype}, the embedder alone (measured):")
        for key in ("load_s", "resident_gib", "text_s", "photo_s", "page_s", "video_s", "peak_gib"):
            name = "embedder resident after the page and video" if key == "peak_gib" else NAMES[key]
            say(f"{name:<46} {row[key]:9.2f} {'GiB' if key.endswith('gib') else 's'}")
        say(f"{'both models resident (computed: 2 x resident)':<46} {2 * row['resident_gib']:9.2f} GiB")
    if not dtypes:
        say("# nothing measured: not even one model fits this machine")


def matmul_ceiling(tokens: int = 1800, width: int = 2048, mlp: int = 6144) -> str:
    """bfloat16 against float32 on the matrix product that dominates the 2B language model
    ([tokens, width] x [width, mlp]): the most bfloat16 can gain on this CPU."""
    import torch

    rates = {}
    for dtype in (torch.float32, torch.bfloat16):
        a, b = torch.randn(tokens, width, dtype=dtype), torch.randn(width, mlp, dtype=dtype)
        a @ b  # warm
        rates[dtype] = 2 * tokens * width * mlp / seconds(lambda a=a, b=b: a @ b, 5) / 1e9
    ratio = rates[torch.bfloat16] / rates[torch.float32]
    return (f"# matrix products alone: float32 {rates[torch.float32]:.0f} GFLOP/s, bfloat16 "
            f"{rates[torch.bfloat16]:.0f} GFLOP/s ({ratio:.2f}x): no model-wide bfloat16 gain above that here")


def first_start(preset: str, dtype: str = "auto", timeout_s: float = 3600.0) -> dict[str, float]:
    """``app.py`` on both models of ``preset`` with a fresh saved-index cache (the checkpoints
    are given as folders), its defaults otherwise: seconds from launch to the page, to the embedder
    ready, to a visitor's text-only similarity sent while the gallery indexes (and its latency),
    to a search over the part indexed so far, to the whole gallery searchable; the server's peak
    memory."""
    from gradio_client import Client

    from ..backends.presets import ensure_preset
    from .measure import launch_app

    folders = [str(ensure_preset(preset, kind)) for kind in ("embedding", "reranker")]
    process, url, started = launch_app(folders[0], folders[1], tempfile.mkdtemp(prefix="qwen3vl-first-start-"),
                                       ["--dtype", dtype])
    times: dict[str, float] = {"page": time.perf_counter() - started}
    peak, probed = 0.0, 0.0
    try:
        client = Client(url, verbose=False)
        while time.perf_counter() - started < timeout_s:
            status = client.predict(api_name="/status")
            peak = max(peak, psutil.Process(process.pid).memory_info().rss / 2**30)
            gallery = status["gallery"]
            if status["embedding"]["state"] == "ready" and "embedder" not in times:
                times["embedder"] = time.perf_counter() - started
            done, total = gallery.get("done") or 0, gallery.get("total") or 0
            if gallery["state"] == "indexing" and done and "similarity_sent" not in times:
                times.update(visitor_requests(client, started, ""))
            elif gallery["state"] == "indexing" and done >= total - 10 and "page_similarity_sent" not in times:
                times.update(visitor_requests(client, started, "page_", with_search=True))  # pages come last
            elif "page_similarity_sent" in times and "gallery_whole" not in times and time.perf_counter() - probed > 20:
                probed = time.perf_counter()  # a visitor's search covers the whole gallery from now on
                if gallery["state"] == "indexing" and search(client)[1] >= gallery["items"]:
                    times["gallery_whole"] = probed - started
            if gallery["state"] in ("ready", "failed") and "gallery" not in times:
                times["gallery"] = time.perf_counter() - started
                times.setdefault("gallery_whole", times["gallery"])
                times["gallery_failed"] = float(gallery["state"] == "failed")
            if "gallery" in times and status["reranker"]["state"] in ("ready", "failed"):
                times["reranker"] = time.perf_counter() - started  # it loads once the gallery is indexed
                break
            time.sleep(0.5)
        times["peak_gib"] = peak
        times["rss_gib"] = psutil.Process(process.pid).memory_info().rss / 2**30
    finally:
        process.terminate()
        process.wait(timeout=60)
    return times


def visitor_requests(client: Any, started: float, prefix: str, with_search: bool = False) -> dict[str, float]:
    """A visitor's text-only similarity (and a search) sent now: when, and how long each took."""
    times = {f"{prefix}similarity_sent": time.perf_counter() - started}
    client.predict("a dog on a beach", None, "", "A dog runs along the sand.", None, "", None, "", None,
                   api_name="/similarity")
    times[f"{prefix}similarity_s"] = time.perf_counter() - started - times[f"{prefix}similarity_sent"]
    if with_search:
        times["partial_search_s"], times["partial_items"] = search(client)
    return times


def search(client: Any) -> tuple[float, int]:
    """A visitor's search of the gallery: seconds taken, and how many gallery items it covered."""
    sent = time.perf_counter()
    *_, found = client.predict("cyclists in a city", None, None, "", 5, False, None, api_name="/search")
    return time.perf_counter() - sent, int(found.get("gallery_size", 0))


def first_start_lines(times: dict[str, float], dtype: str = "auto") -> list[str]:
    def at(key: str) -> str:
        return f"{times[key]:7.1f} s" if key in times else "    n/a"

    settings = "app.py defaults" if dtype == "auto" else f"app.py --dtype {dtype}"
    lines = [f"# first start at real size ({settings}, no saved index): page {at('page')}, "
             f"embedder ready {at('embedder')}, whole gallery searchable {at('gallery_whole')}, "
             f"everything indexed (with the examples' inputs) {at('gallery')}, reranker ready {at('reranker')}"
             + (" (indexing FAILED)" if times.get("gallery_failed") else "")]
    if "similarity_s" in times:
        lines.append(f"{'text-only similarity while the gallery indexes':<46} {times['similarity_s']:9.2f} s"
                     f"  (sent at {times['similarity_sent']:.0f} s; <= 10 s)")
        if "page_similarity_s" in times:
            lines.append(f"{'  ... again while document pages index':<46} {times['page_similarity_s']:9.2f} s"
                         f"  (sent at {times['page_similarity_sent']:.0f} s; <= 10 s)")
    if "partial_search_s" in times:
        lines.append(f"{'search over the part indexed so far':<46} {times['partial_search_s']:9.2f} s"
                     f"  ({times['partial_items']:.0f} items indexed then)")
    models = "both models" if "reranker" in times else "the embedder (the reranker not loaded yet)"
    lines.append(f"{'server memory, ' + models + ' + the app':<46} {times['peak_gib']:9.2f} GiB peak, "
                 f"{times['rss_gib']:.2f} GiB at the end  (<= 10 GB)")
    return lines


def both_resident(shape: str) -> str:
    from ..backends.loader import load_embedder, load_reranker

    floor = rss_gib()
    load_embedder(f"random-{shape}", device="cpu", dtype="auto")
    load_reranker(f"random-{shape}", device="cpu", dtype="auto")
    resident = rss_gib() - floor
    release("embedding")
    release("reranker")
    return f"{'both models resident, dtype auto':<46} {resident:9.2f} GiB  (<= 10 GB with the app)"


TARGETS = {"photo_s": 4.0, "page_s": 3.0, "text_s": 2.0}
NAMES = {"load_s": "load embedder", "resident_gib": "embedder resident", "peak_gib": "embedder peak (24 photos)",
         "text_s": "text query (median of 5 lengths)", "photo_s": "photo 640x427 (260 visual tokens)",
         "page_s": "document page (1764 visual tokens)", "video_s": "video 12 s (840 visual tokens)",
         "reranker_load_s": "load reranker", "reranker_resident_gib": "reranker resident",
         "reranker_rerank5_s": "rerank 5 mixed results"}


def table(rows: dict[str, dict[str, float]]) -> list[str]:
    lines = [f"{'measure':<46} {'float32':>11} {'bfloat16':>11}  ratio  (target)"]
    for key, name in NAMES.items():
        exact, fast = rows["float32"][key], rows["bfloat16"][key]
        unit = "GiB" if key.endswith("gib") else "s"
        target = f"(>= {TARGETS[key]:g}x)" if key in TARGETS else ""
        lines.append(f"{name:<46} {exact:9.2f} {unit:<3} {fast:7.2f} {unit:<3} {exact / fast:5.2f}x  {target}")
    return lines
