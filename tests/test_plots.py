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


def test_image_queries_get_a_thumbnail_on_their_row_between_the_label_and_the_cells() -> None:
    image = Item("image", path=str(ASSETS / "images" / "img_1.jpg"))
    queries = [image, Item("text", text="a text query"), Item("image", path=str(ASSETS / "images" / "img_2.jpg"))]
    documents = [Item("text", text=f"document {n}") for n in range(32)]
    figure = plots.heatmap(np.zeros((3, 32)), queries, documents, "title")
    rows = [im for im in figure.layout.images if im.yref == "y"]
    assert [im.y for im in rows] == [figure.data[0].y[0], figure.data[0].y[2]]  # the image queries only
    assert all(im.xref == "paper" and im.x <= 0 and im.xanchor == "right" for im in rows)  # left of the cells
    row_px = plots.ROW_THUMB_PX
    assert all(abs(im.sizey * plots.ROW_PX - row_px) < 1 for im in rows)  # a square the row's height
    assert figure.layout.yaxis.ticklabelstandoff >= row_px  # the labels moved left of the thumbnails
    assert figure.layout.title.text == "title" and not [im for im in figure.layout.images if im.yref == "paper"]


def test_text_queries_keep_their_labels_next_to_the_cells() -> None:
    figure = plots.heatmap(np.zeros((1, 1)), [Item("text", text="q")], [Item("text", text="d")])
    assert not figure.layout.images and not figure.layout.yaxis.ticklabelstandoff
