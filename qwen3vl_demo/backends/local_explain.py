"""Where-it-matches maps of the in-process models (``local``): occlusion of regions of one visual's
merged tokens, or gradient x input on them, and the text side's words by dropping each.

A pair's mapped visual is the document's first image or video (the query's where the document has
none); its words are the query's first text (the document's where the query has none). The score
is computed the way ``embed`` / ``rerank`` compute it, from the same prepared prompts.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import torch
from PIL import Image

from ..core import explain, formatting
from ..core.errors import InputError, at_position
from ..core.explain import Explanation, Method, VisualTarget
from ..core.inputs import LoadedMedia, load_media
from ..core.similarity import truncate_dim

SIDES = ("query", "document")


@dataclass
class Pair:
    """Both inputs read, which one is mapped and which one's words are weighed."""

    loaded: dict[str, LoadedMedia]
    instructions: dict[str, str | None]
    mapped: str
    kind: str  # of the mapped visual: "image" or "video"
    words_side: str  # "" without a text side


def read_pair(query: Any, document: Any) -> Pair:
    """Both inputs parsed and their media read; InputError naming the side if one is bad or
    neither has an image or video."""
    parsed = {side: at_position(formatting.parse_input, obj, None, side)
              for side, obj in zip(SIDES, (query, document), strict=True)}
    loaded = {side: at_position(load_media, parsed[side], None, side) for side in SIDES}
    mapped = next((side for side in reversed(SIDES) if loaded[side].images or loaded[side].videos), None)
    if mapped is None:
        raise InputError("a map needs an image, a page or a video on one side; both inputs are text only")
    kind = "image" if loaded[mapped].images else "video"
    words_side = next((side for side in SIDES if loaded[side].texts and loaded[side].texts[0].strip()), "")
    return Pair(loaded, {side: parsed[side].instruction for side in SIDES}, mapped, kind, words_side)


def without(loaded: LoadedMedia, text: str) -> LoadedMedia:
    """``loaded`` with its first text replaced (dropped if empty)."""
    return replace(loaded, texts=([text] if text else []) + loaded.texts[1:])


class Scorer(ABC):
    """How one model turns a pair into its score, with the mapped visual's prompt at hand."""

    model: Any  # the in-process model (``local.Qwen3VLBase``)
    prompt: Any  # ``local.Prepared``: the prompt holding the mapped visual
    target: VisualTarget
    score: float

    @abstractmethod
    def scores(self, hidden: torch.Tensor) -> np.ndarray:
        """Scores of final-token hidden states of ``prompt`` variants: float64 [n]."""

    @abstractmethod
    def score_of(self, hidden: torch.Tensor) -> torch.Tensor:
        """The score of one final-token hidden state, differentiable."""

    @abstractmethod
    def word_scores(self, variants: Sequence[LoadedMedia]) -> np.ndarray:
        """Scores with the text side's input replaced by each variant: float64 [n]."""


class EmbeddingScorer(Scorer):
    """Cosine of the two sides' vectors at ``dim``; the mapped side varies, the other is fixed."""

    def __init__(self, model: Any, pair: Pair, dim: int) -> None:
        self.model, self.pair, self.dim = model, pair, dim
        prompts = {side: self.prepared(side, pair.loaded[side]) for side in SIDES}
        self.vectors = {side: truncate_dim(np.asarray(model.embed_prepared([prompts[side]], dim, 1, None).values,
                                                      dtype=np.float32), dim)[0] for side in SIDES}
        self.score = float(self.vectors["query"] @ self.vectors["document"])
        self.prompt = prompts[pair.mapped]
        self.target = VisualTarget(pair.kind, 0)
        self.fixed = torch.from_numpy(self.vectors[other(pair.mapped)])

    def prepared(self, side: str, loaded: LoadedMedia) -> Any:
        return self.model.prepare_loaded(loaded, self.pair.instructions[side])

    def scores(self, hidden: torch.Tensor) -> np.ndarray:
        return (torch.nn.functional.normalize(hidden[:, :self.dim], dim=-1) @ self.fixed).double().numpy()

    def score_of(self, hidden: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.normalize(hidden[:self.dim], dim=-1) @ self.fixed.to(hidden.device)

    def word_scores(self, variants: Sequence[LoadedMedia]) -> np.ndarray:
        side = self.pair.words_side
        hidden = self.model.run_batches([self.prepared(side, v) for v in variants])
        fixed = torch.from_numpy(self.vectors[other(side)])
        return (torch.nn.functional.normalize(hidden[:, :self.dim], dim=-1) @ fixed).double().numpy()


class RerankScorer(Scorer):
    """Sigmoid of the yes-minus-no logit of the pair's prompt."""

    def __init__(self, model: Any, pair: Pair, instruction: str) -> None:
        self.model, self.pair, self.instruction = model, pair, instruction
        self.prompt = self.prepared(pair.loaded)
        self.score = float(model.score_prepared(pair.loaded["query"], [self.prompt], instruction, 1, None).values[0])
        query = pair.loaded["query"]
        before = 0 if pair.mapped == "query" else len(query.images if pair.kind == "image" else query.videos)
        self.target = VisualTarget(pair.kind, before)

    def prepared(self, loaded: dict[str, LoadedMedia]) -> Any:
        return self.model.prepare_pair(self.instruction, loaded["query"], loaded["document"])

    def scores(self, hidden: torch.Tensor) -> np.ndarray:
        return torch.sigmoid(hidden.float() @ self.model.yes_minus_no).double().numpy()

    def score_of(self, hidden: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(hidden @ self.model.yes_minus_no.to(hidden.device))

    def word_scores(self, variants: Sequence[LoadedMedia]) -> np.ndarray:
        side = self.pair.words_side
        prompts = [self.prepared({**self.pair.loaded, side: v}) for v in variants]
        return self.scores(self.model.run_batches(prompts))


def other(side: str) -> str:
    return SIDES[1 - SIDES.index(side)]


def scorer_for(model: Any, query: Any, document: Any, option: Any) -> Scorer:
    """The pair's scorer (``option`` None: the full MRL size, or the default instruction)."""
    pair = read_pair(query, document)
    if hasattr(model, "yes_minus_no"):  # the reranker
        return RerankScorer(model, pair, formatting.reranker_instruction(option))
    return EmbeddingScorer(model, pair, model.full_dim if option is None else option)


def explain_pair(model: Any, query: Any, document: Any, method: Method, option: Any) -> Explanation:
    """The map of one pair (``option``: the embedder's MRL size or the reranker's instruction)."""
    scorer = scorer_for(model, query, document, option)
    inputs, (frames, rows, cols) = model.visual_features(scorer.prompt, scorer.target)
    shape = (rows, cols) if scorer.pair.kind == "image" else (frames, rows, cols)
    cell = (1, 1)
    if method is Method.OCCLUSION:
        budget = max(1, explain.MAX_EXPLAIN_TOKENS // len(scorer.prompt.ids) - 1)
        cell = explain.plan_cell(frames, rows, cols, min(explain.MAX_CELLS, budget))
        masks = explain.cell_masks(frames, rows, cols, cell)
        everything = np.vstack([np.zeros((1, masks.shape[1]), dtype=bool), masks])
        scores = scorer.scores(model.masked_last_hidden(inputs, scorer.target, everything))
        grid, passes = explain.spread(scores[0] - scores[1:], masks, shape), len(everything)
    else:
        _, values = model.visual_gradient(inputs, scorer.target, scorer.score_of)
        grid, passes = values.reshape(shape), 2
    words, word_passes = weigh_words(scorer)
    return Explanation(grid, words, scorer.score, method.value, 0.0,
                       model="embedding" if isinstance(scorer, EmbeddingScorer) else "reranker",
                       side=scorer.pair.mapped, words_side=scorer.pair.words_side, kind=scorer.pair.kind,
                       cell=cell, forwards=passes + word_passes, seen=seen(scorer.prompt, scorer.target))


def weigh_words(scorer: Scorer) -> tuple[list[explain.WordWeight], int]:
    """Each word of the text side with the score drop when it (or its group) is dropped, and the
    forwards that took."""
    side = scorer.pair.words_side
    if not side:
        return [], 0
    loaded = scorer.pair.loaded[side]
    text = loaded.texts[0]
    spans = explain.word_spans(text)
    groups = explain.word_groups(len(spans))
    variants = [without(loaded, explain.without_words(text, spans, group)) for group in groups]
    drops = scorer.score - scorer.word_scores(variants)
    return explain.word_weights(text, groups, list(drops)), len(variants)


def masked_scores(model: Any, query: Any, document: Any, masks: np.ndarray, option: Any) -> np.ndarray:
    """The pair's score once per row of ``masks`` over the mapped visual's tokens."""
    scorer = scorer_for(model, query, document, option)
    inputs, (frames, rows, cols) = model.visual_features(scorer.prompt, scorer.target)
    masks = np.asarray(masks, dtype=bool).reshape(len(masks), -1)
    if masks.shape[1] != frames * rows * cols:
        raise InputError(f"masks cover {masks.shape[1]} tokens; the mapped visual has {frames * rows * cols}")
    return scorer.scores(model.masked_last_hidden(inputs, scorer.target, masks))


def seen(prompt: Any, target: VisualTarget) -> np.ndarray:
    """The mapped image as the model saw it (uint8 [H, W, 3]), or a video's first frame of each
    temporal group at the size the model saw ([groups, H, W, 3])."""
    if target.kind == "image":
        return np.asarray(prompt.images[target.index].convert("RGB"))
    clip = prompt.videos[target.index]
    height, width = clip.size
    frames = [Image.fromarray(frame).resize((width, height), Image.Resampling.BICUBIC)
              for frame in clip.frames[::2]]
    return np.stack([np.asarray(frame) for frame in frames])
