"""Figures: the similarity heatmap and the reranker bar chart (plotly, no UI code)."""

from __future__ import annotations

import base64
import functools
import io
import os
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from PIL import ImageOps

from ..core.items import Item, snippet
from .previews import thumbnail

FONT = dict(family="Inter, DejaVu Sans, Arial, sans-serif", size=14, color="#1e293b")
COLORSCALE = "Tealgrn"


def axis_labels(items: Sequence[Item], prefix: str) -> list[str]:
    """Unique, readable axis labels: 'Q1 · text…' (plotly merges equal category labels)."""
    return [f"{prefix}{i + 1} · {snippet(item.label, 24)}" for i, item in enumerate(items)]


def _data_uri(item: Item, square: bool = False) -> str | None:
    """A small JPEG of the item for the figure, decoded once per file version; ``square``: centre-cropped
    to a square (for a box of known shape: a heatmap row, a framed map point)."""
    if not item.path:
        return None
    try:
        stat = os.stat(item.path)
    except OSError:
        return None
    return _thumbnail_uri(item, stat.st_size, stat.st_mtime_ns, square)


@functools.lru_cache(maxsize=512)
def _thumbnail_uri(item: Item, size: int, mtime_ns: int, square: bool) -> str | None:
    del size, mtime_ns  # part of the cache key only: an edited file is read again
    picture = thumbnail(item, 96)
    if picture is None:
        return None
    if square:
        side = min(picture.size)
        picture = ImageOps.fit(picture, (side, side))
    buffer = io.BytesIO()
    picture.convert("RGB").save(buffer, format="JPEG", quality=80)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


DENSE_COLUMNS = 12  # more documents than this: no numbers in the cells (hover shows them)
ROW_PX = 56  # the height of one query's row in the heatmap
ROW_THUMB_PX = 48  # a square thumbnail left of an image query's row, between its label and the cells


def heatmap(scores: np.ndarray, queries: Sequence[Item], documents: Sequence[Item],
            title: str = "") -> go.Figure:
    """Queries (rows) by documents (columns), each cell annotated with its score.

    ``scores``: [n_queries, n_docs]. Image and video documents get a thumbnail above their column,
    smaller as columns narrow; image and video queries a square one left of their row (the row
    labels pushed left to make room); past ``DENSE_COLUMNS`` the cells keep only colour, and the
    hover gives both items' full labels and the score.
    """
    scores = np.asarray(scores, dtype=float)
    x, y = axis_labels(documents, "D"), axis_labels(queries, "Q")
    dense = len(documents) > DENSE_COLUMNS
    full = [[f"{q.label}<br>{d.label}" for d in documents] for q in queries]
    figure = go.Figure(go.Heatmap(
        z=scores, x=x, y=y, text=[[f"{v:.2f}" for v in row] for row in scores], customdata=full,
        texttemplate="" if dense else "%{text}", textfont={"size": 15}, colorscale=COLORSCALE,
        hovertemplate="%{customdata}<br>similarity %{z:.4f}<extra></extra>",
        colorbar={"title": {"text": "cosine"}, "thickness": 14},
    ))
    thumbs = [(i, uri) for i, d in enumerate(documents) if (uri := _data_uri(d))]
    rows_height = ROW_PX * len(queries)
    thumb_px = max(28, min(80, 1000 // max(len(documents), 1)))  # about a column's width
    for i, uri in thumbs:  # just above the column (sizey is a fraction of the rows)
        figure.add_layout_image(source=uri, xref="x", yref="paper", x=x[i], y=1.02, sizex=0.94,
                                sizey=thumb_px / rows_height, xanchor="center", yanchor="bottom", layer="above")
    row_thumbs = [(i, uri) for i, q in enumerate(queries) if (uri := _data_uri(q, square=True))]
    for i, uri in row_thumbs:  # right-aligned in a wide box, so exactly ROW_THUMB_PX wide (a square)
        figure.add_layout_image(source=uri, xref="paper", yref="y", x=-0.004, y=y[i], sizex=0.5,
                                sizey=ROW_THUMB_PX / ROW_PX, xanchor="right", yanchor="middle",
                                sizing="contain", layer="above")
    top = 60 + thumb_px if thumbs else 50  # the title sits above the thumbnails, never under them
    figure.update_layout(
        title={"text": title, "x": 0.01, "y": 1.0, "yanchor": "top", "pad": {"t": 8}} if title else None,
        font=FONT, template="plotly_white", height=top + 150 + rows_height,
        margin={"l": 10, "r": 10, "t": top, "b": 10},
        xaxis={"side": "bottom", "tickangle": -45 if dense else -25 if len(documents) > 4 else 0,
               "automargin": True, "tickfont": {"size": 11 if dense else 14}},
        yaxis={"autorange": "reversed", "automargin": True,
               "ticklabelstandoff": ROW_THUMB_PX + 8 if row_thumbs else 0},
    )
    return figure


def score_bars(labels: Sequence[str], scores: Sequence[float], title: str = "") -> go.Figure:
    """Horizontal bars, best at the top, scores in [0, 1] written on the bars."""
    order = np.argsort(-np.asarray(scores, dtype=float), kind="stable")
    names = [f"{rank + 1}. {snippet(labels[i], 40)}" for rank, i in enumerate(order)]
    values = [float(scores[i]) for i in order]
    figure = go.Figure(go.Bar(
        x=values, y=names, orientation="h", text=[f"{v:.3f}" for v in values], textposition="auto",
        marker={"color": values, "colorscale": COLORSCALE, "cmin": 0, "cmax": 1},
        hovertemplate="%{y}<br>score %{x:.4f}<extra></extra>",
    ))
    figure.update_layout(
        title={"text": title, "x": 0.01} if title else None, font=FONT, template="plotly_white",
        height=max(260, 80 + 40 * len(values)), margin={"l": 10, "r": 20, "t": 50 if title else 20, "b": 40},
        xaxis={"range": [0, 1], "title": {"text": "relevance (sigmoid of yes − no)"}},
        yaxis={"autorange": "reversed", "automargin": True},
    )
    return figure


PALETTE = ("#0d9488", "#f59e0b", "#6366f1", "#ef4444", "#10b981", "#8b5cf6", "#0ea5e9", "#f97316")


def storage_chart(names: Sequence[str], overlaps: Sequence[float], errors: Sequence[float],
                  k: int) -> go.Figure:
    """Overlap@k with full-size float (bars) and mean score error (line), one per setting."""
    figure = go.Figure()
    figure.add_bar(x=list(names), y=list(overlaps), name=f"overlap@{k} with float full size",
                   marker_color=_storage_colors(names), text=[f"{v:.0%}" for v in overlaps],
                   textposition="outside", hovertemplate="%{x}<br>overlap %{y:.0%}<extra></extra>")
    figure.add_scatter(x=list(names), y=list(errors), name="mean |score error|", yaxis="y2",
                       mode="lines+markers", line={"color": "#1e293b"},
                       hovertemplate="%{x}<br>mean error %{y:.4f}<extra></extra>")
    figure.update_layout(
        font=FONT, template="plotly_white", height=360, margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis={"range": [0, 1.15], "tickformat": ".0%", "title": {"text": f"top-{k} kept"}},
        yaxis2={"overlaying": "y", "side": "right", "title": {"text": "mean score error"},
                "rangemode": "tozero"},
        legend={"orientation": "h", "y": 1.12, "x": 0},
    )
    return figure


def _storage_colors(names: Sequence[str]) -> list[str]:
    return ["#0d9488" if n.startswith("float") else "#f59e0b" if n.startswith("int8") else "#6366f1"
            for n in names]


def instruction_slope(labels: Sequence[str], ranks_a: Sequence[int], ranks_b: Sequence[int],
                      title_a: str, title_b: str) -> go.Figure:
    """Each item's rank under instruction A (left) and B (right); items that moved are coloured."""
    figure = go.Figure()
    for label, a, b in zip(labels, ranks_a, ranks_b, strict=True):
        color = "#0d9488" if b < a else "#ef4444" if b > a else "#94a3b8"
        figure.add_scatter(x=[0, 1], y=[a, b], mode="lines+markers+text",
                           line={"color": color, "width": 3},
                           text=[f"{snippet(label, 26)}  #{a}", f"#{b}  {snippet(label, 26)}"],
                           textposition=["middle left", "middle right"], showlegend=False,
                           hovertemplate=f"{label}<br>#{a} → #{b}<extra></extra>")
    for x, title, side in ((0, title_a, "right"), (1, title_b, "left")):
        figure.add_annotation(x=x, y=0, yref="y", text=f"<b>{'A' if x == 0 else 'B'}</b> · {snippet(title, 48)}",
                              showarrow=False, xanchor=side, yanchor="bottom", font={"size": 13})
    figure.update_layout(
        font=FONT, template="plotly_white", height=max(300, 90 + 34 * len(labels)),
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
        xaxis={"range": [-1.15, 2.15], "visible": False},
        yaxis={"autorange": "reversed", "visible": False, "range": [len(labels) + 0.5, -0.5]},
    )
    return figure


def embedding_map(items: Sequence[Item], points: np.ndarray, clusters: Sequence[int],
                  is_query: Sequence[bool]) -> go.Figure:
    """Points coloured by cluster, thumbnails on image/video points, queries as stars."""
    figure = go.Figure()
    points = np.asarray(points, dtype=float)
    for cluster in sorted({int(c) for c in clusters}):
        for query in (False, True):
            rows = [i for i, (c, q) in enumerate(zip(clusters, is_query, strict=True))
                    if int(c) == cluster and q == query]
            if not rows:
                continue
            figure.add_scatter(
                x=points[rows, 0], y=points[rows, 1], mode="markers",
                name=("query → " if query else "") + f"cluster {cluster + 1}",
                marker={"size": 22 if query else 30, "symbol": "star" if query else "circle",
                        "color": PALETTE[cluster % len(PALETTE)], "line": {"width": 2, "color": "white"}},
                text=[items[i].label for i in rows], hovertemplate="%{text}<extra></extra>",
            )
    span = float(np.ptp(points, axis=0).max() or 1.0)
    for i, item in enumerate(items):
        uri = None if is_query[i] else _data_uri(item)
        if uri:
            figure.add_layout_image(source=uri, x=points[i, 0], y=points[i, 1], xref="x", yref="y",
                                    sizex=span * 0.07, sizey=span * 0.07, xanchor="center",
                                    yanchor="middle", layer="above")
    figure.update_layout(font=FONT, template="plotly_white", height=520,
                         margin={"l": 10, "r": 10, "t": 30, "b": 10},
                         xaxis={"title": {"text": "PC 1"}, "zeroline": False},
                         yaxis={"title": {"text": "PC 2"}, "zeroline": False, "scaleanchor": "x"})
    return figure
