"""The `sopkb` command's entry point, kept apart from the command so a Ctrl-C while Python imports
it (tenths of a second, more on a slow disk) ends it as quietly as one during the command does:
exit 130, no traceback."""

from __future__ import annotations


def main() -> int:
    try:
        from .cli import main as command

        return command()
    except KeyboardInterrupt:  # before the command's own handling starts (reading its arguments)
        return 130
