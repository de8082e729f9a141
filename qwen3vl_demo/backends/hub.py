"""Checkpoints from the Hugging Face Hub, with the download's progress, failing fast offline.

A hub id is downloaded once into the Hub's own cache (``huggingface_hub.snapshot_download``), the
bytes reported as they arrive; the models then load from that local snapshot through the same
``from_pretrained`` path as every local checkpoint. When the Hub cannot be reached at all, a model
already in the cache is used as it is, and one that is not fails at once with what to do. No torch.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import ModelLoadError

# What a checkpoint needs; the rest of a repository (README, examples, other formats) stays there.
CHECKPOINT_FILES = ["*.json", "*.safetensors", "*.txt", "*.jinja", "*.model", "*.tiktoken"]


@dataclass
class Download:
    """A download in progress: bytes so far of ``total`` (0 until known), since ``started``."""

    total: int = 0
    done: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def rate(self) -> float:
        """Bytes per second so far."""
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        if not self.total or not self.rate:
            return None
        return max(0.0, (self.total - self.done) / self.rate)

    def to_json(self) -> dict[str, Any]:
        left = self.seconds_left
        return {"done_bytes": self.done, "total_bytes": self.total, "bytes_per_s": round(self.rate),
                "seconds_left": None if left is None else round(left, 1)}


def progress_bar_class(download: Download, report: Callable[[Download], None]) -> type:
    """A tqdm class for ``snapshot_download`` that feeds its byte counts into ``download``."""
    from tqdm.auto import tqdm

    class Reporting(tqdm):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.update(file=io.StringIO(), mininterval=0.5)  # shown by the app, not on the console
            self.counts = kwargs.get("unit") == "B" and "transfer" not in str(kwargs.get("name", ""))
            super().__init__(*args, **kwargs)

        def update(self, n: float | None = 1) -> bool | None:
            shown = super().update(n)
            if self.counts:
                download.done, download.total = int(self.n), int(self.total or 0)
                report(download)
            return shown

        def refresh(self, *args: Any, **kwargs: Any) -> None:
            super().refresh(*args, **kwargs)
            if self.counts and self.total:
                download.total = int(self.total)

    return Reporting


def fetch_checkpoint(repo_id: str, report: Callable[[Download], None] | None = None) -> str:
    """The local folder of ``repo_id``'s checkpoint, downloaded first if need be; ``report(download)``
    is called as bytes arrive. ModelLoadError, with what to do, when it cannot be had."""
    from huggingface_hub import constants, snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    download = Download()
    bars = progress_bar_class(download, report or (lambda _: None))
    try:
        return snapshot_download(repo_id, allow_patterns=CHECKPOINT_FILES, tqdm_class=bars, etag_timeout=5)
    except LocalEntryNotFoundError as exc:  # the Hub unreachable, and nothing in the cache
        where = "offline mode is on (HF_HUB_OFFLINE)" if constants.HF_HUB_OFFLINE else (
            f"the Hugging Face Hub at {constants.ENDPOINT} cannot be reached")
        raise ModelLoadError(
            f"could not load {repo_id!r}: {where} and it is not in the local cache ({type(exc).__name__}); "
            "check the network (or HF_ENDPOINT / a proxy), download it once while online, or start the "
            "app with --tiny to run offline") from None
