# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source this file
# Shared by every stack/bin script (sourced, never run). Paths, Java, pid files, template rendering.

STACK_BIN="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STACK_SRC="$(dirname "$STACK_BIN")"            # <repo>/stack: poms, conf templates, scripts
REPO_ROOT="$(dirname "$STACK_SRC")"            # <repo>
STACK_DIR="${STACK_DIR:-$REPO_ROOT/.stack}"    # runtime: jars, rendered conf, data, logs, pids (git-ignored)

LIB_DIR="$STACK_DIR/lib"
CONF_OUT="$STACK_DIR/conf"
DATA_DIR="$STACK_DIR/data"
LOG_DIR="$STACK_DIR/logs"
RUN_DIR="$STACK_DIR/run"

KAFKA_BOOTSTRAP="${KAFKA_BOOTSTRAP:-127.0.0.1:9092}"
REDIS_PORT="${REDIS_PORT:-6379}"
FLINK_REST_PORT="${FLINK_REST_PORT:-8081}"
FUNCTIONS_PORT="${FUNCTIONS_PORT:-8001}"
MODULE_YAML="${MODULE_YAML:-$REPO_ROOT/statefun/module.yaml}"
MODULE_RENDERED="$CONF_OUT/module.yaml"         # MODULE_YAML with loopback addresses (render_module)
# Metrics endpoints (the root README's "Observing it"): Flink's Prometheus reporter on the JobManager and the
# TaskManager, the JMX exporter agent in Kafka, redis_exporter, the gateway's METRICS_PORT, Prometheus itself.
FLINK_JM_METRICS_PORT="${FLINK_JM_METRICS_PORT:-9249}"
FLINK_TM_METRICS_PORT="${FLINK_TM_METRICS_PORT:-9250}"  # the first TaskManager's; the i-th has 9250 + i - 1
KAFKA_METRICS_PORT="${KAFKA_METRICS_PORT:-9404}"
REDIS_EXPORTER_PORT="${REDIS_EXPORTER_PORT:-9121}"
GATEWAY_METRICS_PORT="${METRICS_PORT:-9464}"
PROMETHEUS_PORT="${PROMETHEUS_PORT:-9090}"
CHECKPOINT_INTERVAL="${STATEFUN_CHECKPOINT_INTERVAL:-500ms}"
CHECKPOINT_MIN_PAUSE="${STATEFUN_CHECKPOINT_MIN_PAUSE:-0ms}"
# At most the Kafka egress's pool of transactional producers (5): more would fail the job.
CONCURRENT_CHECKPOINTS="${STATEFUN_CONCURRENT_CHECKPOINTS:-1}"
STATE_BACKEND="${STATEFUN_STATE_BACKEND:-rocksdb}"  # rocksdb (incremental) | hashmap
BUFFER_TIMEOUT="${STATEFUN_BUFFER_TIMEOUT:-5ms}"
MAX_BATCH="${STATEFUN_MAX_BATCH:-}"                 # overrides module.yaml's maxNumBatchRequests when set
mkdir -p "$LOG_DIR" "$RUN_DIR" "$DATA_DIR" "$CONF_OUT"

say() { printf '%s\n' "$*"; }
die() { printf '%s: error: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

# Scale (the root README's "Scaling out"): STACK_TASKMANAGERS TaskManagers with STACK_TASK_SLOTS slots each,
# the job at STATEFUN_PARALLELISM (default: every slot); STACK_FUNCTIONS functions servers (a Node cluster)
# behind the one functions port. A parallelism above the slots, with no slot count given, gets the slots it needs.
STACK_TASKMANAGERS="${STACK_TASKMANAGERS:-1}"
STACK_FUNCTIONS="${STACK_FUNCTIONS:-1}"
for v in STACK_TASKMANAGERS STACK_FUNCTIONS; do
  [[ "${!v}" =~ ^[1-9][0-9]?$ ]] || die "$v must be a whole number from 1 to 99, got \"${!v}\""
done
if [[ -n "${STACK_TASK_SLOTS:-}" ]]; then
  TASK_SLOTS="$STACK_TASK_SLOTS"
elif [[ -n "${STATEFUN_PARALLELISM:-}" && "$STATEFUN_PARALLELISM" =~ ^[0-9]+$ ]]; then
  TASK_SLOTS=$(( (STATEFUN_PARALLELISM + STACK_TASKMANAGERS - 1) / STACK_TASKMANAGERS ))
else
  TASK_SLOTS=1
fi
STATEFUN_PARALLELISM="${STATEFUN_PARALLELISM:-$((STACK_TASKMANAGERS * TASK_SLOTS))}"
# Key groups: the most subtasks the job's state can ever be split over. Fixed for the life of the state
# (no savepoint restores into another value), so it is set here rather than derived from the parallelism.
MAX_PARALLELISM=128
for v in STATEFUN_PARALLELISM TASK_SLOTS; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ && "${!v}" -le $MAX_PARALLELISM ]] || die "$v must be a whole number from 1 to $MAX_PARALLELISM, got \"${!v}\""
done
STATEFUN_JOB_NAME="statefun-shop"

# ---- Java ---------------------------------------------------------------------------------------
# Flink 1.16 supports Java 8/11; it runs on 17 with the module flags below. Java 25 is not usable.
java_major() { "${1:-$JAVA}" -version 2>&1 | sed -n 's/.*version "\([0-9]*\)[."].*/\1/p' | head -1; }
# JAVA, else JAVA_HOME's, else `java` if it is 11 or 17, else an installed Debian JDK 17 or 11.
if [[ -z "${JAVA:-}" ]]; then
  JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  if [[ -z "${JAVA_HOME:-}" ]] && ! [[ "$(java_major java 2>/dev/null)" =~ ^(11|17)$ ]]; then
    for j in /usr/lib/jvm/java-17-openjdk-*/bin/java /usr/lib/jvm/java-11-openjdk-*/bin/java; do
      [[ -x "$j" ]] && { JAVA="$j"; break; }
    done
  fi
fi
require_java() {
  command -v "$JAVA" >/dev/null 2>&1 || die "no java found (set JAVA or JAVA_HOME; Java 11 or 17)"
  local v; v="$(java_major)"
  [[ "$v" == 11 || "$v" == 17 ]] || die "Java $v at $JAVA: Flink 1.16 needs Java 11 or 17 (set JAVA_HOME)"
}

# What Flink 1.18+ ships as env.java.opts.all for Java 17, for Flink 1.16 on 17: Kryo/chill and
# Flink's own serializers reflect into java.util/java.lang/..., the network stack into sun.nio.ch /
# java.nio, NetUtils into sun.net.util. Harmless on Java 11.
JAVA17_OPENS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)
# Short-lived tools (StorageTool, TopicCommand, BashJavaUtils, the Flink CLI) start faster with C1 only.
QUICK_JVM=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto)

# Class-data sharing (AppCDS, Java 13+ dynamic archives): the first run of each kind of JVM records the
# classes it loaded into .stack/cds/<jars stamp>-<name>.jsa when it exits (servers: when stop.sh stops
# them), and later runs map that archive instead of parsing ~25k classes from the jars again: 2-3x faster
# start-up on this 2-core box. An archive that no longer matches the jars or the JDK is ignored by the JVM
# (-Xshare:auto, its warnings switched off). STACK_CDS=0 turns it off; `rm -rf .stack/cds` resets it.
# cds_flags NAME sets the array CDS.
cds_flags() {
  CDS=()
  [[ "${STACK_CDS:-1}" == 1 ]] || return 0
  local key f
  # the JVM checks the jars' sizes and mtimes: key by the resolution (stamp file's content and mtime)
  key="$(cat "$LIB_DIR/.stamp" 2>/dev/null || echo none)-$(stat -c %Y "$LIB_DIR/.stamp" 2>/dev/null || echo 0)"
  key="$key-$(printf '%s' "$JAVA" | sha256sum | cut -c1-8)"
  f="$STACK_DIR/cds/$key-$1.jsa"
  mkdir -p "$STACK_DIR/cds"
  if [[ -s "$f" ]]; then
    CDS=(-XX:SharedArchiveFile="$f" -Xshare:auto)
  else
    CDS=(-XX:ArchiveClassesAtExit="$f")
  fi
  CDS+=(-Xlog:cds=off -Xlog:cds+dynamic=off)
}

libs_present() {
  [[ -f "$LIB_DIR/.stamp" && -d "$LIB_DIR/kafka" && -d "$LIB_DIR/flink" && -d "$LIB_DIR/job" ]] \
    && [[ -d "$LIB_DIR/plugins/metrics-prometheus" && -f "$LIB_DIR/agents/jmx_prometheus_javaagent.jar" ]]
}
require_libs() { libs_present || die "runtime jars missing in $LIB_DIR: run stack/bin/install.sh"; }

# ---- processes ----------------------------------------------------------------------------------
pidfile() { printf '%s/%s.pid' "$RUN_DIR" "$1"; }

# is_running NAME MARKER: the pid in NAME's pid file is alive and its command line contains MARKER
# (guards against a recycled pid).
is_running() {
  local f pid; f="$(pidfile "$1")"
  [[ -f "$f" ]] || return 1
  pid="$(cat "$f")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$2"
}

# start_bg NAME LOGFILE CMD...: detached (own session, stdin closed), pid recorded.
start_bg() {
  local name="$1" log="$2"; shift 2
  setsid "$@" >>"$log" 2>&1 </dev/null &
  echo $! >"$(pidfile "$name")"
}

# stop_pid NAME MARKER [TIMEOUT_S]: SIGTERM, wait, then SIGKILL. Only the recorded pid is touched.
stop_pid() {
  local name="$1" marker="$2" timeout="${3:-30}" f pid i
  f="$(pidfile "$name")"
  if ! is_running "$name" "$marker"; then rm -f "$f"; return 1; fi
  pid="$(cat "$f")"
  # a JVM on its first run writes its CDS archive while exiting; a killed one leaves a torn file
  local jsa
  jsa="$(tr '\0' '\n' <"/proc/$pid/cmdline" | sed -n 's/^-XX:ArchiveClassesAtExit=//p')"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$f"; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  [[ -n "$jsa" ]] && rm -f "$jsa"
  rm -f "$f"
  return 0
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_for TIMEOUT_S WHAT CMD...: poll CMD every 0.2 s (WHAT only documents the call).
wait_for() {
  local timeout="$1"; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# ---- config templates ---------------------------------------------------------------------------
# render SRC DST: fill in ${STACK_DIR} ${MODULE_YAML} (the rendered module) ${CHECKPOINT_INTERVAL}
# ${CHECKPOINT_MIN_PAUSE} ${CONCURRENT_CHECKPOINTS} ${STATE_BACKEND} ${BUFFER_TIMEOUT} ${PARALLELISM} ${TASK_SLOTS}
# ${MAX_PARALLELISM} ${FLINK_TM_TARGETS} (a YAML list of every TaskManager's metrics address) ${REST_PORT} ${WEB_TMP}
# ${FLINK_JM_METRICS_PORT} ${FUNCTIONS_PORT} ${GATEWAY_METRICS_PORT} ${FLINK_TM_METRICS_PORT} ${KAFKA_METRICS_PORT}
# ${REDIS_EXPORTER_PORT} ${PROMETHEUS_PORT}
# (placeholders that keep the templates valid YAML / properties).
# Flink unpacks its web dashboard (.js files) into web.tmpdir: outside the repo, so that the repo's
# ESLint (which does not read .gitignore) never sees them.
WEB_TMP="${TMPDIR:-/tmp}/statefun-shop-flink-web-$(printf '%s' "$STACK_DIR" | sha256sum | cut -c1-8)"
render() {
  mkdir -p "$(dirname "$2")"
  sed -e "s#\${STACK_DIR}#$STACK_DIR#g" \
      -e "s#\${MODULE_YAML}#$MODULE_RENDERED#g" \
      -e "s#\${CHECKPOINT_INTERVAL}#$CHECKPOINT_INTERVAL#g" \
      -e "s#\${CHECKPOINT_MIN_PAUSE}#$CHECKPOINT_MIN_PAUSE#g" \
      -e "s#\${CONCURRENT_CHECKPOINTS}#$CONCURRENT_CHECKPOINTS#g" \
      -e "s#\${STATE_BACKEND}#$STATE_BACKEND#g" \
      -e "s#\${BUFFER_TIMEOUT}#$BUFFER_TIMEOUT#g" \
      -e "s#\${PARALLELISM}#$STATEFUN_PARALLELISM#g" \
      -e "s#\${TASK_SLOTS}#$TASK_SLOTS#g" \
      -e "s#\${MAX_PARALLELISM}#$MAX_PARALLELISM#g" \
      -e "s#\${FLINK_TM_TARGETS}#$(tm_targets)#g" \
      -e "s#\${REST_PORT}#$FLINK_REST_PORT#g" \
      -e "s#\${WEB_TMP}#$WEB_TMP#g" \
      -e "s#\${FLINK_JM_METRICS_PORT}#$FLINK_JM_METRICS_PORT#g" \
      -e "s#\${FLINK_TM_METRICS_PORT}#$FLINK_TM_METRICS_PORT#g" \
      -e "s#\${KAFKA_METRICS_PORT}#$KAFKA_METRICS_PORT#g" \
      -e "s#\${REDIS_EXPORTER_PORT}#$REDIS_EXPORTER_PORT#g" \
      -e "s#\${GATEWAY_METRICS_PORT}#$GATEWAY_METRICS_PORT#g" \
      -e "s#\${FUNCTIONS_PORT}#$FUNCTIONS_PORT#g" \
      -e "s#\${PROMETHEUS_PORT}#$PROMETHEUS_PORT#g" \
      "$1" >"$2.tmp"
  # shellcheck disable=SC2016 # a literal ${NAME} is what is searched for
  if grep -n '\${[A-Z_]*}' "$2.tmp" >&2; then die "unfilled placeholder in $1"; fi
  mv "$2.tmp" "$2"
}

# render_module: MODULE_YAML names the cluster's services (kafka:9092, http://functions:8001/), as
# docker-compose.yml and k8s/ run it; on one machine they are on loopback. Only those two addresses change,
# so the stack runs the same module as the cluster; STATEFUN_MAX_BATCH, when set, is every endpoint's
# maxNumBatchRequests (for measuring, see the root README).
render_module() {
  local batch=()
  [[ -z "$MAX_BATCH" ]] || batch=(-e "s#^\([[:space:]]*maxNumBatchRequests:[[:space:]]*\)[0-9]*#\1$MAX_BATCH#")
  sed -e "s#^\([[:space:]]*address:[[:space:]]*\)kafka:9092[[:space:]]*\$#\1$KAFKA_BOOTSTRAP#" \
      -e "s#^\([[:space:]]*urlPathTemplate:[[:space:]]*\)http://functions:8001/#\1http://127.0.0.1:$FUNCTIONS_PORT/#" \
      "${batch[@]}" "$MODULE_YAML" >"$MODULE_RENDERED.tmp"
  if grep -nE '^[^#]*(kafka:9092|functions:8001)' "$MODULE_RENDERED.tmp" >&2; then
    die "$MODULE_YAML: a cluster address left where the stack cannot rewrite it"
  fi
  mv "$MODULE_RENDERED.tmp" "$MODULE_RENDERED"
}

now_ms() { date +%s%3N; }

# ---- TaskManagers -------------------------------------------------------------------------------
# The i-th TaskManager (1-based): pid file and logs flink-taskmanager-<i>, Prometheus reporter on
# FLINK_TM_METRICS_PORT + i - 1.
tm_name() { printf 'flink-taskmanager-%s' "$1"; }
tm_metrics_port() { printf '%s' $((FLINK_TM_METRICS_PORT + $1 - 1)); }
tm_targets() {
  local i out=""
  for ((i = 1; i <= STACK_TASKMANAGERS; i++)); do out+="${out:+, }'127.0.0.1:$(tm_metrics_port "$i")'"; done
  printf '[%s]' "$out"
}
