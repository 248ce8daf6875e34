"""Where sopkb's own files are, installed from a wheel or run from a source checkout.

The built-in templates live at the top of the repository (`site_templates/`), beside the
package, so authors of a KB find them where the project's layout says. A wheel carries them
inside the package (`sopkb/site_templates/`); an editable install runs the package from
`generator/sopkb/` and reads them from the checkout. One function knows both, so nothing else
depends on how sopkb was installed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


@cache
def builtin_templates() -> Path:
    packaged = PACKAGE / "site_templates"
    if packaged.is_dir():
        return packaged
    checkout = PACKAGE.parents[1] / "site_templates"
    if checkout.is_dir():
        return checkout
    raise RuntimeError(f"sopkb is installed without its templates (looked in {packaged} and {checkout})")


def init_template() -> Path:
    return PACKAGE / "init_template"
