#!/usr/bin/env python3
"""Make a ViT-B/16-shaped TorchScript model (224x224, patch 16, 12 layers, hidden 768, random weights) for the benchmark.

Usage: /usr/bin/python3 bench/make_vit_b16.py OUT_DIR   (Debian's python3-torch; ~350 MB written, not committed)

It writes a Hugging Face-style checkpoint folder (config.json, preprocessor_config.json, pytorch_model.bin with
random weights) and exports it with scripts/export_vit.py, so the benchmark model goes through the same exporter
users run on real checkpoints.
"""
import json
import os
import shutil
import sys
import tempfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "scripts"))
import export_vit  # noqa: E402

CONFIG = {
    "architectures": ["ViTForImageClassification"], "model_type": "vit", "hidden_act": "gelu",
    "hidden_size": 768, "intermediate_size": 3072, "num_attention_heads": 12, "num_hidden_layers": 12,
    "image_size": 224, "patch_size": 16, "num_channels": 3, "layer_norm_eps": 1e-12, "qkv_bias": True,
    "id2label": {str(i): "class_%d" % i for i in range(10)},
}
PREPROCESSOR = {"do_resize": True, "do_rescale": True, "do_normalize": True, "image_mean": [0.5, 0.5, 0.5],
                "image_std": [0.5, 0.5, 0.5], "resample": 2, "rescale_factor": 1 / 255, "size": {"height": 224, "width": 224}}


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    torch.manual_seed(0)
    ckpt = tempfile.mkdtemp(prefix="vit-b16-ckpt-")
    try:
        c = export_vit.check_config(dict(CONFIG))
        model = export_vit.ViTClassifier(c, (224 // 16) ** 2, len(CONFIG["id2label"]))
        with torch.no_grad():
            for p in model.parameters():  # a ViT-like scale; zeros (torch defaults for cls/pos) would be too regular
                if p.dim() > 1 or p.shape[0] > 1:
                    p.normal_(0.0, 0.02)
        torch.save(model.state_dict(), os.path.join(ckpt, "pytorch_model.bin"))
        for name, obj in (("config.json", CONFIG), ("preprocessor_config.json", PREPROCESSOR)):
            with open(os.path.join(ckpt, name), "w") as f:
                json.dump(obj, f)
        sys.argv = ["export_vit.py", ckpt, out, "--name", "vit-b16-random"]
        return export_vit.main()
    finally:
        shutil.rmtree(ckpt, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
