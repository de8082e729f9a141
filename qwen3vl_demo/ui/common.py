"""What every tab shares: the model queue, the ZeroGPU shim, errors as messages, progress, the
examples' registration, and the context the tabs are built with."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from ..core import config
from ..core.errors import InputError, ModelFailed, ModelUnavailable
from ..core.items import Item
from ..service.engine import Engine
from ..service.fetch import UrlPolicy

MODEL_QUEUE = "model"  # the one concurrency_id for everything that runs a model
MODEL_EVENT = {"concurrency_id": MODEL_QUEUE, "concurrency_limit": 1}  # every event that runs one
# Events that read media without a model (adding to the gallery, fetching URLs): a few at once, so
# the memory one video may take (bounded in core.media) is not multiplied by every visitor.
MEDIA_EVENT = {"concurrency_id": "media", "concurrency_limit": 2}
EXAMPLES_LABEL = "▶ Examples — one click runs them"
RETRY_HINT = "Use 'Retry loading' in the header, or restart with --tiny to run offline."

try:  # Hugging Face ZeroGPU: a GPU is attached only while a decorated handler runs.
    import spaces

    gpu: Callable[[Callable], Callable] = spaces.GPU(duration=120)
except ImportError:  # anywhere else: a no-op
    def gpu(fn: Callable) -> Callable:
        return fn


def user_errors(fn: Callable) -> Callable:
    """Bad input and unavailable models become a clear message; the app keeps serving."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            raise gr.Error(f"Input problem — {exc}", title="Check your input") from None
        except ModelFailed as exc:
            raise gr.Error(f"{exc.what}. {RETRY_HINT}", title="Model unavailable") from None
        except ModelUnavailable as exc:
            raise gr.Error(str(exc), title="Model unavailable") from None

    return wrapper


def as_example(fn: Callable) -> Callable:
    """``fn`` under another name for ``gr.Examples``: Examples register their run under the function's
    name, which would otherwise take the ``api_name`` of the button's own event."""

    @functools.wraps(fn)
    def example(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    example.__name__ = f"{fn.__name__}_example"
    return example


def reporter(progress: gr.Progress) -> Callable[[float, str], None]:
    """The engine's ``progress(fraction, message)`` shown on Gradio's progress bar."""
    return lambda fraction, message: progress(fraction, desc=message)


@dataclass
class AppContext:
    """What every tab is built with: the one engine, the sample gallery, the URL policy, this
    session's own items (a ``gr.State`` of plain dicts), and the sliders that follow the embedder's
    full size (each tab adds its own)."""

    engine: Engine
    samples: list[Item]
    urls: UrlPolicy
    mine: gr.State
    dim_sliders: list[gr.Slider] = field(default_factory=list)
    presets: list[str] = field(default_factory=lambda: list(config.INSTRUCTION_PRESETS))
