"""The Evaluate tab in headless Chromium on the live app: the bundled example, then a BEIR zip
uploaded through the page, then a malformed one (a message naming the line, the page still works).
Each step leaves a screenshot in ``artifacts/screenshots/``."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from conftest import ASSETS, SHOTS, LiveApp, shots
from gradio_client import handle_file

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(browser, live_app: LiveApp):
    tab = shots.new_page(browser)
    shots.open_app(tab, live_app.url)
    yield tab
    tab.close()


@pytest.fixture(scope="module")
def upload_page(browser, live_app: LiveApp):
    """Another visitor, who uploads their own sets (a good one, then a broken one)."""
    tab = shots.new_page(browser)
    shots.open_app(tab, live_app.url)
    shots.select_tab(tab, "📊 Evaluate")
    yield tab
    tab.close()


def table_rows(page, selector: str, columns: int) -> list[list[str]]:
    """A table's body as shown: its cells after the header and Gradio's empty sizing row."""
    cells = [t.strip() for t in page.locator(f"{selector} .cell-wrap").all_inner_texts()][2 * columns:]
    return [cells[i:i + columns] for i in range(0, len(cells), columns)]


def metrics_rows(page) -> list[list[str]]:
    return table_rows(page, "#eval-metrics", 6)


def test_the_bundled_example_fills_every_view(page, live_app: LiveApp) -> None:
    shots.show_evaluate(page)
    shots.screenshot(page, SHOTS / "evaluate.png")
    assert "sample_gallery: 18 queries, 24 documents" in page.locator("#eval-summary").inner_text()
    assert "meaningless" in page.locator("#eval-summary").inner_text()
    rows = metrics_rows(page)
    names = [row[0] for row in rows]
    assert names[0].startswith("float ") and names[1].endswith("+ rerank@10")
    assert any(n.startswith("int8 ") for n in names) and any(n.startswith("binary ") for n in names)
    for column in range(1, 6):  # each column has its best starred, and it is the maximum
        values = [float(row[column].split()[0]) for row in rows]
        starred = [float(row[column].split()[0]) for row in rows if "★" in row[column]]
        assert starred and all(v == max(values) for v in starred)
    assert page.locator("#eval-queries [role=grid]").get_attribute("aria-rowcount") == "19"  # header + 18
    assert page.locator("#eval-depths .scatterlayer .trace").count() == 5  # one line per metric
    assert page.locator("#eval-top img").count() == 5  # the worst query's top results
    second = table_rows(page, "#eval-queries", 7)[1][1]  # icon + query text
    page.locator("#eval-queries .cell-wrap").nth(2 * 7 + 7 + 1).click()  # that row's query cell
    page.locator("#eval-top").get_by_text(second.split(" ", 1)[1][:20]).first.wait_for()
    captions = page.locator("#eval-top .caption-label").all_text_contents()
    assert len(captions) == 5 and all(re.match(r"^#\d (✅ \d|✗) · ", c) for c in captions), captions

    # The same run through the API gives the numbers the page shows.
    client = live_app.client()
    try:
        _, table, *_ = client.predict(handle_file(ASSETS / "evaluation" / "sample_gallery.csv"),
                                      "Retrieve images or text relevant to the user's query.", "", "", 10, True,
                                      api_name="/evaluate")
    finally:
        client.close()
    assert [[re.sub(r"[*★ ]", "", c) for c in row] for row in table["data"]] == \
        [[re.sub(r"[*★ ]", "", c) for c in row] for row in rows]


def write_zip(path: Path, qrels: str) -> Path:
    corpus = [{"_id": "spoons", "text": "Wooden spoons on a table."}, {"_id": "bikes", "image": "media/bikes.jpg"},
              {"_id": "bath", "image": "media/bath.jpg"}, {"_id": "note", "text": "A city street at night."}]
    queries = [{"_id": "q1", "text": "cyclists in a bike lane"}, {"_id": "q2", "text": "a bathroom"}]
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("myset/corpus.jsonl", "\n".join(json.dumps(r) for r in corpus))
        archive.writestr("myset/queries.jsonl", "\n".join(json.dumps(r) for r in queries))
        archive.writestr("myset/qrels/test.tsv", qrels)
        archive.write(ASSETS / "images" / "img_8.jpg", "myset/media/bikes.jpg")
        archive.write(ASSETS / "images" / "img_7.jpg", "myset/media/bath.jpg")
    return path


def upload_and_run(page, path: Path) -> None:
    page.locator("#eval-file input[type=file]").set_input_files(str(path))
    page.locator("#eval-file").get_by_text(path.name).wait_for()
    page.locator("#eval-button").click()


def test_an_uploaded_beir_zip_is_evaluated(upload_page, tmp_path: Path) -> None:
    page = upload_page
    archive = write_zip(tmp_path / "myset.zip", "query-id\tcorpus-id\tscore\nq1\tbikes\t2\nq1\tnote\t1\nq2\tbath\t1\n")
    upload_and_run(page, archive)
    summary = page.locator("#eval-summary")
    summary.get_by_text("myset: 2 queries, 4 documents, 3 judgements").wait_for(timeout=shots.TIMEOUT_MS)
    shots.wait_idle(page, "#eval-metrics")
    shots.screenshot(page, SHOTS / "evaluate-upload.png")
    assert page.locator("#eval-queries [role=grid]").get_attribute("aria-rowcount") == "3"
    assert "rerank@10" in page.locator("#eval-metrics").inner_text()
    cost = page.locator("#eval-cost").inner_text()
    # the two images have the bytes of sample images, embedded already; a text this session has
    # embedded before (the example) is served from the cache too
    found = re.search(r"embedding corpus: [\d.]+ s .* (\d) computed now, (\d) from the cache", cost)
    assert found and int(found[1]) + int(found[2]) == 4 and int(found[2]) >= 2, cost


def test_a_malformed_zip_names_its_line_and_the_page_keeps_working(upload_page, tmp_path: Path) -> None:
    page = upload_page
    archive = write_zip(tmp_path / "broken.zip", "q1\tbikes\t2\nq1\tnowhere\t1\n")
    page.locator("#eval-file button[aria-label='Clear']").click()
    upload_and_run(page, archive)
    status = page.locator("#eval-status").get_by_text("qrels/test.tsv line 2: unknown corpus id 'nowhere'")
    status.wait_for(timeout=shots.TIMEOUT_MS)  # beside the button, not in a toast in a corner
    assert page.get_by_test_id("toast-body").count() == 0
    shots.screenshot(page, SHOTS / "evaluate-error.png", full_page=False)
    assert "myset: 2 queries" in page.locator("#eval-summary").inner_text()  # the last good result stays
    assert page.locator("#eval-queries [role=grid]").get_attribute("aria-rowcount") == "3"
    page.set_viewport_size({"width": 390, "height": 844})  # on a phone: the message still by the button
    page.locator("#eval-status").scroll_into_view_if_needed()
    shots.screenshot(page, SHOTS / "evaluate-error-390.png", full_page=False)
    assert page.locator("#eval-status").is_visible()


def test_a_csv_is_evaluated_against_the_visitors_own_gallery(live_app: LiveApp, tmp_path: Path) -> None:
    """Through the API, in one session: a text item added to the gallery, then a CSV naming it."""
    client = live_app.client()
    try:
        client.predict("A red kite over a green field.", [], api_name="/gallery_add_text")
        csv_path = tmp_path / "mine.csv"
        csv_path.write_text('query,relevant\n"a kite, flying",A red kite over a green field.\n'
                            "bicycles,img_8.jpg|cycling.mp4\n")
        summary, table, *_, result, _cards = client.predict(  # the page's state is not returned
            handle_file(csv_path), "Retrieve images or text relevant to the user's query.", "", "", 3, False,
            api_name="/evaluate")
    finally:
        client.close()
    assert "mine: 2 queries, 25 documents, 3 judgements" in summary  # 24 samples + the visitor's text
    assert [row[0] for row in table["data"]][:2] == [f"float {result['full_dim']}",
                                                    f"float {result['full_dim']} + rerank@3"]
    assert {q["query"] for q in result["queries"]} == {"a kite, flying", "bicycles"}
