"""The test fixtures stand on their own: built by the project bit for bit, loadable as the real
architecture, their goldens committed, and nothing in the tests reaching outside the repository."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import GOLDEN, ROOT

from qwen3vl_demo.tools import fixtures


def test_a_fresh_build_matches_the_committed_checksums(tmp_path: Path) -> None:
    root = fixtures.ensure_fixtures(tmp_path)
    for kind in fixtures.KINDS:
        built = fixtures.checksums(root / fixtures.checkpoint_name(kind), kind)
        expected = {k: v for k, v in fixtures.expected_checksums().items() if k.startswith(f"{kind}/")}
        assert built == expected
    # Two kinds, two different sets of weights (the reranker is not the embedder renamed).
    sums = fixtures.expected_checksums()
    assert sums["embedding/model.safetensors"] != sums["reranker/model.safetensors"]


def test_a_changed_file_is_named(tmp_path: Path) -> None:
    fixtures.write_checkpoint(tmp_path, "reranker")
    (tmp_path / "config.json").write_text((tmp_path / "config.json").read_text().replace("64", "65", 1))
    with pytest.raises(fixtures.FixtureChecksumError, match=r"reranker/config\.json"):
        fixtures.verify(tmp_path, "reranker")


def test_weights_are_drawn_per_parameter_with_the_intended_spread() -> None:
    shape = (64, 128)
    one = fixtures.weight("embedding", "model.x.weight", shape)
    assert one.dtype == np.float32 and one.shape == shape
    np.testing.assert_array_equal(one, fixtures.weight("embedding", "model.x.weight", shape))  # reproducible
    assert not np.array_equal(one, fixtures.weight("reranker", "model.x.weight", shape))  # per kind
    assert not np.array_equal(one, fixtures.weight("embedding", "model.y.weight", shape))  # per name
    assert abs(float(one.std()) - fixtures.MATRIX_STD) < 0.002 and abs(float(one.mean())) < 0.002
    scale = fixtures.weight("embedding", "model.layers.0.input_layernorm.weight", (64,))
    assert abs(float(scale.mean()) - 1.0) < 0.01  # normalisation weights around 1, biases around 0
    assert abs(float(fixtures.weight("embedding", "model.visual.merger.linear_fc1.bias", (256,)).mean())) < 0.01


def test_every_parameter_of_the_architecture_is_written_and_nothing_else(embedder_path: str) -> None:
    from transformers import Qwen3VLForConditionalGeneration

    _, info = Qwen3VLForConditionalGeneration.from_pretrained(embedder_path, output_loading_info=True)
    assert not info["missing_keys"] and not info["unexpected_keys"] and not info["mismatched_keys"], info


def test_the_goldens_say_what_produced_them_and_cover_every_kind_of_input() -> None:
    golden = json.loads(GOLDEN.read_text())
    about = golden["about"]
    assert about["versions"]["transformers"] == "4.57.3" and about["versions"]["qwen-vl-utils"] == "0.0.14"
    assert about["dtype"] == "float32" and re.fullmatch(r"[0-9a-f]{40}", about["official_commit"])
    kinds = {key for case in golden["embedding"] for key in case["input"]}
    assert {"text", "image", "video", "instruction", "fps", "max_frames"} <= kinds
    assert all(len(case["embedding"]) == 64 for case in golden["embedding"])
    for case in golden["embedding"] + golden["reranker"]:
        media = [case["input"], case["input"].get("query", {}), *case["input"].get("documents", [])]
        for path in (p for item in media for key in ("image", "video") if key in item
                     for p in ([item[key]] if isinstance(item[key], str) else item[key])):
            assert (ROOT / "assets" / path).is_file(), path


def test_nothing_reads_outside_the_repository() -> None:
    """The fixtures, goldens and media are the repository's own: no test, tool or script looks for a
    ``shared`` folder beside it."""
    outside = re.compile(r"""\.\./shared|parent\s*/\s*["']shared["']|QWEN3VL_FIXTURES""")
    sources = [*ROOT.glob("tests/**/*.py"), *ROOT.glob("qwen3vl_demo/**/*.py"), *ROOT.glob("scripts/**/*"),
               ROOT / ".ci" / "run"]
    offenders = [str(p.relative_to(ROOT)) for p in sources
                 if p.is_file() and p != Path(__file__) and outside.search(p.read_text(errors="replace"))]
    assert not offenders
