"""The Evaluate feature without the UI: metrics against hand-computed values, the BEIR and CSV
loaders on small sets written here (each malformed case), bounded zips, and evaluation through the
real Engine on the tiny fixtures, whose second run costs no forward pass."""

from __future__ import annotations

import json
import math
import shutil
import stat
import struct
import zipfile
from pathlib import Path

import pytest
from conftest import ASSETS

from qwen3vl_demo.core import ir_metrics
from qwen3vl_demo.core.errors import InputError
from qwen3vl_demo.core.evaluation import extract_zip, load_beir, load_beir_zip, load_csv
from qwen3vl_demo.core.items import make_item, sample_items

LOG2_3 = math.log2(3)


# --- Metrics by hand --------------------------------------------------------------------------------
def test_one_relevant_at_rank_two() -> None:
    got = ir_metrics.evaluate({"q": {"a": 1}}, {"q": ["b", "a", "c"]})
    assert got["Recall@1"] == 0 and got["Recall@5"] == 1 and got["Recall@10"] == 1
    assert got["MRR@10"] == pytest.approx(0.5)
    assert got["nDCG@10"] == pytest.approx(1 / LOG2_3)  # DCG 1/log2(3), ideal 1


def test_graded_relevance_counts_in_ndcg_only() -> None:
    got = ir_metrics.evaluate({"q": {"a": 2, "b": 1, "c": 0}}, {"q": ["b", "a", "c"]})
    dcg = 1 / 1 + 2 / LOG2_3  # trec_eval: gain = grade, discount log2(rank + 1)
    ideal = 2 / 1 + 1 / LOG2_3
    assert got["nDCG@10"] == pytest.approx(dcg / ideal)
    assert got["Recall@1"] == pytest.approx(0.5)  # b is one of the two relevant (grade >= 1)
    assert got["MRR@10"] == 1.0


def test_a_relevant_item_never_retrieved_scores_zero() -> None:
    ranking = [f"d{i}" for i in range(10)] + ["z"]  # z at rank 11: outside every cutoff
    got = ir_metrics.per_query({"q": {"z": 1}, "empty": {"z": 1}}, {"q": ranking, "empty": []})
    assert got["q"] == dict.fromkeys(ir_metrics.METRICS, 0.0)
    assert got["empty"] == dict.fromkeys(ir_metrics.METRICS, 0.0)
    assert ir_metrics.first_relevant_rank({"z": 1}, ranking) == 11


def test_the_mean_weighs_every_query_the_same() -> None:
    got = ir_metrics.evaluate({"q1": {"a": 1}, "q2": {"b": 1}}, {"q1": ["a"], "q2": ["a", "c", "d", "e", "f", "b"]})
    assert got["MRR@10"] == pytest.approx((1 + 1 / 6) / 2)
    assert got["Recall@5"] == pytest.approx(0.5)
    assert got["nDCG@10"] == pytest.approx((1 + 1 / math.log2(7)) / 2)


def test_ties_follow_the_list_shown_not_trec_evals_docid_order() -> None:
    """Equal scores: the earlier document ranks first (as the app shows it); trec_eval alone
    would order a tie by document id."""
    import numpy as np
    import pytrec_eval

    from qwen3vl_demo.core.evaluation import LabelledSet
    from qwen3vl_demo.service.evaluate import as_ids, rankings

    dataset = LabelledSet("t", ["a", "z"], [make_item("x"), make_item("y")], ["q"], [make_item("q")],
                          {"q": {"z": 1}})
    ranked = as_ids(rankings(np.array([[0.5, 0.5]], dtype=np.float32), dataset), dataset)
    assert ranked == {"q": ["a", "z"]}
    assert ir_metrics.evaluate(dataset.qrels, ranked)["MRR@10"] == pytest.approx(0.5)
    raw = pytrec_eval.RelevanceEvaluator(dataset.qrels, {"recip_rank"}).evaluate({"q": {"a": 0.5, "z": 0.5}})
    assert raw["q"]["recip_rank"] == 1.0  # trec_eval on the raw tie would have put z first


# --- BEIR sets written here -----------------------------------------------------------------------
def write_beir(root: Path, corpus: list | None = None, queries: list | None = None, qrels: str | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(ASSETS / "images" / "img_8.jpg", root / "bikes.jpg")
    corpus = corpus if corpus is not None else [
        {"_id": "d1", "title": "Spoons", "text": "Wooden spoons on a table."},
        {"_id": "d2", "image": "bikes.jpg"},
        {"_id": "d3", "text": "A bathroom.", "image": "bikes.jpg"},
    ]
    queries = queries if queries is not None else [
        {"_id": "q1", "text": "cyclists"}, {"_id": "q2", "text": "spoons"}, {"_id": "q3", "text": "unjudged"}]
    for name, records in (("corpus.jsonl", corpus), ("queries.jsonl", queries)):
        lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
        (root / name).write_text("\n".join(lines) + "\n")
    (root / "qrels").mkdir(exist_ok=True)
    (root / "qrels" / "test.tsv").write_text(
        qrels if qrels is not None else "query-id\tcorpus-id\tscore\nq1\td2\t2\nq1\td3\t1\nq2\td1\t1\nq2\td2\t0\n")
    return root


def test_a_beir_folder_loads_with_graded_qrels_and_media(tmp_path: Path) -> None:
    dataset = load_beir(write_beir(tmp_path / "set"))
    assert dataset.doc_ids == ["d1", "d2", "d3"] and dataset.query_ids == ["q1", "q2"]
    assert [d.kind for d in dataset.documents] == ["text", "image", "pair"]
    assert dataset.documents[0].text == "Spoons Wooden spoons on a table."
    assert dataset.qrels == {"q1": {"d2": 2, "d3": 1}, "q2": {"d1": 1, "d2": 0}}
    assert "1 queries of queries.jsonl have no judgement" in dataset.notes[0]


MALFORMED = [
    ("corpus", ['{"_id": "d1", "text": "a"}', '{"_id": "d2", "text": '], "corpus.jsonl line 2: not valid JSON"),
    ("corpus", [{"_id": "d1", "text": "a"}, {"text": "no id"}], "corpus.jsonl line 2: missing _id"),
    ("corpus", [{"_id": "d1", "text": "a"}, {"_id": "d1", "text": "b"}],
     "corpus.jsonl line 2: duplicate _id 'd1' (first on line 1)"),
    ("corpus", [{"_id": "d1", "image": "nope.jpg"}], "corpus.jsonl line 1: image file 'nope.jpg' not found"),
    ("corpus", [{"_id": "d1", "image": "../outside.jpg"}], "line 1: image '../outside.jpg' points outside"),
    ("corpus", [{"_id": "d1", "video": "bikes.jpg"}], "'bikes.jpg' is an image, given as video"),
    ("corpus", [{"_id": "d1"}], "corpus.jsonl line 1: no text, image or video"),
    ("queries", [{"_id": "q1", "text": "x"}, {"_id": "q1", "text": "y"}], "queries.jsonl line 2: duplicate _id 'q1'"),
    ("qrels", "q1\td1\t1\nq9\td1\t1\n", "qrels/test.tsv line 2: unknown query id 'q9'"),
    ("qrels", "q1\td9\t1\n", "qrels/test.tsv line 1: unknown corpus id 'd9'"),
    ("qrels", "q1\td1\thigh\n", "qrels/test.tsv line 1: score 'high' is not an integer grade"),
    ("qrels", "q1\td1\n", "qrels/test.tsv line 1: expected query-id, corpus-id and score"),
    ("qrels", "q1\td1\t0\nq1\td2\t0\n", "query 'q1' has no relevant document"),
    ("qrels", "q1\td1\t1\nq1\td1\t2\n", "line 2: duplicate judgement of 'd1' for query 'q1' (first on line 1)"),
]


@pytest.mark.parametrize(("part", "content", "message"), MALFORMED, ids=[m[2][:40] for m in MALFORMED])
def test_each_malformed_beir_case_names_the_line(tmp_path: Path, part: str, content, message: str) -> None:
    if part == "qrels":
        root = write_beir(tmp_path / "set", corpus=[{"_id": "d1", "text": "a"}, {"_id": "d2", "text": "b"}],
                          queries=[{"_id": "q1", "text": "x"}], qrels=content)
    else:
        root = write_beir(tmp_path / "set", **{part: content})
    with pytest.raises(InputError) as caught:
        load_beir(root)
    assert message in str(caught.value)


def test_missing_qrels_and_missing_files_are_named(tmp_path: Path) -> None:
    root = write_beir(tmp_path / "set")
    shutil.rmtree(root / "qrels")
    with pytest.raises(InputError, match=r"no qrels/\*\.tsv found"):
        load_beir(root)
    (root / "queries.jsonl").unlink()
    with pytest.raises(InputError, match=r"queries\.jsonl is missing"):
        load_beir(root)


# --- Zips ---------------------------------------------------------------------------------------------
def zip_folder(folder: Path, path: Path, prefix: str = "myset/") -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, prefix + str(file.relative_to(folder)))
    return path


def test_a_zip_with_one_top_folder_extracts_and_loads(tmp_path: Path) -> None:
    archive = zip_folder(write_beir(tmp_path / "set"), tmp_path / "set.zip")
    root = extract_zip(archive, tmp_path / "out")
    assert root == tmp_path / "out" / "myset"
    assert load_beir(root).qrels["q1"] == {"d2": 2, "d3": 1}


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil.txt", "a/../../evil.txt"])
def test_a_zip_member_outside_the_folder_is_refused(tmp_path: Path, name: str) -> None:
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as archive:
        archive.writestr(name, "x")
    with pytest.raises(InputError, match="points outside the folder"):
        extract_zip(tmp_path / "bad.zip", tmp_path / "out")
    assert not (tmp_path / "evil.txt").exists()


def test_zip_bounds_links_and_garbage(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "many.zip", "w") as archive:
        for i in range(6):
            archive.writestr(f"f{i}.txt", "x" * 1000)
    with pytest.raises(InputError, match="holds 6 files; the limit is 5"):
        extract_zip(tmp_path / "many.zip", tmp_path / "o1", max_files=5)
    with pytest.raises(InputError, match="unpacks to"):
        extract_zip(tmp_path / "many.zip", tmp_path / "o2", max_bytes=5000)
    with zipfile.ZipFile(tmp_path / "link.zip", "w") as archive:
        info = zipfile.ZipInfo("corpus.jsonl")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(InputError, match="is a link"):
        extract_zip(tmp_path / "link.zip", tmp_path / "o3")
    (tmp_path / "not.zip").write_text("hello")
    with pytest.raises(InputError, match="not a readable zip file"):
        extract_zip(tmp_path / "not.zip", tmp_path / "o4")


# --- Damaged uploads: every failure names the uploaded file and the member --------------------------
def damaged(tmp_path: Path, name: str, change) -> Path:
    """A good BEIR zip (members stored, so their bytes can be found) with ``change`` applied to
    its bytes and the central-directory offset of ``myset/corpus.jsonl``."""
    folder = write_beir(tmp_path / "src")
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_STORED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, "myset/" + str(file.relative_to(folder)))
    data = bytearray(good.read_bytes())
    entry = data.rindex(b"PK\x01\x02", 0, data.index(b"myset/corpus.jsonl", data.index(b"PK\x01\x02")))
    change(data, entry)
    path = tmp_path / name
    path.write_bytes(bytes(data))
    return path


def flip_a_data_byte(data: bytearray, entry: int) -> None:
    data[data.index(b"Wooden spoons")] ^= 1


def sizes_that_lie(data: bytearray, entry: int) -> None:  # header: 10 bytes, really far more
    struct.pack_into("<II", data, entry + 20, 10, 10)


def sizes_past_the_end(data: bytearray, entry: int) -> None:  # header: more bytes than the zip holds
    struct.pack_into("<II", data, entry + 20, 10**7, 10**7)


def unknown_method(data: bytearray, entry: int) -> None:
    struct.pack_into("<H", data, entry + 10, 99)


def encrypted(data: bytearray, entry: int) -> None:
    struct.pack_into("<H", data, entry + 8, 1)


DAMAGED = [(flip_a_data_byte, "is damaged (Bad CRC-32"), (sizes_that_lie, "is damaged (Bad CRC-32"),
           (sizes_past_the_end, "is truncated"), (unknown_method, "compression method that cannot be read"),
           (encrypted, "is encrypted")]


@pytest.mark.parametrize(("change", "message"), DAMAGED, ids=[d[0].__name__ for d in DAMAGED])
def test_a_damaged_member_is_named_with_the_zip(tmp_path: Path, change, message: str) -> None:
    path = damaged(tmp_path, "my set.zip", change)
    target = tmp_path / "unpacked"
    with pytest.raises(InputError) as caught:
        load_beir_zip(path, target)
    assert str(caught.value).startswith("my set.zip: the zip member 'myset/corpus.jsonl' ")
    assert message in str(caught.value)
    assert not target.exists()  # nothing half-extracted is left behind


def test_a_truncated_upload_is_named(tmp_path: Path) -> None:
    path = damaged(tmp_path, "cut.zip", lambda data, entry: None)
    path.write_bytes(path.read_bytes()[:-30])  # the end of the central directory is gone
    with pytest.raises(InputError, match=r"^cut\.zip is not a readable zip file"):
        load_beir_zip(path, tmp_path / "unpacked")


def test_an_unreadable_file_inside_a_set_is_named_when_it_loads(tmp_path: Path) -> None:
    folder = write_beir(tmp_path / "src")
    (folder / "bikes.jpg").write_text("not a JPEG")
    with pytest.raises(InputError) as caught:
        load_beir_zip(zip_folder(folder, tmp_path / "set.zip"), tmp_path / "unpacked")
    assert str(caught.value).startswith("set.zip: corpus.jsonl line 2: image 'bikes.jpg': bikes.jpg is not "
                                        "a readable image")


def test_an_error_inside_the_set_starts_with_the_zips_name(tmp_path: Path) -> None:
    folder = write_beir(tmp_path / "src", qrels="q1\td9\t1\n")
    with pytest.raises(InputError, match=r"^set\.zip: qrels/test\.tsv line 1: unknown corpus id 'd9'"):
        load_beir_zip(zip_folder(folder, tmp_path / "set.zip"), tmp_path / "unpacked")


@pytest.mark.parametrize("prefix", ["", "inner/"])
def test_an_uploaded_set_is_named_by_its_file_not_its_folder(tmp_path: Path, prefix: str) -> None:
    archive = zip_folder(write_beir(tmp_path / "src"), tmp_path / "Holiday photos.zip", prefix)
    dataset = load_beir_zip(archive, tmp_path / "3a7acac3e5f0")  # the app's random folder name
    assert dataset.summary().startswith("Holiday photos: 2 queries, 3 documents")
    assert dataset.source == "Holiday photos.zip"


# --- The CSV against a gallery --------------------------------------------------------------------------
def test_the_bundled_example_covers_the_sample_gallery() -> None:
    text = (ASSETS / "evaluation" / "sample_gallery.csv").read_text()
    dataset = load_csv(text, sample_items(), "sample_gallery.csv")
    assert len(dataset.queries) == 18 and len(dataset.documents) == 24
    assert dataset.qrels["q1"] == dict.fromkeys(["img_6.jpg", "img_7.jpg", "img_9.jpg", "bathrooms.mp4"], 1)
    video_query = dataset.queries[dataset.query_ids.index("q18")]
    assert video_query.kind == "video" and dataset.exclude["q18"] == "bathrooms.mp4"


CSV_CASES = [
    ("question,answer\nx,img_8.jpg\n", "line 1: the header must be 'query,relevant'"),
    ("query,relevant\nbikes,img_8.jpg|nope.jpg\n", "line 2: unknown item 'nope.jpg' (not in the gallery)"),
    ("query,relevant\nbikes,img_8.jpg\nspoons,\n", "line 3: no relevant item for query 'spoons'"),
    ("query,relevant\nbikes,img_8.jpg\n\nbikes,img_2.jpg\n", "line 4: duplicate query 'bikes' (first on line 2)"),
    ("query,relevant\nbikes, in a city,img_8.jpg\n", "line 2: expected 2 columns"),
    ("query,relevant\nbikes,img_8.jpg|img_8.jpg\n", "'img_8.jpg' is listed twice"),
    ("query,relevant\n", "has no queries after its header"),
]


@pytest.mark.parametrize(("text", "message"), CSV_CASES, ids=[c[1][:40] for c in CSV_CASES])
def test_each_malformed_csv_case_names_the_line(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        load_csv(text, sample_items(), "mine.csv")
    assert message in str(caught.value)


# --- Through the real Engine (tiny fixtures) ------------------------------------------------------------
class Counting:
    """Pass-through that counts calls of a model's method (the real model still runs)."""

    def __init__(self, model, name: str) -> None:
        self.calls = 0
        self.original = getattr(model, name)

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.original(*args, **kwargs)


@pytest.fixture(scope="module")
def evaluation(embedder_path: str, reranker_path: str, tmp_path_factory: pytest.TempPathFactory):
    from qwen3vl_demo.service.engine import Engine
    from qwen3vl_demo.service.evaluate import Evaluator

    engine = Engine(embedder_path, reranker_path, device="cpu", samples=[],
                    disk_cache=str(tmp_path_factory.mktemp("disk")))
    root = tmp_path_factory.mktemp("beir")
    corpus = [{"_id": f"d{i}", "text": text} for i, text in enumerate(
        ["Wooden spoons on a table.", "A bathroom with a shower.", "Cyclists in a bike lane.", "A kitchen sink.",
         "A baseball field.", "Eggs frying in a pan.", "A motorbike on a road.", "A train and a cyclist.",
         "A bar chart.", "A woman eating.", "A scatter plot.", "A mountain road."])] + [
        {"_id": "img", "image": "bikes.jpg"}]
    queries = [{"_id": "q1", "text": "cyclists"}, {"_id": "q2", "text": "spoons"}, {"_id": "q3", "text": "a bathroom"}]
    qrels = "q1\timg\t2\nq1\td2\t1\nq2\td0\t1\nq3\td1\t1\nq3\td3\t0\n"
    dataset = load_beir(write_beir(root / "set", corpus, queries, qrels))
    return engine, Evaluator(engine), dataset


def test_full_size_metrics_are_those_of_the_engines_own_ranking(evaluation) -> None:
    from qwen3vl_demo.core.similarity import similarity_matrix, top_k
    from qwen3vl_demo.service.evaluate import DEFAULT_QUERY_INSTRUCTION, Options

    engine, evaluator, dataset = evaluation
    result = evaluator.run(dataset, Options(depth=5))
    q = engine.embed_items(dataset.queries, DEFAULT_QUERY_INSTRUCTION, None, "query")
    d = engine.embed_items(dataset.documents, None, None, "document")
    scores = similarity_matrix(q, d)
    expected = ir_metrics.evaluate(dataset.qrels, {qid: [dataset.doc_ids[i] for i in top_k(row, len(row))]
                                                   for qid, row in zip(dataset.query_ids, scores, strict=True)})
    full = result.table()[0]
    assert (full.storage, full.dim, full.depth) == ("float", result.full_dim, 0)
    assert full.metrics == pytest.approx(expected)
    names = [c.name for c in result.table()]
    assert names[:2] == [f"float {result.full_dim}", f"float {result.full_dim} + rerank@5"]
    assert {f"int8 {result.full_dim}", f"binary {result.full_dim}"} <= set(names)
    assert [c.depth for c in result.by_depth] == [0, 1, 2, 3, 5]
    assert result.by_depth[-1].metrics == result.table()[1].metrics  # the curve ends at the table's depth
    assert result.by_depth[0].metrics == full.metrics
    rows = result.queries
    assert [r.ndcg_after for r in rows] == sorted(r.ndcg_after for r in rows)  # worst first


def test_a_second_run_at_another_depth_costs_no_forward_pass(evaluation, monkeypatch) -> None:
    from qwen3vl_demo.service.evaluate import Evaluator, Options

    engine, _, dataset = evaluation
    evaluator = Evaluator(engine)  # its own reranker memo: nothing scored by the other tests
    first = evaluator.run(dataset, Options(depth=10, query_instruction="Find the matching caption."))
    embedder, reranker = engine.embedder.get(), engine.reranker.get()
    embeds, reranks = Counting(embedder, "embed"), Counting(reranker, "rerank")
    monkeypatch.setattr(embedder, "embed", embeds)
    monkeypatch.setattr(reranker, "rerank", reranks)
    second = evaluator.run(dataset, Options(depth=3, query_instruction="Find the matching caption."))
    assert embeds.calls == 0 and reranks.calls == 0
    costs = {s.name: s.to_json() for s in second.stages}
    assert costs["embedding corpus"]["computed"] == 0 and costs["embedding corpus"]["cached"] == 13
    assert costs["embedding queries"]["computed"] == 0 and costs["embedding queries"]["tokens"] == 0
    assert costs["reranking"]["computed"] == 0 and costs["reranking"]["cached"] == 3 * 3
    assert {s.name: s.to_json()["computed"] for s in first.stages}["embedding queries"] == 3
    third = evaluator.run(dataset, Options(depth=12, query_instruction="Find the matching caption."))
    assert embeds.calls == 0 and reranks.calls == 3  # only the pairs below depth 10, one call per query
    assert {s.name: s.to_json()["computed"] for s in third.stages}["reranking"] == 3 * 2


def test_a_bad_depth_is_refused(evaluation) -> None:
    from qwen3vl_demo.service.evaluate import Options

    _, evaluator, dataset = evaluation
    with pytest.raises(InputError, match="rerank depth must be an integer from 0 to 30"):
        evaluator.run(dataset, Options(depth=31))


@pytest.mark.slow  # models of its own
def test_the_command_line_prints_the_table_and_writes_json(embedder_path: str, reranker_path: str,
                                                           tmp_path: Path) -> None:
    from qwen3vl_demo.tools.evaluate import main

    root = write_beir(tmp_path / "set")
    out = tmp_path / "result.json"
    code = main([str(zip_folder(root, tmp_path / "set.zip")), "--embedder", embedder_path, "--reranker",
                 reranker_path, "--device", "cpu", "--depth", "2", "--out", str(out)])
    assert code == 0
    data = json.loads(out.read_text())
    assert data["configurations"][0]["name"] == f"float {data['full_dim']}"
    assert data["configurations"][1]["rerank_depth"] == 2
    assert [row["rerank_depth"] for row in data["by_depth"]] == [0, 1, 2]
    assert any("meaningless" in note for note in data["notes"])
    assert main([str(tmp_path / "missing"), "--tiny"]) == 2  # a clear error, no model loaded


def test_the_command_line_reads_the_apps_settings_from_the_environment(embedder_path: str, reranker_path: str,
                                                                       tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """QWEN3VL_EMBEDDER and the other variables the app reads choose the models here too (this CLI used
    to ignore them and go to the Hub); a flag still wins over its variable."""
    from qwen3vl_demo.core import config
    from qwen3vl_demo.tools.evaluate import main, parse

    environ = {"QWEN3VL_EMBEDDER": embedder_path, "QWEN3VL_RERANKER": reranker_path, "QWEN3VL_DEVICE": "cpu",
               "QWEN3VL_DTYPE": "float32", "QWEN3VL_EMBEDDER_URL": "http://127.0.0.1:9/"}
    app, cli = config.parse_settings([], environ), parse(["--example"], environ)
    for name in ("embedder", "reranker", "tiny", "device", "dtype", "embedder_url", "reranker_url", "api_key"):
        assert getattr(cli, name) == getattr(app, name), name
    assert parse(["--example", "--embedder", "tiny"], environ).embedder == "tiny"
    assert parse(["--example"], {"QWEN3VL_TINY": "1"}).reranker == config.TINY_PRESET

    for name, value in environ.items():
        if name != "QWEN3VL_EMBEDDER_URL":
            monkeypatch.setenv(name, value)
    out = tmp_path / "result.json"
    assert main([str(zip_folder(write_beir(tmp_path / "set"), tmp_path / "set.zip")), "--depth", "1",
                 "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert (data["embedder"], data["reranker"]) == (embedder_path, reranker_path)


def test_a_file_that_fails_to_decode_while_embedding_names_the_set_and_the_document(evaluation,
                                                                                    tmp_path: Path) -> None:
    """A JPEG whose header reads but whose data is cut short passes loading; the engine's error
    then says which uploaded set and which document, not only 'document 2'."""
    _, evaluator, _ = evaluation
    folder = write_beir(tmp_path / "src")
    picture = (folder / "bikes.jpg").read_bytes()
    (folder / "bikes.jpg").write_bytes(picture[: len(picture) // 3])
    dataset = load_beir_zip(zip_folder(folder, tmp_path / "cut short.zip"), tmp_path / "unpacked")
    with pytest.raises(InputError) as caught:
        evaluator.run(dataset)
    assert str(caught.value).startswith("cut short.zip: document 'd2': bikes.jpg is damaged or truncated")
