#!/usr/bin/env python3
"""Build vitex's test fixtures: a tiny ViT trained on synthetic shapes, two
analytic TorchScript test models, evaluation images and torch reference values.

Run from anywhere (paths resolve relative to this file's repository):

    /usr/bin/python3 scripts/make_fixture_model.py             # train and write everything
    /usr/bin/python3 scripts/make_fixture_model.py --reexport  # keep the trained weights: re-trace
                                                               # the ViT, rewrite attention/rise refs
    /usr/bin/python3 scripts/make_fixture_model.py --add-bf16  # keep the float32 files: add the bf16
                                                               # variants of tiny and shortcut

Needs torch (tested with Debian's torch 1.13 CPU), numpy and Pillow. Fully
seeded; takes a few minutes on 2 CPU cores. Outputs:

    models/vit-shapes-tiny/vit-shapes-tiny.{pt,bf16.pt,json}
    models/test/additive-linear.{pt,json}, additive-linear-weights.json
    models/test/single-cell.{pt,json}
    samples/shapes/<label>/img_NN.png, samples/shapes/boxes.csv
    core/src/test/resources/images/{wide_96x64.png,gray_50x70.png}
    core/src/test/resources/reference/{logits,gradients,integrated_gradients,
                                       resize,preprocess,attention,rise}.json

All models are traced with autograd ON (not under torch.no_grad()) and
check_trace=False, so that input gradients work through the TorchScript file
(see shared/djl-spark-notes.md).
"""

import colorsys
import csv
import json
import math
import os
import random
import sys
import time

import numpy as np

# Passive OpenMP waiting: with any competing CPU load, spinning OpenMP threads make
# torch 10x slower. Results do not depend on it.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402
import torch.nn as nn

import precision_variant
import torch.nn.functional as F
from PIL import Image

# FIXTURE_ROOT=<dir> writes the outputs under another directory (for trial runs).
ROOT = os.environ.get("FIXTURE_ROOT") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL_DIR = os.path.join(ROOT, "models", "vit-shapes-tiny")
TEST_MODEL_DIR = os.path.join(ROOT, "models", "test")
SAMPLES_DIR = os.path.join(ROOT, "samples", "shapes")
RES_DIR = os.path.join(ROOT, "core", "src", "test", "resources")
REF_DIR = os.path.join(RES_DIR, "reference")
IMG_DIR = os.path.join(RES_DIR, "images")

LABELS = ["square", "disk", "cross", "triangle"]
IMG = 64
PATCH = 8

SEED_TRAIN_DATA = 1001
SEED_HELDOUT_DATA = 2002
SEED_EVAL_PNGS = 3003
SEED_MODEL_INIT = 4004
SEED_TEST_MODELS = 5005
SEED_RESIZE = 6006

TRAIN_STEPS = 1500         # at most; batches of freshly generated images
BATCH = 128
PEAK_LR = 3e-3
WARMUP = 50
EVAL_EVERY = 100
STOP_ACCURACY = 0.985
HELDOUT = 2000
MIN_ACCURACY = 0.97
IG_STEPS = 2048


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


# --------------------------------------------------------------------------
# Synthetic shapes
# --------------------------------------------------------------------------

_YY, _XX = np.meshgrid(np.arange(IMG) + 0.5, np.arange(IMG) + 0.5, indexing="ij")


def shape_mask(cls, s, y0, x0):
    """Boolean 64x64 mask of a filled shape inside the s x s box at (y0, x0)."""
    yy, xx = _YY - y0, _XX - x0          # pixel centres relative to the box
    inside = (yy > 0) & (yy < s) & (xx > 0) & (xx < s)
    if cls == 0:                          # square
        return inside
    if cls == 1:                          # disk
        r = s / 2.0
        return (yy - r) ** 2 + (xx - r) ** 2 <= r * r
    if cls == 2:                          # cross (plus sign)
        t = max(3, int(round(s / 3.0)))
        a = (s - t) // 2
        hbar = (yy > a) & (yy < a + t)
        vbar = (xx > a) & (xx < a + t)
        return inside & (hbar | vbar)
    if cls == 3:                          # triangle, apex up
        half = (yy / s) * (s / 2.0)
        return inside & (np.abs(xx - s / 2.0) <= half)
    raise ValueError(cls)


def make_image(rng, cls):
    """One HxWx3 uint8 image and its ground-truth box (y0, x0, y1, x1), half-open."""
    grey = rng.uniform(100.0, 160.0)
    img = np.full((IMG, IMG, 3), grey, dtype=np.float64)
    s = int(rng.integers(10, 21))
    y0 = int(rng.integers(0, IMG - s + 1))
    x0 = int(rng.integers(0, IMG - s + 1))
    h = rng.uniform(0.0, 1.0)
    sat = rng.uniform(0.75, 1.0)
    val = rng.uniform(0.75, 1.0)
    colour = np.array(colorsys.hsv_to_rgb(h, sat, val)) * 255.0
    m = shape_mask(cls, s, y0, x0)
    img[m] = colour
    img += rng.normal(0.0, 12.0, size=img.shape)
    img = np.clip(np.rint(img), 0, 255).astype(np.uint8)
    ys, xs = np.nonzero(m)
    box = (int(ys.min()), int(xs.min()), int(ys.max()) + 1, int(xs.max()) + 1)
    return img, box


def make_batch(rng, n, classes=None):
    if classes is None:
        classes = rng.integers(0, 4, size=n)
    imgs = np.empty((n, IMG, IMG, 3), dtype=np.uint8)
    boxes = []
    for i, c in enumerate(classes):
        imgs[i], b = make_image(rng, int(c))
        boxes.append(b)
    return imgs, np.asarray(classes, dtype=np.int64), boxes


def normalize_uint8(imgs_hwc):
    """uint8 (N,H,W,3) -> float (N,3,H,W), (v/255 - 0.5)/0.5 == (v - 127.5)/127.5."""
    t = torch.from_numpy(np.array(imgs_hwc, dtype=np.uint8)).permute(0, 3, 1, 2).to(torch.float64)
    return ((t - 127.5) / 127.5)


# --------------------------------------------------------------------------
# Tiny ViT in plain torch
# --------------------------------------------------------------------------

# Debian's torch 1.13 links the reference (netlib) BLAS, so matmul/addmm/bmm run at
# ~1-3 GFLOP/s, while mkldnn convolutions run ~10x faster. For TRAINING only, the
# modules below can take a "fast" path that computes the very same functions with
# convolutions (1x1 convs for the linear layers, grouped convs for the two attention
# products). The exported (traced) model uses the plain matmul path; main() checks
# that both paths agree.

def linear_tokens(x, layer, fast):
    """layer(x) for x of shape (b, n, d_in)."""
    if not fast:
        return layer(x)
    y = F.conv2d(x.transpose(1, 2).unsqueeze(-1), layer.weight[:, :, None, None], layer.bias)
    return y.squeeze(-1).transpose(1, 2)


def batched_qk(q, k):
    """(g, n, hd) x (g, n, hd) -> (g, n_q, n_k) = q @ k^T as one grouped convolution."""
    g, n, hd = q.shape
    inp = q.transpose(1, 2).reshape(1, g * hd, n, 1)        # channels (g, hd), spatial n_q
    w = k.reshape(g * n, hd, 1, 1)                          # out channels (g, n_k)
    out = F.conv2d(inp, w, groups=g)                        # (1, g*n_k, n_q, 1)
    return out.reshape(g, n, n).transpose(1, 2)


def batched_av(att, v):
    """(g, n_q, n_k) x (g, n_k, hd) -> (g, n_q, hd) = att @ v as one grouped convolution."""
    g, n, hd = v.shape
    inp = att.transpose(1, 2).reshape(1, g * n, n, 1)       # channels (g, n_k), spatial n_q
    w = v.transpose(1, 2).reshape(g * hd, n, 1, 1)          # out channels (g, hd)
    out = F.conv2d(inp, w, groups=g)                        # (1, g*hd, n_q, 1)
    return out.reshape(g, hd, n).transpose(1, 2)


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.head_dim = dim // heads
        self.scale = self.head_dim ** -0.5
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.keep = None        # a list to collect the attention probabilities in (torch references only)

    def forward(self, x, fast=False, gate=None):
        """gate (b, heads, n, n) multiplies the attention probabilities (see forward_attention);
        with a gate the probabilities are returned too."""
        b, n, d = x.shape
        qkv = linear_tokens(x, self.qkv, fast)
        qkv = qkv.reshape(b, n, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]                     # (b, h, n, hd)
        if fast:
            g = b * self.heads
            att = batched_qk(q.reshape(g, n, self.head_dim), k.reshape(g, n, self.head_dim))
            att = torch.softmax(att * self.scale, dim=-1)
            out = batched_av(att, v.reshape(g, n, self.head_dim)).reshape(b, self.heads, n, self.head_dim)
        else:
            att = torch.matmul(q, k.transpose(-2, -1)) * self.scale
            att = torch.softmax(att, dim=-1)
            if self.keep is not None:          # reference hook on the softmax output
                self.keep.append(att)
            if gate is not None:
                att = att * gate
            out = torch.matmul(att, v)
        out = out.transpose(1, 2).reshape(b, n, d)
        out = linear_tokens(out, self.proj, fast)
        return out if gate is None else (out, att)


class Block(nn.Module):
    def __init__(self, dim, heads, mlp):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.fc1 = nn.Linear(dim, mlp)
        self.fc2 = nn.Linear(mlp, dim)

    def forward(self, x, fast=False):
        x = x + self.attn(self.norm1(x), fast)
        return self.mlp(x, fast)

    def mlp(self, x, fast=False):
        h = F.gelu(linear_tokens(self.norm2(x), self.fc1, fast))
        return x + linear_tokens(h, self.fc2, fast)

    def gated(self, x, gate):
        """The block with its attention probabilities multiplied by gate; returns (x, probabilities)."""
        y, att = self.attn(self.norm1(x), False, gate)
        return self.mlp(x + y), att


class TinyViT(nn.Module):
    def __init__(self, img=IMG, patch=PATCH, dim=64, depth=4, heads=4, mlp=128, classes=4):
        super().__init__()
        n = (img // patch) ** 2
        self.patch_embed = nn.Conv2d(3, dim, kernel_size=patch, stride=patch)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, n + 1, dim))
        self.blocks = nn.ModuleList([Block(dim, heads, mlp) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, classes)
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        nn.init.trunc_normal_(self.cls_token, std=0.02)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=0.02)
                nn.init.zeros_(m.bias)

        self.fast = False       # training-only conv path (see above); never traced

    def embed(self, x):
        x = self.patch_embed(x).flatten(2).transpose(1, 2)     # (b, 64, dim)
        cls = self.cls_token.expand(x.shape[0], -1, -1)
        return torch.cat([cls, x], dim=1) + self.pos_embed

    def forward(self, x):
        x = self.embed(x)
        for blk in self.blocks:
            x = blk(x, self.fast)
        x = self.norm(x)
        return self.head(x[:, 0])

    def forward_attention(self, x, gates):
        """(logits, attention) with every layer's attention probabilities multiplied by
        gates (layers, b, heads, T, T) — all ones in vitex, so the logits are forward's and the
        gradient with respect to the gates is (dS/dA) * A, Chefer's rule. attention is the gated
        probabilities stacked, (layers, b, heads, T, T), T = 1 + patches (CLS first)."""
        x = self.embed(x)
        atts = []
        for i, blk in enumerate(self.blocks):
            x, att = blk.gated(x, gates[i])
            atts.append(att)
        return self.head(self.norm(x)[:, 0]), torch.stack(atts)


# --------------------------------------------------------------------------
# Analytic test models
# --------------------------------------------------------------------------

class AdditiveLinear(nn.Module):
    """logits[n,c] = sum_j a[c,j] * S_j(x_n) + b[c]; S_j = sum of the 3x8x8 values of patch j."""

    def __init__(self, a, b):
        super().__init__()
        self.a = nn.Parameter(a, requires_grad=False)          # (4, 64)
        self.b = nn.Parameter(b, requires_grad=False)          # (4,)

    def forward(self, x):
        g = IMG // PATCH
        p = x.reshape(-1, 3, g, PATCH, g, PATCH).sum(dim=(1, 3, 5))   # (n, gy, gx)
        s = p.reshape(-1, g * g)                                       # row-major j = gy*8+gx
        return torch.matmul(s, self.a.t()) + self.b


class SingleCell(nn.Module):
    """Logits depend only on patch (row 2, col 5) = unit 21: k*m^2 + l*m + b, m = its mean."""

    ROW, COL = 2, 5

    def __init__(self, k, l, b):
        super().__init__()
        self.k = nn.Parameter(k, requires_grad=False)
        self.l = nn.Parameter(l, requires_grad=False)
        self.b = nn.Parameter(b, requires_grad=False)

    def forward(self, x):
        y0, x0 = self.ROW * PATCH, self.COL * PATCH
        m = x[:, :, y0:y0 + PATCH, x0:x0 + PATCH].mean(dim=(1, 2, 3)).unsqueeze(1)  # (n, 1)
        return self.k * m * m + self.l * m + self.b


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def card(name, file, labels):
    return {"name": name, "format": "torchscript", "file": file,
            "input_size": [64, 64], "patch_size": 8, "channels": 3,
            "rescale": 0.00392156862745098, "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5],
            "resize": "bilinear", "crop": "none", "output": "tensor",
            "labels": labels}


def write_json(path, obj, pretty=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        if pretty:
            json.dump(obj, f, indent=2)
        else:
            json.dump(obj, f, separators=(",", ":"))
        f.write("\n")


def dumps_compact(obj, fmt="%.7g"):
    """Compact JSON with floats formatted by fmt (default: 7 significant digits)."""
    def enc(o):
        if isinstance(o, dict):
            return "{" + ",".join(json.dumps(k) + ":" + enc(v) for k, v in o.items()) + "}"
        if isinstance(o, (list, tuple)):
            return "[" + ",".join(enc(v) for v in o) + "]"
        if isinstance(o, float):
            if not math.isfinite(o):
                raise ValueError("non-finite float")
            return fmt % o
        return json.dumps(o)
    s = enc(obj)
    json.loads(s)   # sanity: valid JSON
    return s


def write_json_floats(path, obj, fmt="%.7g"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(dumps_compact(obj, fmt))
        f.write("\n")


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def trace_and_save(model, path):
    """Trace with autograd ON (not under no_grad) and save."""
    model = model.eval()
    example = torch.zeros(1, 3, IMG, IMG)
    assert torch.is_grad_enabled()
    traced = torch.jit.trace(model, example, check_trace=False)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    traced.save(path)
    return traced


def gates_of(model, b):
    """The all-ones gates of TinyViT.forward_attention for a batch of b: (layers, b, heads, T, T)."""
    t = (IMG // PATCH) ** 2 + 1
    return torch.ones(len(model.blocks), b, model.blocks[0].attn.heads, t, t)


def attention_card(model):
    """The card's 'attention' field (docs/design.md § Model): how vitex reaches the probabilities."""
    return {"method": "forward_attention", "layers": len(model.blocks), "heads": model.blocks[0].attn.heads,
            "prefix_tokens": 1}


def trace_vit(model, path):
    """Traces forward(x) (the logits, unchanged) and forward_attention(x, gates) into one
    TorchScript file, autograd ON."""
    model = model.eval()
    example = torch.zeros(1, 3, IMG, IMG)
    assert torch.is_grad_enabled()
    traced = torch.jit.trace_module(model, {"forward": example,
                                            "forward_attention": (example, gates_of(model, 1))},
                                    check_trace=False)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    traced.save(path)
    return traced


def write_vit(model, xs):
    """Traces and saves the ViT, its bf16 variant (compared with the ViT on xs) and its card; returns
    the path of the .pt file."""
    os.makedirs(MODEL_DIR, exist_ok=True)
    p_vit = os.path.join(MODEL_DIR, "vit-shapes-tiny.pt")
    trace_vit(model, p_vit)
    c = card("vit-shapes-tiny", "vit-shapes-tiny.pt", LABELS)
    c["attention"] = attention_card(model)
    c["precisions"] = write_bf16(model, MODEL_DIR, "vit-shapes-tiny", True, xs)
    write_json(os.path.join(MODEL_DIR, "vit-shapes-tiny.json"), c)
    return p_vit


# the layers a low-precision variant keeps in float32 (scripts/precision_variant.py says why)
KEEP_FP32 = ("patch_embed", "norm", "head")


def write_bf16(model, folder, name, attention, xs):
    """Traces the bf16 variant NAME.bf16.pt (scripts/precision_variant.py) beside NAME.pt, prints how
    far it is from the float32 model on the images xs, and returns the card's 'precisions' field."""
    gates = gates_of(model, 1) if attention else None
    path = os.path.join(folder, precision_variant.file_name(name, "bf16"))
    precision_variant.trace(model.eval(), "bf16", torch.zeros(1, 3, IMG, IMG), gates, KEEP_FP32).save(path)
    d, g, a = precision_variant.compare(model, torch.jit.load(path), xs, gates_of(model, len(xs)) if attention else None)
    print("wrote %s: max |logit diff| vs float32 %.3g on %d images%s, input gradients %.3g of the max"
          % (path, d, len(xs), "" if a is None else " (forward_attention %.3g)" % a, g), flush=True)
    assert d <= 0.5 and g <= 0.5, "the bf16 variant is far from the float32 model"
    return {"bf16": os.path.basename(path)}


def sample_batch():
    """The 24 sample images, normalised, in file order: (24, 3, 64, 64) float32."""
    ids = sorted("%s/%s" % (lab, f) for lab in LABELS for f in os.listdir(os.path.join(SAMPLES_DIR, lab)))
    return torch.cat([load_png_normalized(i) for i in ids]).float()


def add_bf16():
    """--add-bf16: writes the bf16 variants of the committed vit-shapes-tiny and vit-shapes-shortcut
    from their float32 files (not re-traced: their bytes, and the references computed from them,
    stay as they are) and adds 'precisions' to their cards."""
    torch.set_num_threads(2)
    xs = sample_batch()
    for name, attention in (("vit-shapes-tiny", True), ("vit-shapes-shortcut", False)):
        folder = os.path.join(ROOT, "models", name)
        model = TinyViT()
        model.load_state_dict(torch.jit.load(os.path.join(folder, name + ".pt")).state_dict())
        p_card = os.path.join(folder, name + ".json")
        with open(p_card) as f:
            c = json.load(f)
        c["precisions"] = write_bf16(model.eval(), folder, name, attention, xs)
        write_json(p_card, c)


def verify_traced(path, eager, x):
    """Reload, compare to eager on a batch of another size, check input gradients flow."""
    traced = torch.jit.load(path)
    traced.eval()
    with torch.no_grad():
        d = (traced(x) - eager(x)).abs().max().item()
    xg = x[:3].clone().requires_grad_()
    out = traced(xg)
    out[0, 0].backward()
    assert xg.grad is not None and torch.isfinite(xg.grad).all()
    xe = x[:3].clone().requires_grad_()
    eager(xe)[0, 0].backward()
    dg = (xg.grad - xe.grad).abs().max().item()
    return d, dg, xg.grad.abs().sum().item()


def file_size(path):
    return os.path.getsize(path)


# --------------------------------------------------------------------------
# Steps
# --------------------------------------------------------------------------

def evaluate(model, x, y, bs=500):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(y), bs):
            correct += (model(x[i:i + bs]).argmax(1) == y[i:i + bs]).sum().item()
    return correct / len(y)


def train_vit():
    seed_everything(SEED_MODEL_INIT)
    model = TinyViT()
    # PyTorch's default (fan-in) initialisation of the linear layers: the 0.02 truncated normal
    # of large ViTs left this small one at chance level for hundreds of steps.
    for m in model.modules():
        if isinstance(m, nn.Linear):
            m.reset_parameters()
    model.fast = True          # conv-based path for speed; same function and parameters
    rng_train = np.random.default_rng(SEED_TRAIN_DATA)
    rng_held = np.random.default_rng(SEED_HELDOUT_DATA)
    himgs, hy, _ = make_batch(rng_held, HELDOUT)
    hx = normalize_uint8(himgs).float()
    hy = torch.from_numpy(hy)

    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if p.ndim <= 1 or name in ("cls_token", "pos_embed") else decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05},
                             {"params": no_decay, "weight_decay": 0.0}], lr=PEAK_LR)
    print("Training tiny ViT (up to %d steps x %d fresh images, stops at %.3f held-out) ..."
          % (TRAIN_STEPS, BATCH, STOP_ACCURACY), flush=True)
    t0 = time.time()
    acc = 0.0
    seen = 0
    for step in range(TRAIN_STEPS):
        lr = PEAK_LR * (step + 1) / WARMUP if step < WARMUP else \
            PEAK_LR * 0.5 * (1 + math.cos(math.pi * (step - WARMUP) / (TRAIN_STEPS - WARMUP)))
        for g in opt.param_groups:
            g["lr"] = lr
        imgs, y, _ = make_batch(rng_train, BATCH)
        seen += BATCH
        model.train()
        loss = F.cross_entropy(model(normalize_uint8(imgs).float()), torch.from_numpy(y))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if (step + 1) % EVAL_EVERY == 0 or step + 1 == TRAIN_STEPS:
            acc = evaluate(model, hx, hy)
            print("  step %d/%d loss %.4f held-out acc %.4f (%.0fs)" % (step + 1, TRAIN_STEPS, loss.item(), acc,
                  time.time() - t0), flush=True)
            if acc >= STOP_ACCURACY:
                break
    print("HELD-OUT ACCURACY: %.4f on %d images (%d training images seen)" % (acc, HELDOUT, seen), flush=True)
    if acc < MIN_ACCURACY:
        sys.exit("held-out accuracy %.4f below the required %.2f" % (acc, MIN_ACCURACY))
    model.eval()
    model.fast = False
    return model, acc, hx, hy


def write_eval_pngs():
    rng = np.random.default_rng(SEED_EVAL_PNGS)
    rows = []
    for c, label in enumerate(LABELS):
        d = os.path.join(SAMPLES_DIR, label)
        os.makedirs(d, exist_ok=True)
        for i in range(6):
            img, box = make_image(rng, c)
            name = "img_%02d.png" % i
            Image.fromarray(img, mode="RGB").save(os.path.join(d, name))
            rows.append(("%s/%s" % (label, name), label) + box)
    with open(os.path.join(SAMPLES_DIR, "boxes.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["image_id", "label", "y0", "x0", "y1", "x1"])
        w.writerows(rows)
    return [r[0] for r in rows]


def load_png_normalized(image_id):
    img = Image.open(os.path.join(SAMPLES_DIR, image_id))
    assert img.mode == "RGB" and img.size == (IMG, IMG), (img.mode, img.size)
    return normalize_uint8(np.asarray(img)[None])          # float64 (1,3,64,64)


def apply_mode(logits, mode):
    if mode == "logits":
        return logits
    if mode == "softmax":
        return torch.softmax(logits, dim=1)
    if mode == "log_softmax":
        return torch.log_softmax(logits, dim=1)
    raise ValueError(mode)


def reference_logits(model64, traced32, image_ids):
    out = []
    max_diff32 = 0.0
    for iid in image_ids:
        x = load_png_normalized(iid)
        with torch.no_grad():
            l64 = model64(x)[0]
            l32 = traced32(x.float())[0].double()
        max_diff32 = max(max_diff32, (l64 - l32).abs().max().item())
        out.append({"image_id": iid, "logits": flat(l64), "predicted": int(l64.argmax())})
    write_json_floats(os.path.join(REF_DIR, "logits.json"), {"images": out})
    return out, max_diff32


def reference_gradients(model64, ids4):
    images = []
    for iid in ids4:
        x0 = load_png_normalized(iid)
        with torch.no_grad():
            target = int(model64(x0)[0].argmax())
        modes = {}
        for mode in ("logits", "softmax", "log_softmax"):
            x = x0.clone().requires_grad_()
            score = apply_mode(model64(x), mode)[0, target]
            (g,) = torch.autograd.grad(score, x)
            modes[mode] = {"score": float(score), "gradient": flat(g[0])}
        images.append({"image_id": iid, "target": target, "modes": modes})
    write_json_floats(os.path.join(REF_DIR, "gradients.json"), {"images": images})


def reference_ig(model, model64, ids4, steps=IG_STEPS, chunk=256):
    """Integrated gradients, zero baseline (normalised space), midpoint rule, logits mode.
    f(x) and f(baseline) are float64. The path gradients come from the float32 conv path
    of the same model (float64 through this torch's reference BLAS would take minutes)
    and are accumulated in float64; main() prints the fp32-vs-fp64 gradient error."""
    fast = TinyViT()
    fast.load_state_dict(model.state_dict())
    fast.eval()
    fast.fast = True
    images = []
    for iid in ids4:
        x = load_png_normalized(iid)
        base = torch.zeros_like(x)
        with torch.no_grad():
            target = int(model64(x)[0].argmax())
            fx = float(model64(x)[0, target])
            fb = float(model64(base)[0, target])
        alphas = (torch.arange(steps, dtype=torch.float64) + 0.5) / steps     # midpoint rule
        gsum = torch.zeros_like(x)
        half = torch.zeros_like(x)                  # steps/2 midpoint rule, for a convergence check
        for i in range(0, steps, chunk):
            a = alphas[i:i + chunk].view(-1, 1, 1, 1)
            p = (base + a * (x - base)).float().requires_grad_()
            s = fast(p)[:, target].sum()
            (g,) = torch.autograd.grad(s, p)
            gsum += g.double().sum(0, keepdim=True)
        for i in range(0, steps // 2, chunk):
            a = ((torch.arange(i, min(i + chunk, steps // 2), dtype=torch.float64) + 0.5)
                 / (steps // 2)).view(-1, 1, 1, 1)
            p = (base + a * (x - base)).float().requires_grad_()
            (g,) = torch.autograd.grad(fast(p)[:, target].sum(), p)
            half += g.double().sum(0, keepdim=True)
        attr = (x - base) * gsum / steps
        attr_half = (x - base) * half / (steps // 2)
        images.append({"image_id": iid, "target": target, "steps": steps, "rule": "midpoint",
                       "baseline": "zeros", "f_x": fx, "f_baseline": fb,
                       "attribution_sum": float(attr.sum()),
                       "attribution": flat(attr[0]),
                       "attribution_channel_mean": flat(attr[0].mean(0))})
        print("  IG %s target %d: sum %.6f vs f(x)-f(b) %.6f; max |A_%d - A_%d| %.2e (max |A| %.2e)"
              % (iid, target, attr.sum().item(), fx - fb, steps, steps // 2,
                 (attr - attr_half).abs().max().item(), attr.abs().max().item()), flush=True)
    write_json_floats(os.path.join(REF_DIR, "integrated_gradients.json"), {"images": images})


def reference_resize():
    rng = np.random.default_rng(SEED_RESIZE)
    cases = []
    for (ih, iw, oh, ow) in [(64, 64, 8, 8), (64, 64, 16, 16), (37, 29, 10, 7),
                             (48, 64, 6, 8), (10, 12, 25, 30), (64, 64, 64, 64)]:
        # 6-decimal inputs: the JSON text is the exact value torch sees (in float64)
        inp = np.round(rng.standard_normal((ih, iw)), 6)
        t = torch.from_numpy(inp)[None, None]
        case = {"in_h": ih, "in_w": iw, "out_h": oh, "out_w": ow,
                "input": [float("%.6f" % v) for v in inp.reshape(-1)]}
        for mode in ("bilinear", "bicubic"):
            r = F.interpolate(t, size=(oh, ow), mode=mode, antialias=True, align_corners=False)
            case[mode] = flat(r)
        case["area"] = flat(F.interpolate(t, size=(oh, ow), mode="area"))
        if oh <= ih and ow <= iw:
            assert torch.allclose(F.adaptive_avg_pool2d(t, (oh, ow)),
                                  F.interpolate(t, size=(oh, ow), mode="area"))
        cases.append(case)
    write_json_floats(os.path.join(REF_DIR, "resize.json"), {"cases": cases}, fmt="%.9g")


def reference_preprocess():
    os.makedirs(IMG_DIR, exist_ok=True)
    # wide_96x64.png: RGB, 96 wide x 64 high, gradients plus a checker texture
    w, h = 96, 64
    yy, xx = np.mgrid[0:h, 0:w]
    r = np.rint(xx * 255.0 / (w - 1))
    g = np.rint(yy * 255.0 / (h - 1))
    b = np.where(((xx // 6) + (yy // 6)) % 2 == 0, 40, 215) + (xx + yy) % 7
    wide = np.stack([r, g, b], axis=-1).astype(np.uint8)
    # gray_50x70.png: 8-bit greyscale, 50 wide x 70 high, radial pattern plus stripes
    w2, h2 = 50, 70
    yy, xx = np.mgrid[0:h2, 0:w2]
    rad = np.sqrt((xx - 20.0) ** 2 + (yy - 30.0) ** 2)
    gray = np.clip(np.rint(128 + 100 * np.cos(rad / 4.0) * np.exp(-rad / 60.0)
                           + np.where(xx % 9 < 2, 25, 0)), 0, 255).astype(np.uint8)
    files = [("wide_96x64.png", Image.fromarray(wide, mode="RGB")),
             ("gray_50x70.png", Image.fromarray(gray, mode="L"))]
    out = []
    for name, im in files:
        path = os.path.join(IMG_DIR, name)
        im.save(path)
        back = Image.open(path)
        mode = back.mode
        rgb = back.convert("RGB")                 # HF processors convert to RGB first
        res = rgb.resize((IMG, IMG), Image.BILINEAR)
        arr = np.asarray(res)                     # (64, 64, 3) uint8
        norm = normalize_uint8(arr[None])[0]
        out.append({"file": "images/" + name, "width": back.size[0], "height": back.size[1],
                    "mode": mode, "resize": "PIL Image.resize((64, 64), Image.BILINEAR) after convert('RGB')",
                    "bilinear_resize_uint8": [int(v) for v in arr.transpose(2, 0, 1).reshape(-1)],
                    "bilinear_resize_normalized": flat(norm)})
    write_json_floats(os.path.join(REF_DIR, "preprocess.json"), {"images": out}, fmt="%.9g")


def make_test_models():
    gen = torch.Generator().manual_seed(SEED_TEST_MODELS)
    a = (torch.randn(4, 64, generator=gen) * 0.05).float()
    b = (torch.randn(4, generator=gen) * 0.1).float()
    add = AdditiveLinear(a.clone(), b.clone()).eval()
    p_add = os.path.join(TEST_MODEL_DIR, "additive-linear.pt")
    trace_and_save(add, p_add)
    write_json(os.path.join(TEST_MODEL_DIR, "additive-linear.json"),
               card("additive-linear", "additive-linear.pt", ["a", "b", "c", "d"]))
    # 9 significant digits round-trip float32 exactly: these are the model's weights
    write_json_floats(os.path.join(TEST_MODEL_DIR, "additive-linear-weights.json"),
                      {"a": [[float(v) for v in row] for row in a.tolist()],
                       "b": [float(v) for v in b.tolist()]}, fmt="%.9g")

    k = torch.tensor([[1.5, -2.0, 0.75, 3.0]])
    l = torch.tensor([[0.5, 1.25, -1.0, 0.0]])
    c = torch.tensor([[0.1, -0.3, 0.2, 0.05]])
    single = SingleCell(k, l, c).eval()
    p_single = os.path.join(TEST_MODEL_DIR, "single-cell.pt")
    trace_and_save(single, p_single)
    write_json(os.path.join(TEST_MODEL_DIR, "single-cell.json"),
               card("single-cell", "single-cell.pt", ["a", "b", "c", "d"]))

    # checks
    x = torch.rand(5, 3, IMG, IMG, generator=gen) * 2 - 1
    res = {}
    for name, eager, path in (("additive-linear", add, p_add), ("single-cell", single, p_single)):
        d, dg, gs = verify_traced(path, eager, x)
        res[name] = (d, dg)
        print("  %s: traced vs eager max |diff| %.2e, grad diff %.2e, |grad| sum %.3g" % (name, d, dg, gs))
    # analytic checks: additive gradient = a[c, patch(j)] everywhere; single-cell only touches unit 21
    t = torch.jit.load(p_add)
    xg = x[:1].clone().requires_grad_()
    t(xg)[0, 2].backward()
    expect = a[2].view(8, 8).repeat_interleave(8, 0).repeat_interleave(8, 1).expand(3, 64, 64)
    assert torch.allclose(xg.grad[0], expect), "additive-linear gradient mismatch"
    t = torch.jit.load(p_single)
    xg = x[:1].clone().requires_grad_()
    t(xg)[0, 1].backward()
    nz = xg.grad[0].abs().sum(0) > 0
    assert nz[16:24, 40:48].all() and nz.sum() == 64, "single-cell gradient support wrong"
    return res


# --------------------------------------------------------------------------
# Attention and RISE references (plain torch, float64, hooks on the softmax)
# --------------------------------------------------------------------------

HEAD_FUSIONS = ("mean", "max", "min")
DISCARD_RATIO = 0.5        # the non-zero discard_ratio the tests check (besides 0)
SEED_RISE = 7007
RISE_N, RISE_S, RISE_P = 96, 7, 0.5


def attention_and_gradients(model64, x, target):
    """Every layer's softmax output (1, heads, T, T), collected by the reference hook of
    Attention, and the gradients of logit[target] with respect to them."""
    for blk in model64.blocks:
        blk.attn.keep = []
    try:
        score = model64(x)[0, target]
        atts = [blk.attn.keep[0] for blk in model64.blocks]
    finally:
        for blk in model64.blocks:
            blk.attn.keep = None
    grads = torch.autograd.grad(score, atts)
    return [a.detach()[0] for a in atts], [g[0] for g in grads]


def rollout(atts, fusion, discard):
    """Attention rollout (Abnar & Zuidema 2020) as jacobgil/vit-explain computes it, with the rows
    renormalised: per layer fuse heads, zero the floor(T*T*discard) lowest fused weights (never
    CLS->CLS; ties in index order), A' = rows-normalised (0.5 A + 0.5 I), R = A'_L ... A'_1."""
    t = atts[0].shape[-1]
    eye = torch.eye(t, dtype=atts[0].dtype)
    r = eye.clone()
    for a in atts:
        f = {"mean": lambda: a.mean(0), "max": lambda: a.max(0)[0], "min": lambda: a.min(0)[0]}[fusion]()
        if discard > 0:
            flat = f.reshape(-1).clone()
            idx = torch.sort(flat, stable=True)[1][:int(flat.numel() * discard)]
            flat[idx[idx != 0]] = 0
            f = flat.view(t, t)
        ab = 0.5 * f + 0.5 * eye
        r = (ab / ab.sum(-1, keepdim=True)) @ r
    return r[0, 1:]


def chefer(atts, grads):
    """Gradient-weighted attention (Chefer et al. 2021b): R = I; R += mean_h((dS/dA * A)+) R."""
    t = atts[0].shape[-1]
    r = torch.eye(t, dtype=atts[0].dtype)
    for a, g in zip(atts, grads):
        r = r + (g * a).clamp(min=0).mean(0) @ r
    return r[0, 1:]


def reference_attention(model64, traced, ids):
    """attention.json: rollout for every head fusion with discard 0 and DISCARD_RATIO, and the
    gradient-weighted attention, per image (target = predicted class, logits mode); also checks
    that the traced forward_attention's gate gradients equal (dS/dA) * A."""
    images = []
    worst = 0.0
    for iid in ids:
        x = load_png_normalized(iid)
        with torch.no_grad():
            target = int(model64(x)[0].argmax())
        atts, grads = attention_and_gradients(model64, x, target)
        rec = {"image_id": iid, "target": target, "attention_gradient": flat(chefer(atts, grads)), "rollout": {}}
        for fusion in HEAD_FUSIONS:
            for discard in (0.0, DISCARD_RATIO):
                rec["rollout"]["%s_%g" % (fusion, discard)] = flat(rollout(atts, fusion, discard))
        images.append(rec)
        gates = gates_of(model64, 1).requires_grad_()
        logits, probs = traced.forward_attention(x.float(), gates)
        (gg,) = torch.autograd.grad(logits[0, target], gates)
        want = torch.stack([g * a for g, a in zip(grads, atts)])
        worst = max(worst, ((gg[:, 0].double() - want).abs().max() / want.abs().max()).item())
        worst = max(worst, (probs[:, 0].double() - torch.stack(atts)).abs().max().item())
    print("  traced gate gradients vs (dS/dA)*A, attention vs softmax hook: max rel diff %.2e" % worst, flush=True)
    assert worst < 1e-4, worst
    write_json_floats(os.path.join(REF_DIR, "attention.json"),
                      {"discard_ratio": DISCARD_RATIO, "mode": "logits", "images": images}, fmt="%.9g")


def rise_masks(rng, n, s, p, h, w):
    """The documented RISE mask recipe (Petsiuk et al. 2018): s x s cells kept with probability p,
    upsampled bilinearly (align_corners=False) to (s+1)*ceil(H/s) x (s+1)*ceil(W/s), cropped
    H x W at a random shift in [0, ceil(H/s)) x [0, ceil(W/s)). Returns (grids, shifts, masks)."""
    ch, cw = -(-h // s), -(-w // s)
    grids = (rng.random((n, s, s)) < p).astype(np.float64)
    shifts = np.stack([rng.integers(0, ch, n), rng.integers(0, cw, n)], axis=1)
    up = F.interpolate(torch.from_numpy(grids)[:, None], size=((s + 1) * ch, (s + 1) * cw),
                       mode="bilinear", align_corners=False)[:, 0]
    masks = torch.stack([up[i, dy:dy + h, dx:dx + w] for i, (dy, dx) in enumerate(shifts)])
    return grids, shifts, masks


def reference_rise(model64, ids):
    """rise.json: RISE saliency Σ f(x ⊙ M_i + b ⊙ (1 − M_i)) M_i / (N p), baseline b = 0 (normalised
    space), for masks of the documented recipe stored beside it, at pixel and patch granularity."""
    rng = np.random.default_rng(SEED_RISE)
    images = []
    for iid in ids:
        grids, shifts, masks = rise_masks(rng, RISE_N, RISE_S, RISE_P, IMG, IMG)
        x = load_png_normalized(iid)
        with torch.no_grad():
            target = int(model64(x)[0].argmax())
            f = model64(x * masks[:, None])[:, target]
        sal = (f[:, None, None] * masks).sum(0) / (RISE_N * RISE_P)
        images.append({"image_id": iid, "target": target,
                       "grids": [[int(v) for v in g.reshape(-1)] for g in grids],
                       "shifts": [[int(a), int(b)] for a, b in shifts],
                       "pixel": flat(sal), "patch": flat(F.avg_pool2d(sal[None, None], PATCH)[0, 0])})
    write_json_floats(os.path.join(REF_DIR, "rise.json"),
                      {"n": RISE_N, "s": RISE_S, "p": RISE_P, "baseline": "0.0", "mode": "logits",
                       "images": images}, fmt="%.9g")


def reexport():
    """--reexport: loads the trained weights of the committed vit-shapes-tiny.pt into TinyViT and
    traces it again with the current export (no retraining), checks the logits are unchanged on the
    24 sample images, and rewrites the attention and RISE references."""
    torch.set_num_threads(2)
    p_vit = os.path.join(MODEL_DIR, "vit-shapes-tiny.pt")
    old = torch.jit.load(p_vit).eval()
    model = TinyViT()
    model.load_state_dict(old.state_dict())
    model.eval()
    xs = sample_batch()
    with torch.no_grad():
        before = old(xs)
    write_vit(model, xs)
    new = torch.jit.load(p_vit).eval()
    with torch.no_grad():
        d = (new(xs) - before).abs().max().item()
        d_att = (new.forward_attention(xs, gates_of(model, len(xs)))[0] - before).abs().max().item()
    print("re-exported %s: max |logit diff| vs the old file %.3g (forward), %.3g (forward_attention) on %d images"
          % (p_vit, d, d_att, len(xs)), flush=True)
    assert d <= 1e-5 and d_att <= 1e-5
    model64 = TinyViT()
    model64.load_state_dict(model.state_dict())
    model64 = model64.double().eval()
    ids4 = ["%s/img_00.png" % lab for lab in LABELS]
    reference_attention(model64, new, ids4)
    reference_rise(model64, ids4[:2])


def main():
    t_start = time.time()
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)
    seed_everything(0)

    print("Analytic test models ...", flush=True)
    make_test_models()

    model, acc, hx, hy = train_vit()
    t_train = time.time() - t_start

    print("Tracing and saving the ViT ...", flush=True)
    p_vit = write_vit(model, hx[:24])
    d, dg, _ = verify_traced(p_vit, model, hx[:7])
    traced = torch.jit.load(p_vit).eval()
    acc_traced = evaluate(traced, hx, hy)
    print("  traced vs eager max |logit diff| %.2e, input-grad diff %.2e, traced held-out acc %.4f"
          % (d, dg, acc_traced), flush=True)

    print("Evaluation PNGs ...", flush=True)
    ids = write_eval_pngs()

    print("Reference values ...", flush=True)
    model64 = TinyViT()
    model64.load_state_dict(model.state_dict())
    model64 = model64.double().eval()
    logits, diff32 = reference_logits(model64, traced, ids)
    correct = sum(1 for r, iid in zip(logits, ids) if LABELS[r["predicted"]] == iid.split("/")[0])
    print("  eval PNGs correctly classified: %d/24; fp32 traced vs fp64 eager max |diff| %.2e"
          % (correct, diff32), flush=True)
    ids4 = ["%s/img_00.png" % lab for lab in LABELS]
    reference_gradients(model64, ids4)
    # precision of the float32 conv path (used for the IG path gradients) vs float64
    x0 = load_png_normalized(ids4[0])
    pts = torch.tensor([0.1, 0.4, 0.7, 1.0], dtype=torch.float64).view(-1, 1, 1, 1) * x0
    p64 = pts.clone().requires_grad_()
    (g64,) = torch.autograd.grad(model64(p64)[:, 0].sum(), p64)
    model.fast = True
    p32 = pts.float().requires_grad_()
    (g32,) = torch.autograd.grad(model(p32)[:, 0].sum(), p32)
    model.fast = False
    print("  path gradients, fp32 conv path vs fp64: max |diff| %.2e (max |grad| %.2e)"
          % ((g32.double() - g64).abs().max().item(), g64.abs().max().item()), flush=True)
    reference_ig(model, model64, ids4)
    reference_resize()
    reference_preprocess()
    reference_attention(model64, traced, ids4)
    reference_rise(model64, ids4[:2])

    print("\nSUMMARY")
    print("  held-out accuracy: %.4f (eager), %.4f (traced) on %d images" % (acc, acc_traced, HELDOUT))
    print("  eval PNGs correct: %d/24" % correct)
    print("  training time %.0fs, total %.0fs" % (t_train, time.time() - t_start))
    total = 0
    for base in (os.path.join(ROOT, "models"), SAMPLES_DIR, REF_DIR, IMG_DIR):
        for dirpath, _, files in sorted(os.walk(base)):
            for fn in sorted(files):
                p = os.path.join(dirpath, fn)
                if fn.endswith(".md"):
                    continue
                sz = file_size(p)
                total += sz
                if not fn.endswith(".png") or "samples" not in p:
                    print("  %9d  %s" % (sz, os.path.relpath(p, ROOT)))
    print("  (+ 24 sample PNGs under samples/shapes/)")
    print("  total %.2f MB" % (total / 1e6))


if __name__ == "__main__":
    if sys.argv[1:] == ["--reexport"]:
        reexport()
    elif sys.argv[1:] == ["--add-bf16"]:
        add_bf16()
    elif sys.argv[1:]:
        sys.exit("usage: make_fixture_model.py [--reexport | --add-bf16]")
    else:
        main()
