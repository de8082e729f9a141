"""The one shared, cached model loader.

``load_embedder`` / ``load_reranker`` return the same object for the same arguments for the life
of the process; many threads asking at once for a model not yet loaded cause exactly one load.
A failed load is not cached, so asking again retries.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from ..core import config, memory_policy
from ..core.errors import ModelLoadError
from . import vllm
from .hub import Download, fetch_checkpoint

_registry_lock = threading.Lock()
_key_locks: dict[tuple, threading.Lock] = {}
_loaded: dict[tuple, Any] = {}
LOAD_COUNTS: dict[tuple, int] = {}  # how many times each key was actually loaded


def resolve_model(model: str, kind: str, on_download: Callable[[Download], None] | None = None) -> str:
    """The local folder of a hub id (downloaded first, ``on_download`` told of the bytes), a local
    directory, or a preset (built here on first use)."""
    if model in config.PRESETS:
        from .presets import ensure_preset

        return str(ensure_preset(model, kind))
    path = os.path.expanduser(str(model))
    if _looks_like_path(str(model)) and not os.path.isdir(path):
        raise ModelLoadError(
            f"could not load {model!r}: no such directory {path} (pass an existing checkpoint "
            f"directory, a Hugging Face model id such as {config.KNOWN_MODELS[0]!r}, or 'tiny')"
        )
    return path if os.path.isdir(path) else fetch_checkpoint(str(model), on_download)


def _looks_like_path(model: str) -> bool:
    """A local path rather than a hub id ("org/name"): absolute, relative, ~, or deeper."""
    return (
        os.path.isabs(os.path.expanduser(model))
        or model.startswith((".", "~"))
        or model.count("/") > 1
        or (os.sep != "/" and os.sep in model)
    )


def _cached(key: tuple, build: Any) -> Any:
    with _registry_lock:
        if key in _loaded:
            return _loaded[key]
        lock = _key_locks.setdefault(key, threading.Lock())
    with lock:
        if key not in _loaded:
            LOAD_COUNTS[key] = LOAD_COUNTS.get(key, 0) + 1
            _loaded[key] = build()
        return _loaded[key]


def _key(kind: str, model: str, device: str | None, dtype: Any, options: dict) -> tuple:
    from . import local  # torch is imported on the first in-process load, not with the package

    device = device or local.default_device()
    precision, _ = local.requested(dtype, device)  # what is asked, before the checkpoint is known
    return (kind, str(model), device, precision.value, tuple(sorted(options.items())))


def load_embedder(model: str = config.DEFAULT_EMBEDDER, device: str | None = None,
                  dtype: Any = None, *, url: str | None = None, api_key: str | None = None,
                  on_download: Callable[[Download], None] | None = None, **options: Any):
    """The shared Qwen3-VL-Embedding for ``model`` (hub id, local directory, or ``"tiny"``).

    ``options``: ``batch_size``, ``batch_tokens``, ``max_length``. ``on_download(download)`` is
    told of the bytes as a hub checkpoint downloads (not part of what makes two calls the same
    model). With ``url``, the model served
    by vLLM there (``vllm.RemoteEmbedder``; device and dtype are the server's).
    """
    if url:
        return _load_remote("embedding", model, url, api_key, options)
    key = _key("embedding", model, device, dtype, options)
    return _cached(key, lambda: _build("embedding", model, key[2], dtype, options, on_download))


def load_reranker(model: str = config.DEFAULT_RERANKER, device: str | None = None,
                  dtype: Any = None, *, url: str | None = None, api_key: str | None = None,
                  on_download: Callable[[Download], None] | None = None, **options: Any):
    """The shared Qwen3-VL-Reranker for ``model`` (hub id, local directory, or ``"tiny"``);
    with ``url``, the one served by vLLM there (``vllm.RemoteReranker``)."""
    if url:
        return _load_remote("reranker", model, url, api_key, options)
    key = _key("reranker", model, device, dtype, options)
    return _cached(key, lambda: _build("reranker", model, key[2], dtype, options, on_download))


# --- Remote models (vLLM servers) ---------------------------------------------------------------
def _remote_key(kind: str, model: str, url: str, api_key: str | None, options: dict) -> tuple:
    """Cache key of a remote model: a digest stands for the API key, never the key itself."""
    secret = hashlib.sha256(api_key.encode()).hexdigest()[:16] if api_key else None
    return (kind, str(model), "remote", url.rstrip("/"), secret, tuple(sorted(options.items())))


def _load_remote(kind: str, model: str, url: str, api_key: str | None, options: dict) -> Any:
    key = _remote_key(kind, model, url, api_key, options)
    return _cached(key, lambda: _build_remote(kind, model, url, api_key, options))


def _build_remote(kind: str, model: str, url: str, api_key: str | None, options: dict) -> Any:
    try:
        return vllm.connect(kind, model, url, api_key, **options)
    except (ModelLoadError, TypeError):
        raise
    except Exception as exc:
        raise ModelLoadError(f"could not use the {kind} server at {url}: {exc}") from exc


def forget(kind: str) -> None:
    """Drop the loaded models of ``kind`` from the registry, so their memory can be freed (the
    benchmark keeps one resident at a time); a later call loads them again."""
    with _registry_lock:
        for key in [k for k in _loaded if k[0] == kind]:
            del _loaded[key]


def loaded_models() -> dict[tuple, Any]:
    """Everything loaded so far, by cache key."""
    with _registry_lock:
        return dict(_loaded)


def _build(kind: str, model: str, device: str, dtype: Any, options: dict,
           on_download: Callable[[Download], None] | None = None) -> Any:
    from . import local

    started = time.perf_counter()
    try:
        path = resolve_model(model, kind, on_download)
        plan = local.plan(dtype, device, path)
        if not plan.fits:
            raise ModelLoadError(memory_policy.refusal(kind, model, plan))
        instance = local.load_checkpoint(kind, model, path, device, plan, options)
        # The load time shown includes building a preset's checkpoint on first use.
        instance.info = dataclasses.replace(instance.info, seconds=time.perf_counter() - started)
        return instance
    except ModelLoadError:
        raise
    except Exception as exc:
        raise ModelLoadError(explain_load_failure(model, exc)) from exc


def explain_load_failure(model: str, exc: BaseException) -> str:
    """A message that says what went wrong and what to do about it."""
    text = f"{type(exc).__name__}: {exc}".strip()
    if "out of memory" in text.lower() or type(exc).__name__ == "OutOfMemoryError":
        hint = "free memory, pick a smaller model, or use --dtype exact, bfloat16 or int8"
    elif is_platform_failure(text):
        hint = ("the GPU could not be used, not the model: on ZeroGPU CUDA exists only in the main thread, "
                "where the models must load before launch()" if config.on_zerogpu() else
                "the GPU could not be used, not the model: check its driver, or pass --device cpu")
    elif os.path.isdir(os.path.expanduser(model)):
        hint = "the directory is not a complete Qwen3-VL checkpoint (config, tokenizer, weights)"
    elif "/" in model and not os.path.exists(os.path.expanduser(model)):
        hint = ("check the model id and your network; gated models need HF_TOKEN; offline, pass a "
                "local directory or the preset 'tiny'")
    else:
        hint = "pass a Hugging Face model id, a local checkpoint directory, or 'tiny'"
    return f"could not load {model!r}: {text[:400]} ({hint})"


def is_platform_failure(text: str) -> bool:
    """Whether a load failed because of the device or the platform rather than the model: CUDA's
    own errors, ZeroGPU's emulation reached outside the main thread, no NVIDIA driver."""
    lowered = text.lower()
    return any(sign in lowered for sign in ("cuda", "nvidia driver", "zerogpu", "no gpu"))
