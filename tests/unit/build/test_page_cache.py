"""Pages kept between builds (`build/page_cache.py`): a rebuild places the pages whose Markdown and
site are unchanged instead of having MkDocs make them again, and the site it publishes is the
same, byte for byte, as a build from nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sopkb.build import page_cache
from sopkb.build.site_build import build_site
from sopkb.search import index

from tests.call_log import CallLog
from tests.conftest import FIXTURES

REFUND_PAGE = Path("sops/refund/index.html")
ESCALATION_PAGE = Path("sops/escalation/index.html")


def site_files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


CACHE = ".site-page-cache"  # beside `site/`


def kept(root: Path) -> set[Path]:
    return set((root / CACHE / page_cache.PAGES).rglob("*.html"))


def placed(site: Path, page: Path, root: Path) -> bool:
    """Whether the site's page is one of the kept files (linked, not written again)."""
    return any(os.path.samefile(site / page, k) for k in kept(root))


def cold_build(root: Path, site: Path) -> dict[str, bytes]:
    shutil.rmtree(root / CACHE, ignore_errors=True)
    build_site(root, site)
    return site_files(site)


def test_an_unchanged_rebuild_places_every_generated_page_and_publishes_the_same_site(kb):
    first = cold_build(kb, kb / "site")
    assert len(kept(kb)) > 10  # every generated page: SOPs, listings, quizzes, learning pages
    build_site(kb, kb / "site")
    assert placed(kb / "site", REFUND_PAGE, kb) and placed(kb / "site", ESCALATION_PAGE, kb)
    assert site_files(kb / "site") == first


@pytest.mark.parametrize("whose", ["another-users", "open-to-all"])
def test_a_cache_folder_another_user_could_write_never_feeds_the_site(whose, kb):
    """Beside a site in a shared folder, another local user can make `.site-page-cache` first, or
    write into one open to all: its kept pages (times kept, so they look unchanged) are not placed."""
    first = cold_build(kb, kb / "site")
    kept_page = next(k for k in kept(kb) if os.path.samefile(kb / "site" / REFUND_PAGE, k))
    made = os.stat(kept_page)
    kept_page.unlink()
    kept_page.write_bytes(b"<p>INJECTED</p>")
    os.utime(kept_page, ns=(made.st_atime_ns, made.st_mtime_ns))
    if whose == "another-users":
        for folder in [kb / CACHE, *(p for p in (kb / CACHE).rglob("*") if p.is_dir())]:
            os.chown(folder, os.getuid() + 1, -1)
    else:
        os.chmod(kb / CACHE, 0o777)
    build_site(kb, kb / "site")
    assert site_files(kb / "site") == first
    assert kept_page.read_bytes() == b"<p>INJECTED</p>"  # nothing of it read or replaced


def test_an_edited_sop_is_built_again_and_the_others_are_placed(kb):
    build_site(kb, kb / "site")
    before = kept(kb)
    source = kb / "sops" / "refund.yaml"
    source.write_text(
        source.read_text().replace("Note the refund amount.", "Note the refund amount and why.")
    )
    build_site(kb, kb / "site")
    assert "Note the refund amount and why." in (kb / "site" / REFUND_PAGE).read_text()
    assert placed(kb / "site", ESCALATION_PAGE, kb)
    assert len(kept(kb) - before) == 1 and len(before - kept(kb)) == 1  # the old refund page is dropped
    assert site_files(kb / "site") == cold_build(kb, kb / "site")  # as a build from nothing


def test_a_changed_site_builds_every_page_again(kb):
    build_site(kb, kb / "site")
    before = kept(kb)
    config = kb / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_name: ", "site_name: Renamed ", 1))
    build_site(kb, kb / "site")
    assert not kept(kb) & before  # a new stamp: nothing placed, the old pages pruned
    assert "Renamed" in (kb / "site" / REFUND_PAGE).read_text()
    assert site_files(kb / "site") == cold_build(kb, kb / "site")


def test_a_hand_written_page_in_the_navigation_changes_the_stamp(kb):
    build_site(kb, kb / "site")
    before = kept(kb)
    (kb / "docs" / "about.md").write_text("# About this KB\n\nWritten by hand.\n")
    build_site(kb, kb / "site")
    assert not kept(kb) & before
    assert site_files(kb / "site") == cold_build(kb, kb / "site")


def test_a_kept_page_is_never_changed_by_the_next_build(kb, tmp_path):
    """The site and the cache share the file: the next build must write a changed page as a new
    file, never into the shared one (the kept copy, and the published site, would change with it)."""
    build_site(kb, kb / "site")
    held = tmp_path / "held.html"  # one more name for the file, which outlives pruning
    os.link(kb / "site" / REFUND_PAGE, held)
    text = held.read_bytes()
    source = kb / "sops" / "refund.yaml"
    source.write_text(source.read_text().replace("Note the refund amount.", "Note the amount."))
    build_site(kb, kb / "site")
    assert held.read_bytes() == text
    assert "Note the amount." in (kb / "site" / REFUND_PAGE).read_text()


def test_a_site_page_written_in_place_is_not_published_by_the_next_build(kb):
    """The site and the cache share each page's file: whatever writes a site page in place (`mkdocs
    build --dirty` into the same folder, a script that post-processes the site) writes the kept
    page too, which the next build must not publish as the page of unchanged sources."""
    first = cold_build(kb, kb / "site")
    (kb / "site" / REFUND_PAGE).write_bytes(b"<p>written in place</p>")  # opened for writing, as MkDocs does
    build_site(kb, kb / "site")
    assert site_files(kb / "site") == first


def test_strict_kbs_build_with_the_cache(kb):
    config = kb / "mkdocs.yml"
    config.write_text(config.read_text() + "\nstrict: true\n")
    build_site(kb, kb / "site")
    build_site(kb, kb / "site")  # MkDocs' warning about dirty builds would fail a strict build
    assert placed(kb / "site", REFUND_PAGE, kb)


def test_a_cache_that_cannot_be_written_only_costs_time(kb):
    (kb / CACHE).write_text("a file where the folder goes")
    build_site(kb, kb / "site")
    build_site(kb, kb / "site")
    assert (kb / "site" / REFUND_PAGE).is_file()
    assert site_files(kb / "site") == cold_build(kb, kb / "site")


def test_pages_are_copied_where_links_cannot_be_made(kb, monkeypatch):
    def no_links(*args, **kwargs):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(page_cache.os, "link", no_links)
    build_site(kb, kb / "site")
    first = site_files(kb / "site")
    build_site(kb, kb / "site")
    assert site_files(kb / "site") == first
    assert kept(kb)


def test_the_cache_sits_beside_the_site_not_in_the_kb(kb, tmp_path):
    before = sorted(p.relative_to(kb) for p in kb.rglob("*"))
    build_site(kb, tmp_path / "out" / "site")
    build_site(kb, tmp_path / "out" / "site")
    assert sorted(p.relative_to(kb) for p in kb.rglob("*")) == before  # a read-only checkout builds too
    assert kept(tmp_path / "out") and placed(tmp_path / "out" / "site", REFUND_PAGE, tmp_path / "out")


def test_a_link_planted_as_the_cache_is_never_followed(kb, tmp_path):
    victim = tmp_path / "victim"
    (victim / "pages" / "ab").mkdir(parents=True)
    theirs = victim / "pages" / "ab" / ("ab" * 32 + ".html")
    theirs.write_text("someone else's")
    (kb / CACHE).symlink_to(victim, target_is_directory=True)
    build_site(kb, kb / "site")
    build_site(kb, kb / "site")
    assert theirs.read_text() == "someone else's"  # not pruned
    assert sorted(p.name for p in victim.rglob("*")) == ["ab", theirs.name, "pages"]  # nothing written there
    assert site_files(kb / "site") == cold_build(kb, kb / "site")


def test_a_kept_page_that_is_a_link_is_not_published(kb, tmp_path):
    build_site(kb, kb / "site")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the web")
    for kept_file in kept(kb):
        kept_file.unlink()
        kept_file.symlink_to(secret)
    build_site(kb, kb / "site")
    published = site_files(kb / "site")
    assert not any(b"not for the web" in data for data in published.values())
    assert not any((kb / "site" / name).is_symlink() for name in published)
    assert published == cold_build(kb, kb / "site")


def test_the_search_terms_are_kept_beside_the_pages_and_counted_again_only_when_changed(kb, monkeypatch):
    first = cold_build(kb, kb / "site")
    assert len(list((kb / CACHE / "search").glob("*.json"))) == 2  # one per SOP (`search/term_counts.py`)
    counted = CallLog(kb.parent / "counted")  # the index is made beside MkDocs, in another process
    real = index.field_counts
    monkeypatch.setattr(index, "field_counts", lambda fields: counted.add(fields["title"]) or real(fields))
    build_site(kb, kb / "site")
    assert counted.calls == []
    assert site_files(kb / "site") == first
    source = kb / "sops" / "refund.yaml"
    source.write_text(source.read_text().replace("title: Refund request", "title: Refund zeppelin request"))
    build_site(kb, kb / "site")
    assert counted.calls == [["Refund zeppelin request"]]
    assert "zeppelin" in (kb / "site" / "search-index" / "t" / "ze.json").read_text()
    assert site_files(kb / "site") == cold_build(kb, kb / "site")


def rename_site_while_building(monkeypatch, config: Path, new_name: str) -> None:
    """An author saves mkdocs.yml after the build has read it, before its pages are written."""
    from sopkb.build import site_build

    real = site_build.load_config

    def load_then_save(*args, **kwargs):
        loaded = real(*args, **kwargs)
        config.write_text(config.read_text().replace("site_name: Small KB", f"site_name: {new_name}"))
        return loaded

    monkeypatch.setattr(site_build, "load_config", load_then_save)


def test_a_configuration_saved_during_a_build_is_never_published_under_the_new_stamp(kb, monkeypatch):
    """The pages are made from the configuration as loaded; were they stamped by the file as it
    reads later, the next build would take them for pages of the saved one and keep the old name."""
    cold_build(kb, kb / "site")
    with monkeypatch.context() as patched:
        rename_site_while_building(patched, kb / "mkdocs.yml", "Renamed KB")
        build_site(kb, kb / "site")
    assert "Small KB" in (kb / "site" / REFUND_PAGE).read_text()  # this build loaded the old name
    build_site(kb, kb / "site")
    assert "Renamed KB" in (kb / "site" / REFUND_PAGE).read_text()
    assert site_files(kb / "site") == cold_build(kb, kb / "site")


def rebuilt_with(kb: Path, monkeypatch, variable: str, values: tuple[str, str], shown: str) -> None:
    """Built with the variable at one value, then the other: the page shows `shown`, and the site
    is what a build from nothing makes."""
    for value in values:
        monkeypatch.setenv(variable, value)
        build_site(kb, kb / "site")
    assert shown in (kb / "site" / REFUND_PAGE).read_text()
    assert site_files(kb / "site") == cold_build(kb, kb / "site")


def test_a_value_from_the_environment_is_stamped(kb, monkeypatch):
    config = kb / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_name: Small KB", "site_name: !ENV [KB_TITLE, Small KB]"))
    rebuilt_with(kb, monkeypatch, "KB_TITLE", ("Day shift", "Night shift"), "Night shift")


def test_an_inherited_configuration_is_stamped(kb):
    config = kb / "mkdocs.yml"
    base = kb / "base.yml"
    base.write_text("copyright: Inherited ONE\n")
    config.write_text("INHERIT: base.yml\n" + config.read_text())
    build_site(kb, kb / "site")
    base.write_text("copyright: Inherited TWO\n")
    build_site(kb, kb / "site")
    assert "Inherited TWO" in (kb / "site" / REFUND_PAGE).read_text()
    assert site_files(kb / "site") == cold_build(kb, kb / "site")


def test_an_edited_hook_is_stamped(kb):
    """Each `sopkb build` is a process of its own, which loads the hook afresh; MkDocs keeps a hook
    it loaded for the life of a process, so here it is forgotten between builds, as a new one would."""
    from mkdocs.config.config_options import Hooks

    hook = kb / "hooks.py"
    hook.write_text("def on_post_page(output, page, config):\n    return output + '<!-- hook ONE -->'\n")
    config = kb / "mkdocs.yml"
    config.write_text(config.read_text() + "hooks:\n  - hooks.py\n")
    build_site(kb, kb / "site")
    hook.write_text(hook.read_text().replace("ONE", "TWO"))
    Hooks._load_hook.cache_clear()
    build_site(kb, kb / "site")
    assert "<!-- hook TWO -->" in (kb / "site" / REFUND_PAGE).read_text()
    assert site_files(kb / "site") == cold_build(kb, kb / "site")


@pytest.mark.parametrize("below", ["kb", "site-packages"])
def test_a_theme_override_copied_with_its_size_and_time_is_stamped(below, tmp_path):
    """`cp -p` and `rsync -t` keep a file's size and time: the stamp reads the override itself, in
    any folder (once, one named `site-packages` was taken for an installed package and not read)."""
    root = tmp_path / below / "kb"
    shutil.copytree(FIXTURES / "kb-small", root)
    override = root / "site_templates" / "theme" / "partials" / "copyright.html"
    override.parent.mkdir(parents=True)
    override.write_text("<p>Override ONE</p>\n")
    build_site(root, root / "site")
    assert "Override ONE" in (root / "site" / REFUND_PAGE).read_text()
    was = os.stat(override)
    override.write_text("<p>Override TWO</p>\n")
    os.utime(override, ns=(was.st_atime_ns, was.st_mtime_ns))
    build_site(root, root / "site")
    assert "Override TWO" in (root / "site" / REFUND_PAGE).read_text()
    assert site_files(root / "site") == cold_build(root, root / "site")


def test_the_stamp_is_the_same_for_the_same_site(kb):
    """Made from the loaded configuration (plugins, theme, nav): no object's address in it."""
    build_site(kb, kb / "site")
    before = kept(kb)
    build_site(kb, kb / "site")
    assert kept(kb) == before and placed(kb / "site", REFUND_PAGE, kb)


@pytest.mark.parametrize("change", ["mode", "owner"])
def test_a_published_pages_mode_or_owner_changed_in_place_does_not_stick(change, kb):
    """The site's page and the kept page are one file: a `chmod` or `chown` of the site's page would
    otherwise carry into every later site."""
    first = cold_build(kb, kb / "site")
    written = os.stat(kb / "site" / REFUND_PAGE)
    if change == "mode":
        os.chmod(kb / "site" / REFUND_PAGE, 0o600)
    else:
        os.chown(kb / "site" / REFUND_PAGE, os.getuid() + 1, -1)
    build_site(kb, kb / "site")
    now = os.stat(kb / "site" / REFUND_PAGE)
    assert (now.st_mode, now.st_uid) == (written.st_mode, written.st_uid)
    assert site_files(kb / "site") == first


def test_pages_placed_while_rendering_by_a_stamp_that_changed_before_mkdocs_are_made_again(kb, monkeypatch):
    """Unchanged pages are placed by the stamp the site has as they are rendered (SOP pages by the
    render workers, listings by the build); a theme file saved before MkDocs reads it changes the
    stamp: those pages are taken out and made again."""
    override = kb / "site_templates" / "theme" / "partials" / "copyright.html"
    override.parent.mkdir(parents=True)
    override.write_text("<p>Footer ONE</p>\n")
    build_site(kb, kb / "site")
    from mkdocs.structure.files import Files

    real = Files.add_files_from_theme

    def saved_meanwhile(self, env, config):  # after sopkb's on_config, before its on_files
        override.write_text("<p>Footer TWO</p>\n")
        return real(self, env, config)

    from sopkb.build.mkdocs_plugin import SopkbPlugin

    taken_out = []
    real_unplaced = SopkbPlugin._unplaced

    def unplaced(self, pages, config):
        taken_out.extend(page.path for page in pages if page.placed)
        return real_unplaced(self, pages, config)

    with monkeypatch.context() as patched:
        patched.setattr(Files, "add_files_from_theme", saved_meanwhile)
        patched.setattr(SopkbPlugin, "_unplaced", unplaced)
        build_site(kb, kb / "site")
    listings = set(taken_out) - {"sops/escalation.md", "sops/refund.md"}
    assert len(taken_out) == len(set(taken_out)) == len(listings) + 2 and "index.md" in listings
    assert "Footer TWO" in (kb / "site" / REFUND_PAGE).read_text()
    assert "Footer TWO" in (kb / "site" / "index.html").read_text()
    assert site_files(kb / "site") == cold_build(kb, kb / "site")


# --- what else a page is made of (fresh-eyes findings: each once kept an old page) ----------------


def test_a_quiz_saved_after_the_build_read_it_is_not_taken_for_the_one_its_pages_show(kb, monkeypatch):
    """The quiz's title is on its SOP's page; the pages' key read the quiz's file again, later than
    the build had: a save between the two kept the old page under the new file's key, for good."""
    cold_build(kb, kb / "site")
    quiz = kb / "quizzes" / "refund-basics.yaml"
    from sopkb.build import mkdocs_plugin

    real = mkdocs_plugin.rest_key

    def saved_meanwhile(*args, **kwargs):
        quiz.write_text(quiz.read_text().replace("title: Refund basics", "title: Refund zeppelins"))
        return real(*args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(mkdocs_plugin, "rest_key", saved_meanwhile)
        build_site(kb, kb / "site")
    build_site(kb, kb / "site")
    assert "Refund zeppelins" in (kb / "site" / REFUND_PAGE).read_text()
    assert site_files(kb / "site") == cold_build(kb, kb / "site")


def test_a_kbs_own_page_template_may_read_any_sop(kb):
    own = kb / "site_templates" / "pages" / "sop.md.j2"
    own.parent.mkdir(parents=True)
    builtin = Path(page_cache.__file__).parents[3] / "site_templates" / "pages" / "sop.md.j2"
    own.write_text(builtin.read_text() + "\n\nThis KB has {{ kb.sops|length }} procedures.\n")
    build_site(kb, kb / "site")
    (kb / "sops" / "third.yaml").write_text(
        (kb / "sops" / "escalation.yaml").read_text().replace("id: escalation", "id: third", 1)
        .replace("title: Escalation policy", "title: Third policy", 1)
    )
    build_site(kb, kb / "site")
    assert "This KB has 3 procedures." in (kb / "site" / REFUND_PAGE).read_text()
    assert site_files(kb / "site") == cold_build(kb, kb / "site")


def footer(root: Path, text: str, folder: Path | None = None) -> Path:
    override = (folder or root / "site_templates" / "theme" / "partials") / "copyright.html"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text(text)
    return override


def test_a_theme_override_in_a_linked_folder_is_stamped(kb):
    shared = kb / "shared" / "partials"  # a link within the KB
    footer(kb, "<p>Linked ONE</p>\n", shared)
    (kb / "site_templates" / "theme").mkdir(parents=True)
    (kb / "site_templates" / "theme" / "partials").symlink_to(shared, target_is_directory=True)
    build_site(kb, kb / "site")
    footer(kb, "<p>Linked TWO</p>\n", shared)
    build_site(kb, kb / "site")
    assert "Linked TWO" in (kb / "site" / REFUND_PAGE).read_text()
    assert site_files(kb / "site") == cold_build(kb, kb / "site")


@pytest.mark.parametrize("where", ["mdown", "linked"])
def test_a_hand_written_page_titles_the_navigation_wherever_markdown_is(where, kb):
    config = kb / "mkdocs.yml"
    if where == "mdown":
        page, nav = kb / "docs" / "guide.mdown", "guide.mdown"
    else:
        (kb / "handsrc").mkdir()  # a link within the KB
        (kb / "docs" / "hand").symlink_to(kb / "handsrc", target_is_directory=True)
        page, nav = kb / "handsrc" / "guide.md", "hand/guide.md"
    page.write_text("# Alpha guide\n")
    config.write_text(config.read_text() + f"nav:\n  - index.md\n  - {nav}\n  - Refund: sops/refund.md\n")
    build_site(kb, kb / "site")
    page.write_text("# Bravo guide\n")  # the same size
    build_site(kb, kb / "site")
    assert "Bravo guide" in (kb / "site" / REFUND_PAGE).read_text()
    assert site_files(kb / "site") == cold_build(kb, kb / "site")


def test_a_module_a_hook_imports_is_stamped(kb):
    import sys

    from mkdocs.config.config_options import Hooks

    (kb / "hooks").mkdir()
    (kb / "hooks" / "helper_of_the_hook.py").write_text("TEXT = '<!-- helper ONE -->'\n")
    (kb / "hooks" / "myhook.py").write_text(
        "import helper_of_the_hook\n\ndef on_post_page(output, page, config):\n"
        "    return output + helper_of_the_hook.TEXT\n"
    )
    config = kb / "mkdocs.yml"
    config.write_text(config.read_text() + "hooks:\n  - hooks/myhook.py\n")
    try:
        build_site(kb, kb / "site")
        (kb / "hooks" / "helper_of_the_hook.py").write_text("TEXT = '<!-- helper TWO -->'\n")
        Hooks._load_hook.cache_clear()  # as a new `sopkb build` process would load them afresh
        sys.modules.pop("helper_of_the_hook", None)
        build_site(kb, kb / "site")
        assert "<!-- helper TWO -->" in (kb / "site" / REFUND_PAGE).read_text()
    finally:
        Hooks._load_hook.cache_clear()
        sys.modules.pop("helper_of_the_hook", None)


def test_a_template_saved_while_the_pages_are_made_keeps_none_of_them(kb, monkeypatch):
    """Jinja reads a theme template after the stamp was made: the pages it made are not kept under
    a stamp that is not theirs (saved and then undone, they were published as the unchanged site's)."""
    override = footer(kb, "<p>Footer FOUR</p>\n")
    cold_build(kb, kb / "site")
    from sopkb.build.mkdocs_plugin import SopkbPlugin

    real = SopkbPlugin.on_env

    def saved_meanwhile(self, env, *, config, files):
        override.write_text("<p>Footer THREE</p>\n")
        return real(self, env, config=config, files=files)

    edit = kb / "sops" / "refund.yaml"  # one page MkDocs makes this time
    edit.write_text(edit.read_text().replace("Note the refund amount.", "Note the amount."))
    with monkeypatch.context() as patched:
        patched.setattr(SopkbPlugin, "on_env", saved_meanwhile)
        build_site(kb, kb / "site")
    override.write_text("<p>Footer FOUR</p>\n")  # undone
    build_site(kb, kb / "site")
    assert "Footer FOUR" in (kb / "site" / REFUND_PAGE).read_text()
    assert site_files(kb / "site") == cold_build(kb, kb / "site")


def test_a_page_with_an_acl_set_through_the_site_is_not_published_again(kb):
    import struct

    first = cold_build(kb, kb / "site")
    # user::rw-, user:nobody:r--, group::r--, mask::r--, other::r--: the mode stays 644
    entries = [(0x01, 6, 0xFFFFFFFF), (0x02, 4, 65534), (0x04, 4, 0xFFFFFFFF), (0x10, 4, 0xFFFFFFFF), (0x20, 4, 0xFFFFFFFF)]
    blob = struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *entry) for entry in entries)
    mode = os.stat(kb / "site" / REFUND_PAGE).st_mode
    os.setxattr(kb / "site" / REFUND_PAGE, "system.posix_acl_access", blob)
    assert os.stat(kb / "site" / REFUND_PAGE).st_mode == mode
    build_site(kb, kb / "site")
    with pytest.raises(OSError):
        os.getxattr(kb / "site" / REFUND_PAGE, "system.posix_acl_access")
    assert site_files(kb / "site") == first


def test_a_snippet_appended_to_every_page_is_stamped(kb, monkeypatch):
    monkeypatch.chdir(kb)
    (kb / "includes").mkdir()
    (kb / "includes" / "abbr.md").write_text("Footer note ONE\n")  # as a glossary file is appended
    config = kb / "mkdocs.yml"
    config.write_text(
        config.read_text() + "  - abbr\n  - pymdownx.snippets:\n      auto_append: [includes/abbr.md]\n"
    )
    build_site(kb, kb / "site")
    (kb / "includes" / "abbr.md").write_text("Footer note TWO\n")
    build_site(kb, kb / "site")
    assert "Footer note TWO" in (kb / "site" / REFUND_PAGE).read_text()
    assert site_files(kb / "site") == cold_build(kb, kb / "site")


def test_untitled_generated_pages_in_the_navigation_are_titled_by_the_new_pages(kb):
    config = kb / "mkdocs.yml"
    config.write_text(config.read_text() + "nav:\n  - index.md\n  - sops/refund.md\n  - sops/escalation.md\n")
    build_site(kb, kb / "site")
    source = kb / "sops" / "refund.yaml"
    source.write_text(source.read_text().replace("title: Refund request", "title: Refund zeppelin"))
    build_site(kb, kb / "site")
    assert "Refund zeppelin" in (kb / "site" / ESCALATION_PAGE).read_text()
    assert site_files(kb / "site") == cold_build(kb, kb / "site")


def test_a_template_that_shows_the_build_date_is_stamped_by_it(kb, monkeypatch):
    footer(kb, "<p>Built {{ build_date_utc.strftime('%Y-%m-%d') }}</p>\n")
    rebuilt_with(kb, monkeypatch, "SOURCE_DATE_EPOCH", ("1700000000", "1800000000"), "Built 2027-01-15")
