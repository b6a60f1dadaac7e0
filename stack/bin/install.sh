#!/usr/bin/env bash
# Installs what the real engines need on this machine, idempotently:
#   - Debian packages, only if missing (one `apt-get update` first): redis-server; maven; prometheus and
#     prometheus-redis-exporter (the stack's metrics); a Java 17 JDK when neither Java 11 nor 17 is the
#     `java` on the PATH (or in JAVA_HOME);
#   - the Kafka and Flink/StateFun runtime jars, resolved from Maven Central by stack/pom.xml into
#     .stack/lib/{kafka,flink,job,plugins,agents} (cache: ~/.m2), when missing or when the poms changed since.
# Env: STACK_DIR (default <repo>/.stack), MVN (default mvn), FORCE=1 to re-resolve the jars.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

did=()
pkgs=()
command -v redis-server >/dev/null 2>&1 || pkgs+=(redis-server)
command -v "${MVN:-mvn}" >/dev/null 2>&1 || pkgs+=(maven)
command -v prometheus >/dev/null 2>&1 || pkgs+=(prometheus)
command -v prometheus-redis-exporter >/dev/null 2>&1 || pkgs+=(prometheus-redis-exporter)
v="$(java_major 2>/dev/null || true)"
if [[ "$v" != 11 && "$v" != 17 ]]; then
  pkgs+=(openjdk-17-jdk-headless)
  # use it even if another java stays the default
  JAVA=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
fi
if ((${#pkgs[@]})); then
  command -v apt-get >/dev/null 2>&1 || die "missing ${pkgs[*]} and no apt-get to install them"
  apt-get update -qq >"$LOG_DIR/apt.log" 2>&1 || die "apt-get update failed (see $LOG_DIR/apt.log)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >>"$LOG_DIR/apt.log" 2>&1 \
    || die "apt-get install ${pkgs[*]} failed (see $LOG_DIR/apt.log)"
  did+=("${pkgs[@]}")
fi
require_java

MVN="${MVN:-mvn}"
poms=("$STACK_SRC/pom.xml" "$STACK_SRC/maven/kafka/pom.xml" "$STACK_SRC/maven/flink/pom.xml" "$STACK_SRC/maven/metrics/pom.xml")
stamp="$(cat "${poms[@]}" | sha256sum | cut -c1-16)"
if [[ "${FORCE:-0}" == 1 ]] || ! libs_present || [[ "$(cat "$LIB_DIR/.stamp")" != "$stamp" ]]; then
  rm -rf "$LIB_DIR" "$STACK_DIR/build" "$STACK_DIR/cds"   # class-data archives belong to the old jars
  t0=$(now_ms)
  JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")}" \
    "$MVN" -B -q -f "$STACK_SRC/pom.xml" -Dstack.dir="$STACK_DIR" package >"$LOG_DIR/mvn.log" 2>&1 \
    || die "jar resolution failed (see $LOG_DIR/mvn.log)"
  rm -rf "$STACK_DIR/build"
  echo "$stamp" >"$LIB_DIR/.stamp"
  did+=("jars in $(( ($(now_ms) - t0) / 1000 )) s")
fi

if ((${#did[@]})); then
  say "install: installed ${did[*]}; jars in $LIB_DIR ($(du -sh "$LIB_DIR" | cut -f1))"
else
  say "install: up to date (redis-server, maven, prometheus, prometheus-redis-exporter, Java $(java_major), jars in $LIB_DIR)"
fi
