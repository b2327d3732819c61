#!/usr/bin/env bash
# Checks scripts/export_vit.py: both test checkpoints export and reproduce transformers' logits
# (from model.safetensors with transformers-4 names and from pytorch_model.bin with transformers-5 names),
# and what cannot be exported faithfully is refused with exit status 2 and a one-line message.
# The exported forward_attention (card field attention) gives forward's logits and gate gradients that match finite differences.
# The default export also writes the bf16 variant NAME.bf16.pt (card field precisions); fp16 without CUDA is refused.
# Needs Debian's python3-torch (1.13) and numpy; PYTHON overrides the interpreter.
set -uo pipefail
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")/.."
PY=${PYTHON:-/usr/bin/python3}
CK=core/src/test/resources/hf-checkpoints
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fails=0
ok()  { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }

# copy of a checkpoint with config.json (or another file) edited by a Python expression on dict `c`
variant() { # name source file expr
  mkdir -p "$T/$1"; cp "$CK/$2"/* "$T/$1/"; chmod u+w "$T/$1"/*
  "$PY" - "$T/$1/$3" "$4" <<'PYEOF'
import json, sys
p, expr = sys.argv[1], sys.argv[2]
c = json.load(open(p)); exec(expr); json.dump(c, open(p, "w"))
PYEOF
}
binvariant() { # name source expr: a copy with pytorch_model.bin only, `c` = config, `sd` = state dict
  mkdir -p "$T/$1"; cp "$CK/$2"/{config.json,preprocessor_config.json,pytorch_model.bin} "$T/$1/"; chmod u+w "$T/$1"/*
  "$PY" - "$T/$1" "$3" <<'PYEOF'
import json, sys, torch
d, expr = sys.argv[1], sys.argv[2]
c, sd = json.load(open(d + "/config.json")), torch.load(d + "/pytorch_model.bin", map_location="cpu")
exec(expr); json.dump(c, open(d + "/config.json", "w")); torch.save(sd, d + "/pytorch_model.bin")
PYEOF
}
expect_code() { # label code pattern cmd...
  local label=$1 code=$2 pat=$3; shift 3
  "$@" >"$T/out" 2>"$T/err"; local rc=$?
  if [ $rc -ne "$code" ]; then bad "$label: exit $rc, expected $code: $(cat "$T/err")"
  elif [ "$code" -eq 2 ] && [ "$(wc -l <"$T/err")" -ne 1 ]; then bad "$label: message is not one line: $(cat "$T/err")"
  elif ! grep -q -- "$pat" "$T/out" "$T/err"; then bad "$label: output lacks '$pat': $(cat "$T/out" "$T/err")"
  else ok "$label: $(grep -h -- "$pat" "$T/out" "$T/err" | head -1)"; fi
}

for n in vit-tiny-32px vit-tiny-48px-gelu-tanh; do
  expect_code "$n (safetensors)" 0 "expected_logits.json: max abs" \
    "$PY" scripts/export_vit.py "$CK/$n" "$T/exp" --expect "$CK/$n/expected_logits.json"
  [ -s "$T/exp/$n.pt" ] && [ -s "$T/exp/$n.json" ] && ok "$n: wrote $n.pt and $n.json" || bad "$n: outputs missing"
  grep -q '"attention": {"method": "forward_attention"' "$T/exp/$n.json" && ok "$n: card has the attention field" \
    || bad "$n: card lacks the attention field"
  [ -s "$T/exp/$n.bf16.pt" ] && grep -q "\"precisions\": {\"bf16\": \"$n.bf16.pt\"}" "$T/exp/$n.json" \
    && ok "$n: wrote $n.bf16.pt, card field precisions" || bad "$n: no bf16 variant or no precisions field"
  expect_code "$n forward_attention: logits = forward, gate gradients = finite differences" 0 "gate gradients ok" \
    "$PY" - "$T/exp/$n.pt" "$T/exp/$n.json" <<'PYEOF'
import json, sys, torch
m, c = torch.jit.load(sys.argv[1]).double(), json.load(open(sys.argv[2]))
h, w = c["input_size"]; p = c["patch_size"]; a = c["attention"]; t = a["prefix_tokens"] + (h // p) * (w // p)
torch.manual_seed(0); x = torch.randn(2, 3, h, w, dtype=torch.float64)
g = torch.ones(a["layers"], 2, a["heads"], t, t, dtype=torch.float64, requires_grad=True)
logits, att = m.forward_attention(x, g)
assert att.shape == g.shape, (att.shape, g.shape)
assert (logits - m(x)).abs().max() < 1e-10, "forward_attention logits differ from forward"
assert (att.sum(-1) - 1).abs().max() < 1e-10, "attention rows do not sum to 1"
(grad,) = torch.autograd.grad(logits[:, 0].sum(), g)
e, eps = torch.randn(g.shape, dtype=torch.float64), 1e-4
with torch.no_grad():
    fd = (m.forward_attention(x, g + eps * e)[0][:, 0].sum() - m.forward_attention(x, g - eps * e)[0][:, 0].sum()) / (2 * eps)
rel = abs(float((grad * e).sum()) - float(fd)) / abs(float(fd))
assert rel < 1e-6, rel
print("gate gradients ok: directional derivative vs central difference %.1e" % rel)
PYEOF
  mkdir -p "$T/bin-$n"; cp "$CK/$n"/{config.json,preprocessor_config.json,pytorch_model.bin} "$T/bin-$n/"
  expect_code "$n (pytorch_model.bin)" 0 "expected_logits.json: max abs" \
    "$PY" scripts/export_vit.py "$T/bin-$n" "$T/exp-bin" --name "$n" --expect "$CK/$n/expected_logits.json"
done

expect_code "--precisions none writes no variant" 0 "wrote" \
  "$PY" scripts/export_vit.py "$CK/vit-tiny-32px" "$T/none" --precisions none
[ ! -e "$T/none/vit-tiny-32px.bf16.pt" ] && ! grep -q precisions "$T/none/vit-tiny-32px.json" \
  && ok "--precisions none: no bf16 file, no precisions field" || bad "--precisions none still wrote a variant"
if ! "$PY" -c 'import torch, sys; sys.exit(torch.cuda.is_available())'; then :; else
  expect_code "refuses fp16 without CUDA" 2 "fp16 traces on a CUDA device" \
    "$PY" scripts/export_vit.py "$CK/vit-tiny-32px" "$T/x" --precisions bf16,fp16
fi
variant bert vit-tiny-32px config.json 'c["model_type"] = "bert"'
expect_code "refuses model_type bert" 2 "model_type is 'bert'" "$PY" scripts/export_vit.py "$T/bert" "$T/x"
variant foo vit-tiny-32px config.json 'c["hidden_act"] = "foo"'
expect_code "refuses hidden_act foo" 2 "hidden_act 'foo' is not supported" "$PY" scripts/export_vit.py "$T/foo" "$T/x"
variant img64 vit-tiny-32px config.json 'c["image_size"] = 64'
expect_code "refuses image_size 64" 2 "interpolated position embeddings" "$PY" scripts/export_vit.py "$T/img64" "$T/x"
variant ch1 vit-tiny-32px config.json 'c["num_channels"] = 1'
expect_code "refuses num_channels 1" 2 "num_channels is 1" "$PY" scripts/export_vit.py "$T/ch1" "$T/x"
variant nobias vit-tiny-32px config.json 'c["qkv_bias"] = False'
expect_code "refuses bias tensors with qkv_bias false" 2 "unexpected tensors" "$PY" scripts/export_vit.py "$T/nobias" "$T/x"
variant labels vit-tiny-32px config.json 'c["id2label"] = {"0": "a", "1": "b"}'
expect_code "refuses 2 labels for 3 outputs" 2 "classifier has 3 outputs" "$PY" scripts/export_vit.py "$T/labels" "$T/x"
variant pp96 vit-tiny-32px preprocessor_config.json 'c["size"] = {"height": 96, "width": 96}'
expect_code "refuses preprocessor size != image_size" 2 "differs from the model's image_size" "$PY" scripts/export_vit.py "$T/pp96" "$T/x"
variant noweights vit-tiny-32px config.json 'pass'; rm "$T/noweights"/{model.safetensors,pytorch_model.bin}
expect_code "refuses missing weights" 2 "no weights" "$PY" scripts/export_vit.py "$T/noweights" "$T/x"
binvariant qkvfalse vit-tiny-32px 'c["qkv_bias"] = False
for k in [k for k in sd if k.endswith(("q_proj.bias", "k_proj.bias", "v_proj.bias"))]: del sd[k]'
expect_code "exports qkv_bias false without q/k/v biases" 0 "wrote" "$PY" scripts/export_vit.py "$T/qkvfalse" "$T/x"
binvariant pooler vit-tiny-32px 'sd["vit.pooler.dense.weight"] = torch.zeros(32, 32); sd["vit.pooler.dense.bias"] = torch.zeros(32)'
expect_code "ignores vit.pooler.* with a note" 0 "ignoring 2 tensors" "$PY" scripts/export_vit.py "$T/pooler" "$T/x"
binvariant extra vit-tiny-32px 'sd["decoder.weight"] = torch.zeros(3)'
expect_code "refuses unknown tensors" 2 "unexpected tensors, e.g. decoder.weight" "$PY" scripts/export_vit.py "$T/extra" "$T/x"
binvariant nohead vit-tiny-32px 'del sd["classifier.weight"]'
expect_code "refuses a missing classifier" 2 "lacks 1 tensors, e.g. classifier.weight" "$PY" scripts/export_vit.py "$T/nohead" "$T/x"
binvariant shape vit-tiny-32px 'sd["vit.layers.0.mlp.fc1.weight"] = torch.zeros(63, 32)'
expect_code "refuses a wrong shape" 2 "wrong shapes" "$PY" scripts/export_vit.py "$T/shape" "$T/x"
# safetensors dtypes: F16 and BF16 data read back exactly as torch converts them
expect_code "reads F32/F16/BF16 safetensors" 0 "dtypes ok" "$PY" - "$T/dt.safetensors" <<'PYEOF'
import json, struct, sys, torch
sys.path.insert(0, "scripts"); import export_vit
torch.manual_seed(0); x = torch.randn(5, 7)
ts = {"f32": ("F32", x), "f16": ("F16", x.half()), "bf16": ("BF16", x.bfloat16())}
header, data = {}, b""
for k, (dt, t) in ts.items():
    raw = (t.view(torch.int16) if dt == "BF16" else t).numpy().tobytes()
    header[k] = {"dtype": dt, "shape": list(t.shape), "data_offsets": [len(data), len(data) + len(raw)]}; data += raw
h = json.dumps(header).encode()
open(sys.argv[1], "wb").write(struct.pack("<Q", len(h)) + h + data)
got = export_vit.read_safetensors(sys.argv[1])
assert all(torch.equal(got[k], t.float()) for k, (dt, t) in ts.items()), "mismatch"
print("dtypes ok")
PYEOF
# wrong activation → logits no longer match → exit 1 and nothing written
variant act vit-tiny-48px-gelu-tanh config.json 'c["hidden_act"] = "relu"'
expect_code "fails --expect with the wrong activation" 1 "verification failed" \
  "$PY" scripts/export_vit.py "$T/act" "$T/y" --expect "$T/act/expected_logits.json"
[ -z "$(ls -A "$T/y" 2>/dev/null)" ] && ok "nothing written after a failed verification" || bad "files left in $T/y"

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
