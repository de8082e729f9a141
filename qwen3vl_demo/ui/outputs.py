"""Results -> what the page shows: figures, cost lines, tables, CSV + JSON downloads, raw JSON."""

from __future__ import annotations

import html
import json
from typing import Any

from ..core.spreadsheet import write_csv
from ..service.results import Cost, RerankResult, SearchResult, SimilarityResult
from ..service.session_files import fresh_folder
from . import plots
from .previews import preview
from .strings import Localized, join, localize

SEARCH_HEADERS = ["#", "item", "similarity", "sim. rank", "rerank", "moved"]
# Shares of the table's width: every column inside the box at 1280 px and wider ("auto" made the
# item column as wide as its longest name, pushing "moved" off the edge); a phone sizes by content.
SEARCH_COLUMN_WIDTHS = ["6%", "40%", "15%", "12%", "14%", "13%"]
RERANK_HEADERS = ["rank", "document", "kind", "score"]
QUERY_BADGE = "🎯 your query"  # a result that is the query itself (the same text or the same file)


def cost_line(cost: Cost) -> str:
    """A few short lines for the UI: seconds per stage, tokens of what was computed now (each item
    as ``label: tokens``), cache hits. A stage that did not run (the reranker has no similarity)
    is left out."""
    stages = [localize("prepare {seconds:.2f} s", seconds=cost.prepare_s),
              localize("model {seconds:.2f} s", seconds=cost.model_s)]
    if cost.similarity_s > 0:
        stages.append(localize("similarity {ms:.1f} ms", ms=cost.similarity_s * 1000))
    line = "⏱️ " + join(stages, " · ")
    lines = [line + localize(" · ♻️ {count} from the cache", count=cost.cached) if cost.cached else line]
    if cost.tokens:
        lines.append(token_line(cost))
    return "  \n".join(line.html() for line in lines)


def token_line(cost: Cost, shown: int = 12) -> Localized:
    """'🔤 tokens — query 1: 12 · document 2: 300 (280 visual) · and 3 more'."""
    items = [Localized.same(f"{html.escape(label)}: **{total}**")
             + (localize(" ({visual} visual)", visual=visual) if visual else "")
             for label, (total, visual) in list(cost.tokens.items())[:shown]]
    more = len(cost.tokens) - len(items)
    return (localize("🔤 tokens — {items}", items=join(items, " · "))
            + (localize(" · and {more} more", more=more) if more > 0 else ""))


def move_text(move: int) -> str:
    """Places gained (▲) or lost (▼), or = for none."""
    return f"▲ {move}" if move > 0 else f"▼ {-move}" if move < 0 else "="


def downloads(name: str, header: list[str], rows: list[list[Any]], data: dict) -> list[str]:
    """The numbers as CSV (cells that would start a spreadsheet formula neutralised) and the whole
    result as JSON (exact), side by side in a fresh folder."""
    directory = fresh_folder("result-")
    csv_path, json_path = directory / f"{name}.csv", directory / f"{name}.json"
    write_csv(csv_path, header, rows)  # visitors' text and file names cannot start a formula
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return [str(csv_path), str(json_path)]


def similarity_outputs(result: SimilarityResult) -> tuple[Any, str, dict, list[str], dict]:
    """Heatmap, cost line, table, CSV + JSON downloads, and the JSON result."""
    columns = plots.axis_labels(result.documents, "D")
    rows = [[label, *[round(float(v), 4) for v in row]]
            for label, row in zip(plots.axis_labels(result.queries, "Q"), result.scores, strict=True)]
    title = f"Cosine similarity · {result.dim} dims · {result.seconds:.2f} s"
    figure = plots.heatmap(result.scores, result.queries, result.documents, title)
    data = result.to_json()
    return (figure, cost_line(result.cost), {"headers": ["query", *columns], "data": rows},
            downloads("similarity", ["query", *columns], rows, data), data)


def search_outputs(result: SearchResult) -> tuple[list[tuple[str, str]], str, dict, list[str], dict]:
    """Result cards, cost line, table, CSV + JSON downloads, and the JSON result. A result that is
    the query itself (found in the gallery) is marked 🎯 on its card and in the table, and said
    under the results, not left out."""
    cards, rows, itself = [], [], []
    for position, hit in enumerate(result.hits, start=1):
        score = hit.score if hit.rerank_score is None else hit.rerank_score
        moved = f" {move_text(hit.move)}" if result.reranked else ""
        badge = " · 🎞️ video" if hit.item.kind == "video" else ""
        page = f" · {hit.item.title}" if hit.item.title else ""  # a PDF page says which page
        mark = " 🎯" if hit.is_query else ""  # short: a card's caption is one line
        cards.append((preview(hit.item), f"#{position}{mark} · {score:.3f}{moved}{badge}{page}"))
        rows.append([position, f"{hit.item.icon} {hit.item.label}" + (f" ({QUERY_BADGE})" if hit.is_query else ""),
                     round(hit.score, 4), hit.rank,
                     None if hit.rerank_score is None else round(hit.rerank_score, 4),
                     move_text(hit.move) if result.reranked else ""])
        itself += [f"#{position} ({hit.item.label})"] if hit.is_query else []
    note = ("  \n" + localize("🎯 {items}: your query itself, found in the gallery", items=", ".join(itself)).html()
            if itself else "")
    data = result.to_json()
    return (cards, cost_line(result.cost) + note, {"headers": SEARCH_HEADERS, "data": rows},
            downloads("search", SEARCH_HEADERS, rows, data), data)


def rerank_outputs(result: RerankResult) -> tuple[Any, str, dict, list[str], dict]:
    """Bar chart, cost line, table, CSV + JSON downloads, and the JSON result."""
    labels = [d.label for d in result.documents]
    figure = plots.score_bars(labels, result.scores, f"Reranker scores · {result.seconds:.2f} s")
    rows = [[r + 1, labels[i], result.documents[i].kind, round(result.scores[i], 4)]
            for r, i in enumerate(result.order)]
    data = result.to_json()
    return (figure, cost_line(result.cost), {"headers": RERANK_HEADERS, "data": rows},
            downloads("rerank", RERANK_HEADERS, rows, data), data)
