"""The `sopkb` command. Exit 0 on success, 1 on a user error (located messages), 2 on usage errors."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from . import __version__

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # MkDocs' banner is noise in an agent-facing tool


def _parser() -> argparse.ArgumentParser:
    project = argparse.ArgumentParser(add_help=False)
    project.add_argument(
        "-C",
        "--project",
        metavar="DIR",
        type=Path,
        default=argparse.SUPPRESS,
        help="the KB folder (holding mkdocs.yml); default: the current folder",
    )
    project.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show MkDocs' own progress messages",
    )
    parser = argparse.ArgumentParser(
        prog="sopkb",
        parents=[project],
        description="Structured SOPs in, a searchable static training site out.",
    )
    parser.add_argument("--version", action="version", version=f"sopkb {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", parents=[project], help="check the sources and build the site")
    build.add_argument(
        "--site-dir", type=Path, metavar="DIR", help="where to write the site (default: site/)"
    )
    build.add_argument("--strict", action="store_true", help="treat warnings (overdue reviews) as errors")

    validate = commands.add_parser(
        "validate", parents=[project], help="check every source and report all problems"
    )
    validate.add_argument("--strict", action="store_true", help="treat warnings (overdue reviews) as errors")

    serve = commands.add_parser(
        "serve", parents=[project], help="live preview; saving a source refreshes the page"
    )
    serve.add_argument("-a", "--dev-addr", metavar="IP:PORT", default="127.0.0.1:8000")

    init = commands.add_parser("init", help="create a new KB folder that builds as it is")
    init.add_argument("directory", type=Path)

    schema = commands.add_parser(
        "schema", help="write the JSON Schema editors use to check SOP or quiz files"
    )
    schema.add_argument("--kind", choices=["sop", "quiz", "synonyms"], default="sop")
    schema.add_argument("--output", type=Path, help="file to write (default: print)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    project_dir = getattr(args, "project", Path.cwd())
    _configure_logging(getattr(args, "verbose", False))
    from .errors import ProjectError, SourceErrors  # imported late: `--help` stays instant
    from .mkdocs_plugin import SourcesInvalid

    try:
        if args.command == "validate":
            return _validate(project_dir, args.strict)
        if args.command == "build":
            return _build(project_dir, args.site_dir, args.strict)
        if args.command == "serve":
            return _serve(project_dir, args.dev_addr)
        if args.command == "init":
            from .init import create_kb

            created = create_kb(args.directory)
            print(f"Created a new KB in {created}. Build it with: sopkb -C {created} build")
            return 0
        if args.command == "schema":
            from .json_schema import schema_text

            text = schema_text(args.kind)
            if args.output:
                args.output.write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
            return 0
    except SourcesInvalid as exc:
        print(exc.errors.report(), file=sys.stderr)
        return 1
    except SourceErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except ProjectError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 2


def _validate(project_dir: Path, strict: bool) -> int:
    from .knowledge_base import load_knowledge_base
    from .site_build import project_of

    kb = load_knowledge_base(project_of(project_dir), strict=strict)
    for warning in kb.warnings:
        print(warning, file=sys.stderr)
    written = sum(1 for q in kb.quizzes if not q.generated)
    warnings = f", {_count(len(kb.warnings), 'warning')}" if kb.warnings else ""
    checked = f"{_count(len(kb.sops), 'SOP')} and {_count(written, 'quiz', 'quizzes')}"
    print(f"{checked} checked: no errors{warnings}.")
    return 0


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _build(project_dir: Path, site_dir: Path | None, strict: bool) -> int:
    from mkdocs.exceptions import Abort, MkDocsException

    from .mkdocs_plugin import SourcesInvalid
    from .site_build import build_site

    try:
        result = build_site(project_dir, site_dir, strict=strict)
    except SourcesInvalid:
        raise
    except (Abort, MkDocsException) as exc:
        print(f"error: the build failed; the existing site was left as it was.\n{exc}", file=sys.stderr)
        return 1
    print(
        f"Built {result.sops} SOPs ({result.pages} generated pages) into {result.site_dir} "
        f"in {result.seconds:.1f} s."
    )
    return 0


def _serve(project_dir: Path, dev_addr: str) -> int:
    from mkdocs.commands.serve import serve

    from .site_build import load_project_config

    load_project_config(project_dir)  # fail early, with a clear message, if this is no KB
    serve(config_file=str(project_dir / "mkdocs.yml"), dev_addr=dev_addr, livereload=True)
    return 0


def _configure_logging(verbose: bool) -> None:
    """MkDocs talks through logging: warnings always, its progress only with -v or on a terminal."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    level = logging.INFO if verbose or sys.stderr.isatty() else logging.WARNING
    for name in ("mkdocs", "sopkb"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False


if __name__ == "__main__":
    sys.exit(main())
