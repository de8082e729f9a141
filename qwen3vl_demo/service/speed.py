"""How long visual model work will take here, said before it runs.

An estimate is counted work times a rate. The work is counted exactly from the inputs (visual
tokens, and the tokens of each frame group, which the vision tower's attention grows with; a
fixed cost per input). The rate starts as a *prior* for the model's size (parameters), device and
dtype, and is then *measured*: each run of meaningful size (at least ``MEANINGFUL_INPUTS`` inputs
and ``MEANINGFUL_TOKENS`` visual tokens, all computed now) corrects the prior by the ratio of its
real time to the prior's, a running mean over such runs. A small run never teaches anything: its
fixed costs made the rate look several times too high (a 5-window Moments run once made the next
estimate 6.6x too long).

The CPU prior, per visual token in float32, is a power of the parameters through two measured
points: the 2B shape on this project's 2-core machine (``python -m qwen3vl_demo.bench --shape
2b``, quiet: a photo 37 ms per token, a 1764-token page 56 ms, a 12-second video 39 ms; float32
1.9x bfloat16's time) and the 8B embedder in bfloat16, which comes out within 1.15x of the bench's
measurements (a video: 52 ms per token predicted, 59 measured). Below the 2B size the work per
token is taken as proportional to the parameters (the FLOPs), and so is a forward's fixed cost
over a floor for the processor's setup: the tiny test models, quiet, 9 windows of 572 tokens in
0.91 s with decoding (``python -m qwen3vl_demo.tools.estimate_bench``; the earlier power law,
fitted to a run while others worked on the machine, said 6.4 s and failed a CI machine). The CUDA prior has
not been measured (no GPU was available to this work): a guess from the work per token, corrected
by the first meaningful run.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

REFERENCE_PARAMETERS = 2_130_000_000  # Qwen3-VL 2B (embedder or reranker)


@dataclass(frozen=True)
class DevicePrior:
    """Seconds per visual token of a 2B model (and its power of the parameters), seconds per token
    per token of its frame group (the vision tower's attention), seconds per input (a forward's
    fixed cost, the processor's setup), and how much faster bfloat16 runs than float32."""

    token_s: float
    token_power: float
    group_token_s: float
    group_power: float
    input_s: float
    bfloat16_speedup: float
    setup_s: float = 0.01  # the processor's part of ``input_s``, whatever the model's size


PRIORS = {
    # 2B float32: photo (260 tokens) 37.3 ms, page (1764 in one group) 55.8 ms per token -> 34.1 ms
    # + 12.3 us per token of the group; 8B in bfloat16 -> power 0.70 above 2B.
    "cpu": DevicePrior(token_s=0.0341, token_power=0.70, group_token_s=1.23e-5, group_power=1.0,
                       input_s=0.2, bfloat16_speedup=1.9),
    # Not measured: ~4 GFLOP per token at 2B at ~40 TFLOP/s effective, plus the processor's CPU time.
    "cuda": DevicePrior(token_s=1.5e-4, token_power=0.70, group_token_s=5e-8, group_power=1.0,
                        input_s=0.05, bfloat16_speedup=1.0),
}
PRIORS["mps"] = PRIORS["cuda"]  # not measured either; corrected by the first meaningful run
MEANINGFUL_INPUTS = 4
MEANINGFUL_TOKENS = 5_000
KEPT_RUNS = 10


@dataclass(frozen=True)
class ModelShape:
    """What a model's speed depends on: its size, where it runs, its dtype. ``assumed``: the model
    has not loaded yet, so its size is the 2B default's."""

    parameters: int
    device: str  # cpu, cuda or mps (a device index dropped)
    dtype: str
    assumed: bool = False

    @classmethod
    def of(cls, description: dict[str, Any]) -> ModelShape:
        """From a model slot's ``describe()``; a model not loaded yet (or served remotely) is
        taken as the 2B default on its device."""
        parameters = int(description.get("parameters") or 0)
        device = str(description.get("device") or "cpu").split(":")[0]
        return cls(parameters or REFERENCE_PARAMETERS, device if device in PRIORS else "cuda",
                   str(description.get("dtype") or "float32"), assumed=not parameters)

    def text(self) -> str:
        size = (f"{self.parameters / 1e9:.1f} B" if self.parameters >= 1e9 else f"{self.parameters / 1e6:.1f} M")
        return f"{size} parameters{' (assumed)' if self.assumed else ''}, {self.device}, {self.dtype}"


@dataclass(frozen=True)
class VisualInput:
    """One input's visual work: its visual tokens and the tokens of one of its frame groups."""

    tokens: int
    group_tokens: int


def total_tokens(inputs: Sequence[VisualInput]) -> int:
    return sum(i.tokens for i in inputs)


def prior_seconds(shape: ModelShape, inputs: Sequence[VisualInput]) -> float:
    """The prior's seconds for ``inputs`` on a model of ``shape``."""
    prior = PRIORS[shape.device]
    scale = shape.parameters / REFERENCE_PARAMETERS
    # larger models use the machine better (the measured power); smaller ones are taken at the
    # reference's rate per parameter, so a tiny model is not priced like a fraction of a big one
    per_token = prior.token_s * (scale**prior.token_power if scale >= 1 else scale)
    per_group_token = prior.group_token_s * scale**prior.group_power
    work = sum(i.tokens * (per_token + per_group_token * i.group_tokens) for i in inputs)
    if shape.dtype == "bfloat16":
        work /= prior.bfloat16_speedup
    per_input = prior.input_s if scale >= 1 else max(prior.setup_s, prior.input_s * scale)
    return work + per_input * len(inputs)


@dataclass(frozen=True)
class Estimate:
    seconds: float
    measured_runs: int  # meaningful runs that corrected the prior (0: the prior alone)


class SpeedBook:
    """Per model shape: the correction of the prior measured from meaningful runs in this process."""

    def __init__(self) -> None:
        self._corrections: dict[ModelShape, tuple[float, int]] = {}  # shape -> (mean ratio, runs)
        self._lock = threading.Lock()

    def estimate(self, shape: ModelShape, inputs: Sequence[VisualInput]) -> Estimate:
        with self._lock:
            ratio, runs = self._corrections.get(shape, (1.0, 0))
        return Estimate(prior_seconds(shape, inputs) * ratio, runs)

    def record(self, shape: ModelShape, inputs: Sequence[VisualInput], seconds: float) -> bool:
        """Learn from a run that computed all of ``inputs`` in ``seconds``; False (nothing learnt)
        for a run too small to say anything about the rate."""
        if len(inputs) < MEANINGFUL_INPUTS or total_tokens(inputs) < MEANINGFUL_TOKENS or seconds <= 0:
            return False
        ratio = seconds / prior_seconds(shape, inputs)
        with self._lock:
            mean, runs = self._corrections.get(shape, (1.0, 0))
            weight = min(runs, KEPT_RUNS - 1)  # a running mean of about the last KEPT_RUNS runs
            self._corrections[shape] = ((mean * weight + ratio) / (weight + 1), runs + 1)
        return True

    def runs(self, shape: ModelShape) -> int:
        with self._lock:
            return self._corrections.get(shape, (1.0, 0))[1]
