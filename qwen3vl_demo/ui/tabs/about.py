"""The About tab: the models as loaded (device, dtype, memory), how the recipe works, the limits,
and how to call the app from Python."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ...core import config
from ..common import AppContext
from ..examples import QUERY_INSTRUCTION
from ..header import dtype_label, short_name
from ..l10n import t
from ..strings import about, localize

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
COLUMNS = ("role", "model", "state", "device", "dtype", "attention", "parameters", "load time")
ROLES = {"embedding": "Embedding", "reranker": "Reranker"}
DEFAULT_ADDRESS = "http://127.0.0.1:7860/"


def said(text: str, **values: Any) -> str:
    """A catalogue text in every language, as Markdown (the page shows the visitor's)."""
    return localize(text, **values).html()


def about_markdown(status: dict[str, Any], address: str = DEFAULT_ADDRESS) -> str:
    """The tab's text; ``address``: this page's, for the Python snippet."""
    dim = status["embedding"].get("full_dim", 2048)
    limits = {"queries": config.MAX_QUERIES, "documents": config.MAX_DOCUMENTS, "rerank": config.MAX_RERANK_DOCUMENTS,
              "mine": config.MAX_SESSION_ITEMS, "mb": config.MAX_UPLOAD_MB, "minutes": config.MAX_VIDEO_SECONDS // 60}
    return f"""
### {said("Models")}
| {" | ".join(said(column) for column in COLUMNS)} |
|---|---|---|---|---|---|---|---|
{chr(10).join(model_row(key, status[key]) for key in ("embedding", "reranker"))}

**{said("Memory")}:** {memory_text(status["memory"])} · **{said("cached embeddings")}:** {status['cached_embeddings']}

{precision_notes(status)}

### {said("How it works")}
{said(about.HOW_IT_WORKS)}

### {said("Limits")}
{said(about.LIMITS, **limits)}

### {said("Call it from Python")}
{python_snippet(address, dim)}
{said(about.REFUSED)}
"""


def model_row(key: str, slot: dict[str, Any]) -> str:
    """One row of the models table: role, model, state, device, dtype, attention, parameters, load time."""
    params = f"{slot['parameters'] / 1e6:,.1f} M" if "parameters" in slot else "–"
    load = f"{slot['load_seconds']:.1f} s" if "load_seconds" in slot else "–"
    return (f"| {said(ROLES[key])} | `{short_name(slot['model'])}` | {said(slot['state'])} | "
            f"{slot.get('device', '–')} | {dtype_text(slot)} | {slot.get('attention', '–')} | {params} | {load} |")


def memory_text(memory: dict[str, Any]) -> str:
    names = {k: k.replace("_gib", "") for k in memory}
    return ", ".join(f"{said(MEMORY_NAMES[names[k]]) if names[k] in MEMORY_NAMES else names[k].replace('_', ' ')}: "
                     f"{v} GiB" for k, v in memory.items())


def python_snippet(address: str, dim: int) -> str:
    """How to call the app from Python (code reads the same in every language)."""
    return f"""```python
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
```"""


def dtype_text(slot: dict[str, Any]) -> str:
    dtype = dtype_label(slot) if "dtype" in slot else "–"
    return f"{dtype} ({slot['dtype_reason']})" if slot.get("dtype_reason") else dtype


def precision_notes(status: dict[str, Any]) -> str:
    """What the loaded precisions cost in fidelity and memory, and why a model was not loaded."""
    slots = [status[k] for k in ("embedding", "reranker")]
    notes = [said(about.BFLOAT16_NOTE)] if any(s.get("dtype") == "bfloat16" for s in slots) else []
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
    with gr.Tab(t("ℹ️ About"), id="about"):
        return gr.Markdown(about_markdown(ctx.engine.status()), elem_id="about")
