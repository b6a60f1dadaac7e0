#!/usr/bin/env bash
# Creates the shop's topics if they do not exist: those listed in statefun/topics.txt (the list
# docker-compose.yml and k8s create too), $TOPIC_PARTITIONS partitions each (default 4), replication
# factor 1, with Kafka's own TopicCommand (kafka-topics.sh's class).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
require_java
require_libs

PARTITIONS="${TOPIC_PARTITIONS:-4}"
TOPICS_FILE="$REPO_ROOT/statefun/topics.txt"
[[ -r "$TOPICS_FILE" ]] || die "cannot read $TOPICS_FILE"
mapfile -t TOPICS < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$TOPICS_FILE" | grep -v '^$' || true)
((${#TOPICS[@]})) || die "no topics in $TOPICS_FILE"
CP="$LIB_DIR/kafka/*"
topic_cmd() {
  cds_flags kafka-topic-command
  "$JAVA" "${QUICK_JVM[@]}" "${CDS[@]}" -Xmx128m -Dlog4j.configuration="file:$STACK_SRC/conf/kafka/tools-log4j.properties" \
    -cp "$CP" org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP" "$@"
}

t0=$(now_ms)
existing="$(topic_cmd --list 2>>"$LOG_DIR/topics.log")" || die "cannot list topics on $KAFKA_BOOTSTRAP (is kafka.sh running? see $LOG_DIR/topics.log)"
created=()
for t in "${TOPICS[@]}"; do
  grep -qx -- "$t" <<<"$existing" && continue
  # JVMs in parallel: each TopicCommand is mostly JVM start-up (the --list above wrote the CDS archive).
  topic_cmd --create --if-not-exists --topic "$t" --partitions "$PARTITIONS" --replication-factor 1 \
    >>"$LOG_DIR/topics.log" 2>&1 &
  created+=("$t")
done
fail=0
for _ in "${created[@]}"; do wait -n || fail=1; done
((fail == 0)) || die "creating topics failed (see $LOG_DIR/topics.log)"

if ((${#created[@]})); then
  say "topics: created ${created[*]} ($PARTITIONS partitions) in $(( $(now_ms) - t0 )) ms"
else
  say "topics: all ${#TOPICS[@]} topics already exist"
fi
