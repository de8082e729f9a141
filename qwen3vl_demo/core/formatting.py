"""Official input formatting: instructions, conversations, prompts with expanded vision tokens.

No torch here: the tokenizer is passed in (anything with ``apply_chat_template`` and ``__call__``
like a Hugging Face tokenizer). Prompts are written in the format Qwen3-VL was trained with
(transformers 4.57), whatever transformers version is installed: each temporal group of a video is
``<t seconds><|vision_start|><|video_pad|>...<|vision_end|>`` with no extra outer pair.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import config
from .errors import InputError
from .media import IMAGE_SUFFIXES

IMAGE_PLACEHOLDER = "<|vision_start|><|image_pad|><|vision_end|>"
VIDEO_PLACEHOLDER = "<|vision_start|><|video_pad|><|vision_end|>"
VISION_START, VISION_END = "<|vision_start|>", "<|vision_end|>"
IMAGE_PAD, VIDEO_PAD = "<|image_pad|>", "<|video_pad|>"
RESERVED_TOKENS = ("<|im_start|>", "<|im_end|>", VISION_START, VISION_END, IMAGE_PAD, VIDEO_PAD,
                   "<|endoftext|>", "<|vision_pad|>")
INPUT_KEYS = frozenset({"text", "image", "video", "instruction", "fps", "max_frames"})
MAX_INSTRUCTION_CHARS = 2000


@dataclass
class MultimodalInput:
    """One validated input: texts, image sources and video sources (a path or a frame list)."""

    texts: list[str] = field(default_factory=list)
    images: list[Any] = field(default_factory=list)
    videos: list[Any] = field(default_factory=list)
    instruction: str | None = None
    fps: Any = None
    max_frames: Any = None


@dataclass(frozen=True)
class VideoLayout:
    """What the prompt needs of one sampled video: a timestamp and a token count per group."""

    timestamps: Sequence[float]
    tokens_per_group: int


# --- Validation -----------------------------------------------------------------------------------
def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _is_frame(value: Any) -> bool:
    if isinstance(value, (str, os.PathLike)):
        return os.fspath(value).lower().endswith(IMAGE_SUFFIXES)
    return hasattr(value, "convert") and hasattr(value, "size")  # a PIL image


def _videos(value: Any) -> list[Any]:
    """``video`` as a list of videos; a flat list of images is one video given as frames."""
    if not isinstance(value, (list, tuple)):
        return [value]
    if value and all(_is_frame(v) for v in value):
        return [list(value)]
    return list(value)


def check_text(text: Any, what: str = "text") -> str:
    """``text`` if it is a string the prompt can hold: no reserved chat or vision tokens (they
    would change the conversation's structure) and no lone surrogates (not encodable)."""
    if not isinstance(text, str):
        raise InputError(f"{what} must be a string, got {type(text).__name__}")
    for token in RESERVED_TOKENS:
        if token in text:
            raise InputError(f"{what} contains the reserved token {token}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = ord(text[exc.start])
        raise InputError(f"{what} contains an invalid character (U+{bad:04X}, a lone surrogate) at "
                         f"position {exc.start}") from None
    return text


def _texts(value: Any) -> list[str]:
    texts = _as_list(value)
    for text in texts:
        if not isinstance(text, str):
            raise InputError(f"text must be a string or a list of strings, got {type(text).__name__}")
        check_text(text)
    return [t for t in texts if t]


def parse_input(obj: Any) -> MultimodalInput:
    """Validate one official input dict; raises InputError on unknown keys or wrong types."""
    if not isinstance(obj, dict):
        raise InputError(f"expected a dict with text/image/video, got {type(obj).__name__}")
    unknown = sorted(set(obj) - INPUT_KEYS)
    if unknown:
        raise InputError(f"unknown key(s) {', '.join(map(repr, unknown))}; use {sorted(INPUT_KEYS)}")
    instruction = obj.get("instruction")
    if instruction is not None:
        check_text(instruction, "instruction")
    if instruction and len(instruction) > MAX_INSTRUCTION_CHARS:
        raise InputError(f"instruction is longer than {MAX_INSTRUCTION_CHARS} characters")
    texts = _texts(obj["text"]) if obj.get("text") is not None else []
    images = [i for i in _as_list(obj.get("image")) if i is not None and i != ""]
    videos = [v for v in _videos(obj.get("video")) if v is not None and v != ""]
    return MultimodalInput(texts, images, videos, instruction, obj.get("fps"), obj.get("max_frames"))


# --- Instructions and conversations ---------------------------------------------------------------
def embedding_instruction(instruction: str | None) -> str:
    """Stripped instruction ending in punctuation (``.`` appended otherwise); default if empty."""
    text = check_text(instruction or "", "instruction").strip()
    if not text:
        return config.EMBED_DEFAULT_INSTRUCTION
    if not unicodedata.category(text[-1]).startswith("P"):
        text += "."
    return text


def reranker_instruction(instruction: Any) -> str:
    """The reranker's instruction as given, or the default if empty; InputError if not a string."""
    if instruction is not None:
        check_text(instruction, "instruction")
    return instruction or config.RERANK_DEFAULT_INSTRUCTION


def _user_parts(n_videos: int, n_images: int, texts: Sequence[str]) -> list[dict[str, str]]:
    """Official part order: videos, then images, then texts; nothing at all is ``NULL``."""
    parts = [{"type": "video", "video": ""} for _ in range(n_videos)]
    parts += [{"type": "image", "image": ""} for _ in range(n_images)]
    parts += [{"type": "text", "text": t} for t in texts]
    return parts or [{"type": "text", "text": config.EMPTY_INPUT_TEXT}]


def embedding_conversation(
    instruction: str, n_videos: int, n_images: int, texts: Sequence[str]
) -> list[dict[str, Any]]:
    return [
        {"role": "system", "content": [{"type": "text", "text": instruction}]},
        {"role": "user", "content": _user_parts(n_videos, n_images, texts)},
    ]


def reranker_conversation(
    instruction: str,
    query: tuple[int, int, Sequence[str]],
    document: tuple[int, int, Sequence[str]],
) -> list[dict[str, Any]]:
    """``query`` and ``document`` are (n_videos, n_images, texts)."""
    content = [
        {"type": "text", "text": f"<Instruct>: {instruction}"},
        {"type": "text", "text": "<Query>:"},
        *_user_parts(*query),
        {"type": "text", "text": "\n<Document>:"},
        *_user_parts(*document),
    ]
    return [
        {"role": "system", "content": [{"type": "text", "text": config.RERANK_SYSTEM_PROMPT}]},
        {"role": "user", "content": content},
    ]


# --- Prompt text ----------------------------------------------------------------------------------
def render(tokenizer: Any, conversation: list[dict[str, Any]]) -> str:
    """The chat template with the generation prompt, vision placeholders not yet expanded."""
    return tokenizer.apply_chat_template(conversation, tokenize=False, add_generation_prompt=True)


def video_placeholder(layout: VideoLayout) -> str:
    """One video as Qwen3-VL was trained to read it: a timestamp before each temporal group."""
    group = VISION_START + VIDEO_PAD * layout.tokens_per_group + VISION_END
    return "".join(f"<{t:.1f} seconds>" + group for t in layout.timestamps)


def expand_vision(prompt: str, image_tokens: Sequence[int], videos: Sequence[VideoLayout]) -> str:
    """Replace each placeholder, in order, by its visual tokens."""
    pieces = prompt.split(IMAGE_PLACEHOLDER)
    if len(pieces) - 1 != len(image_tokens):
        raise ValueError(f"prompt has {len(pieces) - 1} image placeholders for {len(image_tokens)}")
    prompt = "".join(
        piece + (VISION_START + IMAGE_PAD * image_tokens[i] + VISION_END if i < len(image_tokens) else "")
        for i, piece in enumerate(pieces)
    )
    pieces = prompt.split(VIDEO_PLACEHOLDER)
    if len(pieces) - 1 != len(videos):
        raise ValueError(f"prompt has {len(pieces) - 1} video placeholders for {len(videos)}")
    return "".join(
        piece + (video_placeholder(videos[i]) if i < len(videos) else "")
        for i, piece in enumerate(pieces)
    )


def token_ids(tokenizer: Any, text: str) -> list[int]:
    return list(tokenizer(text, add_special_tokens=False)["input_ids"])


def fit_to_length(
    tokenizer: Any,
    build: Callable[[list[list[str]]], str],
    texts: list[list[str]],
    max_length: int,
) -> list[int]:
    """Token ids of ``build(texts)``, cutting the longest user texts until it fits ``max_length``.

    ``texts`` holds each input's text parts (one list per query/document). Only user text is cut,
    from its end, so the template, instruction, visual tokens and the closing
    ``<|im_end|>\\n<|im_start|>assistant\\n`` always survive (the official code cuts the end off).
    """
    texts = [list(t) for t in texts]
    while True:
        ids = token_ids(tokenizer, build(texts))
        excess = len(ids) - max_length
        if excess <= 0:
            return ids
        lengths = [(len(token_ids(tokenizer, t)), i, j) for i, ts in enumerate(texts)
                   for j, t in enumerate(ts) if t]
        if not lengths:
            raise InputError(
                f"its images/videos need {len(ids)} tokens, more than the model's {max_length}; "
                "use fewer or smaller images, or fewer video frames"
            )
        n_tokens, i, j = max(lengths)
        # A few tokens of slack: re-tokenising at the cut can merge differently.
        keep = max(0, n_tokens - excess - 4)
        texts[i][j] = tokenizer.decode(token_ids(tokenizer, texts[i][j])[:keep]) if keep else ""
