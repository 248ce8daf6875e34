"""`sopkb serve`: a live preview in which saving a YAML source refreshes the page, and a broken
save keeps the last good site on screen with the problems listed, instead of hanging requests."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import free_port


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(predicate, seconds: float) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


@contextmanager
def serving(root: Path, env: dict[str, str] | None = None):
    """`sopkb serve` as a process manager runs it: no terminal; its log lines collected."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sopkb.cli", "-C", str(root), "serve", "-a", f"127.0.0.1:{port}"],
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(iter(server.stderr.readline, "")), daemon=True)
    reader.start()
    try:
        assert wait_for(lambda: any(f"Serving on http://127.0.0.1:{port}/" in line for line in log), 60), log
        yield f"http://127.0.0.1:{port}/", log
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_saving_a_source_rebuilds_the_served_page(kb_copy):
    root = kb_copy("kb-small")
    with serving(root) as (url, log):
        assert wait_for(lambda: "Refund request" in fetch(url + "sops/refund/"), 60)
        # MkDocs' own line names only docs/ and mkdocs.yml: a new author must not think sops/ unwatched
        assert any("sopkb: watching 'sops'" in line for line in log), log
        source = root / "sops" / "refund.yaml"
        source.write_text(
            source.read_text().replace("title: Refund request", "title: Refund or credit request")
        )
        assert wait_for(lambda: "Refund or credit request" in fetch(url + "sops/refund/"), 60)


def test_a_broken_save_keeps_the_last_good_site_with_the_problems_on_every_page(kb_copy):
    root = kb_copy("kb-small")
    source = root / "sops" / "refund.yaml"
    good = source.read_text()
    with serving(root) as (url, log):
        for broken, problem in [
            (good.replace("goto: record", "goto: recrod", 1), "unknown step &#39;recrod&#39;"),
            ("id: [unclosed\n", "refund.yaml:2:1: YAML syntax error"),
            (
                "[" * 20_000,
                "nesting is deeper than 64 levels",
            ),  # hostile: a located problem, not a dead server
        ]:
            source.write_text(broken)
            assert wait_for(lambda p=problem: p in fetch(url + "sops/refund/"), 60), (problem, log)
            for page in ("sops/refund/", "", "quizzes/refund-basics/"):
                started = time.monotonic()
                html = fetch(url + page)
                assert time.monotonic() - started < 5  # answered, not left waiting for a good build
                assert "shows the last version that built" in html, page
            assert "Refund request" in fetch(url + "sops/refund/")  # the last good content
            assert any("sops/refund.yaml:" in line for line in log)  # and the problem in the log
        source.write_text(good.replace("title: Refund request", "title: Refund, fixed"))
        assert wait_for(lambda: "Refund, fixed" in fetch(url + "sops/refund/"), 60)
        assert "The sources have" not in fetch(url + "sops/refund/")
        # back to a version served before the problems: the page kept from then, not the page
        # written with the banner into the same file (kept pages are linked into the preview)
        source.write_text(good)
        assert wait_for(lambda: "Refund, fixed" not in fetch(url + "sops/refund/"), 60)
        for page in ("sops/refund/", "", "quizzes/refund-basics/"):
            assert "The sources have" not in fetch(url + page), page


def test_a_kb_broken_from_the_start_is_served_with_its_problems(kb_copy):
    root = kb_copy("kb-small")
    (root / "sops" / "refund.yaml").write_text("id: [unclosed\n")
    with serving(root) as (url, log):
        html = fetch(url)
        assert "The sources have" in html and "nothing yet: no version has built" in html
        assert "refund.yaml:2:1: YAML syntax error" in html.replace("&#39;", "'")


def test_the_preview_keeps_the_policy_and_allows_only_its_live_reload_script(kb_copy):
    root = kb_copy("kb-small")
    with serving(root) as (url, _):
        html = fetch(url + "sops/refund/")
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
        inline = re.findall(r"<script>(.*?)</script>", html, re.S)
        allowed = set(re.findall(r"'(sha256-[^']+)'", policy))
        for body in inline:  # every inline script on the page, the live-reload one included
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"sha256-{digest}" in allowed
        assert "livereload(" in inline[-1] and "'unsafe-inline'" not in policy


def test_a_deleted_sop_leaves_the_preview_and_hand_written_pages_follow_the_navigation(kb_copy):
    """The preview rebuilds only what a save changed (a dirty build): a page whose SOP is gone must
    still go, and a hand-written page must follow a change of navigation."""
    root = kb_copy("kb-small")
    (root / "docs" / "about.md").write_text("# About\n\nBy hand.\n")
    extra = root / "sops" / "extra.yaml"
    escalation = (root / "sops" / "escalation.yaml").read_text()
    extra.write_text(escalation.replace("id: escalation", "id: extra", 1).replace("title: Escalation policy", "title: Extra one", 1))
    with serving(root) as (url, _):
        assert wait_for(lambda: "Extra one" in fetch(url + "sops/extra/"), 60)
        assert wait_for(lambda: "Billing" in fetch(url + "about/"), 60)  # the nav lists the categories
        extra.unlink()
        assert wait_for(lambda: fetch(url + "sops/extra/") == "", 60)  # gone, not left over
        source = root / "sops" / "refund.yaml"
        source.write_text(source.read_text().replace("category: Billing", "category: Payments", 1))
        assert wait_for(lambda: "Payments" in fetch(url + "about/"), 60)  # the new category in its nav
        assert "Billing" not in fetch(url + "about/")
        assert "Escalation policy" in fetch(url + "sops/escalation/")


def test_a_save_renders_again_the_pages_that_show_what_it_changed(kb_copy):
    """Pages whose inputs did not change are kept from the last save; a page that shows another
    SOP's title (a link to it) follows that SOP's edit."""
    root = kb_copy("kb-small")
    with serving(root) as (url, _):
        assert wait_for(lambda: "Escalation policy" in fetch(url + "sops/refund/"), 60)
        source = root / "sops" / "escalation.yaml"
        source.write_text(source.read_text().replace("title: Escalation policy", "title: Escalation rules", 1))
        assert wait_for(lambda: "Escalation rules" in fetch(url + "sops/refund/"), 60)
        assert "Escalation rules" in fetch(url + "sops/escalation/")
        assert "Escalation policy" not in fetch(url + "sops/refund/")


def test_a_save_updates_the_search_index_from_the_words_kept_since_the_last(kb_copy):
    """The plugin keeps each SOP's search terms across saves (`search/term_counts.py`): an edited
    SOP's words are counted again, the others' are not lost."""
    root = kb_copy("kb-small")
    with serving(root) as (url, _):
        assert wait_for(lambda: "Escalation policy" in fetch(url + "sops/refund/"), 60)
        source = root / "sops" / "escalation.yaml"
        assert '"policy"' in fetch(url + "search-index/t/po.json")
        source.write_text(source.read_text().replace("title: Escalation policy", "title: Zeppelin rules", 1))
        assert wait_for(lambda: "zeppelin" in fetch(url + "search-index/t/ze.json"), 60)
        assert '"refund"' in fetch(url + "search-index/t/re.json")
        assert '"policy"' not in fetch(url + "search-index/t/po.json")  # the old title's word, nowhere else


def test_a_commit_reaches_the_preview_without_a_save(tmp_path):
    """History comes from git: committing a new version changes no source, but its pages (the
    commit's subject and date in place of "Not committed yet"), which the preview shows at once."""
    from tests.git_kb import REFUND, small_kb_in_git

    kb = small_kb_in_git(tmp_path / "kb")
    kb.edit(REFUND, "version: 1.10", "version: 1.11")
    kb.edit(REFUND, '"Hello {customer_name}, how can I help?"', '"Hello {customer_name}, how may I help?"')
    with serving(kb.root) as (url, log):
        assert wait_for(lambda: "Not committed yet" in fetch(url + "whats-new/"), 60), log
        kb.commit("Refund: a warmer greeting", "2026-02-01")
        assert wait_for(lambda: "a warmer greeting" in fetch(url + "whats-new/"), 20), log


def test_a_save_in_the_themes_own_folder_rebuilds_the_preview(kb_copy):
    """MkDocs' `theme.custom_dir` (its own way to override the theme, beside sopkb's
    `site_templates/theme/`): MkDocs watches it only with `--watch-theme`, which `sopkb serve` has not."""
    root = kb_copy("kb-small")
    (root / "overrides").mkdir()
    main = root / "overrides" / "main.html"
    main.write_text('{% extends "base.html" %}\n{% block announce %}Overridden once{% endblock %}\n')
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  name: material\n", "  name: material\n  custom_dir: overrides\n", 1))
    assert "custom_dir" in config.read_text()
    with serving(root) as (url, log):
        assert wait_for(lambda: "Overridden once" in fetch(url), 60), log
        main.write_text(main.read_text().replace("Overridden once", "Overridden twice"))
        assert wait_for(lambda: "Overridden twice" in fetch(url), 20), log


def test_a_preview_stopped_by_a_process_manager_leaves_nothing_behind(kb_copy, tmp_path):
    """SIGTERM (systemd, a terminal closed, `kill`) stops the preview as Ctrl-C does: its
    temporary site and kept pages go, instead of piling up in the temporary folder."""
    root = kb_copy("kb-small")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    with serving(root, {"TMPDIR": str(temporary)}) as (url, _):
        assert wait_for(lambda: "Refund request" in fetch(url + "sops/refund/"), 60)
        assert list(temporary.iterdir())  # the site and its kept pages, while serving
    assert list(temporary.iterdir()) == []


def test_a_mistake_in_the_kbs_template_while_serving_is_located_and_fixing_it_serves_again(kb_copy):
    """MkDocs' server prints a rebuild's error with its traceback: a template's mistake is the
    author's to fix, so it is one located line; the next save that fixes it is served."""
    from sopkb.core.resources import builtin_templates  # noqa: PLC0415

    root = kb_copy("kb-small")
    override = root / "site_templates" / "pages" / "sop.md.j2"
    override.parent.mkdir(parents=True)
    good = (builtin_templates() / "pages" / "sop.md.j2").read_text()
    override.write_text(good)
    with serving(root) as (url, log):
        assert wait_for(lambda: "Refund request" in fetch(url + "sops/refund/"), 60)
        lines = good.splitlines(keepends=True)
        override.write_text("".join([lines[0], "{{ sop.title / 2 }}\n", *lines[1:]]))
        located = "site_templates/pages/sop.md.j2:2:1: in this template: TypeError: unsupported operand"
        assert wait_for(lambda: any(located in line for line in log), 60), log
        override.write_text(good.replace("{{ sop.title }}", "{{ sop.title }} (edited)", 1))
        assert wait_for(lambda: "(edited)" in fetch(url + "sops/refund/"), 60), log
    assert not any("Traceback" in line for line in log), log
