#!/usr/bin/env python3
"""Torch reference values for vitex's method tests (issue #11 item 7), computed
independently of the Java code from the committed fixtures:

    /usr/bin/python3 scripts/make_method_references.py

Needs torch (tested with Debian's torch 1.13 CPU), numpy and Pillow; about a
minute on 2 CPU cores. Reads models/vit-shapes-tiny/vit-shapes-tiny.pt (its
weights, loaded into make_fixture_model.TinyViT in float64) and
samples/shapes/; writes core/src/test/resources/reference/:

    mask_upsampling.json  unit masks expanded to pixels by torch
                          F.interpolate(mode=bilinear|bicubic, align_corners=False)
                          (no antialias: interpreto's soft masks)
    gaussian_blur.json    separable Gaussian blur, radius max(1, ceil(3 sigma)),
                          borders reflected with the edge repeated (numpy "symmetric")
    occlusion_windows.json
                          sliding-window Occlusion of two fixture images, brute
                          force: one float64 forward per window, each pixel the
                          mean drop f_c(x) - f_c(x with the window set to 0.0) over
                          the windows covering it

Re-running it rewrites the same values (everything is seeded).
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixture_model as fixture  # noqa: E402  (sets OMP_WAIT_POLICY before torch loads)
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

SEED_UPSAMPLING = 7007
SEED_BLUR = 8008

OCCLUSION_IMAGES = ["square/img_01.png", "triangle/img_02.png"]
# (window, stride): the PIXEL default (the patch size and half of it) and one whose last
# window is placed flush with the far edge (52 is not a multiple of the stride 10).
OCCLUSION_WINDOWS = [(8, 4), (12, 10)]


def out_path(name):
    return os.path.join(fixture.REF_DIR, name)


def six_decimals(rng, shape, low, high):
    """Uniform values rounded to 6 decimals: the JSON text is exactly what torch sees (in float64)."""
    return np.round(rng.uniform(low, high, size=shape), 6)


def reference_mask_upsampling():
    rng = np.random.default_rng(SEED_UPSAMPLING)
    cases = []
    for rows, cols, height, width in [(8, 8, 64, 64), (3, 5, 17, 23), (7, 4, 64, 32), (2, 2, 9, 9)]:
        mask = six_decimals(rng, (rows, cols), 0.0, 1.0)
        t = torch.from_numpy(mask)[None, None]
        case = {"rows": rows, "cols": cols, "height": height, "width": width,
                "mask": [float("%.6f" % v) for v in mask.reshape(-1)]}
        for mode in ("bilinear", "bicubic"):
            case[mode] = fixture.flat(F.interpolate(t, size=(height, width), mode=mode, align_corners=False))
        cases.append(case)
    fixture.write_json_floats(out_path("mask_upsampling.json"), {"cases": cases}, fmt="%.9g")


def gaussian_blur(planes, sigma):
    """planes: (C, H, W) float64 tensor. Separable blur with edge-repeating reflection."""
    radius = max(1, int(np.ceil(3 * sigma)))
    i = torch.arange(-radius, radius + 1, dtype=torch.float64)
    k = torch.exp(-0.5 * i * i / (sigma * sigma))
    k = k / k.sum()
    padded = np.pad(planes.numpy(), ((0, 0), (radius, radius), (radius, radius)), mode="symmetric")
    x = torch.from_numpy(padded)[:, None]                               # (C, 1, H + 2r, W + 2r)
    x = F.conv2d(x, k.view(1, 1, 1, -1))                                # along x
    x = F.conv2d(x, k.view(1, 1, -1, 1))                                # along y
    return x[:, 0]


def reference_gaussian_blur():
    rng = np.random.default_rng(SEED_BLUR)
    cases = []
    for channels, height, width, sigma in [(3, 11, 13, 0.7), (2, 12, 10, 1.5), (1, 20, 16, 3.0), (3, 6, 7, 0.25)]:
        image = six_decimals(rng, (channels, height, width), -1.0, 1.0)
        blurred = gaussian_blur(torch.from_numpy(image), sigma)
        cases.append({"channels": channels, "height": height, "width": width, "sigma": sigma,
                      "input": [float("%.6f" % v) for v in image.reshape(-1)],
                      "blurred": fixture.flat(blurred)})
    fixture.write_json_floats(out_path("gaussian_blur.json"), {"cases": cases}, fmt="%.9g")


def window_starts(size, window, stride):
    """Every stride, plus one window flush with the far edge (methods.md § Granularity of mask methods)."""
    last = max(0, size - window)
    starts = list(range(0, last + 1, stride))
    if starts[-1] != last:
        starts.append(last)
    return starts


def reference_occlusion(model64):
    images = []
    for image_id in OCCLUSION_IMAGES:
        x = fixture.load_png_normalized(image_id)                        # (1, 3, 64, 64) float64
        with torch.no_grad():
            logits = model64(x)[0]
        target = int(logits.argmax())
        clean = float(logits[target])
        for window, stride in OCCLUSION_WINDOWS:
            corners = [(y, xx) for y in window_starts(fixture.IMG, window, stride)
                       for xx in window_starts(fixture.IMG, window, stride)]
            total = torch.zeros(fixture.IMG, fixture.IMG, dtype=torch.float64)
            covered = torch.zeros(fixture.IMG, fixture.IMG, dtype=torch.float64)
            with torch.no_grad():
                for start in range(0, len(corners), 64):
                    chunk = corners[start:start + 64]
                    z = x.repeat(len(chunk), 1, 1, 1)
                    for n, (y, xx) in enumerate(chunk):
                        z[n, :, y:y + window, xx:xx + window] = 0.0
                    scores = model64(z)[:, target]
                    for n, (y, xx) in enumerate(chunk):
                        total[y:y + window, xx:xx + window] += clean - float(scores[n])
                        covered[y:y + window, xx:xx + window] += 1
            images.append({"image_id": image_id, "target": target, "target_score": clean, "baseline": 0.0,
                           "window": window, "stride": stride, "windows": len(corners),
                           "pixel_map": fixture.flat(total / covered)})
            print("  occlusion %s window %d stride %d: %d windows" % (image_id, window, stride, len(corners)), flush=True)
    fixture.write_json_floats(out_path("occlusion_windows.json"), {"images": images})


def load_fixture_vit64():
    traced = torch.jit.load(os.path.join(fixture.MODEL_DIR, "vit-shapes-tiny.pt"))
    model = fixture.TinyViT()
    model.load_state_dict(traced.state_dict())
    return model.double().eval()


def main():
    torch.set_num_threads(2)
    print("MaskUpsampling and GaussianBlur references ...", flush=True)
    reference_mask_upsampling()
    reference_gaussian_blur()
    print("Occlusion sliding-window references (float64 fixture ViT) ...", flush=True)
    reference_occlusion(load_fixture_vit64())
    for name in ("mask_upsampling.json", "gaussian_blur.json", "occlusion_windows.json"):
        print("  %8d  %s" % (os.path.getsize(out_path(name)), os.path.relpath(out_path(name), fixture.ROOT)))


if __name__ == "__main__":
    main()
