#!/usr/bin/env bash
# Spark GPU discovery script: prints the GPUs of this node as Spark's ResourceInformation JSON,
#   {"name":"gpu","addresses":["0","1",...]}
# Use it on workers:   spark.worker.resource.gpu.amount=N
#                      spark.worker.resource.gpu.discoveryScript=/path/to/gpu-discovery.sh
# (standalone: SPARK_WORKER_OPTS="-Dspark.worker.resource.gpu.amount=4 -Dspark.worker.resource.gpu.discoveryScript=...")
# or on executors (YARN, Kubernetes): spark.executor.resource.gpu.discoveryScript=/path/to/gpu-discovery.sh
# Addresses are nvidia-smi indices; the job maps them through CUDA_VISIBLE_DEVICES when that is set.
set -euo pipefail
if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpu-discovery.sh: nvidia-smi not found" >&2
  echo '{"name":"gpu","addresses":[]}'
  exit 0
fi
addresses="$(nvidia-smi --query-gpu=index --format=csv,noheader | sed 's/ //g' | sed '/^$/d' | sed 's/.*/"&"/' | paste -sd, -)"
echo "{\"name\":\"gpu\",\"addresses\":[${addresses}]}"
