"""`sopkb changes`: the briefing of what changed across the KB, printed (Markdown or HTML)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path


def run(project_dir: Path, args: argparse.Namespace) -> int:
    from ..briefing import entries
    from ..briefing.formats import as_html, as_markdown
    from ..build.site_build import load_project_config, project_of
    from ..core.console import clean, err
    from ..core.errors import ProjectError
    from ..pipeline import load_knowledge_base
    from ..validation.versions import HISTORY_UNREAD, NO_GIT

    config = load_project_config(project_dir)
    project = project_of(project_dir, config)
    since = since_of(args.since, project.root)
    kb = load_knowledge_base(project)
    unread = [w for w in kb.warnings if w.message in HISTORY_UNREAD]
    if any(w.message == NO_GIT for w in unread):
        raise ProjectError(f"{project.root}: the KB is in git, but no `git` program is on the PATH")
    for warning in unread:  # a shallow clone: said beside what it can tell
        err(str(warning))
    found = entries(kb, since)
    title = f"What changed in {config.site_name}" + (f" since {since.label}" if since.label else "")
    text = as_html(found, title) if args.format == "html" else as_markdown(found, title)
    sys.stdout.write(clean(text))  # a commit subject's escape codes never act on a terminal
    return 0


def since_of(value: str | None, root: Path):  # noqa: ANN201 - a briefing.Since
    """A date (YYYY-MM-DD) or anything git names a commit by (a tag, a branch, a commit id)."""
    from ..briefing import Since
    from ..core.errors import ProjectError
    from ..loading.git_history import commits_since, in_git_without_git

    if not value:
        return Since("")
    try:
        return Since(value, date=dt.date.fromisoformat(value))
    except ValueError:
        pass
    commits = commits_since(root, value)
    if commits is None and in_git_without_git(root):
        raise ProjectError(f"--since {value!r}: the KB is in git, but no `git` program is on the PATH")
    if commits is None:
        raise ProjectError(
            f"--since {value!r} is neither a date (YYYY-MM-DD) nor a commit, tag or branch "
            "of the KB's git history"
        )
    return Since(value, commits=frozenset(commits))
