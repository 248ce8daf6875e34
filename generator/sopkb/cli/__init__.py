"""The `sopkb` command. Exit 0 on success, 1 on a user error (located messages), 2 on usage errors."""

from __future__ import annotations

import atexit
import gc
import logging
import os
import sys
from pathlib import Path

from ..core.console import CleanFormatter, err
from . import commands
from .arguments import parser

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # MkDocs' banner is noise in an agent-facing tool


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    _quick_exit()
    project_dir = getattr(args, "project", Path.cwd())
    _configure_logging(getattr(args, "verbose", False) or args.command == "serve")
    from ..build.output import reason
    from ..core.errors import ProjectError, SourceErrors  # imported late: `--help` stays instant
    from ..core.template_errors import template_problem

    try:
        return commands.RUN[args.command](project_dir, args)
    except SourceErrors as exc:
        err(exc.report())
        return 1
    except ProjectError as exc:
        err(f"error: {exc}")
        return 1
    except BrokenPipeError:  # `sopkb … | head`: the reader has gone; stop quietly, as `git log | head` does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 141
    except Exception as exc:
        problem = template_problem(exc)  # a mistake in one of the KB's own templates
        if problem is not None:
            err(SourceErrors([problem]).report())
            return 1
        if not isinstance(exc, OSError):
            raise
        where = f"{exc.filename}: " if exc.filename else ""  # what the file system refused, unforeseen
        err(f"error: {where}{reason(exc)}")
        return 1
    except KeyboardInterrupt:
        return 130


def _quick_exit() -> None:
    """At exit, Python runs the cycle collector over everything still alive, several times: after
    a build of 1,000 SOPs (half a million objects) that was over a second of an unchanged
    rebuild's seven, spent freeing memory the process is about to give back whole. Frozen first,
    what is alive is left to the end of the process; files and output are closed and flushed as
    always (by their own references and by the interpreter, not by the collector)."""
    atexit.unregister(gc.freeze)  # once, however often `main` runs in one process (tests)
    atexit.register(gc.freeze)


def _configure_logging(verbose: bool) -> None:
    """MkDocs talks through logging: warnings always, its progress with -v, on a terminal, and
    always while serving (the address to open, and each rebuild, matter in a log file too)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(CleanFormatter("%(levelname)-7s -  %(message)s"))
    level = logging.INFO if verbose or sys.stderr.isatty() else logging.WARNING
    for name in ("mkdocs", "sopkb"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
