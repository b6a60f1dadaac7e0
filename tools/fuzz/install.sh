#!/usr/bin/env bash
# Installs Schemathesis into a virtualenv at .tools/schemathesis/venv (gitignored), exactly the versions
# in tools/fuzz/requirements.txt (Schemathesis and every dependency, from `pip freeze`), so that every
# machine and CI run fuzzes with the same code. Idempotent: does nothing when the venv already holds
# exactly those pins. Needs Python 3.11 or newer (PYTHON=... to choose one).
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=.tools/schemathesis/venv
lock=tools/fuzz/requirements.txt
stamp=$venv/requirements.sha256
want=$(sha256sum "$lock" | cut -d' ' -f1)

if [[ -x $venv/bin/schemathesis && -f $stamp && $(cat "$stamp") == "$want" ]]; then
  echo "fuzz: $("$venv/bin/schemathesis" --version) already in $venv"
  exit 0
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "fuzz: Schemathesis needs Python 3.11 or newer; $python is $("$python" --version 2>&1)" >&2
  exit 1
fi

# Debian ships venv's pip bootstrap as a package of its own (python3-venv).
if ! "$python" -c 'import ensurepip' 2>/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "fuzz: installing python3-venv"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
  else
    echo "fuzz: $python has no venv support; install python3-venv" >&2
    exit 1
  fi
fi

echo "fuzz: installing Schemathesis into $venv (pins from $lock)"
rm -rf "$venv"
"$python" -m venv "$venv"
# --no-deps: the lock names every package, so pip installs exactly those and resolves nothing itself.
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$lock"
"$venv/bin/pip" check --disable-pip-version-check >/dev/null
echo "$want" >"$stamp"
echo "fuzz: $("$venv/bin/schemathesis" --version)"
