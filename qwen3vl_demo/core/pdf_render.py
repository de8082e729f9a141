"""Render a PDF's first pages to PNG files: the child process that ``core.pdf`` runs.

Standalone on purpose (stdlib, pypdfium2 and Pillow only, run as a script): a hostile PDF (a bomb of
nested objects or enormous images) can only cost this process, which the parent runs under a
time and memory limit. Prints one JSON object: ``{"pages": total, "files": [...]}`` or
``{"error": message}``.

    python pdf_render.py SOURCE OUT_DIR MAX_PAGES MAX_PIXELS MAX_ASPECT
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

POINTS_PER_INCH = 72  # PDF page sizes are in points; a scale of 1 renders 72 dpi


def page_scale(width: float, height: float, max_pixels: int) -> float:
    """The scale at which a ``width`` x ``height`` point page has at most ``max_pixels`` pixels
    (so the page fills the model's image budget and the model's resize only rounds it)."""
    return math.sqrt(0.995 * max_pixels / max(width * height, 1e-6))  # pdfium rounds sizes up


def check_sizes(pdf, count: int, max_aspect: float) -> list[tuple[float, float]]:
    """Every page's (width, height) in points, read before any page is rendered."""
    sizes = []
    for index in range(count):
        width, height = pdf.get_page_size(index)
        if width <= 0 or height <= 0:
            raise ValueError(f"page {index + 1} has no area ({width:.0f}x{height:.0f} points)")
        if max(width, height) / min(width, height) > max_aspect:
            raise ValueError(f"page {index + 1} is {width:.0f}x{height:.0f} points, an aspect ratio above "
                             f"the {max_aspect:.0f}:1 the model accepts")
        sizes.append((width, height))
    return sizes


def render(source: str, out_dir: str, max_pages: int, max_pixels: int, max_aspect: float) -> dict:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(source)
    except pdfium.PdfiumError as exc:
        text = str(exc)
        if "password" in text.lower():
            return {"error": "is encrypted (password protected); upload an unprotected copy"}
        cause = text.split("PDFium:")[-1].strip(" .()")
        return {"error": f"is not a readable PDF ({cause if 'error' in cause.lower() else 'broken file'})"}
    total = len(pdf)
    if total == 0:
        return {"error": "has no pages"}
    try:
        sizes = check_sizes(pdf, min(total, max_pages), max_aspect)
    except ValueError as exc:
        return {"error": str(exc)}
    target = Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    files = []
    for index, (width, height) in enumerate(sizes):
        page = pdf[index]
        bitmap = page.render(scale=page_scale(width, height, max_pixels), may_draw_forms=True)
        path = target / f"p{index + 1:04d}.png"
        bitmap.to_pil().convert("RGB").save(path, compress_level=1)
        files.append(str(path))
        page.close()
    pdf.close()
    return {"pages": total, "files": files}


def main(argv: list[str]) -> int:
    source, out_dir, max_pages, max_pixels, max_aspect = argv
    print(json.dumps(render(source, out_dir, int(max_pages), int(max_pixels), float(max_aspect))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
