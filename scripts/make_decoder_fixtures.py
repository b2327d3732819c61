#!/usr/bin/env python3
"""Writes the small decoder fixtures of core/src/test/resources/images/decode/ with Pillow.

Each file is the same 24x16 picture of four flat blocks (red, green, blue, white, left to right and
top to bottom) in a container Java's own ImageIO cannot read or that needs care: CMYK JPEGs as PIL
and Photoshop write them (Adobe APP14 marker), with a mismatched (RGB) ICC profile and with a
broken ICC profile, WebP lossy and lossless, 16-bit grey TIFF, and EXIF-oriented files in JPEG,
WebP and TIFF containers (stored transposed so a viewer shows the upright picture).
ImageDecoderTest checks the decoded blocks against the flat colours below.

Run: /usr/bin/python3 scripts/make_decoder_fixtures.py
"""
import io
import pathlib

from PIL import Image, ImageCms

OUT = pathlib.Path(__file__).resolve().parent.parent / "core/src/test/resources/images/decode"
BLOCKS = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)]  # top-left, top-right, bottom-left, bottom-right


def picture():
    im = Image.new("RGB", (24, 16))
    for i, colour in enumerate(BLOCKS):
        x, y = (i % 2) * 12, (i // 2) * 8
        im.paste(colour, (x, y, x + 12, y + 8))
    return im


def exif(orientation):
    e = Image.Exif()
    e[0x0112] = orientation
    return e.tobytes()


def stored_for(upright, orientation):
    """The stored pixels a viewer turns into `upright` (PIL's exif_transpose inverted)."""
    inverse = {1: None, 2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
               4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_90,
               7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_270}[orientation]
    return upright if inverse is None else upright.transpose(inverse)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    im = picture()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    im.convert("CMYK").save(OUT / "cmyk_adobe.jpg", quality=95)
    im.convert("CMYK").save(OUT / "cmyk_rgb_icc.jpg", quality=95, icc_profile=srgb)
    im.save(OUT / "broken_icc.jpg", quality=95, icc_profile=srgb[:200] + b"\0" * 64)
    im.save(OUT / "lossy.webp", quality=95)
    im.save(OUT / "lossless.webp", lossless=True)
    # 16-bit grey: the red block's luma in 16 bits (PIL's L = 0.299 R + 0.587 G + 0.114 B, times 257)
    Image.frombytes("I;16", im.size, bytes(b for v in im.convert("L").getdata() for b in (v * 257).to_bytes(2, "little"))
                    ).save(OUT / "gray16.tif")
    for orientation, fmt, ext, kw in [(6, "JPEG", "jpg", {"quality": 95}), (8, "WEBP", "webp", {"lossless": True}),
                                      (5, "TIFF", "tif", {})]:
        tags = {"tiffinfo": {0x0112: orientation}} if fmt == "TIFF" else {"exif": exif(orientation)}
        stored_for(im, orientation).save(OUT / f"exif{orientation}.{ext}", fmt, **tags, **kw)
    for f in sorted(OUT.iterdir()):
        print(f.name, f.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
