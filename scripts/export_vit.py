#!/usr/bin/python3
"""Export a Hugging Face ViTForImageClassification checkpoint to TorchScript + a vitex model card.

usage: export_vit.py CHECKPOINT_DIR OUT_DIR [--name NAME] [--expect FILE] [--precisions bf16[,fp16] | none]

Needs only torch (>= 1.13) and numpy, no transformers: the ViT forward is re-implemented here,
weights come from model.safetensors (parsed directly) or pytorch_model.bin, with transformers-4
or transformers-5 parameter names. Writes OUT_DIR/NAME.pt and OUT_DIR/NAME.json (design.md § Model),
and by default the bf16 variant OUT_DIR/NAME.bf16.pt for vitex's `--precision bf16` (card field
`precisions`; fp16 is traced on request and needs a CUDA device).
Exit status: 0 exported and verified; 1 verification failed (nothing written);
2 refused (cannot export faithfully; one-line message on stderr).
"""
import argparse, json, os, re, shutil, struct, sys, tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import precision_variant

TOL = 1e-4
# the layers a low-precision variant keeps in float32 (scripts/precision_variant.py says why)
KEEP_FP32 = ("vit.embeddings.patch_embeddings.projection", "vit.layernorm", "classifier")
LOW_TOL = 0.1  # a low-precision variant's max |logit diff| vs float32, relative to the largest |logit|


class Refuse(Exception):
    pass


def note(msg):
    print("export_vit: note: " + msg, file=sys.stderr)


ACTS = {
    "gelu": lambda x: F.gelu(x), "gelu_python": lambda x: F.gelu(x),
    # gelu_new / gelu_fast are the tanh approximation written out; same function
    "gelu_pytorch_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "gelu_new": lambda x: F.gelu(x, approximate="tanh"),
    "gelu_fast": lambda x: F.gelu(x, approximate="tanh"),
    "quick_gelu": lambda x: x * torch.sigmoid(1.702 * x),
    "relu": F.relu, "silu": F.silu, "swish": F.silu, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
}


class Attention(nn.Module):
    def __init__(self, d, heads, qkv_bias):
        super().__init__()
        self.heads, self.hd = heads, d // heads
        self.q_proj = nn.Linear(d, d, bias=qkv_bias)
        self.k_proj = nn.Linear(d, d, bias=qkv_bias)
        self.v_proj = nn.Linear(d, d, bias=qkv_bias)
        self.o_proj = nn.Linear(d, d)

    def forward(self, x, gate=None):
        """gate (b, heads, T, T) multiplies the attention probabilities; with a gate the (gated)
        probabilities are returned too (see ViTClassifier.forward_attention)."""
        b = x.shape[0]
        q, k, v = (p(x).reshape(b, -1, self.heads, self.hd).transpose(1, 2)
                   for p in (self.q_proj, self.k_proj, self.v_proj))
        w = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) * (self.hd ** -0.5), dim=-1)
        if gate is not None:
            w = w * gate
        out = self.o_proj(torch.matmul(w, v).transpose(1, 2).reshape(b, -1, self.heads * self.hd))
        return out if gate is None else (out, w)


class Mlp(nn.Module):
    def __init__(self, d, inner, act):
        super().__init__()
        self.fc1, self.fc2, self.act = nn.Linear(d, inner), nn.Linear(inner, d), ACTS[act]

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, eps = c["hidden_size"], c["layer_norm_eps"]
        self.layernorm_before = nn.LayerNorm(d, eps=eps)
        self.attention = Attention(d, c["num_attention_heads"], c["qkv_bias"])
        self.layernorm_after = nn.LayerNorm(d, eps=eps)
        self.mlp = Mlp(d, c["intermediate_size"], c["hidden_act"])

    def forward(self, x):
        x = x + self.attention(self.layernorm_before(x))
        return x + self.mlp(self.layernorm_after(x))

    def gated(self, x, gate):
        y, w = self.attention(self.layernorm_before(x), gate)
        x = x + y
        return x + self.mlp(self.layernorm_after(x)), w


class PatchEmbeddings(nn.Module):
    def __init__(self, d, p):
        super().__init__()
        self.projection = nn.Conv2d(3, d, kernel_size=p, stride=p)


class Embeddings(nn.Module):
    def __init__(self, d, p, n_patches):
        super().__init__()
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d))
        self.position_embeddings = nn.Parameter(torch.zeros(1, n_patches + 1, d))
        self.patch_embeddings = PatchEmbeddings(d, p)

    def forward(self, x):
        x = self.patch_embeddings.projection(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1)
        return x + self.position_embeddings


class Encoder(nn.Module):  # parameter names follow transformers 5: vit.layers.N..., vit.layernorm
    def __init__(self, c, n_patches):
        super().__init__()
        p = c["patch_size"][0]
        self.embeddings = Embeddings(c["hidden_size"], p, n_patches)
        self.layers = nn.ModuleList(Block(c) for _ in range(c["num_hidden_layers"]))
        self.layernorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])


class ViTClassifier(nn.Module):
    def __init__(self, c, n_patches, n_labels):
        super().__init__()
        self.vit = Encoder(c, n_patches)
        self.classifier = nn.Linear(c["hidden_size"], n_labels)

    def forward(self, x):
        h = self.vit.embeddings(x)
        for blk in self.vit.layers:
            h = blk(h)
        return self.classifier(self.vit.layernorm(h)[:, 0, :])

    def forward_attention(self, x, gates):
        """(logits, attention): every layer's attention probabilities multiplied by gates
        (layers, b, heads, T, T), all ones in vitex — so the logits are forward's and the gradient
        with respect to the gates is (dS/dA) * A — and the gated probabilities stacked in that shape.
        T = 1 + patches, CLS first (the card's 'attention' field, prefix_tokens 1)."""
        h = self.vit.embeddings(x)
        ws = []
        for i, blk in enumerate(self.vit.layers):
            h, w = blk.gated(h, gates[i])
            ws.append(w)
        return self.classifier(self.vit.layernorm(h)[:, 0, :]), torch.stack(ws)

    def gates(self, b, n_tokens):
        heads = self.vit.layers[0].attention.heads
        return torch.ones(len(self.vit.layers), b, heads, n_tokens, n_tokens)


# ---------------------------------------------------------------- checkpoint reading

def read_json(path, required=True):
    if not os.path.exists(path):
        if required:
            raise Refuse("missing " + path)
        return None
    try:
        with open(path) as f:
            return json.load(f)
    except ValueError as e:
        raise Refuse("%s is not valid JSON (%s)" % (path, e))


def read_safetensors(path):
    with open(path, "rb") as f:
        buf = f.read()
    n = struct.unpack("<Q", buf[:8])[0]
    header, base, out = json.loads(buf[8:8 + n]), 8 + n, {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        lo, hi = t["data_offsets"]
        raw, dt = buf[base + lo:base + hi], t["dtype"]
        if dt == "BF16":
            a = (np.frombuffer(raw, "<u2").astype(np.uint32) << 16).view(np.float32)
        elif dt in ("F32", "F16", "F64"):
            a = np.frombuffer(raw, {"F32": "<f4", "F16": "<f2", "F64": "<f8"}[dt]).astype(np.float32)
        else:
            raise Refuse("%s: tensor %s has dtype %s (only F32/F16/BF16/F64 are supported)" % (path, name, dt))
        out[name] = torch.from_numpy(a.copy().reshape(t["shape"]))
    return out


def read_weights(ckpt):
    files = [("model.safetensors", read_safetensors),
             ("pytorch_model.bin", lambda p: torch.load(p, map_location="cpu", weights_only=True))]
    for fname, reader in files:
        path = os.path.join(ckpt, fname)
        index = read_json(path + ".index.json", required=False)  # sharded checkpoint
        try:
            if index is not None:
                sd = {}
                for shard in sorted(set(index["weight_map"].values())):
                    sd.update(reader(os.path.join(ckpt, shard)))
                return sd, fname + ".index.json"
            if os.path.exists(path):
                return reader(path), fname
        except Refuse:
            raise
        except Exception as e:
            raise Refuse("cannot read %s: %s" % (path, str(e).splitlines()[0] if str(e) else type(e).__name__))
    raise Refuse("no weights in %s (need model.safetensors or pytorch_model.bin)" % ckpt)


V4 = [(r"^vit\.encoder\.layer\.(\d+)\.attention\.attention\.query\.", r"vit.layers.\1.attention.q_proj."),
      (r"^vit\.encoder\.layer\.(\d+)\.attention\.attention\.key\.", r"vit.layers.\1.attention.k_proj."),
      (r"^vit\.encoder\.layer\.(\d+)\.attention\.attention\.value\.", r"vit.layers.\1.attention.v_proj."),
      (r"^vit\.encoder\.layer\.(\d+)\.attention\.output\.dense\.", r"vit.layers.\1.attention.o_proj."),
      (r"^vit\.encoder\.layer\.(\d+)\.intermediate\.dense\.", r"vit.layers.\1.mlp.fc1."),
      (r"^vit\.encoder\.layer\.(\d+)\.output\.dense\.", r"vit.layers.\1.mlp.fc2."),
      (r"^vit\.encoder\.layer\.(\d+)\.layernorm_(before|after)\.", r"vit.layers.\1.layernorm_\2.")]
HARMLESS = re.compile(r"^vit\.(pooler\.|embeddings\.mask_token$)")  # not used by ViTForImageClassification


def canonical(sd):
    """Returns the tensors under transformers-5 names (as float32) and a map back to the file's names."""
    out, orig = {}, {}
    for name, v in sd.items():
        k = name
        for pat, rep in V4:
            k = re.sub(pat, rep, k)
        out[k], orig[k] = (v.float() if torch.is_floating_point(v) else v), name
    return out, orig


# ---------------------------------------------------------------- config → model + card

def pair(v, what):
    if isinstance(v, int):
        return [v, v]
    if isinstance(v, (list, tuple)) and len(v) == 2:
        return [int(v[0]), int(v[1])]
    raise Refuse("config %s %r is not an int or [h, w]" % (what, v))


def check_config(c):
    if c.get("model_type") != "vit":
        raise Refuse("model_type is %r, only 'vit' (ViTForImageClassification) is supported" % c.get("model_type"))
    archs = c.get("architectures") or ["ViTForImageClassification"]
    if "ViTForImageClassification" not in archs:
        raise Refuse("architectures %s: only ViTForImageClassification is supported" % archs)
    act = c.get("hidden_act", "gelu")
    if not isinstance(act, str) or act not in ACTS:
        raise Refuse("hidden_act %r is not supported (known: %s)" % (act, ", ".join(sorted(ACTS))))
    if c.get("num_channels", 3) != 3:
        raise Refuse("num_channels is %r, only 3 (RGB) is supported" % c.get("num_channels"))
    d = dict(hidden_act=act, hidden_size=c.get("hidden_size", 768), num_hidden_layers=c.get("num_hidden_layers", 12),
             num_attention_heads=c.get("num_attention_heads", 12), intermediate_size=c.get("intermediate_size", 3072),
             layer_norm_eps=float(c.get("layer_norm_eps", 1e-12)), qkv_bias=bool(c.get("qkv_bias", True)),
             image_size=pair(c.get("image_size", 224), "image_size"), patch_size=pair(c.get("patch_size", 16), "patch_size"))
    if d["hidden_size"] % d["num_attention_heads"]:
        raise Refuse("hidden_size %d is not a multiple of num_attention_heads %d" % (d["hidden_size"], d["num_attention_heads"]))
    (ih, iw), (ph, pw) = d["image_size"], d["patch_size"]
    if ph != pw:
        raise Refuse("non-square patch_size %s is not supported" % d["patch_size"])
    if ih % ph or iw % pw:
        raise Refuse("image_size %s is not a multiple of patch_size %d" % (d["image_size"], ph))
    return d


def labels_of(c):
    raw = c.get("id2label")
    if not raw:
        raise Refuse("config.json has no id2label")
    idx = {int(k): v for k, v in raw.items()}
    if sorted(idx) != list(range(len(idx))):
        raise Refuse("id2label keys %s are not 0..%d" % (sorted(idx), len(idx) - 1))
    return [idx[i] for i in range(len(idx))]


def build_model(ckpt, c):
    n_patches = (c["image_size"][0] // c["patch_size"][0]) * (c["image_size"][1] // c["patch_size"][1])
    labels = labels_of(read_json(os.path.join(ckpt, "config.json")))
    sd, src = read_weights(ckpt)
    sd, orig = canonical(sd)
    pe = sd.get("vit.embeddings.position_embeddings")
    if pe is not None and pe.dim() == 3 and pe.shape[1] != n_patches + 1:
        raise Refuse("position_embeddings has %d positions but image_size %s / patch_size %d needs %d "
                     "(interpolated position embeddings are not supported)"
                     % (pe.shape[1], c["image_size"], c["patch_size"][0], n_patches + 1))
    cls = sd.get("classifier.weight")
    if cls is not None and cls.dim() == 2 and cls.shape[0] != len(labels):
        raise Refuse("classifier has %d outputs but id2label has %d labels" % (cls.shape[0], len(labels)))
    model = ViTClassifier(c, n_patches, len(labels))
    want = model.state_dict()
    missing = [k for k in want if k not in sd]  # named as transformers 5 does
    if missing:
        raise Refuse("%s lacks %d tensors, e.g. %s" % (src, len(missing), ", ".join(missing[:3])))
    extra = [orig[k] for k in sd if k not in want and not HARMLESS.match(k)]
    if extra:
        raise Refuse("%s has %d unexpected tensors, e.g. %s" % (src, len(extra), ", ".join(extra[:3])))
    bad = ["%s %s (expected %s)" % (orig[k], list(sd[k].shape), list(v.shape)) for k, v in want.items() if sd[k].shape != v.shape]
    if bad:
        raise Refuse("wrong shapes: " + "; ".join(bad[:3]))
    ignored = [orig[k] for k in sd if k not in want]
    if ignored:
        note("ignoring %d tensors ViTForImageClassification does not use (%s)" % (len(ignored), ", ".join(ignored[:3])))
    model.load_state_dict({k: sd[k] for k in want})
    return model.eval(), labels, src


RESAMPLE = {0: "nearest", 2: "bilinear", 3: "bicubic"}
RESAMPLE_APPROX = {1: ("lanczos", "bicubic"), 4: ("box", "bilinear"), 5: ("hamming", "bilinear")}


def size_hw(v, what):
    if isinstance(v, int):
        return [v, v]
    if isinstance(v, dict) and "height" in v and "width" in v:
        return [int(v["height"]), int(v["width"])]
    if isinstance(v, dict) and set(v) == {"shortest_edge"}:
        return [int(v["shortest_edge"])] * 2
    raise Refuse("preprocessor_config %s %r is not supported" % (what, v))


def card_of(name, ckpt, c, labels):
    pp = read_json(os.path.join(ckpt, "preprocessor_config.json"), required=False)
    if pp is None:
        note("no preprocessor_config.json: using ViTImageProcessor defaults (rescale 1/255, mean = std = 0.5, bilinear)")
        pp = {}
    size = size_hw(pp["size"], "size") if "size" in pp else list(c["image_size"])
    crop = "center" if pp.get("do_center_crop") else "none"
    if crop == "center":
        cs = size_hw(pp.get("crop_size", size), "crop_size")
        if cs != size and not (isinstance(pp.get("size"), dict) and "shortest_edge" in pp["size"] and cs[0] == cs[1] == size[0]):
            raise Refuse("resize to %s then center-crop to %s cannot be expressed in the card "
                         "(crop 'center' resizes the shorter side to input_size)" % (size, cs))
        size = cs
    elif isinstance(pp.get("size"), dict) and "shortest_edge" in pp["size"]:
        note("size is a shortest_edge without a crop: vitex resizes images to %s without keeping the aspect" % size)
    if size != c["image_size"]:
        raise Refuse("preprocessor size %s differs from the model's image_size %s" % (size, c["image_size"]))
    if pp.get("do_resize") is False:
        note("do_resize is false: vitex will still resize images to %s" % size)
    r = pp.get("resample", 2)
    if r in RESAMPLE_APPROX:
        note("resample %d (%s) is mapped to %s" % (r, RESAMPLE_APPROX[r][0], RESAMPLE_APPROX[r][1]))
        resize = RESAMPLE_APPROX[r][1]
    elif r in RESAMPLE:
        resize = RESAMPLE[r]
    else:
        raise Refuse("preprocessor resample %r is not a known PIL filter" % r)
    norm = pp.get("do_normalize", True)
    mean = [float(v) for v in pp.get("image_mean", [0.5] * 3)] if norm else [0.0] * 3
    std = [float(v) for v in pp.get("image_std", [0.5] * 3)] if norm else [1.0] * 3
    if len(mean) != 3 or len(std) != 3:
        raise Refuse("image_mean/image_std must have 3 values, got %s / %s" % (mean, std))
    rescale = float(pp.get("rescale_factor", 1 / 255)) if pp.get("do_rescale", True) else 1.0
    return {"name": name, "format": "torchscript", "file": name + ".pt", "input_size": size,
            "patch_size": c["patch_size"][0], "channels": 3, "rescale": rescale, "mean": mean, "std": std,
            "resize": resize, "crop": crop, "output": "tensor", "labels": labels}


# ---------------------------------------------------------------- export + verification

def maxdiff(a, b):
    return float((a - b).abs().max())


def verify_attention(model, loaded, x):
    """forward_attention traced vs eager: logits equal forward's, probabilities and gate gradients."""
    fails = []
    n_tokens = model.vit.embeddings.position_embeddings.shape[1]
    gt, ge = model.gates(x.shape[0], n_tokens).requires_grad_(), model.gates(x.shape[0], n_tokens).requires_grad_()
    lt, at = loaded.forward_attention(x, gt)
    le, ae = model.forward_attention(x, ge)
    with torch.no_grad():
        plain = model(x)
    lt[:, 0].sum().backward()
    le[:, 0].sum().backward()
    d = max(maxdiff(lt, plain), maxdiff(at, ae))
    g = maxdiff(gt.grad, ge.grad) / max(float(ge.grad.abs().max()), 1e-12)
    print("forward_attention traced vs eager: max abs diff %.3g (logits vs forward, probabilities), "
          "gate gradients %.3g of the max" % (d, g))
    if not (d <= TOL and g <= TOL):
        fails.append("forward_attention differs by %.3g (values), %.3g (gate gradients)" % (d, g))
    return fails


def verify(model, loaded, size, expect):  # expect: None or (file name, input, logits)
    """Returns a list of failure strings (empty when everything is within TOL)."""
    fails = []
    torch.manual_seed(1234)
    x = torch.randn(3, 3, *size)  # a batch size other than the traced one
    with torch.no_grad():
        d = maxdiff(model(x), loaded(x))
    print("traced vs eager: max abs logit diff %.3g" % d)
    if not d <= TOL:
        fails.append("traced vs eager differ by %.3g" % d)
    xg, xe = x.clone().requires_grad_(), x.clone().requires_grad_()
    loaded(xg).sum().backward()
    model(xe).sum().backward()
    g = maxdiff(xg.grad, xe.grad) if xg.grad is not None else float("nan")
    print("input gradients traced vs eager: max abs diff %.3g (max |grad| %.3g)" % (g, float(xe.grad.abs().max())))
    if not g <= TOL:
        fails.append("traced input gradients differ by %.3g" % g)
    fails += verify_attention(model, loaded, x)
    if expect:
        expect, xin, want = expect
        with torch.no_grad():
            got = loaded(xin)
        if got.shape != want.shape:
            fails.append("expected logits shape %s, got %s" % (list(want.shape), list(got.shape)))
        else:
            d = maxdiff(got, want)
            print("traced vs %s: max abs logit diff %.3g" % (os.path.basename(expect), d))
            if not d <= TOL:
                fails.append("logits differ from %s by %.3g" % (expect, d))
    return fails


def parse_precisions(text):
    """--precisions: a list of low-precision variants; refuses fp16 without CUDA in one line."""
    names = [] if text.strip() == "none" else [p.strip() for p in text.split(",") if p.strip()]
    for p in names:
        if p not in precision_variant.DTYPES:
            raise Refuse("--precisions %r: expected bf16, fp16, a comma list of them, or none" % p)
        if p == "fp16" and not torch.cuda.is_available():
            raise Refuse("--precisions fp16 traces on a CUDA device and this torch has none; "
                         "export bf16 here (the default) or fp16 on a GPU node")
    return names


def verify_low(model, loaded, precision, size):
    """A low-precision variant vs the float32 eager model: logits within LOW_TOL of the largest |logit|,
    finite input gradients, and forward_attention's logits equal to the variant's forward."""
    torch.manual_seed(1234)
    x = torch.randn(3, 3, *size)
    n_tokens = model.vit.embeddings.position_embeddings.shape[1]
    d, g, a = precision_variant.compare(model, loaded, x, model.gates(3, n_tokens))
    with torch.no_grad():
        scale = float(model(x).abs().max())
        a_self = maxdiff(loaded.forward_attention(x, model.gates(3, n_tokens))[0], loaded(x))
    print("%s variant vs float32 eager: max abs logit diff %.3g (max |logit| %.3g), input gradients %.3g of the max, "
          "forward_attention vs its forward %.3g" % (precision, d, scale, g, a_self))
    if not (d <= LOW_TOL * max(scale, 1.0) and g == g and a_self <= TOL):
        return ["the %s variant differs from float32 by %.3g (logits), %.3g (gradients, relative), forward_attention %.3g"
                % (precision, d, g, a_self)]
    return []


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("checkpoint_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--name", help="model name (default: the checkpoint folder's name)")
    ap.add_argument("--expect", help="JSON file {\"input\": [...], \"logits\": [...]} to check the logits against")
    ap.add_argument("--precisions", default="bf16",
                    help="low-precision variants to write beside NAME.pt: bf16 (default), fp16 (needs CUDA), "
                         "a comma list, or none")
    a = ap.parse_args()
    ckpt = a.checkpoint_dir.rstrip("/")
    name = a.name or os.path.basename(os.path.abspath(ckpt))
    try:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
            raise Refuse("name %r must be letters, digits, '.', '_' or '-'" % name)
        if not os.path.isdir(ckpt):
            raise Refuse("%s is not a directory" % ckpt)
        precisions = parse_precisions(a.precisions)
        c = check_config(read_json(os.path.join(ckpt, "config.json")))
        model, labels, src = build_model(ckpt, c)
        card = card_of(name, ckpt, c, labels)
        expect = None
        if a.expect:
            e = read_json(a.expect)
            if not isinstance(e, dict) or "input" not in e or "logits" not in e:
                raise Refuse("%s must be a JSON object with 'input' and 'logits'" % a.expect)
            expect = (a.expect, torch.tensor(e["input"], dtype=torch.float32), torch.tensor(e["logits"], dtype=torch.float32))
    except Refuse as e:
        print("export_vit: cannot export %s: %s" % (ckpt, e), file=sys.stderr)
        return 2
    print("loaded %s/%s: %d layers, hidden %d, %s, %d labels" % (ckpt, src, c["num_hidden_layers"],
          c["hidden_size"], c["hidden_act"], len(labels)))
    torch.manual_seed(0)
    example = torch.randn(2, 3, *card["input_size"])
    n_tokens = (card["input_size"][0] // card["patch_size"]) * (card["input_size"][1] // card["patch_size"]) + 1
    card["attention"] = {"method": "forward_attention", "layers": c["num_hidden_layers"],
                         "heads": c["num_attention_heads"], "prefix_tokens": 1}
    # autograd on: see djl-spark-notes.md; forward(x) gives the logits, forward_attention(x, gates) the attention
    traced = torch.jit.trace_module(model, {"forward": example,
                                            "forward_attention": (example, model.gates(2, n_tokens))},
                                    check_trace=False)
    os.makedirs(a.out_dir, exist_ok=True)
    tmp = tempfile.mkdtemp(dir=a.out_dir, prefix=".export-")
    try:
        pt, js = os.path.join(tmp, name + ".pt"), os.path.join(tmp, name + ".json")
        traced.save(pt)
        fails = verify(model, torch.jit.load(pt), card["input_size"], expect)
        files = [pt]
        if precisions:
            card["precisions"] = {}
        for precision in precisions:
            low = os.path.join(tmp, precision_variant.file_name(name, precision))
            precision_variant.trace(model, precision, example, model.gates(2, n_tokens), KEEP_FP32).save(low)
            fails += verify_low(model, torch.jit.load(low), precision, card["input_size"])
            card["precisions"][precision] = os.path.basename(low)
            files.append(low)
        with open(js, "w") as f:
            f.write("{\n" + ",\n".join("  %s: %s" % (json.dumps(k), json.dumps(v)) for k, v in card.items()) + "\n}\n")
        if fails:
            print("export_vit: verification failed, nothing written: " + "; ".join(fails), file=sys.stderr)
            return 1
        for p in files + [js]:
            os.replace(p, os.path.join(a.out_dir, os.path.basename(p)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("wrote %s" % ", ".join(os.path.join(a.out_dir, os.path.basename(p)) for p in files + [js]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
