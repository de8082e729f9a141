"""Micro-batch planning: group inputs of similar length under a padded-token budget."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral

from .errors import InputError


def check_batch_size(batch_size: object, default: int) -> int:
    """``batch_size`` (None: ``default``) as a positive int; 0, negatives and non-integers are refused."""
    size = default if batch_size is None else batch_size  # 0 is refused, not "default"
    if isinstance(size, bool) or not isinstance(size, Integral) or size < 1:
        raise InputError(f"batch_size must be a positive integer, got {batch_size!r}")
    return int(size)


def plan_batches(lengths: Sequence[int], batch_size: int, batch_tokens: int,
                 solo: Sequence[bool] | None = None) -> list[list[int]]:
    """Indices of ``lengths`` grouped into micro-batches.

    Items are taken shortest first so that neighbours pad little; a batch closes when adding the
    next item would exceed ``batch_size`` items or ``batch_tokens`` padded tokens
    (items x longest). An item longer than the budget runs alone, and so does every item flagged
    in ``solo`` (videos: their frames dominate memory).
    """
    alone = [[i] for i in range(len(lengths)) if solo is not None and solo[i]]
    order = sorted((i for i in range(len(lengths)) if not (solo is not None and solo[i])),
                   key=lambda i: (lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        padded = lengths[index] * (len(current) + 1)  # sorted, so this item is the longest
        if current and (len(current) >= batch_size or padded > batch_tokens):
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches + alone
