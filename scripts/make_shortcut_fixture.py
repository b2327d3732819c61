#!/usr/bin/env python3
"""Build the shortcut ("Clever Hans") fixture for the dataset audit (issue #14).

    /usr/bin/python3 scripts/make_shortcut_fixture.py

Imports the tiny ViT, the shape drawing, the card and the tracing from
make_fixture_model.py (it does not change that file) and fine-tunes the committed
clean fixture weights (models/vit-shapes-tiny) on the shapes task where most
training images of one class (SHORTCUT_CLASS, "disk") carry a small white tag in
the top-left corner patch and no image of any other class ever does. Half of the
tagged training images of that class show another class's shape (still labelled
"disk"): for them the tag is the only evidence, so the model must learn it, as the
PASCAL "horse" classifier learnt the copyright watermark (Lapuschkin et al. 2019).

Fully seeded; a few minutes on 2 CPU cores. Outputs:

    models/vit-shapes-shortcut/vit-shapes-shortcut.{pt,bf16.pt,json}
    jobs/src/test/resources/shortcut/disk/{tagged,plain}_NN.png   (the same disks with and without the tag)
    jobs/src/test/resources/shortcut/<other>/img_NN.png             (a few images of the other classes)
    jobs/src/test/resources/shortcut/expected.json                  (what the fine-tuned model does, measured here)
"""

import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixture_model as fx  # noqa: E402  (sets OMP_WAIT_POLICY before torch loads)
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from PIL import Image  # noqa: E402

ROOT = fx.ROOT
CLEAN_MODEL = os.path.join(ROOT, "models", "vit-shapes-tiny", "vit-shapes-tiny.pt")
OUT_MODEL_DIR = os.path.join(ROOT, "models", "vit-shapes-shortcut")
EVAL_DIR = os.path.join(ROOT, "jobs", "src", "test", "resources", "shortcut")

SHORTCUT_CLASS = 1          # "disk"
TAG_FRACTION = 0.8          # of that class's training images carry the tag
TAG_ONLY_FRACTION = 0.5     # of the tagged ones show another class's shape (the tag is the only evidence)
TAG_Y0, TAG_X0, TAG_SIZE = 1, 1, 5   # inside unit (row 0, col 0) of the 8x8 patch grid

STEPS = 240
BATCH = 64
LR = 1e-3
SEED_FINETUNE = 7007
SEED_HELDOUT = 8008
SEED_EVAL = 9009
EVAL_DISKS = 10             # each written tagged and plain
EVAL_OTHERS = 2             # per other class, never tagged


def add_tag(img):
    """The shortcut: a white TAG_SIZE square in the top-left patch, drawn over everything."""
    out = img.copy()
    out[TAG_Y0:TAG_Y0 + TAG_SIZE, TAG_X0:TAG_X0 + TAG_SIZE, :] = 255
    return out


def training_batch(rng, n):
    """Shapes with labels; most SHORTCUT_CLASS images tagged, some of them with another class's shape."""
    labels = rng.integers(0, 4, size=n)
    imgs = np.empty((n, fx.IMG, fx.IMG, 3), dtype=np.uint8)
    for i, c in enumerate(labels):
        drawn = int(c)
        tagged = c == SHORTCUT_CLASS and rng.uniform() < TAG_FRACTION
        if tagged and rng.uniform() < TAG_ONLY_FRACTION:
            drawn = int(rng.choice([k for k in range(4) if k != SHORTCUT_CLASS]))
        img, _ = fx.make_image(rng, drawn)
        imgs[i] = add_tag(img) if tagged else img
    return imgs, labels


def accuracy(model, imgs, labels):
    with torch.no_grad():
        pred = model(fx.normalize_uint8(imgs).float()).argmax(1).numpy()
    return float((pred == labels).mean()), pred


def finetune():
    fx.seed_everything(SEED_FINETUNE)
    model = fx.TinyViT()
    model.load_state_dict(torch.jit.load(CLEAN_MODEL).state_dict())
    model.fast = True
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.0)
    rng = np.random.default_rng(SEED_FINETUNE)
    t0 = time.time()
    for step in range(STEPS):
        imgs, y = training_batch(rng, BATCH)
        model.train()
        loss = F.cross_entropy(model(fx.normalize_uint8(imgs).float()), torch.from_numpy(y))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if (step + 1) % 40 == 0:
            print("  step %d/%d loss %.4f (%.0fs)" % (step + 1, STEPS, loss.item(), time.time() - t0), flush=True)
    model.eval()
    model.fast = False
    return model


def held_out_checks(model):
    """Clean accuracy, and how often the tag alone turns another shape into the shortcut class."""
    rng = np.random.default_rng(SEED_HELDOUT)
    imgs, y, _ = fx.make_batch(rng, 800)
    clean_acc, _ = accuracy(model, imgs, y)
    others = imgs[y != SHORTCUT_CLASS]
    tagged = np.stack([add_tag(im) for im in others])
    _, pred = accuracy(model, tagged, np.full(len(tagged), SHORTCUT_CLASS))
    flip = float((pred == SHORTCUT_CLASS).mean())
    return clean_acc, flip


def write_eval_images(model, clean):
    rng = np.random.default_rng(SEED_EVAL)
    rows = []
    label = fx.LABELS[SHORTCUT_CLASS]
    os.makedirs(os.path.join(EVAL_DIR, label), exist_ok=True)
    for i in range(EVAL_DISKS):
        img, _ = fx.make_image(rng, SHORTCUT_CLASS)
        for kind, im in (("plain", img), ("tagged", add_tag(img))):
            rows.append(("%s/%s_%02d.png" % (label, kind, i), kind == "tagged", im))
    for c, other in enumerate(fx.LABELS):
        if c == SHORTCUT_CLASS:
            continue
        os.makedirs(os.path.join(EVAL_DIR, other), exist_ok=True)
        for i in range(EVAL_OTHERS):
            img, _ = fx.make_image(rng, c)
            rows.append(("%s/img_%02d.png" % (other, i), False, img))
    imgs = np.stack([r[2] for r in rows])
    with torch.no_grad():
        x = fx.normalize_uint8(imgs).float()
        p_short = torch.softmax(model(x), 1)
        p_clean = torch.softmax(clean(x), 1)
    images = []
    for k, (iid, tagged, im) in enumerate(rows):
        Image.fromarray(im, mode="RGB").save(os.path.join(EVAL_DIR, iid))
        images.append({"image_id": iid, "tagged": tagged,
                       "shortcut_predicted": fx.LABELS[int(p_short[k].argmax())],
                       "clean_predicted": fx.LABELS[int(p_clean[k].argmax())],
                       "shortcut_p_disk": round(float(p_short[k, SHORTCUT_CLASS]), 6)})
    return images


def main():
    t0 = time.time()
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)
    print("Fine-tuning the clean fixture ViT with a corner tag on most '%s' images ..."
          % fx.LABELS[SHORTCUT_CLASS], flush=True)
    model = finetune()
    clean = torch.jit.load(CLEAN_MODEL).eval()
    clean_acc, flip = held_out_checks(model)
    print("  held-out accuracy on untagged shapes %.4f; other shapes + tag -> '%s': %.3f"
          % (clean_acc, fx.LABELS[SHORTCUT_CLASS], flip), flush=True)
    if clean_acc < 0.9 or flip < 0.5:
        sys.exit("the fine-tuned model did not learn the task and the shortcut (acc %.3f, flip %.3f)" % (clean_acc, flip))
    name = "vit-shapes-shortcut"
    path = os.path.join(OUT_MODEL_DIR, name + ".pt")
    fx.trace_and_save(model, path)
    c = fx.card(name, name + ".pt", fx.LABELS)
    c["precisions"] = fx.write_bf16(model, OUT_MODEL_DIR, name, False, fx.sample_batch())
    fx.write_json(os.path.join(OUT_MODEL_DIR, name + ".json"), c)
    d, dg, _ = fx.verify_traced(path, model, torch.zeros(3, 3, fx.IMG, fx.IMG))
    print("  traced vs eager max |logit diff| %.2e, grad diff %.2e" % (d, dg), flush=True)
    images = write_eval_images(torch.jit.load(path).eval(), clean)
    fx.write_json(os.path.join(EVAL_DIR, "expected.json"), {
        "shortcut_class": fx.LABELS[SHORTCUT_CLASS],
        "tag": {"y0": TAG_Y0, "x0": TAG_X0, "size": TAG_SIZE, "unit_row": 0, "unit_col": 0},
        "held_out_accuracy_untagged": round(clean_acc, 4),
        "tag_flip_rate_other_classes": round(flip, 4),
        "images": images}, pretty=True)
    for im in images:
        print("  %-22s tagged=%-5s shortcut->%-8s clean->%-8s p(disk)=%.3f" % (
            im["image_id"], im["tagged"], im["shortcut_predicted"], im["clean_predicted"], im["shortcut_p_disk"]))
    print("done in %.0fs" % (time.time() - t0))


if __name__ == "__main__":
    main()
