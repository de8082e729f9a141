"""Build assets/pdf/figures.pdf: the bundled paper figures doc_0..doc_4 as a 5-page PDF (Pillow).

    .venv/bin/python scripts/make_sample_pdf.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

ASSETS = Path(__file__).resolve().parents[1] / "assets"


def main() -> None:
    pages = []
    for number in range(5):
        page = Image.open(ASSETS / "documents" / f"doc_{number}.jpg").convert("RGB")
        page.thumbnail((1000, 1000))  # keeps the file small; still above the model's budget per page
        pages.append(page)
    target = ASSETS / "pdf" / "figures.pdf"
    target.parent.mkdir(exist_ok=True)
    pages[0].save(target, save_all=True, append_images=pages[1:], resolution=100.0, quality=80,
                  title="Paper figures (Qwen3-VL-Embedding samples)")
    print(target, target.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
