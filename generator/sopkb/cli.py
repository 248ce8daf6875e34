"""The `sopkb` command. Exit 0 on success, 1 on a user error (located messages), 2 on usage errors."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from . import __version__
from .core.console import CleanFormatter, count, err, one_line, out

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

    generate = commands.add_parser(
        "generate",
        parents=[project],
        help="write the complete docs tree (pages, assets, mkdocs.yml) for an engine without sopkb's plugin",
    )
    generate.add_argument("out", type=Path, metavar="DIR", help="where to write the tree")
    generate.add_argument("--strict", action="store_true", help="treat warnings (overdue reviews) as errors")

    validate = commands.add_parser(
        "validate", parents=[project], help="check every source and report all problems"
    )
    validate.add_argument("--strict", action="store_true", help="treat warnings (overdue reviews) as errors")

    serve = commands.add_parser(
        "serve", parents=[project], help="live preview; saving a source refreshes the page"
    )
    serve.add_argument("-a", "--dev-addr", metavar="IP:PORT", default="127.0.0.1:8000")

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

    export = commands.add_parser(
        "export", parents=[project], help="write the quizzes in a format learning-management systems import"
    )
    export.add_argument("--format", required=True, choices=["qti", "moodle-xml", "gift"])
    export.add_argument("--output", type=Path, metavar="PATH", help="file to write (default: in export/)")
    export.add_argument("--quiz", action="append", metavar="ID", help="only this quiz (repeatable)")
    export.add_argument("--drills", action="store_true", help="include the drills generated from each SOP")

    init = commands.add_parser("init", help="create a new KB folder that builds as it is")
    init.add_argument("directory", type=Path)

    schema = commands.add_parser(
        "schema", help="write the JSON Schema editors use to check SOP or quiz files"
    )
    schema.add_argument("--kind", choices=["sop", "quiz", "path", "synonyms"], default="sop")
    schema.add_argument("--output", type=Path, help="file to write (default: print)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    project_dir = getattr(args, "project", Path.cwd())
    _configure_logging(getattr(args, "verbose", False) or args.command == "serve")
    from .build.output import reason
    from .core.errors import ProjectError, SourceErrors  # imported late: `--help` stays instant

    try:
        if args.command == "validate":
            return _validate(project_dir, args.strict)
        if args.command == "build":
            return _build(project_dir, args.site_dir, args.strict)
        if args.command == "generate":
            return _generate(project_dir, args.out, args.strict)
        if args.command == "serve":
            return _serve(project_dir, args.dev_addr)
        if args.command == "report":
            return _report(project_dir, args)
        if args.command == "export":
            return _export(project_dir, args)
        if args.command == "init":
            from .init import create_kb

            created = create_kb(args.directory)
            out(f"Created a new KB in {created}. Build it with: sopkb -C {created} build")
            return 0
        if args.command == "schema":
            from .build.output import write_atomically
            from .models.json_schema import schema_text

            text = schema_text(args.kind)
            if args.output:
                write_atomically(args.output, text, "the schema")
            else:
                sys.stdout.write(text)
            return 0
    except SourceErrors as exc:
        err(exc.report())
        return 1
    except ProjectError as exc:
        err(f"error: {exc}")
        return 1
    except OSError as exc:  # anything the file system refused that no command anticipated
        where = f"{exc.filename}: " if exc.filename else ""
        err(f"error: {where}{reason(exc)}")
        return 1
    except KeyboardInterrupt:
        return 130
    return 2


def _validate(project_dir: Path, strict: bool) -> int:
    from .build.site_build import project_of
    from .pipeline import load_knowledge_base

    kb = load_knowledge_base(project_of(project_dir), strict=strict)
    for warning in kb.warnings:
        err(str(warning))
    written = sum(1 for q in kb.quizzes if not q.generated)
    warnings = f", {count(len(kb.warnings), 'warning')}" if kb.warnings else ""
    checked = f"{count(len(kb.sops), 'SOP')} and {count(written, 'quiz', 'quizzes')}"
    if kb.learning_paths:
        checked = checked.replace(" and ", ", ") + f" and {count(len(kb.learning_paths), 'learning path')}"
    out(f"{checked} checked: no errors{warnings}.")
    return 0


def _report(project_dir: Path, args: argparse.Namespace) -> int:
    import datetime as dt

    from .build.site_build import load_project_config, project_of
    from .core.errors import ProjectError, SourceErrors
    from .pipeline import load_knowledge_base

    if bool(args.stale) == bool(args.receipts):
        raise ProjectError("give either receipt files (sopkb report RECEIPT...) or --stale")
    config = load_project_config(project_dir)
    project = project_of(project_dir, config)
    kb = load_knowledge_base(project)
    if args.stale:
        from .stale import stale_report

        text, _ = stale_report(kb, dt.date.today())
        out(text)
        return 0
    from .build.output import outside_sources, prepare_folder, write_atomically
    from .receipts.roster import roster_csv, roster_html
    from .receipts.verify import check_receipt, read_receipts

    files, refused = _receipt_files(args.receipts, project.display)
    found, problems = read_receipts(files, project.display)
    problems = sorted(refused + problems)
    if not found:
        raise SourceErrors(problems)
    for problem in problems:  # one unreadable receipt does not cost the others their place
        err(str(problem))
    checked = [check_receipt(source, receipt, raw, kb) for source, receipt, raw in found]
    output = outside_sources(args.output or project_dir / "report", project, "the roster")
    prepare_folder(output, "the roster")
    write_atomically(output / "roster.csv", roster_csv(checked), "the roster")
    write_atomically(output / "roster.html", roster_html(checked, kb, config.site_name), "the roster")
    for c in checked:
        for flag in c.flags:
            out(f"{one_line(c.source)}: {one_line(c.receipt.learner)}: {one_line(flag)}")
    flagged = sum(not c.verified for c in checked)
    unreadable = len({p.path for p in problems})
    skipped = f", {unreadable} unreadable (listed above, not in the roster)" if unreadable else ""
    out(
        f"{count(len(checked) + unreadable, 'receipt')}: {len(checked) - flagged} verified, "
        f"{flagged} flagged{skipped}. Roster: {output / 'roster.csv'} and {output / 'roster.html'}"
    )
    return 1 if unreadable else 0


def _receipt_files(paths: list[Path], display) -> tuple[list[Path], list]:  # noqa: ANN001
    """The receipt files named, and the `.json` files in the folders named. A link in such a folder
    is refused, never followed: a learner who can drop files into a shared folder must not make
    the report read (and quote) any file the trainer can read."""
    from .core.errors import Problem, ProjectError

    found: list[Path] = []
    refused: list[Problem] = []
    for path in paths:
        try:
            if path.is_dir():
                for entry in sorted(path.glob("*.json")):
                    if entry.is_symlink():
                        refused.append(
                            Problem(
                                display(entry), 1, 1, "is a link; receipts in a folder are read only as files"
                            )
                        )
                    elif not entry.is_dir():
                        found.append(entry)
            elif path.exists():
                found.append(path)
            else:
                raise ProjectError(f"{path}: no such receipt file or folder")
        except OSError as exc:
            raise ProjectError(f"cannot read the receipts in {path}: {exc.strerror}") from None
    if not found and not refused:
        raise ProjectError("no receipts found (receipts are .json files)")
    return found, refused


def _export(project_dir: Path, args: argparse.Namespace) -> int:
    from .build.output import outside_sources, write_atomically
    from .build.site_build import load_project_config, project_of
    from .core.errors import ProjectError
    from .export import DEFAULT_NAMES, export_quizzes
    from .pipeline import load_knowledge_base
    from .validation import one_of

    config = load_project_config(project_dir)
    project = project_of(project_dir, config)
    kb = load_knowledge_base(project)
    chosen = [q for q in kb.quizzes if args.drills or not q.generated]
    if args.quiz:
        unknown = sorted(set(args.quiz) - {q.id for q in kb.quizzes})
        if unknown:
            known = one_of([q.id for q in kb.quizzes], unknown[0])
            raise ProjectError(f"unknown quiz {unknown[0]!r}; expected one of: {known}")
        chosen = [q for q in kb.quizzes if q.id in args.quiz]
    if not chosen:
        raise ProjectError("no quizzes to export (add --drills to export the generated drills)")
    data = export_quizzes(kb, chosen, args.format, config.site_name)
    output = outside_sources(
        args.output or project_dir / "export" / DEFAULT_NAMES[args.format], project, "the export"
    )
    write_atomically(output, data, "the export")
    questions = sum(len(q.quiz.questions()) for q in chosen)
    out(
        f"Exported {count(len(chosen), 'quiz', 'quizzes')} ({questions} questions) "
        f"as {args.format} to {output}."
    )
    return 0


def _generate(project_dir: Path, folder: Path, strict: bool) -> int:
    from .build.generate import generate

    result = generate(project_dir, folder, strict=strict)
    out(
        f"Wrote the docs tree of {result.sops} SOPs ({result.pages} generated pages, {result.files} "
        f"generated files) into {result.out} in {result.seconds:.1f} s. Build it there with `mkdocs build`."
    )
    return 0


def _build(project_dir: Path, site_dir: Path | None, strict: bool) -> int:
    from mkdocs.exceptions import Abort, MkDocsException

    from .build.site_build import build_site

    try:
        result = build_site(project_dir, site_dir, strict=strict)
    except (Abort, MkDocsException) as exc:
        err(f"error: the build failed; the existing site was left as it was.\n{exc}")
        return 1
    out(
        f"Built {result.sops} SOPs ({result.pages} generated pages) into {result.site_dir} "
        f"in {result.seconds:.1f} s."
    )
    return 0


def _serve(project_dir: Path, dev_addr: str) -> int:
    from mkdocs.commands.serve import serve

    from .build.site_build import load_project_config

    load_project_config(project_dir)  # fail early, with a clear message, if this is no KB
    serve(config_file=str(project_dir / "mkdocs.yml"), dev_addr=dev_addr, livereload=True)
    return 0


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


if __name__ == "__main__":
    sys.exit(main())
