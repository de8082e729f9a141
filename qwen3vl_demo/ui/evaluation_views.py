"""An evaluation's result -> what the Evaluate tab shows: the metrics table with the best of each
column marked, metric against embedding size and against rerank depth, the per-query table (worst
first, coloured rank moves), each query's top results, the cost, and the CSV + JSON downloads.

No gradio here: tables are {"headers", "data"} dicts, figures plotly."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from ..core import ir_metrics
from ..core.items import Item
from ..service.evaluate import GAP_METRIC, EvaluationResult, QueryRow, gaps
from .outputs import downloads
from .plots import FONT, PALETTE
from .previews import preview
from .strings import LOCALES

METRIC_HEADERS = ["configuration", *ir_metrics.METRICS]
QUERY_HEADERS = ["#", "query", "first relevant: embedding", "after rerank", "moved", "nDCG@10 before",
                 "nDCG@10 after"]
DEFAULT_METRIC = "nDCG@10"
LANGUAGE_HEADERS = ["language", "queries", "tokens / query", *ir_metrics.METRICS, f"gap {GAP_METRIC}",
                    f"{GAP_METRIC} reranked", "gap reranked"]
# The queries' languages by their own names (Hindi is a query language, not one of the interface's).
LANGUAGE_NAMES = {**{locale.code: locale.name for locale in LOCALES}, "hi": "हिन्दी"}


def metrics_table(result: EvaluationResult) -> dict[str, Any]:
    """One row per configuration; the best value of each column starred (plain text: markdown cells
    widen the table past a phone's screen)."""
    best = result.best()

    def cell(metric: str, value: float) -> str:
        return f"{value:.4f} ★" if value == best[metric] else f"{value:.4f}"

    rows = [[c.name, *[cell(m, c.metrics[m]) for m in ir_metrics.METRICS]] for c in result.table()]
    return {"headers": METRIC_HEADERS, "data": rows}


def move_cell(row: QueryRow) -> str:
    if row.first_before is None or row.first_after is None or row.move == 0:
        return "="
    return f"🟢 ▲ {row.move}" if row.move > 0 else f"🔴 ▼ {-row.move}"


def queries_table(result: EvaluationResult) -> dict[str, Any]:
    rows = [[n, f"{r.query.icon} {r.query.label}", rank_text(r.first_before), rank_text(r.first_after),
             move_cell(r), round(r.ndcg_before, 3), round(r.ndcg_after, 3)]
            for n, r in enumerate(result.queries, start=1)]
    return {"headers": QUERY_HEADERS, "data": rows}


def rank_text(rank: int | None) -> str:
    return "never" if rank is None else f"#{rank}"


def top_results(result: EvaluationResult, row: int) -> list[dict[str, Any]]:
    """One query's final top results as plain dicts (kept in the page's state for the thumbnails)."""
    query = result.queries[row]
    return [{"item": result.dataset.documents[i].to_dict(), "id": result.dataset.doc_ids[i], "grade": grade,
             "query": query.query.label} for i, grade in query.top]


def cards_label(shown: list[dict[str, Any]]) -> str:
    query = shown[0]["query"] if shown else "the selected query"
    return f"Top results of “{query}” after reranking (✅ relevant, with its grade; ✗ not)"


def result_cards(shown: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(picture, caption) of each top result: rank, relevant (✅ and its grade) or not (✗), id."""
    cards = []
    for rank, entry in enumerate(shown, start=1):
        mark = f"✅ {entry['grade']}" if entry["grade"] else "✗"
        cards.append((preview(Item.from_dict(entry["item"])), f"#{rank} {mark} · {entry['id']}"))
    return cards


def size_chart(result: EvaluationResult) -> go.Figure:
    """Each metric against the embedding size, one line per configuration (float, int8, binary,
    float reranked); a menu picks the metric."""
    lines: dict[str, list] = {}
    for c in result.configurations:
        lines.setdefault(c.line, []).append(c)
    figure = go.Figure()
    for metric in ir_metrics.METRICS:
        for n, (line, points) in enumerate(lines.items()):
            points = sorted(points, key=lambda c: c.dim)
            figure.add_scatter(x=[str(c.dim) for c in points], y=[c.metrics[metric] for c in points],
                               mode="lines+markers", name=line, visible=metric == DEFAULT_METRIC,
                               line={"color": PALETTE[n % len(PALETTE)], "width": 3},
                               hovertemplate=f"{line} · %{{x}} dims<br>{metric} %{{y:.4f}}<extra></extra>")
    count = len(lines)
    buttons = [{"label": m, "method": "update",
                "args": [{"visible": [i // count == k for i in range(count * len(ir_metrics.METRICS))]},
                         {"yaxis.title.text": m}]} for k, m in enumerate(ir_metrics.METRICS)]
    figure.update_layout(
        font=FONT, template="plotly_white", height=400, margin={"l": 10, "r": 10, "t": 60, "b": 10},
        xaxis={"title": {"text": "embedding size (dimensions)"}, "type": "category"},
        yaxis={"title": {"text": DEFAULT_METRIC}, "rangemode": "tozero"},
        updatemenus=[{"buttons": buttons, "direction": "down", "x": 1, "y": 1.02, "xanchor": "right",
                      "yanchor": "bottom", "active": ir_metrics.METRICS.index(DEFAULT_METRIC)}],
        legend={"orientation": "h", "y": -0.3, "x": 0},
    )
    return figure


def depth_chart(result: EvaluationResult) -> go.Figure:
    """Every metric against the rerank depth (0: the embedding order), full-size float."""
    figure = go.Figure()
    x = [str(c.depth) if c.depth else "none" for c in result.by_depth]
    for n, metric in enumerate(ir_metrics.METRICS):
        figure.add_scatter(x=x, y=[c.metrics[metric] for c in result.by_depth], mode="lines+markers", name=metric,
                           line={"color": PALETTE[n % len(PALETTE)], "width": 3},
                           hovertemplate=f"depth %{{x}}<br>{metric} %{{y:.4f}}<extra></extra>")
    figure.update_layout(
        font=FONT, template="plotly_white", height=400, margin={"l": 10, "r": 10, "t": 60, "b": 10},
        xaxis={"title": {"text": f"rerank depth (top k of float {result.full_dim} reranked)"}, "type": "category"},
        yaxis={"title": {"text": "metric"}, "rangemode": "tozero"}, legend={"orientation": "h", "y": -0.3, "x": 0},
    )
    return figure


def language_name(code: str) -> str:
    """'简体中文 (zh-CN)'; a code the app does not name, as it is."""
    return f"{LANGUAGE_NAMES[code]} ({code})" if code in LANGUAGE_NAMES else code


def language_table(result: EvaluationResult) -> dict[str, Any]:
    """One row per language (none for a set without languages): queries, mean tokens per query, the
    full-size float metrics, the gap to English on nDCG@10, the same reranked and its gap."""
    rows = result.language_rows()
    gap = gaps(rows)

    def signed(value: float | None) -> str:
        return "–" if value is None else f"{value:+.4f}"

    data = [[language_name(row.language), row.queries, "–" if row.tokens is None else round(row.tokens, 1),
             *[round(row.embedding[m], 4) for m in ir_metrics.METRICS], signed(gap[row.language][0]),
             "–" if row.reranked is None else round(row.reranked[GAP_METRIC], 4), signed(gap[row.language][1])]
            for row in rows]
    return {"headers": LANGUAGE_HEADERS, "data": data}


def language_chart(result: EvaluationResult) -> go.Figure:
    """nDCG@10 of each language against the embedding size (float), one line per language: where
    a language drops first as the vectors shrink."""
    points = sorted((c for c in result.configurations if c.storage == "float" and not c.depth), key=lambda c: c.dim)
    figure = go.Figure()
    for n, language in enumerate(result.languages()):
        name = language_name(language)
        figure.add_scatter(x=[str(c.dim) for c in points], y=[c.by_language[language][GAP_METRIC] for c in points],
                           mode="lines+markers", name=name,
                           line={"color": PALETTE[n % len(PALETTE)], "width": 4 if language == "en" else 2,
                                 "dash": "solid" if n < len(PALETTE) else "dot"},
                           hovertemplate=f"{name} · %{{x}} dims<br>{GAP_METRIC} %{{y:.4f}}<extra></extra>")
    figure.update_layout(
        font=FONT, template="plotly_white", height=420, margin={"l": 10, "r": 10, "t": 40, "b": 10},
        title={"text": f"{GAP_METRIC} per language against embedding size (float)", "font": {"size": 15}},
        xaxis={"title": {"text": "embedding size (dimensions)"}, "type": "category"},
        yaxis={"title": {"text": GAP_METRIC}, "rangemode": "tozero"}, legend={"orientation": "h", "y": -0.25, "x": 0},
    )
    return figure


def cost_markdown(result: EvaluationResult) -> str:
    lines = []
    for stage in result.stages:
        s = stage.to_json()
        lines.append(f"- **{s['stage']}**: {s['seconds']:.2f} s ({s['model_seconds']:.2f} s in the model) · "
                     f"{s['computed']} computed now, {s['cached']} from the cache · {s['tokens']:,} tokens "
                     f"({s['visual_tokens']:,} visual)")
    return "**Cost**\n" + "\n".join(lines)


def summary_markdown(result: EvaluationResult) -> str:
    notes = "".join(f"\n\n⚠️ {note}" for note in result.notes)
    return (f"**{result.dataset.summary()}** · embedder size {result.full_dim} · rerank depth "
            f"{result.options.depth or 'none'}{notes}")


def evaluation_downloads(result: EvaluationResult) -> list[str]:
    rows = [[c.name, *[round(c.metrics[m], 4) for m in ir_metrics.METRICS]] for c in result.table()]
    return downloads("evaluation", METRIC_HEADERS, rows, result.to_json())
