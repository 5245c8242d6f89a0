#!/usr/bin/env bash
# Benchmarks Panamax (native and Java backends) against Deeplearning4j and PyTorch (through DJL)
# on the same models, plus Panamax's op benchmarks, and writes bench/results/<date>-<host>.md
# with a PNG chart next to it. Builds what it runs; peers that cannot build or start here are
# reported as such and the rest still runs. Nothing downloads at run time (Maven may at build time).
#
# usage: bench/run.sh [--full] [--threads N] [--no-peers] [--inherit-blas-env] [--label TEXT]
#   --full              JMH's full iteration counts, cold starts of every model (3 timed each);
#                       without it a quick run (about 14 minutes on 2 cores)
#   --threads N         compute threads of every side (default: all processors)
#   --no-peers          Panamax only
#   --inherit-blas-env  run Panamax with the caller's OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE too; by
#                       default Panamax runs without them (its OpenBLAS 0.3.31 knows current CPUs,
#                       and forcing older kernels halves its sgemm), the peers with the caller's
#   --label TEXT        a line at the top of the report, e.g. "smoke run on a loaded machine"
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/jdk.sh"
panamax_find_jdk
command -v mvn >/dev/null 2>&1 || { echo "bench/run.sh: Maven (mvn) not found; install Maven >= 3.8." >&2; exit 1; }

mode=quick
threads=$(getconf _NPROCESSORS_ONLN)
peers=true
inherit_blas_env=false
label=""
while [ $# -gt 0 ]; do
  case "$1" in
    --full) mode=full ;;
    --threads) [ $# -ge 2 ] || { echo "bench/run.sh: --threads needs a number" >&2; exit 2; }; threads=$2; shift ;;
    --no-peers) peers=false ;;
    --inherit-blas-env) inherit_blas_env=true ;;
    --label) [ $# -ge 2 ] || { echo "bench/run.sh: --label needs a text" >&2; exit 2; }; label=$2; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$threads" in ''|*[!0-9]*|0) echo "bench/run.sh: --threads must be a positive integer, got '$threads'" >&2; exit 2 ;; esac

if [ "$mode" = full ]; then
  jmh_models=""                        # the benchmarks' own @Warmup/@Measurement
  jmh_ops=""
  cold_workloads="M1 M2 M3"
  cold_runs=3
else
  jmh_models="-wi 2 -w 2 -i 2 -r 2"
  jmh_ops="-wi 1 -w 1 -i 1 -r 1"
  cold_workloads="M1"
  cold_runs=1
fi

day=$(date +%Y-%m-%d)
host=$(hostname -s 2>/dev/null || hostname)
stamp="$day-$host"
results="$root/bench/results"
logs="$root/bench/target/bench-logs"
mkdir -p "$results" "$logs"
rm -f "$results/$stamp"-*.json "$logs/$stamp"-*.log
started=$(date +%s)
java="$JAVA_HOME/bin/java"
log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# ---- the sides: class path, JVM options and environment of each --------------------------

dl4j_dir="$root/bench/peers/dl4j"
djl_dir="$root/bench/peers/djl"
common_jvm="--enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn"

side_classpath() {
  case "$1" in
    panamax) echo "$(cat "$root/bench/target/classpath.txt"):$root/bench/target/classes" ;;
    dl4j) echo "$(cat "$dl4j_dir/target/classpath.txt"):$dl4j_dir/target/classes" ;;
    pytorch) echo "$(cat "$djl_dir/target/classpath.txt"):$djl_dir/target/classes" ;;
  esac
}

side_jvm() {
  case "$1" in
    # the Java backend's multiply-add kernel runs on the Vector API when its module is added
    panamax) echo "$common_jvm --add-modules=jdk.incubator.vector -Dpanamax.threads=$threads" ;;
    # JavaCPP extracts ND4J's libraries once, into the build folder rather than the home folder
    dl4j) echo "$common_jvm -Dorg.bytedeco.javacpp.cachedir=$dl4j_dir/target/javacpp-cache" ;;
    pytorch) echo "$common_jvm -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=$threads -Dai.djl.pytorch.num_interop_threads=$threads" ;;
  esac
}

# Arguments for env(1): what each side changes in the caller's environment.
side_env() {
  case "$1" in
    panamax)
      if $inherit_blas_env; then
        echo "PANAMAX_THREADS=$threads OMP_NUM_THREADS=$threads"
      else
        echo "-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PANAMAX_THREADS=$threads OMP_NUM_THREADS=$threads"
      fi ;;
    dl4j) echo "OMP_NUM_THREADS=$threads" ;;
    pytorch) echo "OMP_NUM_THREADS=$threads PYTORCH_LIBRARY_PATH=$djl_dir/target/libtorch DJL_CACHE_DIR=$djl_dir/target/djl-cache ENGINE_CACHE_DIR=$djl_dir/target/djl-cache" ;;
  esac
}

# Runs "$2..." as side $1: its environment, its JVM options, its class path.
in_side() {
  local side=$1; shift
  # shellcheck disable=SC2046 # word splitting of the option lists is intended
  env $(side_env "$side") "$java" $(side_jvm "$side") -cp "$(side_classpath "$side")" "$@"
}

# The environment a side ran with, for the report: the OpenBLAS overrides, set or not, and every
# other BLAS or thread variable that is set.
describe_env() {
  local side=$1 var out="" value
  for var in OPENBLAS_CORETYPE OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS OMP_NUM_THREADS MKL_NUM_THREADS MKL_ENABLE_INSTRUCTIONS PANAMAX_THREADS; do
    # shellcheck disable=SC2046
    value=$(env $(side_env "$side") sh -c "printf '%s' \"\${$var-(unset)}\"")
    case "$var:$value" in
      OPENBLAS_CORETYPE:*|OPENBLAS_L2_SIZE:*) ;;
      *:'(unset)') continue ;;
    esac
    out="$out${out:+, }$var=$value"
  done
  printf '%s' "$out"
}

json_string() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "${s//$root/.}"; }

declare -A status note
status[panamax]=unavailable; status[dl4j]=unavailable; status[pytorch]=unavailable
note[panamax]=""; note[dl4j]="not requested (--no-peers)"; note[pytorch]="not requested (--no-peers)"

# ---- build ----------------------------------------------------------------------------------

build() { # side, log name, maven arguments...
  local side=$1 name=$2; shift 2
  log "building $side"
  if (cd "$root" && mvn -B -ntp "$@") >"$logs/$stamp-build-$name.log" 2>&1; then
    return 0
  fi
  note[$side]="build failed: $(grep -m1 -E '\[ERROR\]' "$logs/$stamp-build-$name.log" | cut -c1-300) (bench/target/bench-logs/$stamp-build-$name.log)"
  log "${note[$side]}"
  return 1
}

build panamax panamax -q -pl bench -am package -DskipTests || { echo "bench/run.sh: Panamax does not build" >&2; exit 1; }
status[panamax]=ran
if $peers; then
  build dl4j dl4j -q -P peers -pl bench/peers/dl4j package -DskipTests && status[dl4j]=ran
  build pytorch djl -q -P peers -pl bench/peers/djl package -DskipTests && status[pytorch]=ran
fi

# ---- what each side runs with ---------------------------------------------------------------

probe() { # side, main class
  local side=$1 main=$2
  if in_side "$side" "$main" >"$results/$stamp-env-$side.json" 2>"$logs/$stamp-env-$side.log"; then
    # keep only the JSON line (libraries may print around it)
    grep -m1 '^{' "$results/$stamp-env-$side.json" >"$results/$stamp-env-$side.tmp" || true
    mv "$results/$stamp-env-$side.tmp" "$results/$stamp-env-$side.json"
    return 0
  fi
  rm -f "$results/$stamp-env-$side.json"
  status[$side]=unavailable
  note[$side]="does not start: $(grep -m1 -E 'Exception|Error' "$logs/$stamp-env-$side.log" | cut -c1-300) (bench/target/bench-logs/$stamp-env-$side.log)"
  log "${note[$side]}"
  return 1
}

log "probing environments"
probe panamax dev.panamax.bench.PanamaxEnvironment || { echo "bench/run.sh: Panamax's native backend does not start" >&2; exit 1; }
if [ "${status[dl4j]}" = ran ]; then probe dl4j dev.panamax.bench.dl4j.Dl4jEnvironment || true; fi
if [ "${status[pytorch]}" = ran ]; then probe pytorch dev.panamax.bench.djl.DjlEnvironment || true; fi

# ---- JMH --------------------------------------------------------------------------------------

jmh() { # side, result name, JMH arguments...
  local side=$1 name=$2; shift 2
  log "JMH: $name"
  # shellcheck disable=SC2046
  if ! in_side "$side" org.openjdk.jmh.Main "$@" -jvmArgsAppend "$(side_jvm "$side")" \
      -rf json -rff "$results/$stamp-$name.json" >"$logs/$stamp-jmh-$name.log" 2>&1; then
    log "JMH $name exited with an error: see bench/target/bench-logs/$stamp-jmh-$name.log"
  fi
  # a benchmark whose check failed has no result; say which exception stopped it
  grep -E '^# Benchmark: |^[A-Za-z0-9_.$]+(Exception|Error)(: |$)' "$logs/$stamp-jmh-$name.log" \
    | grep -B1 -E '(Exception|Error)' | grep -v '^--$' | head -n 10 || true
}

# shellcheck disable=SC2086 # the option lists split into words on purpose
{
  models='dev\.panamax\.bench\.(TrainStep|Inference)Benchmark'
  jmh panamax panamax "$models" $jmh_models -prof gc
  jmh panamax panamax-ops 'dev\.panamax\.bench\.' -e "$models" $jmh_ops
  if [ "${status[dl4j]}" = ran ]; then jmh dl4j dl4j 'dev\.panamax\.bench\.dl4j\.' $jmh_models -prof gc; fi
  if [ "${status[pytorch]}" = ran ]; then jmh pytorch pytorch 'dev\.panamax\.bench\.djl\.' $jmh_models -prof gc; fi
}

# ---- cold starts: a fresh JVM per run ---------------------------------------------------------

cold_lines="$logs/$stamp-startup.jsonl"
: >"$cold_lines"
cold_starts() { # side, what, main class, arguments after the workload...
  local side=$1 what=$2 main=$3 w i; shift 3
  log "cold starts: $what"
  # one untimed run first: libraries extracted and in the page cache
  if ! in_side "$side" -Dbench.launchMillis="$(date +%s%3N)" "$main" /dev/null M1 "$@" >>"$logs/$stamp-startup.log" 2>&1; then
    log "cold start of $what failed: see bench/target/bench-logs/$stamp-startup.log"
    return 0
  fi
  for w in $cold_workloads; do
    for ((i = 0; i < cold_runs; i++)); do
      in_side "$side" -Dbench.launchMillis="$(date +%s%3N)" "$main" "$cold_lines" "$w" "$@" >>"$logs/$stamp-startup.log" 2>&1 \
        || log "cold start of $what $w failed: see bench/target/bench-logs/$stamp-startup.log"
    done
  done
}
cold_starts panamax "Panamax native" dev.panamax.bench.FirstTrainingStep native
cold_starts panamax "Panamax Java" dev.panamax.bench.FirstTrainingStep java
if [ "${status[dl4j]}" = ran ]; then cold_starts dl4j DL4J dev.panamax.bench.dl4j.Dl4jFirstTrainingStep; fi
if [ "${status[pytorch]}" = ran ]; then cold_starts pytorch PyTorch dev.panamax.bench.djl.DjlFirstTrainingStep; fi
{ printf '['; paste -sd, "$cold_lines"; printf ']\n'; } >"$results/$stamp-startup.json"

# ---- report -----------------------------------------------------------------------------------

{
  printf '{"date":%s,"host":%s,"label":%s,"mode":"%s","threads":%d,"seconds":%d,' \
    "$(json_string "$day")" "$(json_string "$host")" \
    "$(json_string "$label")" "$mode" "$threads" "$(($(date +%s) - started))"
  printf '"jmhModels":%s,"jmhOps":%s,"coldStartWorkloads":%s,"coldStartRuns":%d,"sides":[' \
    "$(json_string "${jmh_models:-as annotated} -prof gc")" "$(json_string "${jmh_ops:-as annotated}")" \
    "$(json_string "$cold_workloads")" "$cold_runs"
  first=true
  for side in panamax dl4j pytorch; do
    $first || printf ','
    first=false
    printf '{"run":"%s","status":"%s","note":%s,"jvmArgs":%s,"env":%s}' "$side" "${status[$side]}" \
      "$(json_string "${note[$side]}")" "$(json_string "$(side_jvm "$side")")" "$(json_string "$(describe_env "$side")")"
  done
  printf ']}\n'
} >"$results/$stamp-run.json"

in_side panamax -Djava.awt.headless=true dev.panamax.bench.report.BenchReport "$results" "$stamp"
log "done in $(($(date +%s) - started)) s: bench/results/$stamp.md"
