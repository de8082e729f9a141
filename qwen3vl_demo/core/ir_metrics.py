"""Retrieval metrics by trec_eval (``pytrec_eval``): Recall@1/5/10, MRR@10 and graded nDCG@10.

Why pytrec_eval (the ``pytrec-eval-terrier`` build): it is trec_eval itself, the reference every
IR paper and BEIR report numbers with; its wheel is 0.3 MB and needs only numpy/scipy (ranx pulls
in numba, ~160 MB of wheels; ir-measures delegates these measures to pytrec_eval anyway).

trec_eval orders a run by score and breaks ties by document id, not by the order given. So a
ranking is handed over with strictly decreasing pseudo-scores (n, n-1, ...): the metrics are those
of exactly the list the app shows, ties in the raw scores already broken there (earlier item first).
Only the top ``CUTOFF`` of each ranking are passed: the reciprocal rank is then MRR@10 (0 when no
relevant item is in the top 10), while recall and nDCG take their ideal from the judgements.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytrec_eval

CUTOFF = 10
METRICS = ("Recall@1", "Recall@5", "Recall@10", "MRR@10", "nDCG@10")
_TREC_NAMES = {"Recall@1": "recall_1", "Recall@5": "recall_5", "Recall@10": "recall_10",
               "MRR@10": "recip_rank", "nDCG@10": "ndcg_cut_10"}
_MEASURES = {"recall.1,5,10", "recip_rank", "ndcg_cut.10"}

Qrels = Mapping[str, Mapping[str, int]]  # query id -> document id -> grade (0: not relevant)
Rankings = Mapping[str, Sequence[str]]  # query id -> document ids, best first


def per_query(qrels: Qrels, rankings: Rankings) -> dict[str, dict[str, float]]:
    """Each query's metrics: query id -> {metric name: value}. Every query of ``qrels`` must have
    a ranking (an empty one scores 0); graded relevance counts in nDCG, any grade >= 1 elsewhere."""
    run = {q: {doc: float(CUTOFF - rank) for rank, doc in enumerate(list(rankings.get(q, []))[:CUTOFF])}
           for q in qrels}
    judged = {q: {doc: int(grade) for doc, grade in docs.items()} for q, docs in qrels.items()}
    evaluator = pytrec_eval.RelevanceEvaluator(judged, _MEASURES)
    scored = evaluator.evaluate({q: docs for q, docs in run.items() if docs})
    empty = dict.fromkeys(_TREC_NAMES.values(), 0.0)  # trec_eval skips a query with no ranking
    return {q: {name: float(scored.get(q, empty)[trec]) for name, trec in _TREC_NAMES.items()} for q in qrels}


def mean(values: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """The mean over queries of each metric (every query weighs the same, as trec_eval's ``all``)."""
    if not values:
        return dict.fromkeys(METRICS, 0.0)
    return {name: sum(v[name] for v in values.values()) / len(values) for name in METRICS}


def evaluate(qrels: Qrels, rankings: Rankings) -> dict[str, float]:
    """Mean Recall@1/5/10, MRR@10 and nDCG@10 over the queries of ``qrels``."""
    return mean(per_query(qrels, rankings))


def first_relevant_rank(qrels_of_query: Mapping[str, int], ranking: Sequence[str]) -> int | None:
    """1-based rank of the first document with grade >= 1, None if none is ranked."""
    for rank, doc in enumerate(ranking, start=1):
        if qrels_of_query.get(doc, 0) >= 1:
            return rank
    return None
