"""Evaluation on a labelled set: Recall@1/5/10, MRR@10 and nDCG@10 of embedding retrieval at every
MRL size, with int8 and binary vectors, and reranked at chosen depths; for a set whose queries say
their language, every metric also per language, with each language's gap to English and the
tokens its queries take.

Everything goes through the :class:`Engine`: the corpus and the queries are embedded once, at full
size, through its cache (a second run at another size or depth costs no embedding forward pass:
smaller sizes are cut from the cached vectors); reranker scores are remembered by this evaluator,
so a second run at a smaller depth costs no reranker pass either. Shapes: queries [m, d], corpus
[n, d], score matrices [m, n]; rankings are document ids, best first.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core import analysis, config, ir_metrics
from ..core.errors import InputError
from ..core.evaluation import LabelledSet
from ..core.items import Item
from ..core.similarity import similarity_matrix, top_k, truncate_dim
from .engine import Engine
from .insights import MRL_SIZES
from .results import Cost
from .saved_index import Progress, no_progress
from .store import content_key
from .turns import Cancelled, LongJob

DEFAULT_QUERY_INSTRUCTION = "Retrieve images or text relevant to the user's query."
DEFAULT_DEPTH = 10
MAX_DEPTH = 30  # one rerank call scores at most config.MAX_RERANK_DOCUMENTS documents
DEPTHS = (1, 2, 3, 5, 10, 15, 20, 30)
UI_MAX_DOCUMENTS, UI_MAX_QUERIES = 500, 200
RANDOM_WEIGHTS = ("Random-weight test models: the pipeline is real, these numbers are meaningless "
                  "(run with the real models to judge retrieval quality).")
STORAGES = ("float", "int8", "binary")
ENGLISH = "en"
GAP_METRIC = "nDCG@10"  # each language's gap to English is told on this one
BINARY_CHUNK = 16  # queries per Hamming block: bounds the [chunk, n, bytes] temporary


@dataclass
class Options:
    """What to evaluate: the three instructions (empty: the model's default) and the rerank depth
    (0: no reranking); ``rerank_sizes``: also rerank the top ``depth`` of every smaller size."""

    query_instruction: str = DEFAULT_QUERY_INSTRUCTION
    document_instruction: str = ""
    rerank_instruction: str = ""
    depth: int = DEFAULT_DEPTH
    rerank_sizes: bool = False


@dataclass
class Configuration:
    """One way of retrieving and its mean metrics over the queries."""

    storage: str  # float, int8, binary
    dim: int
    depth: int  # 0: embedding order; k: the top k reranked
    metrics: dict[str, float]
    by_language: dict[str, dict[str, float]] = field(default_factory=dict)  # language -> metrics, where known

    @property
    def name(self) -> str:
        return f"{self.storage} {self.dim}" + (f" + rerank@{self.depth}" if self.depth else "")

    @property
    def line(self) -> str:
        """The curve it belongs to in the metric-against-size chart."""
        return self.storage + (f" + rerank@{self.depth}" if self.depth else "")


@dataclass
class QueryRow:
    """One query at full size: the rank of its first relevant document before and after
    reranking, nDCG@10 both ways, and its final top documents (index into the corpus, grade)."""

    query_id: str
    query: Item
    first_before: int | None
    first_after: int | None
    ndcg_before: float
    ndcg_after: float
    top: list[tuple[int, int]]

    @property
    def move(self) -> int:
        if self.first_before is None or self.first_after is None:
            return 0
        return self.first_before - self.first_after


@dataclass
class Stage:
    """The cost of one stage: wall seconds, inputs computed now and from the cache, tokens."""

    name: str
    seconds: float
    cost: Cost

    def to_json(self) -> dict[str, Any]:
        totals = list(self.cost.tokens.values())
        return {"stage": self.name, "seconds": round(self.seconds, 3), "computed": len(totals),
                "cached": self.cost.cached, "tokens": sum(t for t, _ in totals),
                "visual_tokens": sum(v for _, v in totals), "model_seconds": round(self.cost.model_s, 3),
                "prepare_seconds": round(self.cost.prepare_s, 3)}


@dataclass
class EvaluationResult:
    dataset: LabelledSet
    options: Options
    full_dim: int
    configurations: list[Configuration]
    by_depth: list[Configuration]  # full-size float at depth 0, then each depth up to options.depth
    queries: list[QueryRow]
    stages: list[Stage]
    notes: list[str] = field(default_factory=list)
    query_tokens: dict[str, int] = field(default_factory=dict)  # query id -> its text's tokens, where known

    def table(self) -> list[Configuration]:
        """The headline rows: float at full size, reranked at the chosen depth, then the rest."""
        first = [c for c in self.configurations if c.dim == self.full_dim and c.storage == "float"]
        return first + [c for c in self.configurations if c not in first]

    def languages(self) -> list[str]:
        """The queries' languages, English first, then as the set lists them (none: no languages)."""
        found = list(dict.fromkeys(self.dataset.languages[q] for q in self.dataset.query_ids
                                   if q in self.dataset.languages))
        return sorted(found, key=lambda language: language != ENGLISH)

    def language_rows(self) -> list[LanguageRow]:
        """One row per language: its queries, their tokens, the full-size float metrics without and
        with reranking, and the gap of each to English's."""
        embedding, reranked = self.headline()
        rows = []
        for language in self.languages():
            ids = [q for q in self.dataset.query_ids if self.dataset.languages.get(q) == language]
            tokens = [self.query_tokens[q] for q in ids if q in self.query_tokens]
            rows.append(LanguageRow(language, len(ids), sum(tokens) / len(tokens) if tokens else None,
                                    embedding.by_language[language],
                                    reranked.by_language[language] if reranked else None))
        return rows

    def headline(self) -> tuple[Configuration, Configuration | None]:
        """(full-size float, the same reranked at the chosen depth, if reranked)."""
        full = [c for c in self.configurations if c.dim == self.full_dim and c.storage == "float"]
        return full[0], next((c for c in full if c.depth), None)

    def best(self) -> dict[str, float]:
        return {m: max(c.metrics[m] for c in self.configurations) for m in ir_metrics.METRICS}

    def to_json(self) -> dict[str, Any]:
        labels = self.dataset.doc_ids
        return {
            "dataset": self.dataset.summary(), "full_dim": self.full_dim, "notes": self.notes,
            "options": self.options.__dict__,
            "configurations": [{"name": c.name, "storage": c.storage, "dim": c.dim, "rerank_depth": c.depth,
                                **{m: round(v, 4) for m, v in c.metrics.items()}} for c in self.table()],
            "by_depth": [{"rerank_depth": c.depth, **{m: round(v, 4) for m, v in c.metrics.items()}}
                         for c in self.by_depth],
            "queries": [{"id": r.query_id, "query": r.query.label, "first_relevant_before": r.first_before,
                         "first_relevant_after": r.first_after, "moved": r.move,
                         "nDCG@10_before": round(r.ndcg_before, 4), "nDCG@10_after": round(r.ndcg_after, 4),
                         "top": [{"id": labels[i], "grade": g} for i, g in r.top]} for r in self.queries],
            "cost": [s.to_json() for s in self.stages],
            "languages": [row.to_json() for row in self.language_rows()] if self.languages() else [],
            "by_language": {c.name: {lang: {m: round(v, 4) for m, v in values.items()}
                                     for lang, values in c.by_language.items()} for c in self.table()},
        }


@dataclass
class LanguageRow:
    """One language's queries: how many, their mean tokens (None: the tokenizer is not here), and the
    full-size float metrics without and with reranking (None: not reranked)."""

    language: str
    queries: int
    tokens: float | None
    embedding: dict[str, float]
    reranked: dict[str, float] | None

    def to_json(self) -> dict[str, Any]:
        return {"language": self.language, "queries": self.queries,
                "tokens_per_query": None if self.tokens is None else round(self.tokens, 1),
                "embedding": {m: round(v, 4) for m, v in self.embedding.items()},
                "reranked": None if self.reranked is None else {m: round(v, 4) for m, v in self.reranked.items()}}


def gaps(rows: list[LanguageRow], metric: str = GAP_METRIC) -> dict[str, tuple[float | None, float | None]]:
    """Language -> (its gap to English on ``metric`` without reranking, with reranking); None where
    the set has no English or was not reranked."""
    english = next((row for row in rows if row.language == ENGLISH), None)
    found = {}
    for row in rows:
        plain = None if english is None else row.embedding[metric] - english.embedding[metric]
        reranked = (None if english is None or row.reranked is None or english.reranked is None
                    else row.reranked[metric] - english.reranked[metric])
        found[row.language] = (plain, reranked)
    return found


class RerankMemo:
    """Reranker scores by (model, instruction, query content, document content); bounded LRU."""

    def __init__(self, max_entries: int = 200_000) -> None:
        self.max_entries = max_entries
        self._scores: OrderedDict[tuple, float] = OrderedDict()

    def get(self, key: tuple) -> float | None:
        score = self._scores.get(key)
        if score is not None:
            self._scores.move_to_end(key)
        return score

    def put(self, key: tuple, score: float) -> None:
        self._scores[key] = score
        while len(self._scores) > self.max_entries:
            self._scores.popitem(last=False)


def sizes_for(full_dim: int) -> list[int]:
    """Full size, then each MRL size below it down to 64."""
    return [full_dim] + [d for d in MRL_SIZES if config.MIN_EMBED_DIM <= d < full_dim]


def storage_scores(storage: str, queries: np.ndarray, corpus: np.ndarray) -> np.ndarray:
    """[m, n] scores of one storage setting (int8 ranges fitted on the corpus)."""
    if storage == "float":
        return similarity_matrix(queries, corpus)
    if storage == "int8":
        return analysis.int8_scores(queries, corpus)
    blocks = [analysis.binary_scores(queries[i:i + BINARY_CHUNK], corpus)
              for i in range(0, len(queries), BINARY_CHUNK)]
    return np.concatenate(blocks) if blocks else np.zeros((0, len(corpus)), dtype=np.float32)


def rankings(scores: np.ndarray, dataset: LabelledSet) -> dict[str, list[int]]:
    """Query id -> document indices best first (ties: earlier document first), each query's
    excluded document (the query itself) left out."""
    position = {doc: i for i, doc in enumerate(dataset.doc_ids)}
    ranked = {}
    for row, query_id in zip(scores, dataset.query_ids, strict=True):
        order = top_k(row, len(row))
        skip = position.get(dataset.exclude.get(query_id, ""))
        ranked[query_id] = [i for i in order if i != skip]
    return ranked


def as_ids(ranked: dict[str, list[int]], dataset: LabelledSet) -> dict[str, list[str]]:
    return {q: [dataset.doc_ids[i] for i in order] for q, order in ranked.items()}


def reranked(order: list[int], scores: dict[int, float], depth: int) -> list[int]:
    """The top ``depth`` of ``order`` sorted by reranker score (ties keep embedding order), then
    the rest as they were."""
    head = order[:depth]
    ranked = sorted(range(len(head)), key=lambda j: (-scores[head[j]], j))
    return [head[j] for j in ranked] + order[depth:]


def stage_progress(progress: Progress, start: float, end: float, name: str) -> Progress:
    """A stage's own progress (0..1) mapped onto [start, end] of the whole run, named."""
    return lambda fraction, message: progress(start + (end - start) * fraction, f"{name}: {message}")


class Evaluator:
    """Runs evaluations through one engine; remembers reranker scores between runs."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.memo = RerankMemo()

    def run(self, dataset: LabelledSet, options: Options | None = None,
            progress: Progress = no_progress) -> EvaluationResult:
        """The evaluation, as the visitor's one long job: its model calls take turns with other
        visitors' chunk by chunk, and stop once the visitor's page has closed."""
        options = options or Options()
        depth = check_depth(options.depth)
        with self.engine.long_job("an evaluation") as job:
            return self.run_as(job, dataset, options, depth, progress)

    def run_as(self, job: LongJob, dataset: LabelledSet, options: Options, depth: int,
               progress: Progress) -> EvaluationResult:
        """``run``'s work, each model call a part of ``job``."""
        queries, corpus, stages = self.embed(dataset, options, progress, job)
        full_dim = corpus.shape[1]
        full_order = rankings(similarity_matrix(queries, corpus), dataset)
        rerank = Stage("reranking", 0.0, Cost())
        started = time.perf_counter()
        scores = self.scores_for(dataset, full_order, depth, options,
                                 stage_progress(progress, 0.7, 0.95, "Reranking"), rerank.cost, job)
        configurations = []
        for dim in sizes_for(full_dim):
            q, d = (queries, corpus) if dim == full_dim else (truncate_dim(queries, dim), truncate_dim(corpus, dim))
            for storage in STORAGES:
                ranked = full_order if storage == "float" and dim == full_dim else rankings(
                    storage_scores(storage, q, d), dataset)
                configurations.append(Configuration(storage, dim, 0, *measured(dataset, as_ids(ranked, dataset))))
                if storage == "float" and depth and (dim == full_dim or options.rerank_sizes):
                    at_size = scores if dim == full_dim else self.scores_for(dataset, ranked, depth, options,
                                                                             cost=rerank.cost, job=job)
                    configurations.append(reranked_configuration(dataset, ranked, at_size, dim, depth))
        rerank.seconds = time.perf_counter() - started
        progress(1.0, "Metrics computed")
        return EvaluationResult(dataset, options, full_dim, configurations,
                                depth_curve(dataset, full_order, scores, depth),
                                query_rows(dataset, full_order, scores, depth), [*stages, rerank],
                                [*dataset.notes, *self.warnings()], self.query_tokens(dataset))

    def query_tokens(self, dataset: LabelledSet) -> dict[str, int]:
        """Query id -> tokens of its text, for a set with languages, where the loaded embedder has its
        tokenizer here (the same meaning costs more tokens in some scripts than in others)."""
        slot = self.engine.embedder
        if not dataset.languages or slot.state != "ready":
            return {}
        found = {}
        for query_id, query in zip(dataset.query_ids, dataset.queries, strict=True):
            count = slot.instance.text_tokens(query.text) if query.text else None
            if count is not None:
                found[query_id] = count
        return found

    def warnings(self) -> list[str]:
        slots = (self.engine.embedder, self.engine.reranker)
        if any(slot.describe().get("random_weights") for slot in slots):
            return [RANDOM_WEIGHTS]
        return []

    def embed(self, dataset: LabelledSet, options: Options, progress: Progress,
              job: LongJob | None = None) -> tuple[np.ndarray, np.ndarray, list[Stage]]:
        """Full-size query [m, d] and corpus [n, d] vectors, with each stage's cost."""
        stages, vectors = [], []
        if any(item.origin == "sample" for item in dataset.documents) and not self.engine.index.ready:
            progress(0.0, "Indexing the sample gallery (first start only)…")
            self.engine.index.wait()  # its vectors, once built, serve this corpus
        plan = ((dataset.documents, dataset.doc_ids, options.document_instruction, "document",
                 "Embedding the corpus", 0.0, 0.6),
                (dataset.queries, dataset.query_ids, options.query_instruction, "query",
                 "Embedding the queries", 0.6, 0.7))
        for items, ids, instruction, what, name, start, end in plan:
            cost, started = Cost(), time.perf_counter()
            try:
                vectors.append(self.engine.embed_items(items, instruction or None, None, what,
                                                       stage_progress(progress, start, end, name), cost, job=job))
            except Cancelled:
                raise
            except InputError as exc:  # a file of the set that cannot be decoded: named by set and id
                raise InputError(named_in_set(dataset, ids, what, exc)) from None
            stages.append(Stage(name.replace("Embedding the ", "embedding "), time.perf_counter() - started, cost))
        return vectors[1], vectors[0], stages

    def scores_for(self, dataset: LabelledSet, ranked: dict[str, list[int]], depth: int, options: Options,
                   progress: Progress = no_progress, cost: Cost | None = None,
                   job: LongJob | None = None) -> dict[str, dict[int, float]]:
        """Query id -> {document index: reranker score} for the top ``depth`` of each ranking;
        pairs scored before are taken from the memo (counted as cached)."""
        found: dict[str, dict[int, float]] = {}
        for n, (query_id, query) in enumerate(zip(dataset.query_ids, dataset.queries, strict=True)):
            head = ranked[query_id][:depth]
            scores = self.pair_scores(query, [dataset.documents[i] for i in head], options, cost, n, job)
            found[query_id] = {i: scores[j] for j, i in enumerate(head)}
            progress((n + 1) / len(dataset.queries), f"{n + 1} of {len(dataset.queries)} queries")
        return found

    def pair_scores(self, query: Item, documents: Sequence[Item], options: Options, cost: Cost | None,
                    n: int, job: LongJob | None = None) -> dict[int, float]:
        """Position in ``documents`` -> reranker score, only the unseen pairs sent to the model."""
        model, hasher = self.engine.reranker.model, self.engine.hasher
        instruction = options.rerank_instruction or config.RERANK_DEFAULT_INSTRUCTION
        query_key = content_key(query.to_input(), model, hasher)
        keys = [(model, instruction, query_key, content_key(d.to_input(), model, hasher)) for d in documents]
        scores = {j: self.memo.get(key) for j, key in enumerate(keys)}
        missing = [j for j, s in scores.items() if s is None]
        if cost is not None:
            cost.cached += len(documents) - len(missing)
        if missing:
            result = self.engine.rerank(query, [documents[j] for j in missing], instruction, job=job)
            if cost is not None:
                cost.absorb(result.cost, f"query {n + 1} ")
            for j, score in zip(missing, result.scores, strict=True):
                scores[j] = float(score)
                self.memo.put(keys[j], float(score))
        return scores  # type: ignore[return-value]


def named_in_set(dataset: LabelledSet, ids: Sequence[str], what: str, exc: InputError) -> str:
    """An item's error, saying which set (the uploaded file) and which id it came from."""
    where = f"{what} {ids[exc.index - 1]!r}" if exc.index is not None and 0 < exc.index <= len(ids) else what
    return f"{dataset.source or dataset.name}: {where}: {exc.cause}"


def check_depth(depth: Any) -> int:
    if isinstance(depth, bool) or not isinstance(depth, (int, np.integer)) or not 0 <= int(depth) <= MAX_DEPTH:
        raise InputError(f"the rerank depth must be an integer from 0 to {MAX_DEPTH}, got {depth!r}")
    return int(depth)


def reranked_configuration(dataset: LabelledSet, ranked: dict[str, list[int]],
                           scores: dict[str, dict[int, float]], dim: int, depth: int) -> Configuration:
    final = {q: reranked(order, scores[q], depth) for q, order in ranked.items()}
    return Configuration("float", dim, depth, *measured(dataset, as_ids(final, dataset)))


def measured(dataset: LabelledSet, ranked: dict[str, list[str]]) -> tuple[dict[str, float], dict[str, dict]]:
    """(mean metrics over all queries, the same per language where the set gives languages)."""
    each = ir_metrics.per_query(dataset.qrels, ranked)
    by_language: dict[str, dict[str, dict[str, float]]] = {}
    for query, language in dataset.languages.items():
        by_language.setdefault(language, {})[query] = each[query]
    return ir_metrics.mean(each), {language: ir_metrics.mean(values) for language, values in by_language.items()}


def depth_curve(dataset: LabelledSet, ranked: dict[str, list[int]], scores: dict[str, dict[int, float]],
                depth: int) -> list[Configuration]:
    """Full-size float at depth 0 (no reranking), then reranked at each depth up to ``depth``
    (the scores of the top ``depth`` hold those of every smaller depth: no further model call)."""
    curve = [Configuration("float", 0, 0, ir_metrics.evaluate(dataset.qrels, as_ids(ranked, dataset)))]
    for d in [d for d in DEPTHS if d < depth] + ([depth] if depth else []):
        curve.append(reranked_configuration(dataset, ranked, scores, 0, d))
    return curve


def query_rows(dataset: LabelledSet, ranked: dict[str, list[int]], scores: dict[str, dict[int, float]],
               depth: int, shown: int = 5) -> list[QueryRow]:
    """Per-query rows at full size, worst first (lowest nDCG@10 after reranking, then the latest
    first relevant document)."""
    before = as_ids(ranked, dataset)
    final = {q: reranked(order, scores[q], depth) if depth else order for q, order in ranked.items()}
    after = as_ids(final, dataset)
    metrics_before = ir_metrics.per_query(dataset.qrels, before)
    metrics_after = ir_metrics.per_query(dataset.qrels, after)
    rows = []
    for query_id, query in zip(dataset.query_ids, dataset.queries, strict=True):
        judged = dataset.qrels[query_id]
        rows.append(QueryRow(query_id, query, ir_metrics.first_relevant_rank(judged, before[query_id]),
                             ir_metrics.first_relevant_rank(judged, after[query_id]),
                             metrics_before[query_id]["nDCG@10"], metrics_after[query_id]["nDCG@10"],
                             [(i, judged.get(dataset.doc_ids[i], 0)) for i in final[query_id][:shown]]))
    never = len(dataset.doc_ids) + 1
    return sorted(rows, key=lambda r: (r.ndcg_after, -(r.first_after or never)))
