"""The one exception type that bad input raises."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class InputError(ValueError):
    """An input the models cannot take: missing or corrupt file, wrong type, option out of range.

    ``index`` is the position of the offending item in the list the caller passed (None when the
    problem is not tied to one item); the message always names the item and the cause.
    """

    def __init__(self, cause: str, index: int | None = None, what: str = "item") -> None:
        self.cause = cause
        self.index = index
        prefix = f"{what} {index}: " if index is not None else ("" if what == "item" else f"{what}: ")
        super().__init__(prefix + cause)


def at_position(build: Callable[[Any], Any], obj: Any, index: int | None, what: str = "item") -> Any:
    """``build(obj)``; an InputError from it is raised again naming the item's position."""
    try:
        return build(obj)
    except InputError as exc:
        raise InputError(exc.cause, index, what) from None


class ModelUnavailable(RuntimeError):
    """A model is not there to answer (still loading too long, failed to load, server down); the
    message says what to do."""


class ModelFailed(ModelUnavailable):
    """A model failed to load; loading it again may help once the cause (``reason``) is fixed."""

    def __init__(self, kind: str, model: str, reason: str) -> None:
        self.kind, self.model, self.reason = kind, model, reason
        super().__init__(f"{self.what}. Retry the load once its cause is fixed.")

    @property
    def what(self) -> str:
        return f"The {self.kind} model {self.model} could not be loaded: {self.reason}"


class ModelLoadError(RuntimeError):
    """A model could not be loaded (no network, no such model, out of memory...)."""
