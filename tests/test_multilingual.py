"""The multilingual evaluation: a CSV's language column, metrics per language (their gap to English,
their queries' tokens) through the real Engine on the tiny fixtures, the bundled example's 16 queries
in 11 languages, and ``python -m qwen3vl_demo.evaluate --example multilingual``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ASSETS

from qwen3vl_demo.core import ir_metrics
from qwen3vl_demo.core.errors import InputError
from qwen3vl_demo.core.evaluation import load_csv
from qwen3vl_demo.core.items import make_item, sample_items

SCRIPTS = {"zh-CN": r"[\u4e00-\u9fff]", "ja": r"[\u3040-\u30ff\u4e00-\u9fff]", "ko": r"[\uac00-\ud7af]",
           "ru": r"[\u0400-\u04ff]",
           "ar": r"[\u0600-\u06ff]", "hi": r"[\u0900-\u097f]"}


def test_the_bundled_multilingual_example_asks_the_same_16_queries_in_11_languages() -> None:
    dataset = load_csv((ASSETS / "evaluation" / "multilingual.csv").read_text(encoding="utf-8"), sample_items(),
                       "multilingual.csv")
    assert len(dataset.queries) == 176 and len(dataset.documents) == 24
    by_language: dict[str, list[str]] = {}
    for query_id in dataset.query_ids:
        by_language.setdefault(dataset.languages[query_id], []).append(query_id)
    assert list(by_language) == ["en", "zh-CN", "ja", "ko", "es", "fr", "de", "pt", "ru", "ar", "hi"]
    english = by_language["en"]
    for language, ids in by_language.items():
        assert len(ids) == 16
        assert [dataset.qrels[q] for q in ids] == [dataset.qrels[q] for q in english]  # the same judgements
        texts = [dataset.queries[dataset.query_ids.index(q)].text for q in ids]
        if language in SCRIPTS:
            assert all(re.search(SCRIPTS[language], text) for text in texts), language
    assert len({q.text for q in dataset.queries}) == 176  # every one a translation of its own


def test_a_language_column_is_read_and_a_wrong_header_or_row_is_named() -> None:
    gallery = [make_item("A bathroom."), make_item("A kitchen.")]
    dataset = load_csv("query,relevant,language\nbath,A bathroom.,en\nbaño,A bathroom.,es\nbath,A kitchen.,de\n",
                       gallery, "three.csv")
    assert dataset.languages == {"q1": "en", "q2": "es", "q3": "de"}  # the same text in two languages is allowed
    assert load_csv("query,relevant\nbath,A bathroom.\n", gallery).languages == {}
    with pytest.raises(InputError, match="line 1: the header must be 'query,relevant' or 'query,relevant,language'"):
        load_csv("query,relevant,lang\nbath,A bathroom.,en\n", gallery)
    with pytest.raises(InputError, match=re.escape("line 2: expected 3 columns (query, relevant, language), got 2")):
        load_csv("query,relevant,language\nbath,A bathroom.\n", gallery)


@pytest.fixture(scope="module")
def engine(embedder_path: str, reranker_path: str, tmp_path_factory: pytest.TempPathFactory):
    from qwen3vl_demo.service.engine import Engine

    return Engine(embedder_path, reranker_path, device="cpu", samples=[],
                  disk_cache=str(tmp_path_factory.mktemp("disk")))


TEXTS = ["Wooden spoons on a table.", "A bathroom with a shower.", "Cyclists in a bike lane.", "A kitchen sink.",
         "A baseball field.", "Eggs frying in a pan."]
QUERIES = [("spoons on a table", "Wooden spoons on a table.", "en"), ("a bathroom", "A bathroom with a shower.", "en"),
           ("桌上的勺子", "Wooden spoons on a table.", "zh-CN"), ("浴室", "A bathroom with a shower.", "zh-CN"),
           ("मेज़ पर चम्मच", "Wooden spoons on a table.", "hi"), ("एक बाथरूम", "A bathroom with a shower.", "hi")]


def test_metrics_per_language_add_up_with_their_gap_to_english_and_their_tokens(engine) -> None:
    from qwen3vl_demo.service.evaluate import Evaluator, Options, gaps

    lines = "\n".join(f"{query},{relevant},{language}" for query, relevant, language in QUERIES)
    dataset = load_csv(f"query,relevant,language\n{lines}\n", [make_item(t) for t in TEXTS], "three.csv")
    result = Evaluator(engine).run(dataset, Options(depth=2))
    assert result.languages() == ["en", "zh-CN", "hi"]
    for configuration in result.configurations:  # every size and storage, and reranked: the mean of the means
        for metric in ir_metrics.METRICS:
            mean = sum(configuration.by_language[lang][metric] for lang in result.languages()) / 3
            assert configuration.metrics[metric] == pytest.approx(mean)
    rows = result.language_rows()
    assert [(row.language, row.queries) for row in rows] == [("en", 2), ("zh-CN", 2), ("hi", 2)]
    tokenizer = engine.embedder.get().tokenizer
    for row, texts in zip(rows, ([q for q, _, lang in QUERIES if lang == code] for code in ("en", "zh-CN", "hi")),
                          strict=True):
        expected = [len(tokenizer(text, add_special_tokens=False)["input_ids"]) for text in texts]
        assert row.tokens == pytest.approx(sum(expected) / 2)
        assert row.reranked is not None
    gap = gaps(rows)
    assert gap["en"] == (0.0, 0.0)
    assert gap["hi"][0] == pytest.approx(rows[2].embedding["nDCG@10"] - rows[0].embedding["nDCG@10"])
    data = result.to_json()
    assert [row["language"] for row in data["languages"]] == ["en", "zh-CN", "hi"]
    assert set(data["by_language"][f"float {result.full_dim}"]) == {"en", "zh-CN", "hi"}


@pytest.mark.slow  # the whole multilingual example through the command line
def test_the_command_line_prints_a_row_per_language(embedder_path: str, reranker_path: str, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from qwen3vl_demo.tools.evaluate import main

    out = tmp_path / "multilingual.json"
    code = main(["--example", "multilingual", "--embedder", embedder_path, "--reranker", reranker_path,
                 "--device", "cpu", "--depth", "0", "--out", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    table = printed.split("per language (")[1].splitlines()
    assert table[1].split()[:3] == ["language", "queries", "tokens"]
    rows = [line.split() for line in table[2:13]]
    assert [row[0] for row in rows] == ["en", "zh-CN", "ja", "ko", "es", "fr", "de", "pt", "ru", "ar", "hi"]
    assert all(row[1] == "16" for row in rows) and rows[0][-1] == "+0.0000"  # English's gap to itself
    data = json.loads(out.read_text())
    assert len(data["languages"]) == 11 and data["languages"][0]["tokens_per_query"] > 0
