# Shared by build.sh and test.sh: a project virtualenv in .venv with sopkb installed into it.
# Debian's own Python refuses system-wide pip installs (PEP 668), so everything goes in the venv.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

apt_install() {
  # Only what is missing, so repeated runs stay fast and need no network.
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
  || { echo "sopkb needs Python 3.11 or newer (found: $("$PYTHON" --version 2>&1))" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    echo "Installing Debian's python3-venv ..." >&2
    apt_install python3-venv
    "$PYTHON" -m venv .venv
  fi
fi
VENV_PY=.venv/bin/python
