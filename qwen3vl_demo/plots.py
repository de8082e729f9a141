"""Figures: the similarity heatmap and the reranker bar chart (plotly, no UI code)."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .gallery import Item, snippet, thumbnail

FONT = dict(family="Inter, DejaVu Sans, Arial, sans-serif", size=14, color="#1e293b")
COLORSCALE = "Tealgrn"


def axis_labels(items: Sequence[Item], prefix: str) -> list[str]:
    """Unique, readable axis labels: 'Q1 · text…' (plotly merges equal category labels)."""
    return [f"{prefix}{i + 1} · {snippet(item.label, 24)}" for i, item in enumerate(items)]


def _data_uri(item: Item) -> str | None:
    picture = thumbnail(item, 96)
    if picture is None:
        return None
    buffer = io.BytesIO()
    picture.convert("RGB").save(buffer, format="JPEG", quality=80)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


def heatmap(scores: np.ndarray, queries: Sequence[Item], documents: Sequence[Item],
            title: str = "") -> go.Figure:
    """Queries (rows) by documents (columns), each cell annotated with its score.

    ``scores``: [n_queries, n_docs]. Image and video documents get a thumbnail above their column.
    """
    scores = np.asarray(scores, dtype=float)
    x, y = axis_labels(documents, "D"), axis_labels(queries, "Q")
    text = [[f"{v:.2f}" for v in row] for row in scores]
    figure = go.Figure(go.Heatmap(
        z=scores, x=x, y=y, text=text, texttemplate="%{text}", textfont={"size": 15},
        colorscale=COLORSCALE, hovertemplate="%{y}<br>%{x}<br>similarity %{z:.4f}<extra></extra>",
        colorbar={"title": {"text": "cosine"}, "thickness": 14},
    ))
    thumbs = [(i, uri) for i, d in enumerate(documents) if (uri := _data_uri(d))]
    rows_height = 56 * len(queries)
    for i, uri in thumbs:  # ~80 px tall, just above the column (sizey is a fraction of the rows)
        figure.add_layout_image(source=uri, xref="x", yref="paper", x=x[i], y=1.02, sizex=0.94,
                                sizey=80 / rows_height, xanchor="center", yanchor="bottom", layer="above")
    top = 140 if thumbs else 50
    figure.update_layout(
        title={"text": title, "x": 0.01, "y": 0.98, "yanchor": "top"} if title else None,
        font=FONT, template="plotly_white", height=top + 150 + rows_height,
        margin={"l": 10, "r": 10, "t": top, "b": 10},
        xaxis={"side": "bottom", "tickangle": -25 if len(documents) > 4 else 0, "automargin": True},
        yaxis={"autorange": "reversed", "automargin": True},
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
