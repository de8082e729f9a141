"""README and docs/: every relative link resolves in the repository (its #anchor too), README stays a
front page, and no page is a dated run log (each figure says what produced it instead)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|(?:src|href)=\"([^\"]+)\"")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def prose(page: Path) -> str:
    """The page without its code blocks (a link in a shell example is not a link)."""
    return FENCE.sub("", page.read_text(encoding="utf-8"))


def anchors(page: Path) -> set[str]:
    """The anchors GitHub and Hugging Face make of a page's headings."""
    slugs = set()
    for heading in HEADING.findall(prose(page)):
        text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
        slugs.add(re.sub(r"[^\w\- ]", "", text).replace(" ", "-"))
    return slugs


def relative_links(page: Path) -> list[str]:
    targets = [a or b for a, b in LINK.findall(prose(page))]
    return [t for t in targets if not re.match(r"^[a-z][a-z0-9+.-]*:", t)]  # http:, https:, mailto:


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for target in relative_links(page):
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.exists() or not resolved.is_relative_to(ROOT):
            broken.append(target)
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(f"{target} (no such heading)")
    assert not broken, f"{page.relative_to(ROOT)}: {broken}"


def test_the_checker_sees_links_images_and_anchors(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text('# A title, with `code`\n[a](b.md#c) ![p](i.png) <img src="x.png">\n'
                    "```\n[not](a-link.md)\n```\n[web](https://example.org)\n")
    assert relative_links(page) == ["b.md#c", "i.png", "x.png"]
    assert anchors(page) == {"a-title-with-code"}


def test_readme_is_a_front_page() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("---\ntitle:")  # the Hugging Face Space's front matter stays first
    assert len(readme.splitlines()) <= 250
    for section in ("## Run it", "## The tabs", "## Python and HTTP APIs", "## Faithfulness", "## Speed",
                    "## Tests", "## Spaces", "## Limits"):
        assert f"\n{section}\n" in readme, section
    # README's two commands, as CI and a new user run them
    assert "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt && .venv/bin/python app.py" in readme
    assert "bash scripts/setup-dev.sh && .venv/bin/python -m pytest\n" in readme
    assert "bash scripts/setup-dev.sh && .venv/bin/python -m pytest" in (ROOT / ".ci" / "run").read_text()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_page_is_a_dated_run_log(page: Path) -> None:
    dated = re.findall(r"\b20\d\d-\d\d-\d\d\b|\b\d\d:\d\d(?:-\d\d:\d\d)? UTC\b", page.read_text(encoding="utf-8"))
    assert not dated, f"{page.relative_to(ROOT)}: say which command, machine and dtype produced a figure, not when"
