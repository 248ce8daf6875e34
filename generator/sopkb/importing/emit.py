"""Drafts as YAML text: block style, safely quoted, loading back to exactly the same data.

PyYAML's `safe_dump` quotes what YAML 1.1 would read as something other than text; sopkb reads
YAML 1.2's types (`loading/yaml_scalars.py`), so those patterns are added to the dumper's
resolver too: text that either reader would take for a number, date or boolean is quoted. The
dumper never writes anchors or aliases (sopkb's reader refuses them), and source text that looks
like YAML (`key: value`, `- [a, b]`, `&anchor`, `!!python/object`) comes out as a quoted string.
"""

from __future__ import annotations

import re

import yaml

from ..loading.yaml_scalars import IMPLICIT

WIDTH = 110


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True


for _first, _patterns in IMPLICIT.items():
    for _tag, _pattern in _patterns:
        _Dumper.add_implicit_resolver(
            "tag:sopkb,2026:yaml12-" + _tag.rsplit(":", 1)[-1], _pattern, list(_first) or [""]
        )


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]", value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump(data: dict, schema: str) -> str:
    header = f"# yaml-language-server: $schema={schema}\n"
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=WIDTH,
        default_flow_style=False,
        indent=2,
    )
    return header + body
