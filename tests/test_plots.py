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


def map_of(points: list[list[float]], clusters: list[int], queries: int = 0) -> tuple[list[Item], object]:
    images = sorted((ASSETS / "images").glob("img_*.jpg"))
    items = [Item("image", path=str(images[i])) for i in range(len(points) - queries)]
    items += [Item("text", text=f"query {n}: a long line about bicycles in a city") for n in range(queries)]
    is_query = [False] * (len(points) - queries) + [True] * queries
    return items, plots.embedding_map(items, np.array(points), clusters, is_query)


def test_map_thumbnails_are_framed_in_their_clusters_colour() -> None:
    _, figure = map_of([[0, 0], [1, 0], [0, 1], [1, 1]], [0, 0, 1, 1])
    frames = [s for s in figure.layout.shapes if s.type == "rect"]
    assert len(figure.layout.images) == len(frames) == 4
    assert [f.line.color for f in frames] == [plots.PALETTE[0]] * 2 + [plots.PALETTE[1]] * 2
    for image, frame in zip(figure.layout.images, frames, strict=True):  # the frame around its picture
        assert abs(frame.x0 + frame.x1 - 2 * image.x) < 1e-9 and abs((frame.x1 - frame.x0) - image.sizex) < 1e-9


def test_map_query_stars_carry_their_text() -> None:
    _, figure = map_of([[0, 0], [1, 0], [0, 1], [1, 1], [0.5, 0.5]], [0, 0, 1, 1, 1], queries=1)
    stars = [t for t in figure.data if t.marker.symbol == "star"]
    assert len(stars) == 1 and "text" in stars[0].mode
    assert stars[0].text[0].startswith("query 0: a long line") and stars[0].cliponaxis is False


def test_stacked_map_points_are_drawn_apart_and_say_so() -> None:
    points = [[0, 0], [0, 0], [0.001, 0], [1, 1], [0, 1]]  # three at one place
    _, figure = map_of(points, [0, 0, 0, 1, 1])
    drawn = [(im.x, im.y) for im in figure.layout.images]
    side = figure.layout.images[0].sizex
    for a in range(3):
        for b in range(a + 1, 3):  # the stack's thumbnails no longer cover each other
            assert np.hypot(drawn[a][0] - drawn[b][0], drawn[a][1] - drawn[b][1]) >= side
    assert drawn[3:] == [(1.0, 1.0), (0.0, 1.0)]  # the others stay where they are
    hover = [h for t in figure.data for h in t.customdata]
    assert sum("one of 3 points at the same place" in h for h in hover) == 3


def test_two_close_query_stars_put_their_labels_on_opposite_sides() -> None:
    _, figure = map_of([[0, 0], [1, 0], [0, 1], [1, 1], [0.5, -0.8], [0.52, -0.7]], [0, 0, 1, 1, 1, 1], queries=2)
    (stars,) = [t for t in figure.data if t.marker.symbol == "star"]
    assert sorted(stars.textposition) == ["bottom center", "top center"]


def test_reranker_bars_name_each_document_above_its_bar_not_in_the_left_margin() -> None:
    long = "A woman shares a moment with her dog on the sand at dusk, a long caption"
    figure = plots.score_bars([long, "short"], [0.2, 0.9], "title")
    assert figure.layout.yaxis.showticklabels is False  # no margin labels to squeeze the bars on a phone
    names = [a.text for a in figure.layout.annotations]
    assert names[0] == "1. short" and names[1].startswith("2. A woman shares") and len(names[1]) <= 40
    assert all(a.xanchor == "left" and a.x == 0 for a in figure.layout.annotations)
    assert figure.data[0].customdata[1] == long  # the full name on hover
    assert figure.layout.xaxis.range[1] > 1 and figure.data[0].cliponaxis is False  # room for "0.900"


def test_instruction_slope_titles_start_from_the_edges_in_short_lines() -> None:
    title = "Find a document image that matches the given query, a long instruction"
    figure = plots.instruction_slope(["a", "b"], [1, 2], [2, 1], title, title)
    a, b = figure.layout.annotations
    assert (a.xref, a.x, a.xanchor, b.xref, b.x, b.xanchor) == ("paper", 0, "left", "paper", 1, "right")
    assert all(len(line) <= 34 for note in (a, b) for line in note.text.split("<br>"))
