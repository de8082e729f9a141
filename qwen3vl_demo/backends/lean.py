"""Leaner weights for a loaded backbone: 16-bit weights computed in float32, or int8 (fast mode).

``keep_16bit_weights``: the model was loaded in the checkpoint's own bfloat16 (or float16); its
linear layers keep those weights and upcast each one, just before its product, into one float32
buffer the model reuses; every other parameter (norms, biases, the patch embedding) becomes
float32, and the token embeddings stay 16-bit and are upcast row by row as they are looked up.
Upcasting is exact, so every product is the same float32 product on the same float32 values as in
a model loaded in float32: the results are bit-identical, in about half the memory, and no float32
copy of the model is ever built.

``quantize_int8``: each linear layer becomes ``torch.ao``'s dynamically quantized int8 layer,
built from its 16-bit weights one layer at a time (the load never holds a float32 model).
Approximate: its drift from float32 is measured by the benchmark and shown in the app.
"""

from __future__ import annotations

import os
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import ClassVar

import torch
import torch.nn.functional as F
from torch import nn

from ..core.openmp import waits_passively

SIXTEEN_BITS = (torch.bfloat16, torch.float16)


# A text query (a few dozen tokens) reads each weight once for little arithmetic: its time is the
# memory traffic. Upcast whole, a 48 MB float32 weight goes out to memory and back; upcast in tiles
# of rows that stay in the cache, only the 16-bit weight is read from memory, but the tiles' outputs
# are joined (one more pass over the output). So tiles while an input has no more tokens than the
# weight's input width (its output no larger than the weight). Measured at 2B shape, two layers'
# products (tools.lean_bench's upcast_costs and the same at more tokens), whole / tiles against
# float32's time: decoder at 20 tokens 1.34x / 1.11x, 260 (a photo) 1.06x / 0.96x, 1800 (a page)
# 1.03x / 1.01x; the vision tower at 7000 patches (a page) 1.00x / 1.05x.
TILE_BYTES = 8 << 20
TILE_ROWS = 64


class UpcastBuffer:
    """One float32 buffer per model, as large as its largest linear weight, into which each layer's
    16-bit weight is upcast right before its product. Reused rather than allocated per call: a
    fresh float32 copy of every weight on every call made text queries 2x float32's time at 2B
    shape (the allocator maps and faults in new pages each time); reused, the upcast costs about
    one more pass over the 16-bit weights (measured: docs/lean-memory.md).

    An input of at most as many tokens as the weight's input width is multiplied by tiles of about
    ``tile_bytes``, whole multiples of ``TILE_ROWS`` rows; with more than one CPU thread, each of
    ``RowWorkers``' threads takes its own share of the rows (see there). Each output column is the
    same dot product over the same inputs, so the result is the whole product's, bit for bit
    (checked for the 2B decoder's and vision tower's shapes, 1 to 2,000 tokens, 1, 2 and 4 threads,
    MKL's default and AVX2 kernels: ``tests/test_lean.py`` and, to 2,000, by hand)."""

    def __init__(self, numel: int, device: torch.device, tile_bytes: int = TILE_BYTES,
                 split_rows: bool | None = None) -> None:
        self.data = torch.empty(numel, dtype=torch.float32, device=device)
        self.tile_bytes = tile_bytes
        # each thread its own rows where torch's threads wait passively (core.openmp says why);
        # otherwise torch's own threads share each tile
        self.split_rows = waits_passively() if split_rows is None else split_rows
        self.lock = threading.Lock()  # the embedder and reranker each have their own buffer

    def linear(self, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
        """``F.linear(x, weight.float(), bias)``: x (..., in), weight (out, in) 16-bit -> (..., out)."""
        rows = tile_rows(weight, self.tile_bytes)
        if x.numel() // x.shape[-1] > weight.shape[1]:
            rows = weight.shape[0]
        elif self.split_rows and weight.shape[0] >= 2 * TILE_ROWS:
            workers = RowWorkers.for_this_thread(x.device)
            if workers is not None:
                return workers.linear(x, weight, bias, rows)
        with self.lock:
            return tiled_linear(x, weight, bias, self.data, rows)

    def upcast(self, weight: torch.Tensor) -> torch.Tensor:
        """``weight`` in float32, in the buffer (valid until the next upcast)."""
        return upcast_into(self.data, weight)


def tile_rows(weight: torch.Tensor, tile_bytes: int) -> int:
    """Rows of ``weight`` (out, in) per tile of about ``tile_bytes`` in float32: whole multiples of
    64 rows, as MKL's kernels handle a remainder of rows on their own (in another order: a 42-row
    tile of one token's product differed in the last bit)."""
    return max(TILE_ROWS, tile_bytes // (4 * weight.shape[1]) // TILE_ROWS * TILE_ROWS)


def upcast_into(buffer: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """``weight`` in float32, in the start of the flat float32 ``buffer``."""
    return buffer[: weight.numel()].view(weight.shape).copy_(weight)


def tiled_linear(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None, buffer: torch.Tensor,
                 rows: int, out: torch.Tensor | None = None) -> torch.Tensor:
    """``F.linear(x, weight.float(), bias)`` by ``rows`` rows of ``weight`` at a time, each upcast
    into ``buffer`` (flat float32, at least ``min(rows, out) * in`` long), written into ``out``
    where given: x (..., in) -> (..., out)."""
    if out is None and rows >= weight.shape[0]:
        return F.linear(x, upcast_into(buffer, weight), bias)
    if out is None:
        out = x.new_empty(*x.shape[:-1], weight.shape[0])
    for start in range(0, weight.shape[0], rows):
        out[..., start:start + rows] = F.linear(x, upcast_into(buffer, weight[start:start + rows]),
                                                None if bias is None else bias[start:start + rows])
    return out


class RowWorkers:
    """Threads that multiply a short input by a 16-bit weight together, each thread its own share
    of the weight's rows, upcast into its own tile buffer and multiplied on torch's one thread.

    Why not torch's own threads: they share each tile, so one core's writes of the upcast are read
    by the other core's product. On this 2-core VM that handoff ran at two speeds, for stretches
    of many seconds: eight 2B decoder layers' products at 20 tokens took 235 ms or 560 ms a pass
    against float32's 220 ms. And a short product splits better this way: from a cached tile, two
    single-thread workers took 137 ms where torch's two threads took 189-221 ms. Used only where
    OpenMP waits passively (``core.openmp``: torch's spinning threads would take these threads'
    cores); measured in turns at 2B shape, a text query then took 0.80x float32's time
    (docs/lean-memory.md has the measurements).

    One set of threads per thread count (torch's count in the calling thread, so a forked worker
    held to one thread, or ``torch.set_num_threads(1)``, multiplies inline), shared by every model
    of the process; a forked child starts without any (threads do not survive a fork)."""

    pools: ClassVar[dict[int, RowWorkers]] = {}
    pools_lock = threading.Lock()

    def __init__(self, count: int) -> None:
        self.count = count
        self.local = threading.local()
        started = threading.Barrier(count + 1)
        self.pool = ThreadPoolExecutor(count, thread_name_prefix="upcast-rows", initializer=self.one_thread,
                                       initargs=(started,))
        for _ in range(count):  # each blocks in its initializer until all are started: count threads
            self.pool.submit(int)
        started.wait()
        # torch.set_num_threads also sets the count threads started later take up: give it back
        torch.set_num_threads(count)

    @classmethod
    def for_this_thread(cls, device: torch.device) -> RowWorkers | None:
        """The workers for the calling thread's torch thread count; None on one thread or off the CPU."""
        count = torch.get_num_threads()
        if device.type != "cpu" or count < 2:
            return None
        found = cls.pools.get(count)  # every product asks: no lock once they exist
        if found is not None:
            return found
        with cls.pools_lock:
            if count not in cls.pools:
                cls.pools[count] = cls(count)
            return cls.pools[count]

    def one_thread(self, started: threading.Barrier) -> None:
        torch.get_num_threads()  # torch reads its settings for this thread now, so the next line sticks
        torch.set_num_threads(1)
        self.local.buffer = torch.empty(0)
        started.wait()

    def linear(self, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None, rows: int) -> torch.Tensor:
        """``F.linear(x, weight.float(), bias)`` in ``count`` shares of whole tiles of ``rows``
        rows, each thread writing its columns of the output: x (..., in), weight (out, in)
        16-bit -> (..., out). Nothing here runs on torch's threads: a parallel region of the
        calling thread (joining the shares' outputs took one) leaves its threads spinning for a
        while, on the cores the shares run on (measured: 270 ms a pass joined, 154 ms written)."""
        share = -(-weight.shape[0] // self.count // TILE_ROWS) * TILE_ROWS
        out = x.new_empty(*x.shape[:-1], weight.shape[0])
        modes = (torch.is_grad_enabled(), torch.is_inference_mode_enabled())
        parts = [self.pool.submit(self.part, x, weight[start:start + share],
                                  None if bias is None else bias[start:start + share], min(rows, share),
                                  out[..., start:start + share], modes)
                 for start in range(0, weight.shape[0], share)]
        for part in parts:
            part.result()
        return out

    def part(self, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None, rows: int,
             out: torch.Tensor, modes: tuple[bool, bool]) -> None:
        """One thread's share, in the caller's grad and inference modes (a thread starts in its own)."""
        needed = min(rows, weight.shape[0]) * weight.shape[1]
        if self.local.buffer.numel() < needed:
            self.local.buffer = torch.empty(needed, dtype=torch.float32)
        with torch.inference_mode(modes[1]), torch.set_grad_enabled(modes[0]):
            tiled_linear(x, weight, bias, self.local.buffer, rows, out)


os.register_at_fork(after_in_child=RowWorkers.pools.clear)


class UpcastLinear(nn.Module):
    """A linear layer whose weight stays 16-bit and is multiplied in float32 (``UpcastBuffer``)."""

    def __init__(self, linear: nn.Linear, buffer: UpcastBuffer) -> None:
        super().__init__()
        self.in_features, self.out_features = linear.in_features, linear.out_features
        self.weight = linear.weight  # the same tensor: no copy (memory-mapped where it was)
        self.bias = None if linear.bias is None else nn.Parameter(linear.bias.detach().float(), requires_grad=False)
        self.buffer = buffer

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.buffer.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, weight={self.weight.dtype}"


def linear_layers(model: nn.Module) -> list[tuple[nn.Module, str, nn.Linear]]:
    """Every ``nn.Linear`` of ``model`` as (parent, attribute name, layer)."""
    return [(parent, name, child) for parent in model.modules()
            for name, child in parent.named_children() if type(child) is nn.Linear]


def keep_16bit_weights(model: nn.Module) -> int:
    """Make ``model`` (loaded in bfloat16 or float16) compute in float32 with its linear weights and
    token embeddings kept 16-bit (see the module's docstring); returns the buffer's size in bytes."""
    layers = [entry for entry in linear_layers(model) if entry[2].weight.dtype in SIXTEEN_BITS]
    if not layers:
        return 0
    buffer = UpcastBuffer(max(layer.weight.numel() for _, _, layer in layers), layers[0][2].weight.device)
    for parent, name, layer in layers:
        setattr(parent, name, UpcastLinear(layer, buffer))
    embeddings = token_embeddings(model)
    upcast_the_rest(model, keep={id(embeddings.weight)} if embeddings is not None else set())
    return buffer.data.numel() * 4


def token_embeddings(model: nn.Module) -> nn.Embedding | None:
    """The language model's token embeddings, kept 16-bit and upcast as they are looked up (the
    largest single table, most of whose rows a request never reads)."""
    language = getattr(model, "language_model", None)
    embeddings = getattr(language, "embed_tokens", None)
    if not isinstance(embeddings, nn.Embedding) or embeddings.weight.dtype not in SIXTEEN_BITS:
        return None
    embeddings.register_forward_hook(lambda module, args, output: output.float())
    return embeddings


def upcast_the_rest(model: nn.Module, keep: set[int]) -> None:
    """Every floating parameter and buffer of ``model`` in float32, except the 16-bit weights of
    the upcasting layers and the tensors whose ids are in ``keep``."""
    for module in model.modules():
        if isinstance(module, UpcastLinear):
            continue
        for name, param in list(module.named_parameters(recurse=False)):
            if param.is_floating_point() and param.dtype != torch.float32 and id(param) not in keep:
                setattr(module, name, nn.Parameter(param.detach().float(), requires_grad=False))
        for name, tensor in list(module.named_buffers(recurse=False)):
            if tensor is not None and tensor.is_floating_point() and tensor.dtype != torch.float32:
                setattr(module, name, tensor.float())


def quantize_int8(model: nn.Module, per_channel: bool = True) -> None:
    """Replace each linear layer of ``model`` (loaded in 16 bits, on the CPU) by a dynamically
    quantized int8 one (weights int8, one scale per output channel; activations quantized per call),
    one layer at a time: each layer's float32 copy lives only while it is quantized. Everything
    else computes in float32 as in ``keep_16bit_weights``."""
    from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear
    from torch.ao.quantization import default_dynamic_qconfig, per_channel_dynamic_qconfig

    qconfig = per_channel_dynamic_qconfig if per_channel else default_dynamic_qconfig
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*quantiz.*deprecated", category=UserWarning)
        for parent, name, layer in linear_layers(model):
            exact = nn.Linear(layer.in_features, layer.out_features, bias=layer.bias is not None, device="meta")
            exact.weight = nn.Parameter(layer.weight.detach().float(), requires_grad=False)
            if layer.bias is not None:
                exact.bias = nn.Parameter(layer.bias.detach().float(), requires_grad=False)
            exact.qconfig = qconfig
            setattr(parent, name, DynamicLinear.from_float(exact))
            del exact, layer
    embeddings = token_embeddings(model)
    if embeddings is not None:  # a copy of its own: nothing keeps the checkpoint's files mapped any more
        embeddings.weight = nn.Parameter(embeddings.weight.detach().clone(), requires_grad=False)
    upcast_the_rest(model, keep={id(embeddings.weight)} if embeddings is not None else set())
