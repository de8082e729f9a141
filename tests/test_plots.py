"""The heatmap scales: numbers in the cells up to 12 columns, colour only (full labels on hover) past."""

from __future__ import annotations

import numpy as np
from conftest import ASSETS

from qwen3vl_demo.core.items import Item
from qwen3vl_demo.ui import plots


def test_a_wide_heatmap_drops_the_cell_numbers_and_keeps_full_labels_on_hover() -> None:
    queries = [Item("text", text=f"query number {n} about something long") for n in range(8)]
    documents = [Item("image", path=str(ASSETS / "images" / "img_1.jpg"))] + [
        Item("text", text=f"a document with a long text, number {n}") for n in range(31)]
    figure = plots.heatmap(np.zeros((8, 32)), queries, documents, "title")
    trace = figure.data[0]
    assert trace.texttemplate == ""  # 32 columns: no numbers to run together
    assert trace.customdata[0][5] == f"{queries[0].label}<br>{documents[5].label}"
    assert "%{customdata}" in trace.hovertemplate
    assert len(figure.layout.images) == 1 and figure.layout.images[0].sizey * 56 * 8 < 40  # a narrow thumbnail
    assert figure.layout.margin.t >= 60 + 28  # the title above the thumbnails


def test_a_small_heatmap_writes_its_scores() -> None:
    figure = plots.heatmap(np.eye(2), [Item("text", text="a"), Item("text", text="b")],
                           [Item("text", text="c"), Item("text", text="d")])
    assert figure.data[0].texttemplate == "%{text}" and figure.data[0].text[0][0] == "1.00"
