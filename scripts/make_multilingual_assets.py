"""Build assets/multilingual/*.png: three small "screenshots" of text in Chinese, Arabic and Hindi
(a notice, a sign, a recipe card) for the cross-lingual examples, drawn with Pillow and the Noto
fonts (Debian: fonts-noto-cjk, fonts-noto-core; Arabic is shaped right to left by libraqm).

    .venv/bin/python scripts/make_multilingual_assets.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

ASSETS = Path(__file__).resolve().parents[1] / "assets" / "multilingual"
FONTS = {"zh": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # index 2: Simplified Chinese
         "ar": ("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf", 0),
         "hi": ("/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf", 0)}
CARDS = {
    "notice_zh.png": ("zh", "#0f766e", "浴室翻新完成",
                      ["新装的玻璃淋浴间、洗手台和镜子", "已经可以使用。请保持地面干燥。"]),
    "sign_ar.png": ("ar", "#15803d", "مسار جديد للدراجات", ["افتُتح مسار أخضر للدراجات في وسط المدينة.",
                                                          "يرجى من راكبي الدراجات التزام المسار."]),
    "recipe_hi.png": ("hi", "#b45309", "आज की रेसिपी: तले हुए अंडे", ["पैन में थोड़ा तेल गरम करें,", "अंडे तोड़ें और दो मिनट पकाएँ।"]),
}
SIZE = (800, 360)


def card(language: str, colour: str, title: str, lines: list[str]) -> Image.Image:
    """A card like a phone screenshot: a coloured title bar and two lines of text, right-aligned
    and laid out right to left for Arabic."""
    path, index = FONTS[language]
    options = {"direction": "rtl", "language": "ar"} if language == "ar" else {"language": language}
    big, small = ImageFont.truetype(path, 44, index=index), ImageFont.truetype(path, 32, index=index)
    image = Image.new("RGB", SIZE, "#f8fafc")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, SIZE[0], 96), fill=colour)
    right = language == "ar"
    anchor, x = ("ra", SIZE[0] - 40) if right else ("la", 40)
    draw.text((x, 20), title, font=big, fill="white", anchor=anchor, **options)
    for n, line in enumerate(lines):
        draw.text((x, 140 + n * 64), line, font=small, fill="#1e293b", anchor=anchor, **options)
    return image


def main() -> None:
    if not features.check("raqm"):
        raise SystemExit("Pillow has no libraqm here: Arabic would not be shaped")
    ASSETS.mkdir(parents=True, exist_ok=True)
    for name, (language, colour, title, lines) in CARDS.items():
        target = ASSETS / name
        card(language, colour, title, lines).quantize(64).save(target, optimize=True)
        print(target, target.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
