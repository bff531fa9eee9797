"""Lead images for the sample articles, drawn here: their outlets' sites are fictional.

A sample article never fetches its image (the ``.example`` addresses lead nowhere). Two samples get
an illustration drawn with Pillow, marked as one, which goes through the same checks and copies as
a fetched image; the others record why they have none, and their pages show the caption alone.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw, ImageFont

if TYPE_CHECKING:
    from newsdesk.articles.models import Article

SIZE = (1200, 800)
SKY, SEA, DEEP = (176, 214, 236), (46, 110, 160), (24, 70, 112)
WHITE, NAVY, RED, GREY = (250, 250, 247), (30, 46, 80), (196, 54, 48), (96, 104, 112)


def _gradient(draw: ImageDraw.ImageDraw, top: int, bottom: int, start: tuple, end: tuple) -> None:
    for y in range(top, bottom):
        share = (y - top) / max(1, bottom - top - 1)
        colour = tuple(round(a + (b - a) * share) for a, b in zip(start, end, strict=True))
        draw.line([(0, y), (SIZE[0], y)], fill=colour)


def _label(draw: ImageDraw.ImageDraw, text: str) -> None:
    font = ImageFont.load_default(size=34)
    draw.rectangle([(24, 24), (24 + 14 + round(draw.textlength(text, font=font)) + 14, 80)], fill=NAVY)
    draw.text((38, 30), text, fill=WHITE, font=font)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def ferry() -> bytes:
    """A white high-speed ferry at sea off a port (Harbor Times: the Moji-Busan ferry)."""
    image = Image.new("RGB", SIZE, SKY)
    draw = ImageDraw.Draw(image)
    _gradient(draw, 0, 470, (150, 196, 230), (222, 236, 244))
    draw.polygon([(0, 470), (160, 380), (330, 440), (520, 360), (700, 470)], fill=(120, 150, 130))
    for x in range(40, 520, 70):  # the port's cranes
        draw.line([(x, 470), (x, 400), (x + 40, 400)], fill=GREY, width=6)
    _gradient(draw, 470, SIZE[1], SEA, DEEP)
    draw.polygon([(300, 560), (1000, 560), (940, 640), (340, 640)], fill=WHITE)  # hull
    draw.rectangle([(420, 500), (860, 560)], fill=WHITE)
    draw.rectangle([(520, 462), (760, 500)], fill=WHITE)
    draw.line([(330, 612), (960, 612)], fill=RED, width=10)
    for x in range(440, 850, 42):
        draw.rectangle([(x, 518), (x + 26, 538)], fill=NAVY)
    draw.polygon([(240, 650), (340, 640), (300, 660)], fill=WHITE)  # wake
    _label(draw, "SAMPLE ILLUSTRATION - newsdesk")
    return _png(image)


def power_lines() -> bytes:
    """Repairing power lines on an island after a typhoon (Pacific Wire: Miyako Island)."""
    image = Image.new("RGB", SIZE, SKY)
    draw = ImageDraw.Draw(image)
    _gradient(draw, 0, 560, (120, 170, 214), (236, 226, 200))
    _gradient(draw, 560, SIZE[1], (112, 150, 84), (72, 110, 60))
    for x in (180, 600, 1020):  # poles and the wires between them
        draw.rectangle([(x - 10, 200), (x + 10, 620)], fill=(110, 84, 60))
        draw.line([(x - 80, 240), (x + 80, 240)], fill=(110, 84, 60), width=10)
    for dy in (0, 30):
        draw.line([(100, 245 + dy), (180, 255 + dy), (600, 300 + dy), (1020, 255 + dy)], fill=NAVY, width=4)
    draw.rectangle([(640, 520), (900, 610)], fill=(236, 180, 40))  # bucket truck
    draw.rectangle([(900, 550), (980, 610)], fill=(236, 180, 40))
    draw.rectangle([(915, 562), (965, 590)], fill=NAVY)
    for x in (690, 930):
        draw.ellipse([(x - 28, 588), (x + 28, 644)], fill=(40, 40, 44))
    draw.line([(760, 520), (640, 300)], fill=GREY, width=14)
    draw.rectangle([(610, 270), (670, 310)], fill=WHITE)
    _label(draw, "SAMPLE ILLUSTRATION - newsdesk")
    return _png(image)


# By the sample's address in newsdesk/samples/manifest.json.
DRAWINGS: dict[str, Callable[[], bytes]] = {
    "https://harbor-times.example/asia/2025/03/12/moji-busan-ferry-returns": ferry,
    "https://pacificwire.example/2025/09/24/miyako-island-typhoon-recovery": power_lines,
}


def drawing(article: Article) -> bytes | None:
    """The illustration drawn for a sample article, else None."""
    if not article.is_sample:
        return None
    draw = DRAWINGS.get(article.url) or DRAWINGS.get(article.source_url)
    return draw() if draw else None
