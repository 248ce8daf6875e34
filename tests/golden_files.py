"""Compare a set of generated files with reviewed golden files under `tests/golden/`, byte for byte.

The same switch as the golden pages: `pytest --update-golden` rewrites a folder from the current
output (and deletes golden files the output no longer has); without it nothing is ever written.
"""

from __future__ import annotations

from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, by its POSIX path relative to it."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def check_golden(name: str, output: dict[str, str | bytes], update: bool) -> None:
    """`output` (path → content) must equal the files of `tests/golden/<name>/`, exactly."""
    folder = GOLDEN / name
    actual = {path: c.encode("utf-8") if isinstance(c, str) else c for path, c in output.items()}
    if update:
        for path in files_under(folder) if folder.is_dir() else {}:
            if path not in actual:
                (folder / path).unlink()
        for path, content in actual.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(content)
    assert folder.is_dir(), f"no golden files in {folder} (pytest --update-golden to create them)"
    golden = files_under(folder)
    missing, extra = sorted(set(actual) - set(golden)), sorted(set(golden) - set(actual))
    assert not missing and not extra, (
        f"the files differ from {folder}: new {missing}, gone {extra} (pytest --update-golden to accept)"
    )
    differ = [path for path in sorted(actual) if actual[path] != golden[path]]
    if differ:
        first, want = actual[differ[0]], golden[differ[0]]
        at = next((i for i, (a, b) in enumerate(zip(first, want, strict=False)) if a != b), None)
        at = min(len(first), len(want)) if at is None else at
        raise AssertionError(
            f"{len(differ)} file(s) differ from their golden files in {folder}: {', '.join(differ)}; "
            f"{differ[0]} first at byte {at}: got {first[max(0, at - 40) : at + 40]!r}, "
            f"expected {want[max(0, at - 40) : at + 40]!r} (pytest --update-golden to accept)"
        )
