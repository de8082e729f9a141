"""PDFs as pages: the bundled PDF rendered within the model's image budget, and every bad PDF
(encrypted, broken, empty, thousands of pages, huge or thin pages, a bomb) refused or cut with a
clear message, in bounded time, by the real renderer in its child process."""

from __future__ import annotations

import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import ASSETS
from PIL import Image

from qwen3vl_demo.core import config, pdf
from qwen3vl_demo.core.errors import InputError
from qwen3vl_demo.core.items import Item
from qwen3vl_demo.core.media import smart_resize
from qwen3vl_demo.ui import forms

FIGURES = ASSETS / "pdf" / "figures.pdf"


def blank_pdf(path: Path, sizes: list[tuple[float, float]]) -> Path:
    document = pdfium.PdfDocument.new()
    for width, height in sizes:
        document.new_page(width, height)
    document.save(str(path))
    return path


def test_bundled_pdf_is_small_and_becomes_labelled_pages_at_the_image_budget(tmp_path: Path) -> None:
    assert FIGURES.stat().st_size < 1_000_000
    pages = pdf.pdf_pages(str(FIGURES), tmp_path)
    assert pages.total == 5
    assert [item.label for item in pages.items] == [f"figures.pdf · p.{n}" for n in range(1, 6)]
    for item in pages.items:
        assert item.kind == "image" and item.to_input() == {"image": item.path}  # the title is not seen
        with Image.open(item.path) as image:
            pixels = image.width * image.height
            assert 0.97 * config.IMAGE_MAX_PIXELS <= pixels <= config.IMAGE_MAX_PIXELS  # fills, not above
            height, width = smart_resize(image.height, image.width, config.IMAGE_MIN_PIXELS,
                                         config.IMAGE_MAX_PIXELS)
            assert height * width <= config.IMAGE_MAX_PIXELS


def test_pages_are_rendered_once_per_content(tmp_path: Path) -> None:
    first = pdf.pdf_pages(str(FIGURES), tmp_path)
    stamp = Path(first.items[0].path).stat().st_mtime_ns
    again = pdf.pdf_pages(str(FIGURES), tmp_path)
    assert [i.path for i in again.items] == [i.path for i in first.items]
    assert Path(again.items[0].path).stat().st_mtime_ns == stamp


def test_page_items_survive_the_session_state_round_trip(tmp_path: Path) -> None:
    item = pdf.pdf_pages(str(FIGURES), tmp_path).items[2]
    assert Item.from_dict(item.to_dict()) == item
    assert Item.from_dict(item.to_dict()).label == "figures.pdf · p.3"


def test_encrypted_pdf_is_refused_by_name(tmp_path: Path) -> None:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret", algorithm="RC4-128")
    target = tmp_path / "locked.pdf"
    writer.write(str(target))
    with pytest.raises(InputError, match=r"locked\.pdf is encrypted"):
        pdf.pdf_pages(str(target), tmp_path / "out")


@pytest.mark.parametrize("content", [b"%PDF-1.7\nthis is not a pdf at all" * 20, b"\x00\x01garbage" * 100])
def test_broken_pdf_is_refused(tmp_path: Path, content: bytes) -> None:
    target = tmp_path / "broken.pdf"
    target.write_bytes(content)
    with pytest.raises(InputError, match=r"broken\.pdf is not a readable PDF"):
        pdf.pdf_pages(str(target), tmp_path / "out")


def test_truncated_pdf_is_refused_or_read_as_far_as_it_goes(tmp_path: Path) -> None:
    whole = FIGURES.read_bytes()
    target = tmp_path / "cut.pdf"
    target.write_bytes(whole[: len(whole) // 3])
    try:
        pages = pdf.pdf_pages(str(target), tmp_path / "out")
    except InputError as exc:
        assert "cut.pdf" in str(exc)
    else:
        assert all(Path(i.path).is_file() for i in pages.items)


def test_empty_and_zero_page_pdfs_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        pdf.pdf_pages(str(empty), tmp_path / "out")
    none = raw_pdf(tmp_path / "none.pdf", [b"<< /Type /Catalog /Pages 2 0 R >>",
                                            b"<< /Type /Pages /Kids [] /Count 0 >>"])
    with pytest.raises(InputError, match=r"none\.pdf (has no pages|is not a readable PDF)"):  # pdfium: unreadable
        pdf.pdf_pages(str(none), tmp_path / "out")


def test_thousands_of_pages_give_the_first_ones_and_a_note(tmp_path: Path) -> None:
    many = blank_pdf(tmp_path / "many.pdf", [(200, 300)] * 3000)
    notes: list[str] = []
    items = forms.file_items([str(many)], config.MAX_DOCUMENTS, notes)
    assert len(items) == pdf.MAX_PAGES_PER_FILE
    assert items[-1].label == f"many.pdf · p.{pdf.MAX_PAGES_PER_FILE}"
    assert notes == [f"many.pdf has 3,000 pages; the first {pdf.MAX_PAGES_PER_FILE} were taken "
                     f"(limit {pdf.MAX_PAGES_PER_FILE} pages per PDF and the request's item limit)"]


def test_pages_share_the_room_of_a_request(tmp_path: Path) -> None:
    first = blank_pdf(tmp_path / "a.pdf", [(200, 300)] * 5)
    second = blank_pdf(tmp_path / "b.pdf", [(200, 300)] * 5)
    image = str(ASSETS / "images" / "img_8.jpg")
    notes: list[str] = []
    items = forms.file_items([str(first), image, str(second)], 8, notes)
    assert [i.label for i in items] == [*(f"a.pdf · p.{n}" for n in range(1, 6)), "img_8.jpg",
                                        "b.pdf · p.1", "b.pdf · p.2"]
    assert notes == ["b.pdf has 5 pages; the first 2 were taken (limit 32 pages per PDF and the request's "
                     "item limit)"]
    notes.clear()
    assert forms.file_items([str(first), str(second)], 5, notes)[-1].label == "a.pdf · p.5"
    assert notes == ["b.pdf was left out: the limit of 5 items was reached"]


def test_huge_and_tiny_pages_are_drawn_within_the_budget(tmp_path: Path) -> None:
    sizes = [(200_000.0, 100_000.0), (3.0, 2.0)]
    pages = pdf.pdf_pages(str(blank_pdf(tmp_path / "sizes.pdf", sizes)), tmp_path / "out")
    for item, (width, height) in zip(pages.items, sizes, strict=True):
        with Image.open(item.path) as image:
            assert image.width * image.height <= config.IMAGE_MAX_PIXELS
            assert abs(image.width / image.height - width / height) < 0.01


def test_a_page_thinner_than_the_model_accepts_is_refused(tmp_path: Path) -> None:
    thin = blank_pdf(tmp_path / "thin.pdf", [(200, 300), (10_000, 20)])
    with pytest.raises(InputError, match=r"thin\.pdf page 2 is 10000x20 points, an aspect ratio above"):
        pdf.pdf_pages(str(thin), tmp_path / "out")


def bomb_pdf(path: Path, side: int) -> Path:
    """One page showing a ``side`` x ``side`` grey image that compresses to almost nothing."""
    packer, row = zlib.compressobj(9), b"\x00" * side  # row by row: the test never holds the pixels
    stream = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    content = b"q 200 0 0 200 0 0 cm /Im0 Do Q"
    return raw_pdf(path, [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /XObject << /Im0 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 "
        b"/Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (side, side, len(stream), stream),
    ])


def raw_pdf(path: Path, objects: list[bytes]) -> Path:
    """A PDF file of these numbered objects (1 is the catalog), with a correct cross-reference table."""
    body, offsets = b"%PDF-1.7\n", []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(body)
    return path


@pytest.mark.slow  # renders until its limits stop it
def test_a_pdf_bomb_costs_a_message_in_bounded_time_and_memory(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A 30000x30000 image (900 MB of pixels in 1 MB): stopped by the child's memory or time
    limit (lowered here so the test is quick), or drawn small; never the app's memory."""
    monkeypatch.setattr(pdf, "RENDER_TIMEOUT_S", 20.0)
    monkeypatch.setattr(pdf, "RENDER_MEMORY_BYTES", 1 * 2**30)
    bomb = bomb_pdf(tmp_path / "bomb.pdf", 30_000)
    try:
        pages = pdf.pdf_pages(str(bomb), tmp_path / "out")
    except InputError as exc:
        assert "bomb.pdf" in str(exc) and ("memory" in str(exc) or "stopped" in str(exc))
    else:
        with Image.open(pages.items[0].path) as image:
            assert image.width * image.height <= config.IMAGE_MAX_PIXELS


def test_a_renderer_that_runs_too_long_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "RENDER_TIMEOUT_S", 0.01)
    with pytest.raises(InputError, match=r"figures\.pdf: rendering took over 0 s and was stopped"):
        pdf.pdf_pages(str(FIGURES), tmp_path / "slow")


@pytest.mark.optional
@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="the memory limit is POSIX only")
def test_a_renderer_that_runs_out_of_memory_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "RENDER_MEMORY_BYTES", 32 * 2**20)  # too little even to start Python
    with pytest.raises(InputError, match=r"figures\.pdf: the PDF could not be rendered within 32 MB of memory"):
        pdf.pdf_pages(str(FIGURES), tmp_path / "small")
