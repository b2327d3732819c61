#!/usr/bin/env python3
"""Writes a folder of real-world image files for the acceptance run of issue 13 (not committed).

  /usr/bin/python3 scripts/make_photo_folder.py /tmp/photos
  VITEX_DRIVER_MEMORY=1g scripts/vitex run --input /tmp/photos \
      --model models/vit-shapes-tiny/vit-shapes-tiny.json --output /tmp/photos-out --methods saliency

Nine files: an upright PNG, a CMYK JPEG (Adobe APP14, as PIL and Photoshop write them), an EXIF-rotated
non-square JPEG (Orientation 6, stored 480x640, displayed 640x480), a lossy WebP, a TIFF, an RGBA PNG,
a 16-bit grey PNG,
a 48 MP JPEG (8000x6000) and a 400 MP PNG bomb (20000x20000 grey, about 0.4 MB on disk, valid: every row
is zeros) that must become one error row (decode.max_pixels = 100 MP).
"""
import pathlib
import struct
import sys
import zlib

import numpy as np
from PIL import Image, ImageDraw


def scene(w, h, seed):
    """Photo-like: smooth shading, a few shapes and sensor-like noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    base = np.stack([128 + 90 * np.sin(3 * x / w + 1), 128 + 90 * np.cos(4 * y / h), 128 + 80 * np.sin(5 * (x / w + y / h))], -1)
    im = Image.fromarray(np.clip(base + rng.normal(0, 6, base.shape), 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(im)
    s = min(w, h)
    d.rectangle([w * 0.3, h * 0.3, w * 0.3 + s * 0.4, h * 0.3 + s * 0.4], fill=(240, 240, 240))
    d.ellipse([w * 0.05, h * 0.05, w * 0.05 + s * 0.2, h * 0.05 + s * 0.2], fill=(20, 20, 200))
    return im


def exif_orientation(value):
    e = Image.Exif()
    e[0x0112] = value
    return e.tobytes()


def png_bomb(path, w, h):
    """A valid grey PNG of w x h zeros, streamed so it never exists in memory."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    comp = zlib.compressobj(9)
    row = b"\0" * (w + 1)
    idat = bytearray()
    for _ in range(h):
        idat += comp.compress(row)
    idat += comp.flush()
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)))
        f.write(chunk(b"IDAT", bytes(idat)) + chunk(b"IEND", b""))


def main(out):
    out.mkdir(parents=True, exist_ok=True)
    scene(640, 480, 1).save(out / "upright.png")
    scene(800, 600, 2).convert("CMYK").save(out / "cmyk.jpg", quality=90)
    scene(640, 480, 3).transpose(Image.Transpose.ROTATE_90).save(out / "phone_exif6.jpg", quality=90,
                                                                   exif=exif_orientation(6))
    scene(1024, 768, 4).save(out / "photo.webp", quality=85)
    scene(1200, 900, 5).save(out / "scan.tif")
    rgba = scene(500, 500, 6).convert("RGBA")
    rgba.putalpha(Image.linear_gradient("L").resize((500, 500)))
    rgba.save(out / "alpha.png")
    grey = np.asarray(scene(600, 400, 7).convert("L"), dtype=np.uint16) * 257
    Image.fromarray(grey.astype(np.uint16)).save(out / "grey16.png")
    scene(8000, 6000, 8).save(out / "camera_48mp.jpg", quality=90)
    png_bomb(out / "bomb_400mp.png", 20000, 20000)
    Image.MAX_IMAGE_PIXELS = None  # only to list the bomb's header below
    for f in sorted(out.iterdir()):
        with Image.open(f) as im:
            print(f"{f.name:18s} {f.stat().st_size:>10d} bytes  {im.format:5s} {im.mode:6s} {im.size}")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/vitex-photos"))
