"""Real image bytes for the image tests, made with Pillow (the bomb is written row by row), and a
stored image for tests of the pages that show one."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image, ImageCms, ImageDraw, PngImagePlugin

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def jpeg(size: tuple[int, int] = (1600, 900), *, orientation: int = 1) -> bytes:
    """A photo-like JPEG carrying EXIF (camera, GPS position, orientation) and an ICC profile."""
    image = Image.new("RGB", size, (40, 110, 170))
    draw = ImageDraw.Draw(image)
    draw.rectangle([(size[0] // 4, size[1] // 3), (size[0] * 3 // 4, size[1] * 2 // 3)], fill=(240, 240, 235))
    exif = Image.Exif()
    exif[MAKE] = "SecretCam"
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (35.0, 39.0, 0.0), 3: "E", 4: (139.0, 44.0, 0.0)})
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif, icc_profile=profile)
    return out.getvalue()


def png(size: tuple[int, int] = (800, 600)) -> bytes:
    """A PNG with transparency and a text chunk naming its author."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse([(50, 50), (size[0] - 50, size[1] - 50)], fill=(200, 40, 40, 255))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Secret Photographer")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(side: int = 20_000) -> bytes:
    """A valid one-bit PNG of side x side white pixels: ~70 kB that decode to 400 million pixels."""
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    body = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"><rect width="800" height="600"/></svg>'
)


def store_image(article, data: bytes | None = None):
    """The article's image stored as if the images stage had fetched ``data`` (a JPEG by default)."""
    from newsdesk.images import service

    return service.store(article, data or jpeg(), "image/jpeg")
