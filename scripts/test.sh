#!/usr/bin/env bash
# Install everything the tests need (Debian's Chromium included) and run every test.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests ..." >&2
  apt_install chromium
fi
if ! command -v soffice >/dev/null 2>&1; then
  # The PDF reader's tests print the seed Word documents to PDF as an office suite would.
  echo "Installing Debian's LibreOffice Writer (no GUI) for the PDF import tests ..." >&2
  apt_install --no-install-recommends libreoffice-writer-nogui
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "Installing Debian's nodejs and npm for the GIFT parser, ESLint and the browser modules' unit tests ..." >&2
  apt_install nodejs npm
fi
npm install --silent --no-audit --no-fund --no-package-lock --prefix tests/gift >/dev/null
npm install --silent --no-audit --no-fund --no-package-lock --prefix tests/js >/dev/null
"$VENV_PY" -m pip install -q --disable-pip-version-check -e ".[test]"
.venv/bin/ruff check generator tests bench
.venv/bin/lint-imports --no-cache  # the layers in pyproject.toml: a backward import fails the build
# The site's browser modules (Material's moved inline scripts in material/ excepted: they are Material's).
tests/js/node_modules/.bin/eslint --config tests/js/eslint.config.js --max-warnings 0 site_templates/theme/assets/sopkb tests/js
# pytest runs the modules' unit tests too (tests/test_js.py runs `node --test` on tests/js/*.test.js).
.venv/bin/python -m pytest "$@"
