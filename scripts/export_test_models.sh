#!/usr/bin/env bash
# Regenerates core/src/test/resources/hf-exported/<name>/<name>.{pt,json} from the Hugging Face
# checkpoints in core/src/test/resources/hf-checkpoints/, each checked against its expected_logits.json.
# Needs Debian's python3-torch (1.13) and numpy; PYTHON overrides the interpreter.
# The .pt files are bit-identical across runs from the same checkout path (TorchScript debug info records
# the exporter's path and line numbers); the logits do not depend on that.
# The default export also writes <name>.bf16.pt and the card's "precisions" field (issue #16); the committed
# float32 .pt files were kept from before that change (a rerun rewrites them with other debug info, same logits).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-/usr/bin/python3}
RES=core/src/test/resources
for name in vit-tiny-32px vit-tiny-48px-gelu-tanh; do
  "$PY" scripts/export_vit.py "$RES/hf-checkpoints/$name" "$RES/hf-exported/$name" \
    --expect "$RES/hf-checkpoints/$name/expected_logits.json"
done
