#!/bin/sh
# The StateFun master's entry point in docker-compose.yml: the image's own (/docker-entry-point.sh),
# resuming from the newest retained checkpoint under CHECKPOINTS_DIR when there is one. Without HA a
# master that restarts would otherwise start the job empty and lose every user, item and order.
# stack/bin/statefun.sh does the same on one machine. STATEFUN_FRESH=1 starts empty and deletes nothing.
# Arguments are passed on (e.g. -Dkey=value). CHECKPOINTS_DIR defaults to flink-conf.yaml's
# state.checkpoints.dir (a file: URL); without one, nothing is resumed or deleted.
set -eu

conf=${FLINK_HOME:-/opt/flink}/conf/flink-conf.yaml
dir=${CHECKPOINTS_DIR:-$(sed -n 's|^state\.checkpoints\.dir:[[:space:]]*file:\(//\)\{0,1\}\(/[^[:space:]]*\).*|\2|p' "$conf" 2>/dev/null | tail -n 1)}
dir=${dir%/}
if [ -z "$dir" ]; then
  # Guessing a folder could resume another job's state, or delete it: say so and start as configured.
  echo "statefun-master: no file: state.checkpoints.dir in $conf (and no CHECKPOINTS_DIR); not resuming" >&2
  exec /docker-entry-point.sh "$@"
fi

if [ "${STATEFUN_FRESH:-0}" != 1 ]; then
  # A checkpoint is complete once its _metadata is written; <job id>/chk-<n>/_metadata, newest first.
  # shellcheck disable=SC2012 # job ids and chk-<n> are plain [0-9a-z-] names
  latest=$(ls -td -- "$dir"/*/chk-*/_metadata 2>/dev/null | head -n 1 || true)
  keep=/none
  if [ -n "$latest" ]; then
    keep=$(dirname "$(dirname "$latest")")
  fi
  # Every start is a new job id, so older jobs' folders are dead weight: a job restored in Flink's
  # default NO_CLAIM mode takes a full first checkpoint and never reads its predecessor's files.
  # Only folders named like a job id (32 hex digits): nothing else under $dir is ours to delete.
  for d in "$dir"/*/; do
    [ -d "$d" ] || continue
    case "$(basename "$d")" in
      *[!0-9a-f]*) continue ;;
    esac
    [ "${#d}" -eq $((${#dir} + 34)) ] || continue
    [ "${d%/}" = "$keep" ] || rm -rf "$d"
  done
  if [ -n "$latest" ]; then
    restore=$(dirname "$latest")
    echo "statefun-master: resuming from $restore"
    exec /docker-entry-point.sh --fromSavepoint "file://$restore" "$@"
  fi
fi
echo "statefun-master: no retained checkpoint in $dir, starting the job empty"
exec /docker-entry-point.sh "$@"
