#!/usr/bin/env python3
"""Make models/test/oom-above-8: the tiny fixture ViT behind a guard that fails like libtorch's CPU allocator.

Usage: /usr/bin/python3 scripts/make_oom_model.py   (Debian's python3-torch; run from anywhere)

The wrapper's forward raises
    RuntimeError("DefaultCPUAllocator: can't allocate memory: you tried to allocate ... (simulated by the fixture)")
when the batch holds more than 8 images, and otherwise returns the logits of models/vit-shapes-tiny unchanged (the
traced ViT is loaded from its committed TorchScript file and called as a submodule, so the numbers are the tiny
model's exactly and input gradients still flow). Tests run it at batch_size 64 to exercise the out-of-memory
back-off: the batch must be halved to 8 before anything succeeds.
"""
import json
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
TINY = os.path.join(ROOT, "models", "vit-shapes-tiny")
OUT = os.path.join(ROOT, "models", "test")
NAME = "oom-above-8"
LIMIT = 8


class OomAbove(torch.nn.Module):
    def __init__(self, inner, limit: int):
        super().__init__()
        self.inner = inner
        self.limit = limit

    def forward(self, x):
        if x.shape[0] > self.limit:
            raise RuntimeError("DefaultCPUAllocator: can't allocate memory: you tried to allocate "
                               "more than this model allows (simulated by the fixture)")
        return self.inner(x)


def main():
    inner = torch.jit.load(os.path.join(TINY, "vit-shapes-tiny.pt"))
    wrapped = torch.jit.script(OomAbove(inner, LIMIT))
    x = torch.randn(LIMIT, 3, 64, 64, requires_grad=True)
    out = wrapped(x)
    assert torch.equal(out, inner(x)), "the wrapper must return the tiny model's logits unchanged"
    out[:, 0].sum().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0, "input gradients must flow through the wrapper"
    try:
        wrapped(torch.zeros(LIMIT + 1, 3, 64, 64))
        raise AssertionError("batch %d should fail" % (LIMIT + 1))
    except (RuntimeError, torch.jit.Error) as e:
        assert "DefaultCPUAllocator" in str(e)
    wrapped.save(os.path.join(OUT, NAME + ".pt"))
    with open(os.path.join(TINY, "vit-shapes-tiny.json")) as f:
        card = json.load(f)
    card.pop("attention", None)  # the wrapper exposes forward only
    card["name"] = NAME
    card["file"] = NAME + ".pt"
    with open(os.path.join(OUT, NAME + ".json"), "w") as f:
        f.write(json.dumps(card, separators=(",", ":")) + "\n")
    print("wrote %s/%s.pt and .json" % (OUT, NAME))


if __name__ == "__main__":
    main()
