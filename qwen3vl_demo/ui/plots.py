"""Figures: the similarity heatmap and the reranker bar chart (plotly, no UI code)."""

from __future__ import annotations

import base64
import functools
import io
import os
import textwrap
from collections.abc import Sequence

import numpy as np
import plotly.colors
import plotly.graph_objects as go
from PIL import ImageOps

from ..core.items import Item, snippet
from .previews import thumbnail

FONT = dict(family="Inter, DejaVu Sans, Arial, sans-serif", size=14, color="#1e293b")
COLORSCALE = "Tealgrn"


def cell_colours(scores: np.ndarray) -> list[list[tuple[str, str]]]:
    """(background, text) colour of each score as the heatmap draws it: the colour scale over the
    matrix's own range, dark text on the light end, white on the dark end."""
    scores = np.asarray(scores, dtype=float)
    low, high = np.nanmin(scores), np.nanmax(scores)
    scaled = np.nan_to_num((scores - low) / (high - low) if high > low else np.full_like(scores, 0.5), nan=0.0)
    backs = plotly.colors.sample_colorscale(COLORSCALE, scaled.reshape(-1).tolist())
    texts = ["#ffffff" if v > 0.75 else "#1e293b" for v in scaled.reshape(-1)]
    flat = list(zip(backs, texts, strict=True))
    width = scores.shape[1]
    return [flat[r * width:(r + 1) * width] for r in range(scores.shape[0])]


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


BAR_PX = 52  # one document's row in the reranker chart: its name, and its bar below it


def score_bars(labels: Sequence[str], scores: Sequence[float], title: str = "") -> go.Figure:
    """Horizontal bars, best at the top, scores in [0, 1] written after the bars.

    Each document's name sits just above its bar, from the left edge, rather than as an axis label
    left of it: the bars keep the whole width on any screen and long names are never cut off.
    """
    order = np.argsort(-np.asarray(scores, dtype=float), kind="stable")
    names = [f"{rank + 1}. {snippet(labels[i], 40)}" for rank, i in enumerate(order)]
    values = [float(scores[i]) for i in order]
    figure = go.Figure(go.Bar(
        x=values, y=names, orientation="h", text=[f"{v:.3f}" for v in values], textposition="outside",
        cliponaxis=False, width=0.45, marker={"color": values, "colorscale": COLORSCALE, "cmin": 0, "cmax": 1},
        customdata=[labels[i] for i in order], hovertemplate="%{customdata}<br>score %{x:.4f}<extra></extra>",
    ))
    for rank, (name, i) in enumerate(zip(names, order, strict=True)):  # above its bar, as wide as a phone
        figure.add_annotation(x=0, y=name, xref="x", yref="y", text=f"{rank + 1}. {snippet(labels[i], 36)}",
                              showarrow=False, xanchor="left", yanchor="bottom", yshift=BAR_PX * 0.22,
                              font={"size": 12})
    figure.update_layout(
        title={"text": title, "x": 0.01} if title else None, font=FONT, template="plotly_white",
        height=max(220, 90 + BAR_PX * len(values)), margin={"l": 10, "r": 10, "t": 50 if title else 20, "b": 40},
        xaxis={"range": [0, 1.14], "tickvals": [0, 0.25, 0.5, 0.75, 1],  # room for the value after a bar
               "title": {"text": "relevance (sigmoid of yes − no)"}},
        yaxis={"autorange": "reversed", "showticklabels": False, "range": [len(values) - 0.5, -0.75]},
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
    for x, title, side in ((0, title_a, "left"), (1, title_b, "right")):  # from the edge, in lines that fit
        text = "<br>".join(textwrap.wrap(f"<b>{'A' if x == 0 else 'B'}</b> · {snippet(title, 90)}", 34))
        figure.add_annotation(x=x, xref="paper", y=0.3, yref="y", text=text, showarrow=False, xanchor=side,
                              align=side, yanchor="bottom", font={"size": 13})
    figure.update_layout(
        font=FONT, template="plotly_white", height=max(300, 140 + 34 * len(labels)),
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
        xaxis={"range": [-1.6, 2.6], "visible": False},  # the labels take 1.6 units either side
        yaxis={"autorange": "reversed", "visible": False, "range": [len(labels) + 0.5, -1.6]},
    )
    return figure


MAP_THUMB = 0.07  # a thumbnail's side on the map, as a fraction of the points' larger extent
STACKED = 0.5  # points closer than this many thumbnail sides are spread onto a ring around their centre


def spread_stacked(points: np.ndarray, side: float) -> tuple[np.ndarray, list[int]]:
    """Where to draw each point so that stacked ones (closer than ``STACKED * side``) stay visible.

    ``points``: [n, 2]. Returns the drawn positions [n, 2] (a stack moved onto a ring around its
    centre, wide enough that neighbours ``side`` apart do not cover each other) and, per point, how
    many points its stack holds (1: not moved).
    """
    points = np.asarray(points, dtype=float)
    stacks: list[list[int]] = []
    for i, point in enumerate(points):
        home = next((s for s in stacks if np.linalg.norm(points[s[0]] - point) < STACKED * side), None)
        if home is None:
            stacks.append([i])
        else:
            home.append(i)
    drawn, sizes = points.copy(), [1] * len(points)
    for stack in (s for s in stacks if len(s) > 1):
        centre, ring = points[stack].mean(axis=0), 0.6 * side / np.sin(np.pi / len(stack))
        for n, i in enumerate(stack):
            angle = np.pi / 2 + 2 * np.pi * n / len(stack)
            drawn[i] = centre + ring * np.array([np.cos(angle), np.sin(angle)])
            sizes[i] = len(stack)
    return drawn, sizes


def embedding_map(items: Sequence[Item], points: np.ndarray, clusters: Sequence[int],
                  is_query: Sequence[bool]) -> go.Figure:
    """Points coloured by cluster, thumbnails framed in their cluster's colour, queries as labelled
    stars; stacked points spread apart (the hover says so). ``points``: [n, 2]."""
    points = np.asarray(points, dtype=float)
    side = float(np.ptp(points, axis=0).max() or 1.0) * MAP_THUMB if len(points) else 1.0
    drawn, stacked = spread_stacked(points, side)
    hover = [items[i].label + (f"<br>(one of {n} points at the same place, drawn apart)" if n > 1 else "")
             for i, n in enumerate(stacked)]
    below = _query_label_sides(drawn, is_query, side)
    figure = go.Figure()
    for cluster in sorted({int(c) for c in clusters}):
        color = PALETTE[cluster % len(PALETTE)]
        for query in (False, True):
            rows = [i for i, (c, q) in enumerate(zip(clusters, is_query, strict=True))
                    if int(c) == cluster and q == query]
            if rows:
                trace = _map_trace(drawn[rows], [items[i] for i in rows], [hover[i] for i in rows], cluster,
                                   color, query)
                if query:
                    trace.textposition = [below[i] for i in rows]
                figure.add_trace(trace)
        for i in (i for i, c in enumerate(clusters) if int(c) == cluster and not is_query[i]):
            _framed_thumbnail(figure, items[i], drawn[i], side, color)
    low, high = (drawn.min(axis=0) - 1.5 * side, drawn.max(axis=0) + 1.5 * side) if len(drawn) else ((-1, -1), (1, 1))
    figure.update_layout(font=FONT, template="plotly_white", height=560,
                         margin={"l": 10, "r": 10, "t": 30, "b": 10},
                         legend={"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"},  # the map gets the width
                         xaxis={"title": {"text": "PC 1"}, "zeroline": False, "range": [low[0], high[0]]},
                         yaxis={"title": {"text": "PC 2"}, "zeroline": False, "scaleanchor": "x",
                                "range": [low[1], high[1]]})
    return figure


def _query_label_sides(drawn: np.ndarray, is_query: Sequence[bool], side: float) -> list[str]:
    """Per point, where its star's text goes: below when another query sits just above it (so two
    close stars' labels do not run into each other), else above."""
    queries = [i for i, q in enumerate(is_query) if q]
    sides = ["top center"] * len(is_query)
    for i in queries:
        above = [j for j in queries if j != i and 0 <= drawn[j, 1] - drawn[i, 1] < 2 * side
                 and abs(drawn[j, 0] - drawn[i, 0]) < 6 * side and (drawn[j, 1], j) > (drawn[i, 1], i)]
        if above:
            sides[i] = "bottom center"
    return sides


def _map_trace(xy: np.ndarray, items: Sequence[Item], hover: Sequence[str], cluster: int, color: str,
               query: bool) -> go.Scatter:
    """One cluster's gallery points (circles) or queries (stars with their text beside them)."""
    return go.Scatter(
        x=xy[:, 0], y=xy[:, 1], mode="markers+text" if query else "markers",
        name=("query → " if query else "") + f"cluster {cluster + 1}",
        marker={"size": 24 if query else 30, "symbol": "star" if query else "circle", "color": color,
                "line": {"width": 1.5 if query else 2, "color": "#1e293b" if query else "white"}},
        text=[snippet(item.label, 28) for item in items] if query else None, textposition="top center",
        textfont={"size": 13, "color": "#1e293b"}, customdata=list(hover), cliponaxis=not query,
        hovertemplate="%{customdata}<extra></extra>",
    )


def _framed_thumbnail(figure: go.Figure, item: Item, xy: np.ndarray, side: float, color: str) -> None:
    """A square thumbnail centred on the point, in a frame of its cluster's colour (none for text)."""
    uri = _data_uri(item, square=True)
    if not uri:
        return
    x, y = float(xy[0]), float(xy[1])
    figure.add_layout_image(source=uri, x=x, y=y, xref="x", yref="y", sizex=side, sizey=side,
                            xanchor="center", yanchor="middle", sizing="stretch", layer="above")
    half = side / 2
    figure.add_shape(type="rect", xref="x", yref="y", x0=x - half, x1=x + half, y0=y - half, y1=y + half,
                     line={"color": color, "width": 4}, fillcolor="rgba(0,0,0,0)", layer="above")
