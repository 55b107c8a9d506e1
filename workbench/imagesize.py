"""Image dimensions from the file header (PNG, JPEG, GIF, WebP) and the API's image token rule.

The API resizes an image whose long edge is over 1568 px or whose area is over ~1.15
megapixels (aspect ratio kept), then counts about width x height / 750 tokens. The emulator's
usage and our local estimate both count images with `image_tokens`, so a 64x64 icon costs
6 tokens, not the flat 1,600 of a full-size photo. Standard library only (the tokenizer, the
emulator and the services all import it); no image library is needed for a header.
"""

from __future__ import annotations

import base64
import binascii
import math
import struct

MAX_EDGE = 1568
MAX_PIXELS = 1_150_000
PIXELS_PER_TOKEN = 750
HEAD_BYTES = 256 * 1024  # a JPEG's size marker can sit after a large EXIF block


def dimensions(data: bytes) -> tuple[int, int] | None:
    """(width, height) read from the header, or None for data that is none of the four."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
            return struct.unpack(">II", data[16:24])
        if data[:6] in (b"GIF87a", b"GIF89a"):
            return struct.unpack("<HH", data[6:10])
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp(data)
        if data[:2] == b"\xff\xd8":
            return _jpeg(data)
    except struct.error:
        return None
    return None


def _webp(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    return None


def _jpeg(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            at += 2
            continue
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # start of frame
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        at += 2 + length
    return None


def fitted(width: int, height: int) -> tuple[int, int]:
    """The size the API scales an image to before counting it (never larger)."""
    if width <= 0 or height <= 0:
        return 0, 0
    scale = min(1.0, MAX_EDGE / max(width, height), math.sqrt(MAX_PIXELS / (width * height)))
    return max(1, int(width * scale)), max(1, int(height * scale))


def tokens_for_size(width: int, height: int) -> int:
    w, h = fitted(width, height)
    return math.ceil(w * h / PIXELS_PER_TOKEN)


def base64_dimensions(data: str) -> tuple[int, int] | None:
    """Dimensions of base64 image data, decoding only its head."""
    head = data[: HEAD_BYTES * 4 // 3 // 4 * 4]
    try:
        raw = base64.b64decode(head, validate=False)
    except (binascii.Error, ValueError):
        return None
    return dimensions(raw)
