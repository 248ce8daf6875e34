"""The command line's shape: every command, its options and its help, one function each."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .. import __version__


def parser() -> argparse.ArgumentParser:
    project = _project_options()
    parser = argparse.ArgumentParser(
        prog="sopkb",
        parents=[project],
        description="Structured SOPs in, a searchable static training site out.",
    )
    parser.add_argument("--version", action="version", version=f"sopkb {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _build(commands, project)
    _generate(commands, project)
    _validate(commands, project)
    _serve(commands, project)
    _report(commands, project)
    _export(commands, project)
    _init(commands, project)
    _schema(commands, project)
    _import(commands, project)
    _changes(commands, project)
    return parser


def _project_options() -> argparse.ArgumentParser:
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
    return project


def _build(commands: Any, project: argparse.ArgumentParser) -> None:
    build = commands.add_parser("build", parents=[project], help="check the sources and build the site")
    build.add_argument(
        "--site-dir", type=Path, metavar="DIR", help="where to write the site (default: site/)"
    )
    build.add_argument("--strict", action="store_true", help="treat warnings (overdue reviews) as errors")


def _generate(commands: Any, project: argparse.ArgumentParser) -> None:
    generate = commands.add_parser(
        "generate",
        parents=[project],
        help="write the complete docs tree (pages, assets, mkdocs.yml) for an engine without sopkb's plugin",
    )
    generate.add_argument("out", type=Path, metavar="DIR", help="where to write the tree")
    generate.add_argument("--strict", action="store_true", help="treat warnings (overdue reviews) as errors")


def _validate(commands: Any, project: argparse.ArgumentParser) -> None:
    validate = commands.add_parser(
        "validate", parents=[project], help="check every source and report all problems"
    )
    validate.add_argument("--strict", action="store_true", help="treat warnings (overdue reviews) as errors")


def _serve(commands: Any, project: argparse.ArgumentParser) -> None:
    serve = commands.add_parser(
        "serve", parents=[project], help="live preview; saving a source refreshes the page"
    )
    serve.add_argument("-a", "--dev-addr", metavar="IP:PORT", default="127.0.0.1:8000")


def _report(commands: Any, project: argparse.ArgumentParser) -> None:
    report = commands.add_parser(
        "report",
        parents=[project],
        help="check learners' receipts and write a roster (CSV and HTML), or list stale content",
    )
    report.add_argument(
        "receipts", nargs="*", type=Path, metavar="RECEIPT", help="receipt files or folders of them"
    )
    report.add_argument(
        "--stale", action="store_true", help="list overdue, unapproved and reconstructed content"
    )
    report.add_argument(
        "--output",
        type=Path,
        metavar="DIR",
        help="where to write the roster (default: report/ in the KB)",
    )


def _export(commands: Any, project: argparse.ArgumentParser) -> None:
    export = commands.add_parser(
        "export", parents=[project], help="write the quizzes in a format learning-management systems import"
    )
    export.add_argument("--format", required=True, choices=["qti", "moodle-xml", "gift"])
    export.add_argument("--output", type=Path, metavar="PATH", help="file to write (default: in export/)")
    export.add_argument("--quiz", action="append", metavar="ID", help="only this quiz (repeatable)")
    export.add_argument("--drills", action="store_true", help="include the drills generated from each SOP")


def _init(commands: Any, project: argparse.ArgumentParser) -> None:
    init = commands.add_parser("init", help="create a new KB folder that builds as it is")
    init.add_argument("directory", type=Path)


def _schema(commands: Any, project: argparse.ArgumentParser) -> None:
    schema = commands.add_parser(
        "schema", help="write the JSON Schema editors use to check one kind of source file"
    )
    schema.add_argument("--kind", choices=["sop", "quiz", "path", "synonyms"], default="sop")
    schema.add_argument("--output", type=Path, help="file to write (default: print)")


def _import(commands: Any, project: argparse.ArgumentParser) -> None:
    imp = commands.add_parser(
        "import",
        parents=[project],
        help="draft SOPs from existing documents (.docx, .pdf, .html, .md, .txt), for review",
    )
    imp.add_argument("sources", nargs="+", type=Path, metavar="SOURCE", help="files, or folders (recursive)")
    imp.add_argument(
        "--into", type=Path, metavar="DIR", help="where to write the drafts (default: sops/<category>/)"
    )
    imp.add_argument(
        "--category", metavar="NAME", help="the drafts' category (default: from --into, else Imported)"
    )
    imp.add_argument("--dry-run", action="store_true", help="print the report; write nothing")
    imp.add_argument("--force", action="store_true", help="replace SOP files that already exist")


def _changes(commands: Any, project: argparse.ArgumentParser) -> None:
    changes = commands.add_parser(
        "changes",
        parents=[project],
        help="print what changed across the KB, newest first (from git and the SOPs' changes: lists)",
    )
    changes.add_argument(
        "--since", metavar="DATE|REV", help="only what changed since a date (YYYY-MM-DD) or a commit or tag"
    )
    changes.add_argument("--format", choices=["md", "html"], default="md", help="Markdown (default) or HTML")
