#!/bin/sh
# Creates the topics listed in topics.txt on a Kafka cluster, leaving existing ones as they are, so it
# can run on every start. Runs inside the apache/kafka image (Alpine: POSIX sh, kafka-topics.sh under
# $KAFKA_HOME/bin): the one-shot `topics` service of docker-compose.yml and the k8s topics Job.
# Env: KAFKA_BOOTSTRAP (kafka:9092), TOPIC_PARTITIONS (4), TOPIC_REPLICATION (1),
# TOPICS_FILE (topics.txt beside this script), KAFKA_HOME (/opt/kafka), WAIT_SECONDS (120).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bootstrap=${KAFKA_BOOTSTRAP:-kafka:9092}
partitions=${TOPIC_PARTITIONS:-4}
replication=${TOPIC_REPLICATION:-1}
topics_file=${TOPICS_FILE:-$here/topics.txt}
kafka_topics=${KAFKA_HOME:-/opt/kafka}/bin/kafka-topics.sh
wait_seconds=${WAIT_SECONDS:-120}

die() {
  echo "create-topics: error: $*" >&2
  exit 1
}

[ -r "$topics_file" ] || die "cannot read $topics_file"
[ -x "$kafka_topics" ] || die "$kafka_topics not found (set KAFKA_HOME)"
# Comments and blank lines out; every name must be a legal Kafka topic name.
topics=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$topics_file" | grep -v '^$' || true)
[ -n "$topics" ] || die "no topics in $topics_file"
for t in $topics; do
  case "$t" in
    *[!A-Za-z0-9._-]*) die "'$t' in $topics_file is not a valid topic name" ;;
  esac
done

# The broker may still be starting (compose waits for its health check, a k8s Job does not).
start=$(date +%s)
until existing=$("$kafka_topics" --bootstrap-server "$bootstrap" --list 2>/dev/null); do
  [ $(($(date +%s) - start)) -lt "$wait_seconds" ] || die "no Kafka at $bootstrap after ${wait_seconds}s"
  sleep 2
done

# One JVM per topic, in parallel: each kafka-topics.sh run is mostly JVM start-up.
pids=""
created=""
for t in $topics; do
  if printf '%s\n' "$existing" | grep -qx -- "$t"; then
    continue
  fi
  "$kafka_topics" --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$t" \
    --partitions "$partitions" --replication-factor "$replication" >/dev/null &
  pids="$pids $!"
  created="$created $t"
done
failed=0
for pid in $pids; do
  wait "$pid" || failed=1
done
[ "$failed" = 0 ] || die "creating topics on $bootstrap failed"

if [ -n "$created" ]; then
  echo "create-topics: created$created ($partitions partitions, replication $replication) on $bootstrap"
else
  echo "create-topics: all topics of $(basename "$topics_file") already exist on $bootstrap"
fi
