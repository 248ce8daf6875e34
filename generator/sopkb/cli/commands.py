"""What each command does, once its arguments are parsed. Imports are late: `--help` stays instant."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from ..core import interrupts
from ..core.console import count, err, one_line, out


def validate(project_dir: Path, args: argparse.Namespace) -> int:
    from ..build.site_build import project_of
    from ..pipeline import load_knowledge_base

    kb = load_knowledge_base(project_of(project_dir), strict=args.strict)
    for warning in kb.warnings:
        err(str(warning))
    written = sum(1 for q in kb.quizzes if not q.generated)
    warnings = f", {count(len(kb.warnings), 'warning')}" if kb.warnings else ""
    checked = f"{count(len(kb.sops), 'SOP')} and {count(written, 'quiz', 'quizzes')}"
    if kb.learning_paths:
        checked = checked.replace(" and ", ", ") + f" and {count(len(kb.learning_paths), 'learning path')}"
    out(f"{checked} checked: no errors{warnings}.")
    return 0


def report(project_dir: Path, args: argparse.Namespace) -> int:
    import datetime as dt

    from ..build.site_build import load_project_config, project_of
    from ..core.errors import ProjectError, SourceErrors
    from ..pipeline import load_knowledge_base

    if bool(args.stale) == bool(args.receipts):
        raise ProjectError("give either receipt files (sopkb report RECEIPT...) or --stale")
    config = load_project_config(project_dir)
    project = project_of(project_dir, config)
    kb = load_knowledge_base(project)
    if args.stale:
        from ..stale import stale_report

        text, _ = stale_report(kb, dt.date.today())
        out(text)
        return 0
    from ..build.output import outside_sources, prepare_folder, write_atomically
    from ..receipts.resign import to_sign_again
    from ..receipts.roster import roster_csv, roster_html
    from ..receipts.verify import check_receipt, read_receipts

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
    again = to_sign_again(checked, kb)
    if again:
        out(f"To sign again ({len(again)}):")
    for a in again:
        since = a.summary or "see What changed on its page"
        out(
            f"  {one_line(a.learner)}: {a.sop} “{a.title}”: signed {one_line(a.signed)} on "
            f"{one_line(a.signed_at[:10])}, now {a.current}: {since}"
        )
    flagged = sum(not c.verified for c in checked)
    unreadable = len({p.file for p in problems})
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
    from ..core.errors import Problem, ProjectError

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


def export(project_dir: Path, args: argparse.Namespace) -> int:
    from ..build.output import outside_sources, write_atomically
    from ..build.site_build import load_project_config, project_of
    from ..core.errors import ProjectError
    from ..export import DEFAULT_NAMES, export_quizzes
    from ..pipeline import load_knowledge_base
    from ..validation import one_of

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


def generate(project_dir: Path, args: argparse.Namespace) -> int:
    from ..build.generate import generate

    result = generate(project_dir, args.out, strict=args.strict)
    out(
        f"Wrote the docs tree of {count(result.sops, 'SOP')} ({count(result.pages, 'generated page')}, "
        f"{count(result.files, 'generated file')}) into {result.out} in {result.seconds:.1f} s. "
        "Build it there with `mkdocs build`."
    )
    return 0


def build(project_dir: Path, args: argparse.Namespace) -> int:
    from mkdocs.exceptions import Abort, MkDocsException

    from ..build.site_build import build_site

    interrupts.forget()
    interrupts.quiet_when_dropped()
    signal.signal(signal.SIGINT, interrupts.remembered(signal.default_int_handler))
    signal.signal(signal.SIGTERM, interrupts.remembered(_terminated))
    try:
        result = build_site(project_dir, args.site_dir, strict=args.strict)
    except (_Terminated, KeyboardInterrupt) as exc:
        if interrupts.published[0]:  # the signal came as the site was published: say it was
            err("sopkb: stopped just as the new site was published; the new site is complete")
        if isinstance(exc, KeyboardInterrupt):
            raise
        # cleaned up on the way out (staging folder, workers): now end as terminated
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        raise
    except (Abort, MkDocsException) as exc:
        err(f"error: the build failed; the existing site was left as it was.\n{exc}")
        return 1
    out(
        f"Built {count(result.sops, 'SOP')} ({count(result.pages, 'generated page')}) into {result.site_dir} "
        f"in {result.seconds:.1f} s."
    )
    return 0


def serve(project_dir: Path, args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    from ..build.site_build import load_project_config

    load_project_config(project_dir)  # fail early, with a clear message, if this is no KB
    # stopped by a process manager (SIGTERM) as by Ctrl-C: MkDocs then removes its temporary site
    # and the plugin its kept pages, which would otherwise pile up in the temporary folder
    signal.signal(signal.SIGTERM, _interrupt)
    # dirty: a save rebuilds the pages it changed, not the site (the plugin keeps the others)
    config = str(project_dir / "mkdocs.yml")
    serve(config_file=config, dev_addr=args.dev_addr, livereload=True, build_type="dirty")
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


class _Terminated(BaseException):
    """SIGTERM to a build (a process manager, a CI job's timeout): its staging folder and workers
    were left behind until the next build; raised, every `finally` of the build cleans up."""


def _terminated(signum: int, frame: object) -> None:
    raise _Terminated


def init(project_dir: Path, args: argparse.Namespace) -> int:
    from ..init import create_kb

    created = create_kb(args.directory)
    out(f"Created a new KB in {created}. Build it with: sopkb -C {created} build")
    return 0


def schema(project_dir: Path, args: argparse.Namespace) -> int:
    from ..build.output import write_atomically
    from ..models.json_schema import schema_text

    text = schema_text(args.kind)
    if args.output:
        write_atomically(args.output, text, "the schema")
    else:
        sys.stdout.write(text)
    return 0


def import_(project_dir: Path, args: argparse.Namespace) -> int:
    from ..build.output import write_atomically
    from ..build.site_build import project_of
    from ..importing.report import closing_line, document_lines, summary_table
    from ..importing.run import import_document, read_documents, source_files
    from .importing import progress, target_of

    project = project_of(project_dir)
    target = target_of(project, args)
    links: list[Path] = []
    files = list(source_files(args.sources, links))
    show = progress(len(files), any(path.is_dir() for path in args.sources))
    results, taken = [], set()
    items = [(path, project.display(path)) for path, _ in files]
    jobs = min(os.cpu_count() or 1, 4)
    reads = read_documents(items, jobs)
    for n, ((path, display), read) in enumerate(zip(items, reads, strict=True), start=1):
        show(n, display)
        result = import_document(path, display, target, taken, read)
        results.append(result)
        for draft in result.drafts:
            if draft.status != "exists" and not args.dry_run:
                write_atomically(draft.path, draft.text, f"the draft {draft.id}")
    show(0, "")
    for result in results:
        for line in document_lines(result, dry_run=args.dry_run, display=project.display):
            (err if result.error else out)(line)
    if not results:
        out("No documents to import (.docx, .pdf, .html, .htm, .md, .txt) in what was named.")
        return 1
    if links:
        shown = ", ".join(project.display(link) for link in sorted(links)[:5])
        more = " …" if len(links) > 5 else ""
        listed = f"{len(links)}: {shown}{more}"
        out(one_line(f"Links in folders were not followed ({listed}); name a file to import it."))
    out("")
    for line in summary_table(results, dry_run=args.dry_run):
        out(line)
    out(closing_line(results, dry_run=args.dry_run))
    return 1 if any(r.error for r in results) else 0


def changes(project_dir: Path, args: argparse.Namespace) -> int:
    from .changes import run

    return run(project_dir, args)


RUN = {
    "build": build,
    "generate": generate,
    "validate": validate,
    "serve": serve,
    "report": report,
    "export": export,
    "init": init,
    "schema": schema,
    "import": import_,
    "changes": changes,
}
"""Each command by the name `sopkb COMMAND` takes (see arguments.py for their options)."""
