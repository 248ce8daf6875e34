"""Where in a source a value sits, as data (`('steps', 2, 'goto')`) and as authors read it
(`steps[2].goto`): every stage locates its problems this way."""

from __future__ import annotations

KeyPath = tuple[str | int, ...]

KEY_SHOWN = 40  # characters of a key named in a message: a key may be any text, of any length


def format_key_path(key_path: KeyPath) -> str:
    """('steps', 2, 'goto') -> 'steps[2].goto', the shape authors see in their file."""
    out = ""
    for part in key_path:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        part = part if len(part) <= KEY_SHOWN else f"{part[: KEY_SHOWN - 1]}…"
        out += f".{part}" if out else part
    return out
