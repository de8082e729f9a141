"""Model slots that load in the background, and the count of users' operations running now.

A slot holds one model through the shared loader: idle -> loading -> ready | failed, a retry after
a failure. The busy count lets background work (the reranker's warm-up) wait until no visitor's
request is running.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from ..core import config
from ..core.errors import ModelFailed, ModelUnavailable
from ..core.media import reason

TINY_PARAMETERS = 100_000_000  # fewer parameters than this: a random-weight test model


class ModelSlot:
    """One model that loads in a background thread through the shared loader."""

    def __init__(self, kind: str, model: str, load: Callable[..., Any], **load_options: Any) -> None:
        self.kind = kind
        self.model = model
        self._load = load
        self.options = load_options
        self.state = "idle"  # idle -> loading -> ready | failed
        self.error = ""
        self.attempts = 0  # load attempts (a retry after a failure is another)
        self.instance: Any = None
        self.download: dict[str, Any] | None = None  # the checkpoint's download, while it runs
        self._done = threading.Event()
        self._lock = threading.Lock()

    def begin(self) -> bool:
        """Mark the slot as loading; False if it is already loading or loaded."""
        with self._lock:
            if self.state in ("loading", "ready"):
                return False
            self.state, self.error = "loading", ""
            self._done.clear()
            return True

    def start(self) -> None:
        """Begin loading (again, after a failure) in a background thread; returns at once."""
        if self.begin():
            threading.Thread(target=self.run, name=f"load-{self.kind}", daemon=True).start()

    def run(self) -> None:
        """Load now, in this thread (after ``begin``)."""
        self.attempts += 1
        try:
            self.instance = self._load(self.model, on_download=self._downloading, **self.options)
            self.state = "ready"
        except Exception as exc:  # noqa: BLE001 - shown to the user; the app keeps serving
            self.error = reason(exc)  # without the server's paths: /status and messages are public
            self.state = "failed"
        finally:
            self.download = None
            self._done.set()

    def _downloading(self, download: Any) -> None:
        self.download = download.to_json()

    def wait(self, timeout: float | None = None) -> bool:
        """Until the load in progress ends (or ``timeout`` seconds); whether it has."""
        return self._done.wait(timeout)

    def get(self, timeout: float = 900.0) -> Any:
        """The loaded model; waits while it loads, raises ModelUnavailable if it failed."""
        if self.state == "idle":
            self.start()
        self._done.wait(timeout)
        if self.state == "ready":
            return self.instance
        if self.state == "loading":
            raise ModelUnavailable(f"The {self.kind} model {self.shown_name} is still loading; try again shortly.")
        raise ModelFailed(self.kind, self.shown_name, self.error)

    @property
    def shown_name(self) -> str:
        """The model as the public sees it: a Hub id or preset as given, a local directory by its
        name only."""
        if os.path.isabs(self.model) or os.path.exists(self.model):
            return os.path.basename(os.path.normpath(self.model))
        return self.model

    def describe(self) -> dict[str, Any]:
        info = getattr(self.instance, "info", None)
        data: dict[str, Any] = {"kind": self.kind, "model": self.shown_name, "state": self.state,
                                "attempts": self.attempts}
        if self.error:
            data["error"] = self.error
        if self.download is not None:
            data["download"] = dict(self.download)
        if info is not None:
            data.update(device=info.device, dtype=info.dtype, dtype_reason=info.dtype_reason, attention=info.attention,
                        load_seconds=round(info.seconds, 2), parameters=info.parameters,
                        random_weights=self.model in config.PRESETS or 0 < info.parameters < TINY_PARAMETERS)
            data.update({key: value for key in ("storage", "memory") if (value := getattr(info, key, ""))})
        if self.kind == "embedding" and self.instance is not None:
            data["full_dim"] = self.instance.full_dim
        for remote in ("server_model", "max_model_len"):  # models served by vLLM
            if getattr(self.instance, remote, None) is not None:
                data[remote] = getattr(self.instance, remote)
        return data


class BusyCount:
    """How many operations for users are running now; background work waits for none."""

    def __init__(self) -> None:
        self._count = 0
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def working(self) -> Iterator[None]:
        """Marks an operation for users as running for the block's duration."""
        with self._lock:
            self._count += 1
        try:
            yield
        finally:
            with self._lock:
                self._count -= 1

    def active(self) -> bool:
        """Whether an operation for users is running (or waiting for the model) now."""
        return self._count > 0

    def wait_until_idle(self) -> None:
        while self._count:
            time.sleep(0.05)
