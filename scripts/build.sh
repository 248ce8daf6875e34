#!/usr/bin/env bash
# Install sopkb and build the bundled knowledge base into site/.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
"$VENV_PY" -m pip install -q --disable-pip-version-check -e .
.venv/bin/sopkb build "$@"
