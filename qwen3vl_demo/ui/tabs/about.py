"""The About tab: the models as loaded (device, dtype, memory), how the recipe works, the limits,
and how to call the app from Python."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ...core import config
from ..common import AppContext
from ..examples import QUERY_INSTRUCTION
from ..header import dtype_label, short_name

# Measured by ``python -m qwen3vl_demo.bench --shape 2b`` (README, "Speed"): what bfloat16 costs.
BFLOAT16_NOTE = (
    "**bfloat16** ran text queries 2.4x, photos 1.9x and document pages 1.5x faster than float32 at "
    "2B shape on a CPU with AVX512-BF16 and no AMX (its matrix products are 2.4x float32's there), in "
    "half the memory; its vectors depart slightly from the official float32 ones "
    "(min cosine 0.9996 at 2B shape, 0.9999 on the test models; the top-10 of a gallery search was "
    "the same). Start with `--dtype float32` for exact parity."
)
# Measured by ``python -m qwen3vl_demo.bench --shape 2b`` and ``--lean`` (docs/lean-memory.md).
EXACT_NOTE = (
    "**Exact in half the memory:** the weights stay in the checkpoint's own 16 bits and each matrix "
    "product runs in float32 on them, upcast just before it, so the vectors are bit-identical to a "
    "float32 model's in about half its memory (checked on the test models)."
)
INT8_NOTE = (
    "**Fast mode (int8):** the linear layers are quantized to int8 (dynamic, per output channel); "
    "the vectors depart from float32's: on the test models cosine 0.9995 or more; at 2B shape "
    "(random weights) see docs/lean-memory.md for the measured cosine and top-10 agreement. "
    "Start with `--dtype exact` (or the default) for exact results."
)
MEMORY_NAMES = {"process_rss": "this process (resident)", "cuda_allocated": "GPU allocated",
                "cuda_reserved": "GPU reserved", "cuda_peak": "GPU peak"}
DEFAULT_ADDRESS = "http://127.0.0.1:7860/"


def about_markdown(status: dict[str, Any], address: str = DEFAULT_ADDRESS) -> str:
    """The tab's text; ``address``: this page's, for the Python snippet."""
    dim = status["embedding"].get("full_dim", 2048)
    rows = []
    for key in ("embedding", "reranker"):
        s = status[key]
        params = f"{s['parameters'] / 1e6:,.1f} M" if "parameters" in s else "–"
        load = f"{s['load_seconds']:.1f} s" if "load_seconds" in s else "–"
        rows.append(f"| {key} | `{short_name(s['model'])}` | {s['state']} | {s.get('device', '–')} | "
                    f"{dtype_text(s)} | {s.get('attention', '–')} | {params} | {load} |")
    memory = ", ".join(f"{MEMORY_NAMES.get(k.replace('_gib', ''), k.replace('_gib', '').replace('_', ' '))}: {v} GiB"
                       for k, v in status["memory"].items())
    return f"""
### Models
| role | model | state | device | dtype | attention | parameters | load time |
|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

**Memory:** {memory} · **cached embeddings:** {status['cached_embeddings']}

{precision_notes(status)}

### How it works
Inputs are formatted exactly as the official Qwen3-VL-Embedding code does (instruction as the system
message, then videos, images and texts; images resized to multiples of 32 px within 4–1800 visual
tokens; videos sampled at 1 fps, at most 64 frames, with a timestamp before every pair of frames).
The embedding is the last token's hidden state, L2-normalised; smaller sizes (MRL, 64 to full) keep
the first *d* numbers and renormalise. The reranker scores *sigmoid(logit(yes) − logit(no))*.

### Limits
{config.MAX_QUERIES} queries and {config.MAX_DOCUMENTS} documents per similarity request,
{config.MAX_RERANK_DOCUMENTS} documents per rerank, {config.MAX_SESSION_ITEMS} items of your own in the
gallery (visible only to your session), {config.MAX_UPLOAD_MB} MB per upload, videos up to
{config.MAX_VIDEO_SECONDS // 60} minutes.

### Call it from Python
```python
from gradio_client import Client, handle_file

client = Client("{address}")  # this page's address, or the Space id
dim = client.predict(api_name="/status")["embedding"]["full_dim"]  # {dim} here; 64..{dim} allowed
heatmap, cost, table, downloads, result = client.predict(
    query_text="A woman playing with her dog on a beach at sunset.",
    query_files=[], query_instruction="{QUERY_INSTRUCTION}",
    document_text="A dog runs on the sand.", document_files=[handle_file("photo.jpg")],
    pair_text="", pair_image=None, document_instruction="", dim=dim,
    api_name="/similarity",
)
print(result["scores"])  # [n_queries][n_documents]

cards, cost, table, downloads, hits = client.predict(
    "a bathroom", None, None, "{QUERY_INSTRUCTION}", 5, True, dim, api_name="/search")
chart, cost, table, downloads, ranked = client.predict(
    "cyclists", None, "", "A bike lane.\\nA kitchen.", [], api_name="/rerank")
```
A refused input raises `gradio_client.exceptions.AppError` with the message (on the page it shows
beside the button that ran it).
"""


def dtype_text(slot: dict[str, Any]) -> str:
    dtype = dtype_label(slot) if "dtype" in slot else "–"
    return f"{dtype} ({slot['dtype_reason']})" if slot.get("dtype_reason") else dtype


def precision_notes(status: dict[str, Any]) -> str:
    """What the loaded precisions cost in fidelity and memory, and why a model was not loaded."""
    slots = [status[k] for k in ("embedding", "reranker")]
    notes = [BFLOAT16_NOTE] if any(s.get("dtype") == "bfloat16" for s in slots) else []
    if any(s.get("dtype") == "int8" for s in slots):
        notes.append(INT8_NOTE)
    if any(s.get("storage") in ("bfloat16", "float16") and s.get("dtype") == "float32" for s in slots):
        notes.append(EXACT_NOTE)
    notes += [f"**Memory checked before loading ({kind}):** {s['memory']}." for kind, s in
              zip(("embedder", "reranker"), slots, strict=True) if s.get("memory")]
    notes += [f"**The {kind} is not loaded:** {s['error']}" for kind, s in
              zip(("embedder", "reranker"), slots, strict=True) if s.get("state") == "failed" and s.get("error")]
    return "\n\n".join(notes)


def create_tab(ctx: AppContext) -> gr.Markdown:
    """The tab; returns its text, which the status refresh keeps current."""
    with gr.Tab("ℹ️ About", id="about"):
        return gr.Markdown(about_markdown(ctx.engine.status()), elem_id="about")
