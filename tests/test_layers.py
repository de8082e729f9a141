"""The package's floors hold: imports run one way (core <- backends <- service <- ui, tools beside),
gradio only in ui, torch and transformers only in the torch backend (and the tools), no private name
imported from another module, no function over 80 lines. Read from the source; nothing is run."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "qwen3vl_demo"
FLOORS = {"core": 1, "backends": 2, "service": 3, "ui": 4, "tools": 5}
TORCH = {"torch", "torchvision", "transformers"}
TORCH_ROOMS = {"qwen3vl_demo.backends.local", "qwen3vl_demo.backends.local_explain", "qwen3vl_demo.backends.lean",
               "qwen3vl_demo.backends.vision_cache",
               "qwen3vl_demo.backends.presets"}
LONGEST = 80


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every import, those inside functions too."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)] if node.level else []
            target = ".".join([*base, node.module] if node.module else base)
            found.append((target, [alias.name for alias in node.names], node.lineno))
    return found


def floor(module: str) -> int | None:
    """The floor of a package module; None for the package's face and top-level entry points."""
    parts = module.split(".")
    return FLOORS.get(parts[1]) if len(parts) > 1 else None


ALL = modules()


@pytest.mark.parametrize("name", sorted(ALL))
def test_imports_run_down_the_floors(name: str) -> None:
    here = floor(name)
    for target, names, line in imports(name, ALL[name]):
        targets = [target] + [f"{target}.{n}" for n in names if f"{target}.{n}" in ALL]
        for module in targets:
            if module.startswith("qwen3vl_demo") and here is not None and floor(module) is not None:
                assert floor(module) <= here, f"{name}:{line} imports {module}, a higher floor"
        root = target.split(".")[0]
        if root == "gradio":
            assert name.startswith("qwen3vl_demo.ui"), f"{name}:{line} imports gradio outside ui"
        if root in TORCH:
            assert name in TORCH_ROOMS or name.startswith("qwen3vl_demo.tools"), (
                f"{name}:{line} imports {root} outside the torch backend")


@pytest.mark.parametrize("name", sorted(ALL))
def test_no_private_name_crosses_a_module(name: str) -> None:
    for target, names, line in imports(name, ALL[name]):
        if target.startswith("qwen3vl_demo"):
            private = [n for n in names if n.startswith("_") and n != "__version__"]
            assert not private, f"{name}:{line} imports private {private} from {target}"


@pytest.mark.parametrize("name", sorted(ALL))
def test_functions_stay_short(name: str) -> None:
    for node in ast.walk(ast.parse(ALL[name].read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            assert length <= LONGEST, f"{name}.{node.name} is {length} lines (at most {LONGEST})"


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    """The floor rule would fail on a core module that imports the engine."""
    bad = tmp_path / "bad.py"
    bad.write_text("from ..service.engine import Engine\n")
    (target, _, _), = imports("qwen3vl_demo.core.bad", bad)
    assert target == "qwen3vl_demo.service.engine" and floor(target) > floor("qwen3vl_demo.core.bad")
