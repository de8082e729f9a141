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

import threading
import warnings

import torch
import torch.nn.functional as F
from torch import nn

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
    ``tile_bytes``, whole multiples of ``TILE_ROWS`` rows. Each output column is the same dot
    product over the same inputs, so the result is the whole product's, bit for bit (checked for
    the 2B decoder's and vision tower's shapes, 1 to 2,000 tokens, 1 and 2 threads, MKL's default
    and AVX2 kernels: ``tests/test_lean.py`` and, to 2,000, by hand)."""

    def __init__(self, numel: int, device: torch.device, tile_bytes: int = TILE_BYTES) -> None:
        self.data = torch.empty(numel, dtype=torch.float32, device=device)
        self.tile_bytes = tile_bytes
        self.lock = threading.Lock()  # the embedder and reranker each have their own buffer

    def linear(self, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
        """``F.linear(x, weight.float(), bias)``: x (..., in), weight (out, in) 16-bit -> (..., out)."""
        # whole multiples of 64 rows: MKL's kernels handle a remainder of rows on their own (in
        # another order: a 42-row tile of one token's product differed in the last bit)
        rows = max(TILE_ROWS, self.tile_bytes // (4 * weight.shape[1]) // TILE_ROWS * TILE_ROWS)
        tokens = x.numel() // x.shape[-1]
        with self.lock:
            if rows >= weight.shape[0] or tokens > weight.shape[1]:
                return F.linear(x, self.upcast(weight), bias)
            return torch.cat([F.linear(x, self.upcast(weight[start:start + rows]),
                                       None if bias is None else bias[start:start + rows])
                              for start in range(0, weight.shape[0], rows)], dim=-1)

    def upcast(self, weight: torch.Tensor) -> torch.Tensor:
        """``weight`` in float32, in the buffer (valid until the next upcast)."""
        return self.data[: weight.numel()].view(weight.shape).copy_(weight)


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
