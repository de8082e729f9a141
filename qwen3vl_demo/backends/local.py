"""Qwen3-VL-Embedding and Qwen3-VL-Reranker in process (PyTorch + transformers).

The backend contract (``base``) with torch behind it: prompts tokenised here, micro-batches under
a token budget, vision-tower outputs remembered (``vision_cache``), out-of-memory batches retried
in halves. Shapes: ``embed`` returns float32 [n_items, dim]; ``rerank`` one float per document.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import importlib.util
import inspect
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np
import torch
import torchvision.transforms.functional as TF
from PIL import Image
from torchvision.transforms import InterpolationMode

from ..core import config, formatting, media, memory_policy
from ..core.batching import check_batch_size, plan_batches
from ..core.errors import ModelUnavailable
from ..core.explain import Explanation, Method, VisualTarget
from ..core.inputs import LoadedMedia, load_media
from . import lean, local_explain
from .base import Batch, Embedder, LoadInfo, Progress, Reranker
from .vision_cache import VisionCache, VisionFeatures, chunks, content_key

# Images and videos are turned into float patches and encoded at most this many visual tokens at a
# time (about 25 KB of patches per token): the patches, not the models, set the peak memory of a batch.
VISION_CHUNK_TOKENS = 2048
# After a forward over at least this many tokens, freed heap memory goes back to the system.
TRIM_AFTER_TOKENS = 1024


def masked_rows(features: torch.Tensor, masks: torch.Tensor) -> torch.Tensor:
    """``features`` [tokens, hidden] once per mask row (bool [n, tokens]), masked tokens replaced
    by the mean token: [n, tokens, hidden]."""
    mean = features.mean(0, keepdim=True)
    return torch.where(masks[..., None], mean[None], features[None])


@dataclass
class Prepared:
    """One tokenised prompt with the media its visual tokens stand for."""

    ids: list[int]
    images: list[Image.Image] = field(default_factory=list)
    videos: list[media.VideoClip] = field(default_factory=list)

    @property
    def visual_tokens(self) -> int:
        return media.count_visual_tokens(self.images, self.videos)


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
        vision_cache_mb: float = config.DEFAULT_VISION_CACHE_MB,
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
        parameters = inspect.signature(backbone.forward).parameters
        self._takes_token_types = "mm_token_type_ids" in parameters
        self._takes_encoder_outputs = "mm_encoder_outputs" in parameters  # transformers >= 5.x
        self.vision_cache = VisionCache(int(vision_cache_mb * 2**20))
        self.vision_chunk_tokens = VISION_CHUNK_TOKENS
        # Frames arrive already resized (do_resize=False): the processor's own per-frame pixel cap
        # never applies, so say so where this transformers version asks (and nowhere else).
        video_processor = processor.video_processor
        self._video_options = (
            {"cap_pixels_per_frame": False} if hasattr(video_processor, "cap_pixels_per_frame") else {}
        )
        self._lock = threading.Lock()  # one forward at a time (vision cache, rope deltas)
        self._background = threading.local()  # set in a thread that yields to users' requests
        for layer in [*self.backbone.language_model.layers, *self.backbone.visual.blocks]:
            layer.register_forward_pre_hook(self._pause_point)

    # --- Preparation ---------------------------------------------------------------------------
    def text_tokens(self, text: str) -> int:
        """Tokens of ``text`` alone: what one script costs against another for the same meaning."""
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def _fit(self, build_conversation: Any, loaded: Sequence[LoadedMedia]) -> list[int]:
        """Token ids of the conversation, user texts shortened if it exceeds max_length."""
        images = [media.image_tokens(im) for lm in loaded for im in lm.images]
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

    def pixels_of(self, kind: str, items: Sequence[Any]) -> tuple[torch.Tensor, torch.Tensor]:
        """Processor output for images or videos: (pixel patches, grid_thw [n, 3])."""
        if kind == "image":
            out = self.processor.image_processor(images=list(items), do_resize=False, return_tensors="pt")
            return out["pixel_values"], out["image_grid_thw"]
        out = self.processor.video_processor(
            videos=[self._video_pixels(v) for v in items], do_resize=False, do_sample_frames=False,
            return_tensors="pt", **self._video_options,
        )
        return out["pixel_values_videos"], out["video_grid_thw"]

    def vision_tower(self, kind: str, pixels: torch.Tensor, grid: torch.Tensor) -> Any:
        """The vision tower on processor output (``pixels_of``): pooled features and deepstack layers."""
        encode = self.backbone.get_image_features if kind == "image" else self.backbone.get_video_features
        return encode(pixels.to(self.device, self.dtype), grid.to(self.device), return_dict=True)

    def _encode_visual(self, kind: str, items: Sequence[Any]) -> tuple[torch.Tensor, Any]:
        """Vision-tower outputs for each occurrence of an image or video, each distinct one
        computed once (and remembered across calls): (grid_thw [n, 3], encoder output)."""
        keys = [content_key(kind, item) for item in items]
        known = {key: self.vision_cache.get(key) for key in keys if key in self.vision_cache}
        todo = {key: item for key, item in zip(keys, items, strict=True) if key not in known}
        for chunk in chunks(list(todo.items()), media.VISUAL_TOKENS[kind], self.vision_chunk_tokens):
            pixels, grid = self.pixels_of(kind, [item for _, item in chunk])
            out = self.vision_tower(kind, pixels, grid)
            del pixels  # the largest tensor of all: free it before the next chunk's
            for i, (key, _) in enumerate(chunk):
                known[key] = VisionFeatures(
                    grid[i], out.pooler_output[i], [layer[i] for layer in out.deepstack_features])
                self.vision_cache.put(key, known[key])
        found = [known[key] for key in keys]
        encoded = SimpleNamespace(
            pooler_output=tuple(f.embeds for f in found),
            deepstack_features=[tuple(f.deepstack[layer] for f in found)
                                for layer in range(len(found[0].deepstack))],
        )
        return torch.stack([f.grid for f in found]), encoded

    @contextlib.contextmanager
    def in_background(self, others_waiting: Callable[[], bool], wait: Callable[[], None]) -> Iterator[None]:
        """Calls made in this block by this thread give way to everyone else's: before each layer
        of the vision tower and of the language model, while ``others_waiting()``, the forward in
        progress lets go of the model, ``wait()``s, then carries on where it was. So a visitor's
        query waits at most one layer behind background work, not a whole document page."""
        self._background.others_waiting, self._background.wait = others_waiting, wait
        try:
            yield
        finally:
            del self._background.others_waiting, self._background.wait

    def _pause_point(self, module: torch.nn.Module, args: Any) -> None:
        del module, args
        waiting = getattr(self._background, "others_waiting", None)
        if waiting is not None and waiting():
            # The layers keep no state between calls: another forward may run in between.
            self._lock.release()
            try:
                self._background.wait()
            finally:
                self._lock.acquire()

    def enter_forked_worker(self) -> None:
        """One CPU thread for torch here: its OpenMP pool does not survive a fork, and the first
        parallel region in a child whose parent had already run one hangs. The model's own work
        runs on the GPU in such a worker; only preprocessing (resizing frames, patches) is on the CPU."""
        torch.set_num_threads(1)

    def warm_up(self) -> None:
        """One small text-and-image input through the whole model, at load: the weights are paged
        in (they are memory-mapped) and the kernels built now, not in the first visitor's request.
        Nothing of it is remembered. (Measured at 2B in bfloat16: the first call after loading
        took 1.3-4.7 s without this, later ones 0.4 s.)"""
        picture = Image.new("RGB", (64, 64), (128, 128, 128))
        self.warm_up_call({"text": "warm-up", "image": picture})
        self.warm_up_call({"text": "warm-up"})  # text alone takes other paths (no vision, no deepstack)
        self.vision_cache.clear()

    def warm_up_call(self, item: dict[str, Any]) -> None:
        raise NotImplementedError

    def remember_visuals(self, items: Sequence[Any], wait_until_idle: Callable[[], None] = lambda: None) -> int:
        """Run the vision tower over the images and videos of ``items`` ahead of use, one at a
        time (after ``wait_until_idle()``) and only while the vision cache has room for them;
        returns how many were encoded. An item that fails to load is skipped (it is reported when
        used)."""
        if not self._takes_encoder_outputs:  # older transformers: the model runs the tower itself
            return 0
        config = self.backbone.config
        per_token = (1 + len(config.vision_config.deepstack_visual_indexes)) * config.text_config.hidden_size * (
            torch.finfo(self.dtype).bits // 8)
        done = 0
        for item in items:
            try:
                loaded = load_media(formatting.parse_input(item))
            except Exception:  # noqa: BLE001 - reported when the item is used
                continue
            for kind, things in (("image", loaded.images), ("video", loaded.videos)):
                for thing in things:
                    needed = media.VISUAL_TOKENS[kind](thing) * per_token
                    if self.vision_cache.bytes + needed > self.vision_cache.max_bytes:
                        return done
                    wait_until_idle()
                    with self._lock, torch.inference_mode():
                        self._encode_visual(kind, [thing])
                    done += 1
        return done

    def _collate(self, batch: Sequence[Prepared]) -> dict[str, Any]:
        longest = max(len(p.ids) for p in batch)
        ids = torch.full((len(batch), longest), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(batch), longest), dtype=torch.long)
        for row, prepared in enumerate(batch):
            n = len(prepared.ids)
            cols = slice(longest - n, longest) if self.padding_side == "left" else slice(0, n)
            ids[row, cols] = torch.tensor(prepared.ids)
            mask[row, cols] = 1
        inputs: dict[str, Any] = {"input_ids": ids.to(self.device), "attention_mask": mask.to(self.device)}
        encoder_outputs = {}
        for kind, items in (("image", [im for p in batch for im in p.images]),
                            ("video", [v for p in batch for v in p.videos])):
            if not items:
                continue
            if self._takes_encoder_outputs:
                grid, encoder_outputs[kind] = self._encode_visual(kind, items)
            else:  # older transformers: the model runs the vision tower itself
                pixels, grid = self.pixels_of(kind, items)
                inputs["pixel_values" if kind == "image" else "pixel_values_videos"] = pixels.to(
                    self.device, self.dtype)
            inputs[f"{kind}_grid_thw"] = grid.to(self.device)
        if encoder_outputs:
            inputs["mm_encoder_outputs"] = encoder_outputs
        if self._takes_token_types:
            types = torch.zeros_like(ids, dtype=torch.int32)
            types[ids == self.image_token_id] = 1
            types[ids == self.video_token_id] = 2
            inputs["mm_token_type_ids"] = types.to(self.device)
        return inputs

    def last_hidden(self, batch: Sequence[Prepared]) -> torch.Tensor:
        """Last-layer hidden state at each prompt's final token: [len(batch), hidden]."""
        with self._lock, torch.inference_mode():
            inputs = self._collate(batch)
            if hasattr(self.backbone, "rope_deltas"):
                self.backbone.rope_deltas = None
            hidden = self.backbone(**inputs, use_cache=False).last_hidden_state
        mask = inputs["attention_mask"]
        last = (mask.shape[1] - 1 - mask.flip(dims=[1]).argmax(dim=1)).long()
        return hidden[torch.arange(len(batch), device=hidden.device), last].float()

    # --- Maps (``local_explain``): the same forward with one visual's tokens edited --------------
    def visual_features(self, prepared: Prepared, target: VisualTarget) -> tuple[dict[str, Any], tuple[int, ...]]:
        """The model inputs of one prompt and the merged-token grid (frames, rows, cols) of its
        ``target`` visual. ModelUnavailable where transformers is too old to take encoder outputs."""
        if not self._takes_encoder_outputs:
            raise ModelUnavailable("maps need transformers >= 5 (the model must accept vision features)")
        with self._lock, torch.inference_mode():
            inputs = self._collate([prepared])
        t, h, w = (int(n) for n in inputs[f"{target.kind}_grid_thw"][target.index])
        merge = config.SPATIAL_MERGE
        return inputs, (t, h // merge, w // merge)

    def masked_last_hidden(self, inputs: dict[str, Any], target: VisualTarget, masks: np.ndarray) -> torch.Tensor:
        """Final-token hidden states of one prompt's ``inputs`` (``visual_features``) once per row
        of ``masks`` (bool [n, visual tokens]), the target's masked tokens replaced by the mean of
        its tokens (in the embeddings and every deepstack layer): float32 [n, hidden]."""
        rows = max(1, self.batch_tokens // int(inputs["input_ids"].shape[1]))
        out = []
        with self._lock, torch.inference_mode():
            for start in range(0, len(masks), rows):
                chunk = torch.from_numpy(masks[start:start + rows]).to(self.device)
                out.append(self._edited_forward(inputs, target, lambda x, m=chunk: masked_rows(x, m), len(chunk)))
        return torch.cat(out).float().cpu()

    def visual_gradient(self, inputs: dict[str, Any], target: VisualTarget,
                        score: Callable[[torch.Tensor], torch.Tensor]) -> tuple[float, np.ndarray]:
        """``score`` of the final hidden state and its gradient x (token - mean token) summed per
        merged token of the target over the embeddings and deepstack layers: (score, float32
        [visual tokens])."""
        leaves: list[torch.Tensor] = []

        def as_leaf(features: torch.Tensor) -> torch.Tensor:
            leaves.append(features.clone().requires_grad_(True))  # a clone is an ordinary tensor
            return leaves[-1][None]

        plain = {k: v.clone() if isinstance(v, torch.Tensor) else v for k, v in inputs.items()}
        with self._lock, torch.enable_grad():
            value = score(self._edited_forward(plain, target, as_leaf, 1)[0].float())
            grads = torch.autograd.grad(value, leaves)
        attribution = sum(((g.float() * (x.float() - x.float().mean(0))).sum(-1) for g, x in zip(grads, leaves,
                                                                                                   strict=True)))
        return float(value.detach()), attribution.detach().cpu().numpy().astype(np.float32)

    def _edited_forward(self, inputs: dict[str, Any], target: VisualTarget,
                        edit: Callable[[torch.Tensor], torch.Tensor], n: int) -> torch.Tensor:
        """The prompt of ``inputs`` n times over, the target's features of each layer made by
        ``edit(features) -> [n, tokens, hidden]``: final-token hidden states [n, hidden]."""
        batch = {key: value.repeat(n, 1) for key, value in inputs.items()
                 if isinstance(value, torch.Tensor)}
        encoders = {}
        for kind, encoded in inputs["mm_encoder_outputs"].items():
            layers = [encoded.pooler_output, *encoded.deepstack_features]
            variants = []
            for layer in layers:
                edited = edit(layer[target.index]) if kind == target.kind else None
                variants.append(tuple(edited[row] if edited is not None and i == target.index else item
                                      for row in range(n) for i, item in enumerate(layer)))
            encoders[kind] = SimpleNamespace(pooler_output=variants[0], deepstack_features=variants[1:])
        batch["mm_encoder_outputs"] = encoders
        if hasattr(self.backbone, "rope_deltas"):
            self.backbone.rope_deltas = None
        hidden = self.backbone(**batch, use_cache=False).last_hidden_state
        return hidden[:, -1]

    def run_batches(self, prepared: Sequence[Prepared]) -> torch.Tensor:
        """Final-token hidden states of prepared prompts, in order: float32 [n, hidden]."""
        return self._run_batches(prepared, None)

    def explain_pair(self, query: Any, document: Any, method: Method, option: Any) -> Explanation:
        return local_explain.explain_pair(self, query, document, method, option)

    def masked_scores(self, query: Any, document: Any, masks: np.ndarray, option: Any = None) -> np.ndarray:
        return local_explain.masked_scores(self, query, document, masks, option)

    def _run_batches(self, prepared: Sequence[Prepared], batch_size: int | None,
                     progress: Callable[[int, int], None] | None = None) -> torch.Tensor:
        """Last hidden states of all prompts, computed in micro-batches, in input order.

        ``progress(done, total)`` is called after each micro-batch.
        """
        size = check_batch_size(batch_size, self.batch_size)
        lengths = [len(p.ids) for p in prepared]
        out: list[torch.Tensor | None] = [None] * len(prepared)
        done = 0
        for group in plan_batches(lengths, size, self.batch_tokens, [bool(p.videos) for p in prepared]):
            rows = self._forward_splitting([prepared[i] for i in group])
            for index, row in zip(group, rows, strict=True):
                out[index] = row
            done += len(group)
            if progress is not None:
                progress(done, len(prepared))
        if self.device.type == "cpu" and sum(lengths) >= TRIM_AFTER_TOKENS:
            return_freed_memory()
        return torch.stack(out).cpu()  # type: ignore[arg-type]

    def _forward_splitting(self, batch: list[Prepared]) -> list[torch.Tensor]:
        """Forward a batch; on out-of-memory, retry it in halves before giving up."""
        try:
            return list(self.last_hidden(batch))
        except (torch.OutOfMemoryError, RuntimeError) as exc:
            if len(batch) == 1 or not is_out_of_memory(exc):
                raise
            if self.device.type == "cuda":
                torch.cuda.empty_cache()
            half = len(batch) // 2
            return self._forward_splitting(batch[:half]) + self._forward_splitting(batch[half:])


class Qwen3VLEmbedder(Qwen3VLBase, Embedder):
    """Qwen3-VL-Embedding in process: last-token pooling, L2-normalised, any MRL size."""

    padding_side = "right"

    @property
    def full_dim(self) -> int:
        return int(self.backbone.config.text_config.hidden_size)

    def prepare(self, item: Any) -> Prepared:
        parsed = formatting.parse_input(item)
        return self.prepare_loaded(load_media(parsed), parsed.instruction)

    def prepare_loaded(self, loaded: LoadedMedia, instruction: str | None) -> Prepared:
        """An input whose media are read already, made ready to embed."""
        instruction = formatting.embedding_instruction(instruction)

        def conversation(texts: list[list[str]]) -> list[dict[str, Any]]:
            return formatting.embedding_conversation(instruction, *loaded.counts, texts[0])

        return Prepared(self._fit(conversation, [loaded]), loaded.images, loaded.videos)

    def embed_prepared(self, prepared: list[Prepared], dim: int, batch_size: int,
                       progress: Progress | None) -> Batch:
        """Last hidden states at each prompt's final token: float32 [n, full_dim]."""
        del dim  # every size is cut from the full vector
        return Batch(self._run_batches(prepared, batch_size, progress).numpy(), [len(p.ids) for p in prepared])

    def warm_up_call(self, item: dict[str, Any]) -> None:
        self.embed([item])


class Qwen3VLReranker(Qwen3VLBase, Reranker):
    """Qwen3-VL-Reranker in process: sigmoid of the yes-minus-no logit at the final position."""

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

    def prepare_query(self, query: Any) -> LoadedMedia:
        return load_media(formatting.parse_input(query))

    def prepare_document(self, query: LoadedMedia, document: Any, instruction: str) -> Prepared:
        return self.prepare_pair(instruction, query, load_media(formatting.parse_input(document)))

    def score_prepared(self, query: LoadedMedia, prepared: list[Prepared], instruction: str, batch_size: int,
                       progress: Progress | None) -> Batch:
        del query, instruction  # both are in each pair's prompt already
        logits = self._run_batches(prepared, batch_size, progress) @ self.yes_minus_no
        return Batch(torch.sigmoid(logits).tolist(), [len(p.ids) for p in prepared])

    def warm_up_call(self, item: dict[str, Any]) -> None:
        self.rerank({"text": "warm-up"}, [item])


def is_out_of_memory(exc: BaseException) -> bool:
    """CUDA raises OutOfMemoryError; the CPU allocator raises a RuntimeError that says so."""
    text = str(exc).lower()
    return isinstance(exc, torch.OutOfMemoryError) or "out of memory" in text or (
        "can't allocate memory" in text)


def return_freed_memory() -> bool:
    """Give the heap memory that large forwards freed back to the system (glibc's ``malloc_trim``;
    whether it ran). glibc keeps freed memory in each thread's arena for reuse: after indexing the
    sample gallery at 2B shape the server held 3 GiB above its two models, most of it free. Costs
    milliseconds; elsewhere (macOS, Windows, musl) it does nothing."""
    trim = malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


@functools.cache
def malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, looked up once (finding libc runs ``ldconfig``); None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def default_device() -> str:
    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


TORCH_DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


def cpu_features() -> dict[str, bool]:
    """This CPU's features as ``torch.cpu.get_capabilities()`` names them, or those that
    ``QWEN3VL_CPU_FEATURES`` names (to decide, test and benchmark as on another CPU)."""
    override = memory_policy.features_override()
    if override is not None:
        return override
    return torch.cpu.get_capabilities() if hasattr(torch.cpu, "get_capabilities") else {}


def fast_bfloat16_cpu() -> str:
    """The instructions with which this CPU multiplies bfloat16 matrices natively ("AMX",
    "AVX512-BF16"), or "" where bfloat16 would be emulated (and slower than float32)."""
    return memory_policy.native_bfloat16(cpu_features())


def dtype_name(dtype: Any) -> str | None:
    """A ``dtype`` argument as the memory policy takes it: None, "auto" or a name."""
    return str(dtype).replace("torch.", "") if isinstance(dtype, torch.dtype) else dtype


def requested(dtype: Any, device: str) -> tuple[memory_policy.Precision, str]:
    """What ``dtype`` asks for on ``device`` (``memory_policy.requested_precision``)."""
    return memory_policy.requested_precision(dtype_name(dtype), device, fast_bfloat16_cpu() if device == "cpu" else "")


def choose_dtype(dtype: Any, device: str) -> tuple[torch.dtype, str]:
    """The dtype a model computes in, and why (the policy: ``memory_policy.requested_precision``).
    None: exact (float32 results) on a CPU, bfloat16 on CUDA, as the Python API always did;
    "auto": the app's choice, bfloat16 also on a CPU that multiplies it natively (about 2.4x
    float32's speed there, at a measured cost in fidelity); a name or a torch dtype: as asked."""
    precision, why = requested(dtype, device)
    return TORCH_DTYPES[precision.compute], why


def plan(dtype: Any, device: str, path: str) -> memory_policy.LoadPlan:
    """How the checkpoint at ``path`` is loaded on ``device`` for ``dtype``, and whether it fits
    the memory free now (see ``memory_policy``; GPU memory is not checked here)."""
    precision, why = requested(dtype, device)
    weights = memory_policy.read_checkpoint_weights(path) if os.path.isdir(path) else memory_policy.CheckpointWeights()
    free = None if device.startswith("cuda") else memory_policy.free_memory_bytes()
    return memory_policy.plan_load(precision, why, weights, free)


FLOAT32_ATTENTION = "sdpa_float32"  # registered with transformers on first use


def attention_implementation(device: str, dtype: torch.dtype | None = None) -> str:
    """flash-attention 2 where it is installed and usable (CUDA); PyTorch SDPA elsewhere, except
    the vision tower's in bfloat16 on a CPU without AMX, which runs in float32 (``sdpa_float32``):
    there PyTorch's bfloat16 attention kernel is slower than its float32 one (measured 96 against
    138 GFLOP/s at a document page's 7056 patches, 2.1 s against 1.5 s per layer), while bfloat16
    matrix products are 2-4x faster, so only the attention goes back to float32. Returns the
    vision tower's choice; the language model uses ``language_attention``."""
    if device.startswith("cuda") and importlib.util.find_spec("flash_attn") is not None:
        return "flash_attention_2"
    if device == "cpu" and dtype == torch.bfloat16 and fast_bfloat16_cpu() != "AMX":
        register_float32_attention()
        return FLOAT32_ATTENTION
    return "sdpa"


def language_attention(vision: str) -> str:
    """The language model's attention for a vision tower's choice: the same, but plain SDPA where
    the tower's attention runs in float32 (causal bfloat16 SDPA over a page's ~1800 tokens is as
    fast as float32's here, and bfloat16 keeps it closer to what a GPU runs)."""
    return "sdpa" if vision == FLOAT32_ATTENTION else vision


def float32_sdpa(module: torch.nn.Module, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                 attention_mask: torch.Tensor | None, **kwargs: Any) -> tuple[torch.Tensor, Any]:
    """transformers' SDPA attention computed in float32 and returned in the inputs' dtype.
    Shapes as SDPA's: query [batch, heads, tokens, head_dim]; output [batch, tokens, heads, head_dim]."""
    from transformers.integrations.sdpa_attention import sdpa_attention_forward

    if attention_mask is not None and attention_mask.is_floating_point():
        attention_mask = attention_mask.float()
    output, weights = sdpa_attention_forward(module, query.float(), key.float(), value.float(),
                                             attention_mask, **kwargs)
    return output.to(query.dtype), weights


def register_float32_attention() -> None:
    """Make ``sdpa_float32`` a name transformers' models accept (adds a name; changes no other)."""
    from transformers import AttentionInterface

    AttentionInterface.register(FLOAT32_ATTENTION, float32_sdpa)


def load_checkpoint(kind: str, name: str, path: str, device: str, plan: memory_policy.LoadPlan,
                    options: dict[str, Any]) -> Qwen3VLEmbedder | Qwen3VLReranker:
    """The embedder (``kind`` "embedding") or reranker of the checkpoint at ``path`` (a local
    directory or a hub id), through transformers' ``from_pretrained``, held and computed as ``plan``
    says (``memory_policy``, ``lean``); ``name`` is what it is called."""
    from transformers import AutoProcessor, Qwen3VLForConditionalGeneration, Qwen3VLModel

    started = time.perf_counter()
    compute = TORCH_DTYPES[plan.compute]
    attention = attention_implementation(device, compute)
    processor = AutoProcessor.from_pretrained(path)
    common = {"dtype": TORCH_DTYPES[plan.load_dtype],
              "attn_implementation": {"vision_config": attention, "text_config": language_attention(attention)}}
    if kind == "embedding":
        backbone = Qwen3VLModel.from_pretrained(path, **common).to(device)
    else:
        full = Qwen3VLForConditionalGeneration.from_pretrained(path, **common).to(device)
        yes, no = processor.tokenizer.convert_tokens_to_ids([config.YES_TOKEN, config.NO_TOKEN])
        head = full.lm_head.weight.detach()
        yes_minus_no = head[yes].float() - head[no].float()  # upcast first: exact in float32
        backbone = full.model
        del full, head
    parameters = sum(p.numel() for p in backbone.parameters())
    make_lean(backbone, plan.precision)
    if kind == "embedding":
        instance: Qwen3VLEmbedder | Qwen3VLReranker = Qwen3VLEmbedder(
            backbone, processor, name, **{"max_length": config.EMBED_MAX_LENGTH, **options})
    else:
        instance = Qwen3VLReranker(backbone, processor, name, yes_minus_no,
                                   **{"max_length": config.RERANK_MAX_LENGTH, **options})
    instance.dtype = compute  # what inputs are cast to (INT8's packed weights are no parameters)
    if not config.on_zerogpu():  # there a forward in the main process would run on the CPU (CUDA is emulated)
        instance.warm_up()
    instance.info = LoadInfo(
        model=name, path=path, device=device, dtype=plan.shown_dtype,
        attention="sdpa (vision tower in float32)" if attention == FLOAT32_ATTENTION else attention,
        seconds=time.perf_counter() - started, parameters=parameters, dtype_reason=plan.reason,
        storage=plan.storage, memory=plan.memory_text,
    )
    return instance


def make_lean(backbone: torch.nn.Module, precision: memory_policy.Precision) -> None:
    """Hold ``backbone``'s weights as ``precision`` says: 16-bit weights multiplied in float32
    (EXACT), or int8 linear layers (INT8); other precisions are loaded as they are."""
    if precision is memory_policy.Precision.EXACT:
        lean.keep_16bit_weights(backbone)
    elif precision is memory_policy.Precision.INT8:
        lean.quantize_int8(backbone)


def cuda_memory_gib() -> dict[str, float]:
    """GPU memory allocated now and at its peak (GiB)."""
    return {"cuda_allocated_gib": round(torch.cuda.memory_allocated() / 2**30, 2),
            "cuda_peak_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2)}
