"""The Jinja environment for generated pages: a KB's own templates first, then the built-ins."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from ..core.resources import builtin_templates
from ..domain import urls
from ..domain.urls import slugify
from ..text import markdown
from ..text.data import to_json

BUILTIN_DIR = builtin_templates()

_THEME_UNSAFE = str.maketrans({"<": "‹", ">": "›", '"': "”", "'": "’"})


def theme_safe(text: str) -> str:
    """Text handed to MkDocs/Material templates, which print it without escaping (titles, nav).

    Characters that could open a tag or leave an attribute become look-alikes; everything the
    generator renders itself is autoescaped and shows the author's exact characters.
    """
    return markdown.plain(text).translate(_THEME_UNSAFE)


def yaml_string(text: str) -> Markup:
    """A front-matter value: JSON string syntax is valid YAML and needs no HTML escaping."""
    return Markup(json.dumps(str(text), ensure_ascii=False))


def copy_text(text: str) -> Markup:
    """Author paragraphs as the plain text a copy button puts on the clipboard, for a `data-copy`
    attribute: line breaks as `&#10;`, so the page never carries a blank line inside a block."""
    return Markup(str(escape(markdown.plain_lines(text))).replace("\n", "&#10;"))


def sop_links(root: str) -> markdown.SopLinks:
    """Where `[…](sop:<id>#<step>)` goes from a page `root` below the site's root (`../../`)."""
    return lambda sop_id, step: root + urls.sop_step_url(sop_id, step)


@pass_context
def _inline(context: Context, text: str | None) -> Markup:
    """`inline`, with `sop:` links pointing at their pages from the page being rendered."""
    return markdown.inline(text, _links_of(context))


@pass_context
def _block(context: Context, text: str | None) -> Markup:
    return markdown.block(text, _links_of(context))


def _links_of(context: Context) -> markdown.SopLinks | None:
    root = context.get("root")
    return sop_links(root) if isinstance(root, str) else None


def make_environment(kb_templates: Path | None = None) -> Environment:
    """One environment per set of template files in a process: `sopkb serve` plans the site on
    every save, and compiling the templates again each time cost more than rendering the pages
    that changed. Jinja reads a template again when its file changes; a template added (a KB's
    new override) makes a new environment."""
    search = [
        str(p / "pages") for p in (kb_templates, BUILTIN_DIR) if p is not None and (p / "pages").is_dir()
    ]
    names = tuple(sorted(str(f) for folder in search for f in Path(folder).rglob("*")))
    return _environment(tuple(search), names)


@functools.lru_cache(maxsize=8)
def _environment(search: tuple[str, ...], names: tuple[str, ...]) -> Environment:  # noqa: ARG001 - the key
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(list(search))]),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        inline=_inline,
        block=_block,
        plain=markdown.plain,
        copy_text=copy_text,
        highlighted=markdown.highlighted,
        theme_safe=theme_safe,
        slug=slugify,
        yaml_string=yaml_string,
        to_json=to_json,
        table_label=markdown.table_label,
    )
    env.tests["number_text"] = markdown.is_number
    return env
