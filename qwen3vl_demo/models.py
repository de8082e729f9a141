"""Qwen3-VL-Embedding and Qwen3-VL-Reranker in process (PyTorch + transformers).

The only module, with ``tiny.py`` and ``loader.py``, that imports torch and transformers.
Shapes: ``embed`` returns float32 [n_items, dim]; ``rerank`` returns one float per document.
"""

from __future__ import annotations

import inspect
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
import torchvision.transforms.functional as TF
from PIL import Image
from torchvision.transforms import InterpolationMode

from . import config, formatting, media
from .batching import plan_batches
from .errors import InputError
from .similarity import truncate_dim


@dataclass
class Prepared:
    """One tokenised prompt with the media its visual tokens stand for."""

    ids: list[int]
    images: list[Image.Image] = field(default_factory=list)
    videos: list[media.VideoClip] = field(default_factory=list)

    @property
    def visual_tokens(self) -> int:
        return sum(media.visual_tokens(im.height, im.width) for im in self.images) + sum(
            v.groups * v.tokens_per_group for v in self.videos
        )


@dataclass
class LoadedMedia:
    """An input's texts with its images and videos already read and sampled."""

    texts: list[str]
    images: list[Image.Image]
    videos: list[media.VideoClip]

    @property
    def counts(self) -> tuple[int, int]:
        return len(self.videos), len(self.images)

    def layouts(self) -> list[formatting.VideoLayout]:
        return [formatting.VideoLayout(v.timestamps(), v.tokens_per_group) for v in self.videos]


def load_media(parsed: formatting.MultimodalInput) -> LoadedMedia:
    images = [media.load_image(src) for src in parsed.images]
    videos = [media.load_video(src, parsed.fps, parsed.max_frames) for src in parsed.videos]
    return LoadedMedia(parsed.texts, images, videos)


class Qwen3VLBase:
    """What the embedder and the reranker share: the backbone, the processor, collation."""

    padding_side = "right"

    def __init__(
        self,
        backbone: torch.nn.Module,
        processor: Any,
        name: str,
        max_length: int,
        batch_size: int = config.DEFAULT_BATCH_SIZE,
        batch_tokens: int = config.DEFAULT_BATCH_TOKENS,
    ) -> None:
        self.backbone = backbone.eval()
        self.processor = processor
        self.tokenizer = processor.tokenizer
        self.name = name
        self.max_length = max_length
        self.batch_size = batch_size
        self.batch_tokens = batch_tokens
        self.device = next(backbone.parameters()).device
        self.dtype = next(backbone.parameters()).dtype
        self.pad_id = self.tokenizer.convert_tokens_to_ids("<|endoftext|>")
        self.image_token_id = self.tokenizer.convert_tokens_to_ids(formatting.IMAGE_PAD)
        self.video_token_id = self.tokenizer.convert_tokens_to_ids(formatting.VIDEO_PAD)
        self._takes_token_types = "mm_token_type_ids" in inspect.signature(backbone.forward).parameters
        # Frames arrive already resized (do_resize=False): the processor's own per-frame pixel cap
        # never applies, so say so where this transformers version asks (and nowhere else).
        video_processor = processor.video_processor
        self._video_options = (
            {"cap_pixels_per_frame": False} if hasattr(video_processor, "cap_pixels_per_frame") else {}
        )
        self._lock = threading.Lock()  # the backbone caches rope deltas between calls

    # --- Preparation ---------------------------------------------------------------------------
    def _fit(self, build_conversation: Any, loaded: Sequence[LoadedMedia]) -> list[int]:
        """Token ids of the conversation, user texts shortened if it exceeds max_length."""
        images = [media.visual_tokens(im.height, im.width) for lm in loaded for im in lm.images]
        layouts = [layout for lm in loaded for layout in lm.layouts()]

        def build(texts: list[list[str]]) -> str:
            prompt = formatting.render(self.tokenizer, build_conversation(texts))
            return formatting.expand_vision(prompt, images, layouts)

        return formatting.fit_to_length(
            self.tokenizer, build, [lm.texts for lm in loaded], self.max_length
        )

    # --- Tensors -------------------------------------------------------------------------------
    def _video_pixels(self, clip: media.VideoClip) -> torch.Tensor:
        """Frames resized as qwen-vl-utils does: torchvision bicubic with antialias, as float."""
        frames = torch.from_numpy(clip.frames).permute(0, 3, 1, 2)
        resized = TF.resize(
            frames, list(clip.size), interpolation=InterpolationMode.BICUBIC, antialias=True
        )
        return resized.float()

    def _collate(self, batch: Sequence[Prepared]) -> dict[str, torch.Tensor]:
        longest = max(len(p.ids) for p in batch)
        ids = torch.full((len(batch), longest), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(batch), longest), dtype=torch.long)
        for row, prepared in enumerate(batch):
            n = len(prepared.ids)
            cols = slice(longest - n, longest) if self.padding_side == "left" else slice(0, n)
            ids[row, cols] = torch.tensor(prepared.ids)
            mask[row, cols] = 1
        inputs: dict[str, torch.Tensor] = {"input_ids": ids, "attention_mask": mask}
        images = [im for p in batch for im in p.images]
        if images:
            out = self.processor.image_processor(images=images, do_resize=False, return_tensors="pt")
            inputs["pixel_values"] = out["pixel_values"].to(self.dtype)
            inputs["image_grid_thw"] = out["image_grid_thw"]
        videos = [v for p in batch for v in p.videos]
        if videos:
            out = self.processor.video_processor(
                videos=[self._video_pixels(v) for v in videos],
                do_resize=False,
                do_sample_frames=False,
                return_tensors="pt",
                **self._video_options,
            )
            inputs["pixel_values_videos"] = out["pixel_values_videos"].to(self.dtype)
            inputs["video_grid_thw"] = out["video_grid_thw"]
        if self._takes_token_types:
            types = torch.zeros_like(ids, dtype=torch.int32)
            types[ids == self.image_token_id] = 1
            types[ids == self.video_token_id] = 2
            inputs["mm_token_type_ids"] = types
        return {k: v.to(self.device) for k, v in inputs.items()}

    def _last_hidden(self, batch: Sequence[Prepared]) -> torch.Tensor:
        """Last-layer hidden state at each prompt's final token: [len(batch), hidden]."""
        inputs = self._collate(batch)
        with self._lock, torch.inference_mode():
            if hasattr(self.backbone, "rope_deltas"):
                self.backbone.rope_deltas = None
            hidden = self.backbone(**inputs, use_cache=False).last_hidden_state
        mask = inputs["attention_mask"]
        last = (mask.shape[1] - 1 - mask.flip(dims=[1]).argmax(dim=1)).long()
        return hidden[torch.arange(len(batch), device=hidden.device), last].float()

    def _run_batches(self, prepared: Sequence[Prepared], batch_size: int | None) -> torch.Tensor:
        """Last hidden states of all prompts, computed in micro-batches, in input order."""
        size = self.batch_size if batch_size is None else batch_size  # 0 is refused, not "default"
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise InputError(f"batch_size must be a positive integer, got {batch_size!r}")
        lengths = [len(p.ids) for p in prepared]
        out: list[torch.Tensor | None] = [None] * len(prepared)
        for group in plan_batches(lengths, size, self.batch_tokens):
            rows = self._forward_splitting([prepared[i] for i in group])
            for index, row in zip(group, rows, strict=True):
                out[index] = row
        return torch.stack(out).cpu()  # type: ignore[arg-type]

    def _forward_splitting(self, batch: list[Prepared]) -> list[torch.Tensor]:
        """Forward a batch; on out-of-memory, retry it in halves before giving up."""
        try:
            return list(self._last_hidden(batch))
        except torch.OutOfMemoryError:
            if len(batch) == 1:
                raise
            if self.device.type == "cuda":
                torch.cuda.empty_cache()
            half = len(batch) // 2
            return self._forward_splitting(batch[:half]) + self._forward_splitting(batch[half:])


class Qwen3VLEmbedder(Qwen3VLBase):
    """Qwen3-VL-Embedding: last-token pooling, L2-normalised, any MRL size from 64 to full."""

    padding_side = "right"

    @property
    def full_dim(self) -> int:
        return int(self.backbone.config.text_config.hidden_size)

    def prepare(self, item: Any) -> Prepared:
        parsed = formatting.parse_input(item)
        loaded = load_media(parsed)
        instruction = formatting.embedding_instruction(parsed.instruction)

        def conversation(texts: list[list[str]]) -> list[dict[str, Any]]:
            return formatting.embedding_conversation(instruction, *loaded.counts, texts[0])

        return Prepared(self._fit(conversation, [loaded]), loaded.images, loaded.videos)

    def check_dim(self, dim: Any) -> int:
        if dim is None:
            return self.full_dim
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
            raise InputError(f"dim must be an integer, got {dim!r}")
        if not config.MIN_EMBED_DIM <= int(dim) <= self.full_dim:
            raise InputError(f"dim must be between {config.MIN_EMBED_DIM} and {self.full_dim}, got {dim}")
        return int(dim)

    def embed(
        self, items: Sequence[Any], dim: int | None = None, batch_size: int | None = None
    ) -> np.ndarray:
        """Embeddings of ``items``: float32 [len(items), dim or full], rows L2-normalised."""
        size = self.check_dim(dim)
        if isinstance(items, dict):
            raise InputError("embed takes a list of inputs; wrap the dict in a list")
        prepared = [_prepare_indexed(self.prepare, item, i) for i, item in enumerate(items)]
        if not prepared:
            return np.zeros((0, size), dtype=np.float32)
        vectors = self._run_batches(prepared, batch_size).numpy()
        if not np.isfinite(vectors).all():
            raise RuntimeError(f"{self.name} produced non-finite values; try dtype float32")
        return truncate_dim(vectors, size)


class Qwen3VLReranker(Qwen3VLBase):
    """Qwen3-VL-Reranker: sigmoid of the yes-minus-no logit at the final position."""

    padding_side = "left"

    def __init__(self, backbone: torch.nn.Module, processor: Any, name: str, yes_minus_no: torch.Tensor,
                 **options: Any) -> None:
        super().__init__(backbone, processor, name, **options)
        self.yes_minus_no = yes_minus_no.float().cpu()

    def prepare_pair(self, instruction: str, query: LoadedMedia, document: LoadedMedia) -> Prepared:
        def conversation(texts: list[list[str]]) -> list[dict[str, Any]]:
            return formatting.reranker_conversation(
                instruction, (*query.counts, texts[0]), (*document.counts, texts[1])
            )

        ids = self._fit(conversation, [query, document])
        return Prepared(ids, query.images + document.images, query.videos + document.videos)

    def rerank(
        self,
        query: Any,
        documents: Sequence[Any],
        instruction: str | None = None,
        batch_size: int | None = None,
    ) -> list[float]:
        """Relevance of each document to ``query``, in document order, each in (0, 1)."""
        if instruction is not None and not isinstance(instruction, str):
            raise InputError(f"instruction must be a string, got {type(instruction).__name__}")
        instruction = instruction or config.RERANK_DEFAULT_INSTRUCTION
        if isinstance(documents, dict):
            raise InputError("documents must be a list of inputs; wrap the dict in a list")
        query_media = _prepare_indexed(lambda q: load_media(formatting.parse_input(q)), query, None, "query")
        prepared = [
            _prepare_indexed(
                lambda d: self.prepare_pair(instruction, query_media, load_media(formatting.parse_input(d))),
                doc, i, "document",
            )
            for i, doc in enumerate(documents)
        ]
        if not prepared:
            return []
        logits = self._run_batches(prepared, batch_size) @ self.yes_minus_no
        scores = torch.sigmoid(logits).tolist()
        if not all(math.isfinite(s) for s in scores):
            raise RuntimeError(f"{self.name} produced non-finite scores; try dtype float32")
        return scores


def _prepare_indexed(prepare: Any, obj: Any, index: int | None, what: str = "item") -> Any:
    """Run ``prepare(obj)``; any InputError is re-raised naming the item's position."""
    try:
        return prepare(obj)
    except InputError as exc:
        raise InputError(exc.cause, index, what) from None
