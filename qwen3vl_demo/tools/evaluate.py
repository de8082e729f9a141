"""Evaluate on a labelled set from the command line: the Evaluate tab's metrics, without its limits.

    python -m qwen3vl_demo.evaluate DIR                 # a BEIR folder (or .zip): corpus.jsonl, queries.jsonl, qrels/
    python -m qwen3vl_demo.evaluate queries.csv --gallery FOLDER   # query,relevant against the samples + FOLDER
    python -m qwen3vl_demo.evaluate --example --tiny    # the bundled example on tiny random models
    python -m qwen3vl_demo.evaluate --example multilingual   # its 16 text queries in 11 languages

Prints the metrics table (best of each column starred), the depth curve, the worst queries and the
cost per stage, and for a set whose queries say their language (a CSV's ``language`` column), a row
per language: its metrics, its gap to English and its queries' tokens; and writes everything as
JSON (``--out``). Models: the app's settings, flags and ``QWEN3VL_*`` variables alike
(``--embedder`` / ``--reranker``: hub id, local folder or ``tiny``; ``--tiny`` for both; ``--device``,
``--dtype``, the vLLM ``--embedder-url`` / ``--reranker-url``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import unicodedata
from pathlib import Path

from ..core import config, ir_metrics
from ..core.errors import InputError
from ..core.evaluation import LabelledSet, load_beir, load_beir_zip, load_csv
from ..core.items import items_from_files, sample_items
from ..core.media import IMAGE_SUFFIXES, VIDEO_SUFFIXES
from ..service.engine import Engine
from ..service.evaluate import (
    DEFAULT_DEPTH,
    DEFAULT_QUERY_INSTRUCTION,
    GAP_METRIC,
    EvaluationResult,
    Evaluator,
    Options,
    gaps,
)

EXAMPLES = {"sample": config.ASSETS_DIR / "evaluation" / "sample_gallery.csv",
            "multilingual": config.ASSETS_DIR / "evaluation" / "multilingual.csv"}


def parse(argv: list[str], environ: dict[str, str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m qwen3vl_demo.evaluate", description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", nargs="?", help="a BEIR folder or .zip, or a query,relevant .csv")
    parser.add_argument("--example", nargs="?", const="sample", choices=sorted(EXAMPLES),
                        help="a bundled example over the sample gallery: sample (18 queries, the default) or "
                             "multilingual (16 of them in 11 languages, metrics per language)")
    parser.add_argument("--gallery", help="with a .csv: a folder of images/videos added to the sample gallery")
    parser.add_argument("--split", help="the qrels file to use (qrels/SPLIT.tsv; default test, or the only one)")
    config.add_model_choice(parser, environ)  # the app's settings: the same flags and QWEN3VL_* variables
    config.add_model_serving(parser, environ)
    parser.add_argument("--depth", type=int, default=DEFAULT_DEPTH, help="rerank the top DEPTH (0: no reranking)")
    parser.add_argument("--rerank-sizes", action="store_true", help="also rerank at every smaller size")
    parser.add_argument("--query-instruction", default=DEFAULT_QUERY_INSTRUCTION)
    parser.add_argument("--document-instruction", default="")
    parser.add_argument("--rerank-instruction", default="")
    parser.add_argument("--out", default="evaluation.json", help="where to write the JSON result")
    settings = parser.parse_args(argv)
    if not settings.dataset and not settings.example:
        parser.error("give a dataset (folder, .zip or .csv) or --example")
    return config.chosen_models(settings)


def load(settings: argparse.Namespace, scratch: str) -> LabelledSet:
    """The labelled set the arguments name."""
    if settings.example:
        example = EXAMPLES[settings.example]
        return load_csv(example.read_text(encoding="utf-8"), sample_items(), example.name)
    path = Path(settings.dataset)
    if path.suffix.lower() == ".csv":
        gallery = sample_items()
        if settings.gallery:
            files = sorted(p for p in Path(settings.gallery).rglob("*")
                           if p.suffix.lower() in (*IMAGE_SUFFIXES, *VIDEO_SUFFIXES))
            gallery += items_from_files([str(p) for p in files])
        return load_csv(path.read_text(encoding="utf-8"), gallery, path.name)
    if path.suffix.lower() == ".zip":
        return load_beir_zip(path, Path(scratch) / "set", settings.split)
    return load_beir(path, settings.split)


def report(result: EvaluationResult) -> str:
    """The result as plain text: metrics table, depth curve, worst queries, cost."""
    best = result.best()
    header = f"{'configuration':<28}" + "".join(f"{m:>11}" for m in ir_metrics.METRICS)
    lines = [result.dataset.summary(), *result.notes, "", header]
    for c in result.table():
        lines.append(f"{c.name:<28}" + "".join(
            f"{c.metrics[m]:>10.4f}{'*' if c.metrics[m] == best[m] else ' '}" for m in ir_metrics.METRICS))
    lines += ["", "rerank depth (float, full size)" + "".join(f"{m:>11}" for m in ir_metrics.METRICS)]
    for c in result.by_depth:
        lines.append(f"{c.depth or 'none':<31}" + "".join(f"{c.metrics[m]:>11.4f}" for m in ir_metrics.METRICS))
    lines += ["", "worst queries: first relevant rank before -> after reranking, nDCG@10 after"]
    for row in result.queries[:10]:
        lines.append(f"  {padded(row.query.label, 44)} {row.first_before} -> {row.first_after}  {row.ndcg_after:.3f}")
    lines += language_report(result)
    lines += ["", "cost"]
    for stage in result.stages:
        s = stage.to_json()
        lines.append(f"  {s['stage']:<20} {s['seconds']:>8.2f} s  computed {s['computed']}, cached {s['cached']}, "
                     f"{s['tokens']} tokens ({s['visual_tokens']} visual)")
    return "\n".join(lines)


def language_report(result: EvaluationResult) -> list[str]:
    """A row per language (none for a set without languages): queries, mean tokens per query, the
    full-size float metrics, and the gap to English on nDCG@10 without and with reranking."""
    rows = result.language_rows()
    if not rows:
        return []
    reranked = rows[0].reranked is not None
    header = (f"{'language':<10}{'queries':>8}{'tokens':>8}" + "".join(f"{m:>11}" for m in ir_metrics.METRICS)
              + f"{'gap ' + GAP_METRIC:>15}" + (f"{'reranked':>11}{'gap':>9}" if reranked else ""))
    lines = ["", f"per language (float {result.full_dim}; gap: to English; tokens: mean per query)", header]
    gap = gaps(rows)
    for row in rows:
        plain, after = gap[row.language]
        tokens = "–" if row.tokens is None else f"{row.tokens:.1f}"
        line = (f"{row.language:<10}{row.queries:>8}{tokens:>8}" + "".join(f"{row.embedding[m]:>11.4f}"
                                                                          for m in ir_metrics.METRICS)
                + f"{signed(plain):>15}")
        if reranked:
            line += f"{row.reranked[GAP_METRIC]:>11.4f}{signed(after):>9}"
        lines.append(line)
    return lines


def padded(text: str, width: int) -> str:
    """``text`` padded to ``width`` columns of a terminal, where a CJK character takes two."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


def signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.4f}"


def main(argv: list[str] | None = None) -> int:
    settings = parse(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory(prefix="qwen3vl-evaluate-") as scratch:
        try:
            dataset = load(settings, scratch)
        except InputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        engine = Engine(settings.embedder, settings.reranker, settings.device, settings.dtype, samples=[],
                        embedder_url=settings.embedder_url, reranker_url=settings.reranker_url,
                        api_key=settings.api_key)
        options = Options(settings.query_instruction, settings.document_instruction, settings.rerank_instruction,
                          settings.depth, settings.rerank_sizes)
        try:
            result = Evaluator(engine).run(dataset, options, lambda f, m: print(f"\r[{f:4.0%}] {m:<60}", end="",
                                                                               file=sys.stderr, flush=True))
        except InputError as exc:
            print(f"\nerror: {exc}", file=sys.stderr)
            return 2
    print(file=sys.stderr)
    print(report(result))
    data = {**result.to_json(), "embedder": settings.embedder, "reranker": settings.reranker}
    Path(settings.out).write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nJSON written to {settings.out}")
    return 0
