"""The memory policy, in one place: which precision each model is loaded in, and whether it fits.

Everything it decides from is passed in: the device, the bfloat16 instructions of the CPU
(``native_bfloat16``), what the checkpoint holds (``CheckpointWeights``, read from its safetensors
headers without loading it) and the memory free now (``free_memory_bytes``). It returns a
``LoadPlan``: the precision, the reason the header and About show, and the memory the model needs
against what is free (a load that cannot fit is refused with the ways out, instead of ending in
the system's out-of-memory killer). No torch here: the backends turn a plan into torch dtypes.

For tests and the benchmark, two environment variables make a machine look like another:
``QWEN3VL_CPU_FEATURES`` (e.g. ``avx2,fma3``: decide as on a CPU with only these) and
``QWEN3VL_FREE_MEMORY_GIB`` (decide as if this much memory were free).
"""

from __future__ import annotations

import json
import math
import os
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import psutil

ENV_CPU_FEATURES = "QWEN3VL_CPU_FEATURES"
ENV_FREE_MEMORY = "QWEN3VL_FREE_MEMORY_GIB"
GIB = 2**30
# Besides its weights, a model in use holds up to 1 GiB more: its vision cache (512 MiB by default)
# and a document page's activations (measured: +0.5 GiB at 2B shape, +0.4 GiB at 8B).
WORKING_BYTES = 1 * GIB
# Loading float32 from a 16-bit checkpoint holds part of the 16-bit tensors while converting
# (measured at 2B shape: a load peak 1.7 GiB above the 8.1 GiB resident, for 4.0 GiB of bfloat16).
CONVERSION_OVERHEAD = 0.45
# What the fast mode departs from float32, measured (python -m qwen3vl_demo.bench --shape 2b).
INT8_DRIFT = "approximate: vectors depart from float32's (see About)"


class Precision(str, Enum):
    """How a model holds its weights and computes."""

    FLOAT32 = "float32"  # float32 weights and products: the official implementation's way
    EXACT = "exact"  # the checkpoint's 16-bit weights kept, each product in float32: float32's results
    BFLOAT16 = "bfloat16"
    FLOAT16 = "float16"
    INT8 = "int8"  # fast mode: int8 linear layers, approximate

    @property
    def weight_bytes(self) -> float:
        """Bytes per parameter held (exact: a 16-bit checkpoint's; int8: one byte in the linear layers,
        which hold about 85% of the parameters, the token embeddings kept in 16 bits)."""
        return {"float32": 4, "exact": 2, "bfloat16": 2, "float16": 2, "int8": 1.15}[self.value]

    @property
    def compute(self) -> str:
        """The dtype the model computes in."""
        return self.value if self in (Precision.BFLOAT16, Precision.FLOAT16) else "float32"


NAMES = {"float32": Precision.FLOAT32, "fp32": Precision.FLOAT32, "float": Precision.FLOAT32,
         "exact": Precision.EXACT, "bfloat16": Precision.BFLOAT16, "bf16": Precision.BFLOAT16,
         "float16": Precision.FLOAT16, "fp16": Precision.FLOAT16, "half": Precision.FLOAT16,
         "int8": Precision.INT8}
SIXTEEN_BITS = ("bfloat16", "float16")


def native_bfloat16(features: Mapping[str, bool]) -> str:
    """The instructions with which a CPU of these ``features`` (``torch.cpu.get_capabilities()``
    names) multiplies bfloat16 matrices natively ("AMX", "AVX512-BF16"), or "" where bfloat16
    would be emulated (and 3-6x slower than float32)."""
    if features.get("amx_bf16"):
        return "AMX"
    return "AVX512-BF16" if features.get("avx512_bf16") else ""


def features_override(environ: Mapping[str, str] | None = None) -> dict[str, bool] | None:
    """The CPU features ``QWEN3VL_CPU_FEATURES`` names (comma-separated), or None when unset."""
    value = (os.environ if environ is None else environ).get(ENV_CPU_FEATURES)
    if value is None:
        return None
    return {name.strip().lower(): True for name in value.split(",") if name.strip()}


def requested_precision(dtype: str | None, device: str, native: str) -> tuple[Precision, str]:
    """What a ``dtype`` argument asks for on ``device`` (a CPU multiplying bfloat16 natively with
    ``native``), and why. None: the Python API's default, exact (float32 results; on a CPU the
    checkpoint's 16-bit weights are kept), bfloat16 on CUDA; "auto": the app's choice, bfloat16
    where it is native (CUDA, AMX, AVX512-BF16), exact elsewhere; a name: as asked."""
    cuda, cpu = device.startswith("cuda"), device == "cpu"
    if dtype is None or dtype == "auto":
        if cuda:
            return Precision.BFLOAT16, "CUDA"
        if dtype == "auto" and cpu and native:
            return Precision.BFLOAT16, f"this CPU has {native}"
        if not cpu:
            return Precision.FLOAT32, "exact" if dtype is None else f"{device}: float32"
        return Precision.EXACT, ("exact (the Python API's default)" if dtype is None
                                 else "this CPU has no native bfloat16")
    if str(dtype) not in NAMES:
        raise ValueError(f"dtype must be 'auto' or one of {sorted(NAMES)}, got {dtype!r}")
    precision = NAMES[str(dtype)]
    if precision is Precision.INT8 and not cpu:
        raise ValueError(f"dtype 'int8' (fast mode) runs on a CPU only, not on {device}")
    if precision is Precision.EXACT and not cpu:
        precision = Precision.FLOAT32  # weights upcast per product are wired for the CPU only
    return precision, "as asked"


@dataclass(frozen=True)
class CheckpointWeights:
    """What a checkpoint's weights are, read from its safetensors headers: the parameters a loaded
    model holds (the language-model head left out: the embedder drops it, the reranker keeps one
    row) and the dtype most of them are stored in ("" when the checkpoint could not be read)."""

    parameters: int = 0
    dtype: str = ""

    @property
    def known(self) -> bool:
        return self.parameters > 0

    @property
    def sixteen_bits(self) -> bool:
        return self.dtype in SIXTEEN_BITS


SAFETENSORS_DTYPES = {"BF16": "bfloat16", "F16": "float16", "F32": "float32", "F64": "float64"}


def read_checkpoint_weights(path: str | Path) -> CheckpointWeights:
    """The weights of the checkpoint directory ``path``, from the headers of its ``*.safetensors``
    files (a few KB read each); an unknown ``CheckpointWeights()`` where there are none."""
    counts: dict[str, int] = {}
    for file in sorted(Path(path).glob("*.safetensors")):
        try:
            with open(file, "rb") as handle:
                size = struct.unpack("<Q", handle.read(8))[0]
                header = json.loads(handle.read(min(size, 100_000_000)))
        except (OSError, ValueError, struct.error):
            return CheckpointWeights()
        for name, tensor in header.items():
            if name == "__metadata__" or name.startswith("lm_head."):
                continue
            dtype = SAFETENSORS_DTYPES.get(tensor.get("dtype", ""), "other")
            counts[dtype] = counts.get(dtype, 0) + math.prod(tensor.get("shape", []))
    if not counts:
        return CheckpointWeights()
    return CheckpointWeights(sum(counts.values()), max(counts, key=lambda d: counts[d]))


@dataclass(frozen=True)
class LoadPlan:
    """How one model is loaded: ``precision`` (EXACT only where the checkpoint is 16-bit; float32
    weights stay float32), why, and the memory it needs against what was free before loading."""

    precision: Precision
    reason: str
    storage: str  # the dtype its weights are held in
    needed_bytes: int  # 0: unknown (the checkpoint could not be read)
    free_bytes: int | None  # None: not checked (a GPU)
    weights: CheckpointWeights = CheckpointWeights()

    @property
    def fits(self) -> bool:
        return self.free_bytes is None or self.needed_bytes <= self.free_bytes

    @property
    def compute(self) -> str:
        return self.precision.compute

    @property
    def load_dtype(self) -> str:
        """The dtype to load the checkpoint in: its own 16 bits where they are kept (exact) or
        quantized from (int8, which never builds a float32 model), else the compute dtype."""
        if self.precision in (Precision.EXACT, Precision.INT8) and self.weights.sixteen_bits:
            return self.weights.dtype
        return self.compute

    @property
    def shown_dtype(self) -> str:
        """The dtype the app shows: the results' (float32 for exact), or int8 in fast mode."""
        return "int8" if self.precision is Precision.INT8 else self.compute

    @property
    def memory_text(self) -> str:
        """'needs 5.0 GiB, 12.3 GiB free before loading' (empty where not checked)."""
        if self.free_bytes is None or not self.needed_bytes:
            return ""
        return f"needs {self.needed_bytes / GIB:.1f} GiB, {self.free_bytes / GIB:.1f} GiB free before loading"


def needed_bytes(precision: Precision, weights: CheckpointWeights) -> int:
    """Memory a model needs in ``precision``: its weights, its working memory and, for float32
    from a 16-bit checkpoint, what the conversion holds while loading; 0 if unknown."""
    if not weights.known:
        return 0
    held = weights.parameters * precision.weight_bytes
    converting = CONVERSION_OVERHEAD * weights.parameters * 2 if (
        precision is Precision.FLOAT32 and weights.sixteen_bits) else 0
    return int(held + converting + WORKING_BYTES)


def plan_load(precision: Precision, why: str, weights: CheckpointWeights, free: int | None) -> LoadPlan:
    """The plan for a model asked for in ``precision`` (``why``: the request's reason), whose
    checkpoint holds ``weights``, with ``free`` bytes free (None: a GPU, not checked)."""
    if precision is Precision.EXACT and not weights.sixteen_bits:
        held = f"holds {weights.dtype} weights" if weights.known else "could not be read"
        precision, why = Precision.FLOAT32, f"{why}; float32, as the checkpoint {held}"
    elif precision is Precision.EXACT:
        why = f"{why}: the checkpoint's {weights.dtype} weights kept, multiplied in float32 (float32's exact results)"
    elif precision is Precision.INT8:
        why = f"fast mode, {why}: int8 linear layers, {INT8_DRIFT}"
    storage = {Precision.EXACT: weights.dtype, Precision.INT8: "int8"}.get(precision, precision.value)
    return LoadPlan(precision, why, storage, needed_bytes(precision, weights), free, weights)


def free_memory_bytes(environ: Mapping[str, str] | None = None) -> int:
    """Memory free for a new model: what the system reports available, less the file-backed
    memory this process holds (the 16-bit weights of models already loaded, read straight from
    their checkpoints: the system counts them as reclaimable cache, but evicting them would only
    make every forward read them back from disk); ``QWEN3VL_FREE_MEMORY_GIB`` simulates another
    amount."""
    value = (os.environ if environ is None else environ).get(ENV_FREE_MEMORY)
    if value:
        return int(float(value) * GIB)
    mapped = psutil.Process().memory_info().shared  # Linux: resident file-backed and shared pages
    return max(0, psutil.virtual_memory().available - mapped)


WAYS_OUT = {
    Precision.EXACT: "--dtype exact (16-bit weights, float32's exact results)",
    Precision.BFLOAT16: "--dtype bfloat16",
    Precision.INT8: "--dtype int8 (fast mode, approximate vectors)",
}


def refusal(kind: str, model: str, plan: LoadPlan) -> str:
    """Why a load that does not fit was refused, and what would fit (a leaner precision, freeing
    memory, a smaller model)."""
    weights = plan.weights
    need, free = plan.needed_bytes / GIB, (plan.free_bytes or 0) / GIB
    ways = [f"{text}: {needed_bytes(other, weights) / GIB:.1f} GiB" for other, text in WAYS_OUT.items()
            if other is not plan.precision and needed_bytes(other, weights) <= (plan.free_bytes or 0)
            and (other is not Precision.EXACT or weights.sixteen_bits)]
    ways += ["close other programs (or the other model's process) and press Retry loading",
             "a smaller model (Qwen/Qwen3-VL-Embedding-2B and -Reranker-2B)"]
    return (f"the {kind} model {model!r} was not loaded: in {plan.precision.value} it needs about {need:.1f} GiB "
            f"({weights.parameters / 1e9:.2f} B parameters plus working memory) and {free:.1f} GiB are free; "
            f"loading it would risk the system's out-of-memory killer. Ways out: {'; '.join(ways)}")
