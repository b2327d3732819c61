#!/usr/bin/env bash
# spark-submit wrapper for the vitex job jars (Spark is `provided`: the cluster's Spark 4.1.x, Scala 2.13).
#
#   scripts/submit.sh [--gpu] [spark-submit options...] -- run [run options...]
#
# CPU flavour (libtorch CPU natives inside the jar):
#   scripts/submit.sh --master spark://head:7077 --executor-cores 2 --executor-memory 4g \
#     -- run --input hdfs:///data/images --model /shared/models/vit/vit.json --output hdfs:///vitex/run1
# GPU flavour (no natives in the jar; every node has libtorch 2.7.1+cu128, see README "Run on a cluster"):
#   VITEX_LIBTORCH=/opt/libtorch/lib scripts/submit.sh --gpu --master spark://head:7077 \
#     --conf spark.executor.resource.gpu.amount=1 --conf spark.task.resource.gpu.amount=1 \
#     --files models/vit/vit.json,models/vit/vit.pt \
#     -- run --config conf/cluster-gpu.conf --input hdfs:///data/images --model models/vit/vit.json --output hdfs:///vitex/run1
#
# Needs SPARK_HOME (or spark-submit on PATH). Builds the jars with the Maven Wrapper when they are missing.
# Adds, unless you set them yourself: offline DJL and one libtorch inter-op thread on driver and
# executors, the quiet log configuration on the driver, and for --gpu the PYTORCH_* executor settings.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

flavour=cpu
submit_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --gpu) flavour=gpu; shift ;;
    --cpu) flavour=cpu; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) submit_args+=("$1"); shift ;;
  esac
done
if [ $# -eq 0 ]; then
  echo "submit.sh: give the job's arguments after --, e.g. -- run --input ... --model ... --output ..." >&2; exit 2
fi

if [ -n "${SPARK_HOME:-}" ]; then SUBMIT="$SPARK_HOME/bin/spark-submit"; else SUBMIT="$(command -v spark-submit || true)"; fi
if [ -z "$SUBMIT" ] || [ ! -x "$SUBMIT" ]; then
  echo "submit.sh: spark-submit not found: set SPARK_HOME to a Spark 4.1 (Scala 2.13) installation" >&2; exit 2
fi

find_jar() { ls -t "$ROOT"/jobs/target/vitex-jobs-*-"$flavour".jar 2>/dev/null | head -1; }
JAR="$(find_jar)"
if [ -z "$JAR" ]; then
  echo "submit.sh: no $flavour job jar in jobs/target; building the job jars (./mvnw -q -B -DskipTests package)..." >&2
  ( cd "$ROOT" && ./mvnw -q -B -DskipTests package ) >&2
  JAR="$(find_jar)"
fi

given() { local k="$1"; for a in "${submit_args[@]+"${submit_args[@]}"}"; do case "$a" in *"$k"*) return 0 ;; esac; done; return 1; }

extra=()
given spark.executor.extraJavaOptions || \
  extra+=(--conf "spark.executor.extraJavaOptions=-Dai.djl.offline=true -Dai.djl.pytorch.num_interop_threads=1")
given --driver-java-options || \
  extra+=(--driver-java-options "-Dai.djl.offline=true -Dai.djl.pytorch.num_interop_threads=1 -Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties")
if [ "$flavour" = gpu ]; then
  given spark.executorEnv.PYTORCH_FLAVOR || extra+=(--conf spark.executorEnv.PYTORCH_FLAVOR=cu128)
  given spark.executorEnv.PYTORCH_VERSION || extra+=(--conf spark.executorEnv.PYTORCH_VERSION=2.7.1)
  if [ -n "${VITEX_LIBTORCH:-}" ] && ! given spark.executorEnv.PYTORCH_LIBRARY_PATH; then
    extra+=(--conf "spark.executorEnv.PYTORCH_LIBRARY_PATH=$VITEX_LIBTORCH")
  fi
fi

exec "$SUBMIT" --class dev.vitex.jobs.AttributionJob "${extra[@]}" "${submit_args[@]+"${submit_args[@]}"}" "$JAR" "$@"
