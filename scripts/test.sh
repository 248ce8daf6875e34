#!/usr/bin/env bash
# Install everything the tests need (Debian's Chromium included) and run every test.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests ..." >&2
  apt_install chromium
fi
"$VENV_PY" -m pip install -q --disable-pip-version-check -e ".[test]"
.venv/bin/ruff check generator tests bench
.venv/bin/python -m pytest "$@"
