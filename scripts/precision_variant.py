"""Low-precision TorchScript variants of a ViT for vitex's `precision` option (docs/design.md § Model).

Shared by export_vit.py, make_fixture_model.py and make_shortcut_fixture.py. A variant is the same
model with its transformer blocks in the low dtype, traced with autograd on, whose methods take and
return float32: forward(x) returns float32 logits; forward_attention(x, gates) (when the model has it)
float32 logits and attention probabilities. Every layer casts its inputs to its own parameters' dtype
(a pre-hook the trace records), so vitex feeds a variant exactly as the float32 file, and input
gradients are taken in the low precision through the blocks and arrive as float32.

keep_fp32 names the layers that stay float32: the exporters keep the patch embedding and the final
layer norm + classifier there (a few % of a ViT's work). Measured on the shapes fixture
(docs/djl-spark-notes.md § Precision): with a bf16 head the logits are quantised to bf16 steps
(0.03 at a logit of 8), larger than what removing one background patch changes, and Occlusion's
per-image Pearson with float32 fell to 0.93; with a bf16 patch embedding libtorch 2.7.1's bf16
convolution backward made input × gradient maps fall to 0.86. Both are ≥ 0.99 with these two float32.

Why a second file: DJL 0.36 cannot convert a loaded TorchScript module's parameters (Block.cast
was reported to abort the JVM with libtorch 2.7.1 and here throws "Not implemented yet"; JniUtils has
no module-level dtype conversion; docs/djl-spark-notes.md § Precision).
"""
import copy

import torch
import torch.nn as nn

DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16}


class LowPrecision(nn.Module):
    """model in `dtype`, float32 in and out; the submodules named in keep_fp32 stay float32."""

    def __init__(self, model, dtype, keep_fp32=()):
        super().__init__()
        self.model = copy.deepcopy(model).to(dtype).eval()
        self.dtype = dtype
        for name in keep_fp32:
            self.model.get_submodule(name).float()
        for m in self.model.modules():
            own = list(m.parameters(recurse=False))
            if own and not list(m.children()):
                m.register_forward_pre_hook(cast_inputs_to(own[0].dtype))

    def forward(self, x):
        return self.model(x.to(self.dtype)).float()

    def forward_attention(self, x, gates):
        logits, att = self.model.forward_attention(x.to(self.dtype), gates.to(self.dtype))
        return logits.float(), att.float()


def cast_inputs_to(dtype):
    """A forward pre-hook casting a layer's floating inputs to its parameters' dtype (traced as casts)."""
    def hook(module, inputs):
        return tuple(x.to(dtype) if torch.is_tensor(x) and x.is_floating_point() else x for x in inputs)
    return hook


def file_name(name, precision):
    """NAME.bf16.pt beside NAME.pt: the card's precisions entry."""
    return "%s.%s.pt" % (name, precision)


def trace(model, precision, example, gates=None, keep_fp32=()):
    """Traces the variant of `model` (float32, eval) for `precision`; gates: forward_attention's example
    gates, or None for a model without forward_attention. Autograd on, as every vitex model."""
    if precision == "fp16" and not torch.cuda.is_available():
        raise RuntimeError("fp16 variants are traced on a CUDA device (CPU fp16 kernels are incomplete); "
                           "this machine has none")
    assert torch.is_grad_enabled()
    wrapped = LowPrecision(model, DTYPES[precision], keep_fp32)
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
