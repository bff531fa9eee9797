"""Reading a fetched image and writing the two copies the site serves: pure functions on bytes.

Only JPEG, PNG, WebP and GIF (its first frame) are read, each by Pillow's own plugin (no other
decoder is ever tried: an SVG, an HTML page or anything else is refused whatever its Content-Type
said). The size in the header is checked before a pixel is decoded, so a decompression bomb (a
small file that unpacks to gigabytes) is refused unread. The copies are new images drawn from the
pixels: EXIF (GPS position, camera serial), XMP, comments and colour profiles stay behind, after
the EXIF orientation has been applied and the colours converted to sRGB.

The page-width copy is a JPEG: every share preview, feed reader and search engine reads JPEG. The
thumbnail, only shown on our own listings, is a WebP (about a third smaller).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

try:
    from PIL import ImageCms
except ImportError:  # Pillow built without Little CMS: colours are taken as sRGB
    ImageCms = None  # type: ignore[assignment]

FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
IMAGE_TYPES = {"image/jpeg", "image/jpg", "image/pjpeg", "image/png", "image/webp", "image/gif"}
# Servers (object stores especially) that do not say what a file is: Pillow decides.
UNLABELLED_TYPES = {"", "application/octet-stream", "binary/octet-stream"}
PAGE_WIDTH = 1200
PAGE_MAX_HEIGHT = 2400
THUMBNAIL_SIZE = (320, 180)
MIN_SIDE = 100  # smaller is an icon or a tracking pixel, not a news photo
PAGE_QUALITY = 85
THUMBNAIL_QUALITY = 80
BACKGROUND = (255, 255, 255)


class ImageError(Exception):
    """An image that is refused; the message (Japanese) is what editors see."""


@dataclass(frozen=True)
class Copy:
    data: bytes
    width: int
    height: int
    extension: str  # ".jpg" or ".webp"


@dataclass(frozen=True)
class Processed:
    page: Copy
    thumbnail: Copy
    source_format: str  # Pillow's name: JPEG, PNG, WEBP or GIF
    source_size: tuple[int, int]


def check_content_type(content_type: str) -> None:
    """Refuses a response whose Content-Type names something other than an image we read."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type in IMAGE_TYPES or media_type in UNLABELLED_TYPES:
        return
    if media_type == "image/svg+xml":
        raise ImageError("SVG 画像は扱いません（JPEG・PNG・WebP・GIF のみ）")
    raise ImageError(f"画像ではありません (Content-Type: {media_type})")


def _open(data: bytes, max_pixels: int) -> Image.Image:
    """The image with its header read and checked, no pixel decoded yet."""
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check warns at 89M pixels (and raises at twice that): refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError(f"画素数が多すぎます（展開すると巨大になる画像）: {exc}") from None
    except Exception as exc:  # any decoder error: the bytes are not an image we read
        raise ImageError(f"画像として読めません（JPEG・PNG・WebP・GIF のみ）: {type(exc).__name__}") from None
    width, height = image.size
    if width * height > max_pixels:
        raise ImageError(f"画素数が多すぎます ({width}x{height} > {max_pixels:,} 画素)")
    if min(width, height) < MIN_SIDE:
        raise ImageError(f"画像が小さすぎます ({width}x{height})")
    return image


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )


def _srgb(image: Image.Image) -> Image.Image:
    """RGB (or RGBA) in sRGB: an embedded profile (Adobe RGB, Display P3, CMYK) is applied, not kept."""
    mode = "RGBA" if _has_alpha(image) else "RGB"
    profile = image.info.get("icc_profile")
    if profile and ImageCms is not None and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(
                image, source, ImageCms.createProfile("sRGB"), outputMode=mode
            )
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken or unusual profile: the pixels as they are
    return image if image.mode == mode else image.convert(mode)


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode != "RGBA":
        return image
    background = Image.new("RGB", image.size, BACKGROUND)
    background.paste(image, mask=image.getchannel("A"))
    return background


def _encode(image: Image.Image, format: str, **options) -> bytes:
    image.info = {}  # nothing of the source's metadata reaches the encoder
    out = io.BytesIO()
    image.save(out, format, **options)
    return out.getvalue()


def _decode(image: Image.Image) -> Image.Image:
    if image.format == "JPEG":
        # Decode at 1/2, 1/4 or 1/8 scale when the copy is that much smaller (either orientation).
        image.draft("RGB", (PAGE_WIDTH, PAGE_WIDTH))
    if image.format == "GIF":
        image.seek(0)
    image.load()
    return _srgb(ImageOps.exif_transpose(image))


def process(data: bytes, max_pixels: int) -> Processed:
    """The page-width copy and the thumbnail of an image's bytes; ImageError when refused."""
    image = _open(data, max_pixels)
    source_format, source_size = str(image.format), image.size
    try:
        pixels = _decode(image)
        page = pixels.copy()
        page.thumbnail((PAGE_WIDTH, PAGE_MAX_HEIGHT), Image.Resampling.LANCZOS)
        page = _flatten(page)
        thumbnail = ImageOps.fit(page, THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
        page_data = _encode(page, "JPEG", quality=PAGE_QUALITY, optimize=True, progressive=True)
        thumbnail_data = _encode(thumbnail, "WEBP", quality=THUMBNAIL_QUALITY, method=4)
    except ImageError:
        raise
    except Exception as exc:  # a truncated or corrupt file fails only once its pixels are decoded
        raise ImageError(f"画像を読み込めません（壊れたファイル）: {type(exc).__name__}: {exc}") from None
    finally:
        image.close()
    return Processed(
        page=Copy(page_data, page.width, page.height, ".jpg"),
        thumbnail=Copy(thumbnail_data, *THUMBNAIL_SIZE, ".webp"),
        source_format=source_format,
        source_size=source_size,
    )
