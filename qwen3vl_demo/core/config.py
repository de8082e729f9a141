"""Constants of the official Qwen3-VL-Embedding / Reranker implementation and of the app.

Every number here comes from ``SPEC.md`` (the official ``src/models`` code, qwen-vl-utils 0.0.14)
unless its comment says it is an app limit.
"""

from __future__ import annotations

import os
from pathlib import Path

ASSETS_DIR = Path(__file__).resolve().parents[2] / "assets"  # the bundled sample media

# --- Models -------------------------------------------------------------------------------------
DEFAULT_EMBEDDER = "Qwen/Qwen3-VL-Embedding-2B"
DEFAULT_RERANKER = "Qwen/Qwen3-VL-Reranker-2B"
TINY_PRESET = "tiny"
# Checkpoints built offline (backends/presets.py): tiny, and random weights in the real shapes.
PRESETS = (TINY_PRESET, "random-2b", "random-8b")
KNOWN_MODELS = (
    "Qwen/Qwen3-VL-Embedding-2B",
    "Qwen/Qwen3-VL-Embedding-8B",
    "Qwen/Qwen3-VL-Reranker-2B",
    "Qwen/Qwen3-VL-Reranker-8B",
)

# --- Embedding ----------------------------------------------------------------------------------
EMBED_DEFAULT_INSTRUCTION = "Represent the user's input."
EMBED_MAX_LENGTH = 8192
MIN_EMBED_DIM = 64
EMPTY_INPUT_TEXT = "NULL"

# --- Reranking ----------------------------------------------------------------------------------
RERANK_SYSTEM_PROMPT = (
    "Judge whether the Document meets the requirements based on the Query and the Instruct "
    'provided. Note that the answer can only be "yes" or "no".'
)
RERANK_DEFAULT_INSTRUCTION = (
    "Given a search query, retrieve relevant candidates that answer the query."
)
RERANK_MAX_LENGTH = 10240
YES_TOKEN = "yes"
NO_TOKEN = "no"

# --- Images (qwen-vl-utils with image_patch_size=16) ---------------------------------------------
PATCH_SIZE = 16
SPATIAL_MERGE = 2
PIXEL_FACTOR = PATCH_SIZE * SPATIAL_MERGE  # one visual token per 32x32 pixels
IMAGE_MIN_PIXELS = 4 * PIXEL_FACTOR**2
IMAGE_MAX_PIXELS = 1800 * PIXEL_FACTOR**2
# Each frame of a frame-list video is first read by qwen-vl-utils' fetch_image with the 32-pixel
# factor passed where it expects the 16-pixel patch: multiples of 64, within 4..16384 such tokens.
FRAME_IMAGE_FACTOR = 2 * PIXEL_FACTOR
FRAME_IMAGE_MIN_PIXELS = 4 * FRAME_IMAGE_FACTOR**2
FRAME_IMAGE_MAX_PIXELS = 16384 * FRAME_IMAGE_FACTOR**2
MAX_ASPECT_RATIO = 200

# --- Videos -------------------------------------------------------------------------------------
VIDEO_DEFAULT_FPS = 1.0
VIDEO_DEFAULT_MAX_FRAMES = 64
VIDEO_MIN_FRAMES = 4
FRAME_FACTOR = 2  # temporal patch: two frames make one temporal token group
VIDEO_FRAME_MIN_PIXELS = 128 * PIXEL_FACTOR**2
VIDEO_FRAME_MAX_PIXELS = 768 * PIXEL_FACTOR**2
FRAME_LIST_TOTAL_PIXELS = 10 * 768 * PIXEL_FACTOR**2
FRAME_LIST_SAMPLE_FPS = 2.0  # qwen-vl-utils' fake fps for a list of frames
# qwen-vl-utils' default total_pixels for video files (MODEL_SEQ_LEN 128000 x 32 x 32 x 0.9).
VIDEO_FILE_TOTAL_PIXELS = 128000 * PIXEL_FACTOR**2 * 0.9

# --- Instruction presets (SPEC.md, "Example instructions") ---------------------------------------
INSTRUCTION_PRESETS = (
    EMBED_DEFAULT_INSTRUCTION,
    "Retrieve images or text relevant to the user's query.",
    "Find images matching this description.",
    "Find a document image that matches the given query.",
    "Find a video that contains the following visual content.",
    "Given a caption, determine if the image matches the description.",
)

# --- App limits (ours, not the official code's) --------------------------------------------------
MAX_VIDEO_SECONDS = 60 * 60  # longer clips are refused before decoding
MAX_IMAGE_PIXELS = 64_000_000  # decompression-bomb guard, checked before decoding pixels
# A video frame may be no larger than an image; its size is read from the stream, before decoding.
MAX_VIDEO_FRAME_PIXELS = MAX_IMAGE_PIXELS
# More visual tokens than either model's context can hold: refused before a frame is decoded.
MAX_VIDEO_TOKENS = max(EMBED_MAX_LENGTH, RERANK_MAX_LENGTH)
# Frames above 4K, or sampled frames above this many bytes at full size, are shrunk to their
# target size as they are decoded (Pillow bicubic, within 1/255 of torchvision's antialiased
# bicubic); smaller videos keep the official path's pixels exactly.
VIDEO_FRAME_KEEP_PIXELS = 3840 * 2160
VIDEO_KEPT_BYTES = 256 * 1024 * 1024
DEFAULT_BATCH_SIZE = 8
# Token budget of one micro-batch: bounds activation memory whatever the item sizes.
DEFAULT_BATCH_TOKENS = 4096
DEFAULT_VISION_CACHE_MB = 512  # vision-tower outputs kept per model (images and videos seen lately)


def cache_dir() -> Path:
    """Where generated files (the tiny preset) are kept: ``$QWEN3VL_CACHE`` or ~/.cache."""
    root = os.environ.get("QWEN3VL_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "qwen3vl_demo"
    )
    return Path(root)

# --- Request limits of the app (shown in the UI) --------------------------------------------------
MAX_QUERIES = 8
MAX_DOCUMENTS = 32
MAX_RERANK_DOCUMENTS = 32
MAX_SESSION_ITEMS = 48  # items a visitor may add to their own gallery
MAX_TOP_K = 20
DEFAULT_TOP_K = 5
MAX_UPLOAD_MB = 50
MAX_TEXT_CHARS = 50_000  # per text typed into the app (more than the 8192-token context holds)

# Visitors take turns at the model by chunks of at most this many tokens (a few photos, or one
# document page) and this many seconds as estimated here (a 2B model on a CPU: a photo or two, a
# few text queries): a short request waits for about one chunk of another visitor's long job.
TURN_TOKENS = 2048
TURN_SECONDS = 3.0
MAX_REQUEST_SECONDS = 20 * 60  # a request estimated to take longer here is refused before it runs

# --- Hugging Face ZeroGPU (a GPU attached only inside ``spaces.GPU`` calls) ------------------------
# ZeroGPU charges the seconds a call asks for against the visitor's daily quota (a few minutes
# unauthenticated or on a free account, 40 min with PRO) and refuses a call asking more than is left.
ZEROGPU_CALL_SECONDS = 60.0  # the most one call asks for: larger work runs as several calls
ZEROGPU_REQUEST_SECONDS = 180.0  # the most one visitor's request may ask for in all its calls


def on_zerogpu(environ: dict[str, str] | None = None) -> bool:
    """Whether this process runs on ZeroGPU, decided as the ``spaces`` package decides it."""
    value = (os.environ if environ is None else environ).get("SPACES_ZERO_GPU")
    return value is not None and value.lower() in ("1", "t", "true")


# --- Settings of one app run (CLI flags, each also an environment variable for Spaces) -----------
ENV_PREFIX = "QWEN3VL_"


def _env_flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def env_default(name: str, fallback: str | None = None, environ: dict[str, str] | None = None) -> str | None:
    """The value of ``QWEN3VL_<NAME>`` in ``environ`` (default: this process's), else ``fallback``."""
    return (os.environ if environ is None else environ).get(ENV_PREFIX + name.upper(), fallback)


def add_model_choice(parser, environ: dict[str, str] | None = None, embedder: str | None = DEFAULT_EMBEDDER,
                     reranker: str | None = DEFAULT_RERANKER) -> None:
    """``--embedder``, ``--reranker``, ``--tiny``, ``--device``, each defaulting to its ``QWEN3VL_*``
    variable: the same for the app, the evaluation command line and the benchmarks."""
    def default(name: str, fallback: str | None = None) -> str | None:
        return env_default(name, fallback, environ)

    parser.add_argument("--embedder", default=default("embedder", embedder),
                        help="hub id, local directory, or a preset (tiny, random-2b, random-8b) [QWEN3VL_EMBEDDER]")
    parser.add_argument("--reranker", default=default("reranker", reranker),
                        help="hub id, local directory, or a preset [QWEN3VL_RERANKER]")
    parser.add_argument("--tiny", action="store_true", default=_env_flag(default("tiny")),
                        help="both models tiny and random, fully offline [QWEN3VL_TINY]")
    parser.add_argument("--device", default=default("device"), help="cuda, mps or cpu [QWEN3VL_DEVICE]")


def add_model_serving(parser, environ: dict[str, str] | None = None) -> None:
    """``--dtype`` and the vLLM servers (``--embedder-url``, ``--reranker-url``, ``--api-key``), each
    defaulting to its ``QWEN3VL_*`` variable."""
    def default(name: str, fallback: str | None = None) -> str | None:
        return env_default(name, fallback, environ)

    parser.add_argument("--dtype", default=default("dtype", "auto"),
                        help="auto (bfloat16 on CUDA and on CPUs with native bfloat16, else float32), "
                             "bfloat16, float16, float32 (exact) [QWEN3VL_DTYPE]")
    parser.add_argument("--embedder-url", default=default("embedder_url"),
                        help="use the embedder served by vLLM at this URL [QWEN3VL_EMBEDDER_URL]")
    parser.add_argument("--reranker-url", default=default("reranker_url"),
                        help="use the reranker served by vLLM at this URL [QWEN3VL_RERANKER_URL]")
    parser.add_argument("--api-key", default=default("api_key"),
                        help="API key of the vLLM servers [QWEN3VL_API_KEY]")


def chosen_models(settings):
    """Parsed settings with ``--tiny`` applied (both models the tiny preset)."""
    if settings.tiny:
        settings.embedder = settings.reranker = TINY_PRESET
    return settings


def parse_settings(argv: list[str], environ: dict[str, str] | None = None):
    """CLI flags over environment variables over defaults; ``--tiny`` makes both models tiny."""
    import argparse

    env = dict(os.environ if environ is None else environ)

    def default(name: str, fallback: str | None = None) -> str | None:
        return env_default(name, fallback, env)

    parser = argparse.ArgumentParser(description="Qwen3-VL Embedding & Reranker Explorer")
    add_model_choice(parser, env)
    add_model_serving(parser, env)
    parser.add_argument("--host", default=default("host", env.get("GRADIO_SERVER_NAME", "127.0.0.1")),
                        help="address to listen on [QWEN3VL_HOST]")
    parser.add_argument("--port", type=int,
                        default=int(default("port", env.get("GRADIO_SERVER_PORT", "7860")) or 7860),
                        help="port [QWEN3VL_PORT]")
    parser.add_argument("--share", action="store_true", default=_env_flag(default("share")),
                        help="create a public gradio.live link [QWEN3VL_SHARE]")
    parser.add_argument("--mcp", action="store_true", default=_env_flag(default("mcp")),
                        help="also serve embed, search and rerank as MCP tools [QWEN3VL_MCP]")
    parser.add_argument("--allow-urls", action="store_true", default=_env_flag(default("allow_urls")),
                        help="let visitors add images/videos by public URL [QWEN3VL_ALLOW_URLS]")
    return chosen_models(parser.parse_args(argv))
