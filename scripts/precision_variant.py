"""Low-precision TorchScript variants of a ViT for vitex's `precision` option (docs/design.md § Model).

Shared by export_vit.py, make_fixture_model.py and make_shortcut_fixture.py. A variant is the same
model with its parameters in the low dtype, traced with autograd on, whose methods take and return
float32: forward(x) casts x to the dtype, runs the model in it and returns float32 logits;
forward_attention(x, gates) (when the model has it) casts x and the gates likewise and returns
float32 logits and attention probabilities. Input gradients are therefore taken in the low
precision and arrive in float32 (the cast's backward), so vitex feeds every variant exactly as the
float32 file. Why a second file: DJL 0.36 cannot convert a loaded TorchScript module's parameters
(Block.cast aborts the JVM with libtorch 2.7.1; docs/djl-spark-notes.md).
"""
import copy

import torch
import torch.nn as nn

DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16}


class LowPrecision(nn.Module):
    """model in `dtype`, float32 in and out."""

    def __init__(self, model, dtype):
        super().__init__()
        self.model = copy.deepcopy(model).to(dtype).eval()
        self.dtype = dtype

    def forward(self, x):
        return self.model(x.to(self.dtype)).float()

    def forward_attention(self, x, gates):
        logits, att = self.model.forward_attention(x.to(self.dtype), gates.to(self.dtype))
        return logits.float(), att.float()


def file_name(name, precision):
    """NAME.bf16.pt beside NAME.pt: the card's precisions entry."""
    return "%s.%s.pt" % (name, precision)


def trace(model, precision, example, gates=None):
    """Traces the variant of `model` (float32, eval) for `precision`; gates: forward_attention's example
    gates, or None for a model without forward_attention. Autograd on, as every vitex model."""
    if precision == "fp16" and not torch.cuda.is_available():
        raise RuntimeError("fp16 variants are traced on a CUDA device (CPU fp16 kernels are incomplete); "
                           "this machine has none")
    assert torch.is_grad_enabled()
    wrapped = LowPrecision(model, DTYPES[precision])
    methods = {"forward": example}
    if gates is not None:
        methods["forward_attention"] = (example, gates)
    return torch.jit.trace_module(wrapped, methods, check_trace=False)


def compare(fp32, variant, x, gates=None):
    """Max |logit diff| of the variant against the float32 model on x, max |input-gradient diff| of
    the target-0 logit sum relative to the largest fp32 gradient, and (with gates) the attention
    forward's logit diff: the exporters print them and check them against generous bounds."""
    with torch.no_grad():
        d = float((variant(x) - fp32(x)).abs().max())
    xv, xf = x.clone().requires_grad_(), x.clone().requires_grad_()
    variant(xv)[:, 0].sum().backward()
    fp32(xf)[:, 0].sum().backward()
    g = float((xv.grad - xf.grad).abs().max() / xf.grad.abs().max().clamp_min(1e-12))
    a = None
    if gates is not None:
        with torch.no_grad():
            a = float((variant.forward_attention(x, gates)[0] - fp32(x)).abs().max())
    return d, g, a
