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
from ..strings import Localized, about, decimals, localize, translate_message

MEMORY_NAMES = {"process_rss": "this process (resident)", "cuda_allocated": "GPU allocated",
                "cuda_reserved": "GPU reserved", "cuda_peak": "GPU peak"}
# Why each model runs in its dtype: below the table, not in it (a long reason squeezed the table's
# other columns, in CJK down to a character a line on a phone); one line where both say the same.
PRECISION = {"embedding": "**Precision (embedder):** {dtype} — {reason}.",
             "reranker": "**Precision (reranker):** {dtype} — {reason}.", "both": "**Precision:** {dtype} — {reason}."}
MEMORY_CHECKED = {"embedding": "**Memory checked before loading (embedder):** {memory}.",
                  "reranker": "**Memory checked before loading (reranker):** {memory}."}
NOT_LOADED = {"embedding": "**The embedder is not loaded:** {error}",
              "reranker": "**The reranker is not loaded:** {error}"}
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
    """The dtype column, in every language (why: below the table, :func:`precision_reasons`)."""
    return dtype_label(slot).html() if "dtype" in slot else "–"


def precision_reasons(slots: dict[str, dict[str, Any]]) -> list[str]:
    """Why each loaded model runs in its dtype (the memory policy's reason, in every language)."""
    shown = {key: s for key, s in slots.items() if s.get("dtype") and s.get("dtype_reason")}
    same = len(shown) == 2 and len({(s["dtype"], s.get("storage"), s["dtype_reason"]) for s in shown.values()}) == 1
    lines = {"both": shown["embedding"]} if same else shown
    return [said(PRECISION[key], dtype=dtype_label(s), reason=translate_message(s["dtype_reason"]))
            for key, s in lines.items()]


def int8_note() -> Localized:
    """The fast mode's note, with the numbers measured at 2B shape (``about.INT8_AT_2B``)."""
    return localize(about.INT8_NOTE, **{name: decimals(value) for name, value in about.INT8_AT_2B.items()})


def precision_notes(status: dict[str, Any]) -> str:
    """What the loaded precisions cost in fidelity and memory, and why a model was not loaded."""
    slots = {key: status[key] for key in ROLES}
    notes = precision_reasons(slots)
    if any(s.get("dtype") == "bfloat16" for s in slots.values()):
        notes.append(said(about.BFLOAT16_NOTE))
    if any(s.get("dtype") == "int8" for s in slots.values()):
        notes.append(int8_note().html())
    if any(s.get("storage") in ("bfloat16", "float16") and s.get("dtype") == "float32" for s in slots.values()):
        notes.append(said(about.EXACT_NOTE))
    notes += [said(MEMORY_CHECKED[key], memory=translate_message(s["memory"])) for key, s in slots.items()
              if s.get("memory")]
    notes += [said(NOT_LOADED[key], error=translate_message(s["error"])) for key, s in slots.items()
              if s.get("state") == "failed" and s.get("error")]
    return "\n\n".join(notes)


def create_tab(ctx: AppContext) -> gr.Markdown:
    """The tab; returns its text, which the status refresh keeps current."""
    with gr.Tab(t("ℹ️ About"), id="about"):
        return gr.Markdown(about_markdown(ctx.engine.status()), elem_id="about")
