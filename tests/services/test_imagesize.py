"""Image sizes from headers (PNG, JPEG, GIF, WebP) and the API's image token rule, in the
local estimate as in the emulator (both count with the shared tokenizer)."""

from __future__ import annotations

import base64
import struct

import pytest

from workbench.imagesize import dimensions, fitted, tokens_for_size
from workbench.services.tokens import estimate_request


def png(w: int, h: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", w, h) \
        + b"\x08\x02\x00\x00\x00" + b"\0" * 4


def jpeg(w: int, h: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0" + b"\0" * 9
    sof = b"\xff\xc0" + struct.pack(">HBHH", 17, 8, h, w) + b"\x03" + b"\0" * 9
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def gif(w: int, h: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", w, h) + b"\0" * 3


def webp_vp8x(w: int, h: int) -> bytes:
    chunk = b"VP8X" + struct.pack("<I", 10) + b"\0" * 4 + (w - 1).to_bytes(3, "little") \
        + (h - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def webp_lossless(w: int, h: int) -> bytes:
    bits = (w - 1) | ((h - 1) << 14)
    chunk = b"VP8L" + struct.pack("<I", 5) + b"\x2f" + bits.to_bytes(4, "little")
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


@pytest.mark.parametrize("make", [png, jpeg, gif, webp_vp8x, webp_lossless])
def test_dimensions_from_the_header(make) -> None:
    assert dimensions(make(640, 480)) == (640, 480)


def test_not_an_image() -> None:
    assert dimensions(b"hello world, not an image") is None
    assert dimensions(b"\x89PNG\r\n\x1a\n") is None  # cut short


def test_resize_rule_and_tokens() -> None:
    assert tokens_for_size(64, 64) == 6  # 4,096 px / 750
    assert fitted(1000, 1000) == (1000, 1000)
    w, h = fitted(4000, 3000)  # long edge and area both over: area wins here
    assert w <= 1568 and w * h <= 1_150_000 and abs(w / h - 4 / 3) < 0.01
    assert 1500 <= tokens_for_size(4000, 3000) <= 1534


def test_local_estimate_counts_an_image_by_its_size() -> None:
    def body(data: bytes) -> dict:
        block = {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                             "data": base64.b64encode(data).decode()}}
        return {"model": "m", "messages": [{"role": "user", "content": [block]}]}

    assert estimate_request(body(png(64, 64))).attachments == 6
    assert estimate_request(body(png(3000, 3000))).attachments > 1500
    assert estimate_request(body(b"garbage")).attachments == 1600  # unknown: a full image
