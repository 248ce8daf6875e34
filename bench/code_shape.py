"""The codebase's shape in numbers: modules over 300 lines and functions over 60 lines.

Run from the repository: `python bench/code_shape.py`. Python functions are measured with `ast`
(decorators and docstrings included); JavaScript functions by matching braces from each
`function` keyword or arrow-function body, which is exact for code that keeps braces out of
strings and regexes, as ours does (ESLint-clean code here).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE_LIMIT = 300
FUNCTION_LIMIT = 60


def python_functions(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
            found.append((node.name, node.end_lineno - start + 1))
    return found


_JS_FUNCTION = re.compile(
    r"function\s*([A-Za-z0-9_$]*)\s*\([^)]*\)\s*\{"
    r"|(\b[A-Za-z0-9_$]+)?\s*(?:\([^()]*\)|[A-Za-z0-9_$]+)\s*=>\s*\{"
)


def js_functions(path: Path) -> list[tuple[str, int]]:
    text = path.read_text(encoding="utf-8")
    found = []
    for match in _JS_FUNCTION.finditer(text):
        name = match.group(1) or match.group(2) or "(anonymous)"
        depth, at = 0, match.end() - 1
        for at in range(match.end() - 1, len(text)):
            if text[at] == "{":
                depth += 1
            elif text[at] == "}":
                depth -= 1
                if depth == 0:
                    break
        lines = text.count("\n", match.start(), at) + 1
        found.append((name, lines))
    return found


def main() -> int:
    python = sorted((ROOT / "generator" / "sopkb").rglob("*.py"))
    js_dir = ROOT / "site_templates" / "theme" / "assets" / "sopkb"
    js = sorted(p for p in js_dir.rglob("*.js") if "material" not in p.parts)
    for label, files, measure in (("Python", python, python_functions), ("JavaScript", js, js_functions)):
        big_modules = []
        long_functions = []
        for path in files:
            lines = len(path.read_text(encoding="utf-8").splitlines())
            rel = path.relative_to(ROOT)
            if lines > MODULE_LIMIT:
                big_modules.append(f"{rel} ({lines})")
            long_functions += [f"{rel}:{name} ({n})" for name, n in measure(path) if n > FUNCTION_LIMIT]
        print(f"{label}: {len(files)} modules; over {MODULE_LIMIT} lines: {len(big_modules)}; "
              f"functions over {FUNCTION_LIMIT} lines: {len(long_functions)}")
        for line in big_modules + long_functions:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
