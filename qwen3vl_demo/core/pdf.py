"""PDFs as pages: each page rendered to a PNG at the model's image budget, one image item a page.

The models take images, not PDFs, so a PDF is turned into page images before anything else sees
it (``ui.forms`` does this wherever a document or gallery file is accepted). Rendering runs in a
child process (``pdf_render.py``) under a time and memory limit, and page count and page sizes
are checked before any page is drawn: a broken, encrypted or hostile PDF costs a message, never
the app. Pages of the same file are rendered once (folder named by the file's content).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from . import config
from .errors import InputError
from .items import Item
from .media import describe, local_path

PDF_SUFFIX = ".pdf"
RENDER_SCRIPT = Path(__file__).with_name("pdf_render.py")
MAX_PAGES_PER_FILE = 32  # app limit: the first pages are taken, with a note saying so
RENDER_TIMEOUT_S = 60.0  # one file, all its pages
RENDER_MEMORY_BYTES = 2 * 2**30  # address space of the rendering process (Linux)


@dataclass(frozen=True)
class PdfPages:
    """The page items of one PDF (``report.pdf · p.3``) and how many pages it has in all."""

    items: list[Item]
    total: int


def is_pdf(path: str | os.PathLike) -> bool:
    return os.fspath(path).lower().endswith(PDF_SUFFIX)


def page_label(name: str, number: int) -> str:
    return f"{name} · p.{number}"


def page_number(label: str) -> int | None:
    """The page number in a label made by :func:`page_label`; None for any other label."""
    found = re.search(r" · p\.(\d+)$", label or "")
    return int(found.group(1)) if found else None


def content_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:20]


def _limit_memory() -> None:  # runs in the child before it starts (POSIX only)
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (RENDER_MEMORY_BYTES, RENDER_MEMORY_BYTES))


def run_renderer(source: Path, out_dir: Path, max_pages: int, name: str) -> dict:
    """The child's JSON answer; InputError if it fails, runs out of memory or of time."""
    command = [sys.executable, str(RENDER_SCRIPT), str(source), str(out_dir), str(max_pages),
               str(config.IMAGE_MAX_PIXELS), str(config.MAX_ASPECT_RATIO)]
    limit = _limit_memory if os.name == "posix" else None
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=RENDER_TIMEOUT_S,
                              preexec_fn=limit, check=False)
    except subprocess.TimeoutExpired:
        raise InputError(f"{name}: rendering took over {RENDER_TIMEOUT_S:.0f} s and was stopped "
                         "(a PDF this slow to draw is refused)") from None
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise InputError(f"{name}: the PDF could not be rendered within {RENDER_MEMORY_BYTES // 2**20:,} MB "
                         "of memory (broken or too heavy to draw)")
    answer = json.loads(lines[-1])
    if "error" in answer:
        raise InputError(f"{name} {answer['error']}")
    return answer


def pdf_pages(path: str, out_root: Path, max_pages: int = MAX_PAGES_PER_FILE,
              origin: str = "user") -> PdfPages:
    """The first ``max_pages`` pages of the PDF at ``path`` as image items, their PNGs under
    ``out_root`` (the caller's folder for generated files)."""
    name = describe(path)
    source = local_path(path)
    if max_pages < 1:
        raise InputError(f"{name}: no room left for its pages")
    out_dir = out_root / f"pdf-{content_digest(source)}-{max_pages}"
    done = out_dir / "pages.json"  # the same file's pages are rendered once
    if done.is_file():
        answer = json.loads(done.read_text())
    else:
        answer = run_renderer(source, out_dir, max_pages, name)
        done.write_text(json.dumps(answer))
    items = [Item("image", path=file, origin=origin, title=page_label(name, number))
             for number, file in enumerate(answer["files"], start=1)]
    return PdfPages(items, int(answer["pages"]))


def pages_note(name: str, pages: PdfPages) -> str | None:
    """The message when only the first pages were taken (None when all were)."""
    if len(pages.items) >= pages.total:
        return None
    return (f"{name} has {pages.total:,} pages; the first {len(pages.items)} were taken "
            f"(limit {MAX_PAGES_PER_FILE} pages per PDF and the request's item limit)")
