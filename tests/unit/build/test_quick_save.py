"""`sopkb serve`'s quick save (`build/quick_save.py`): a save that changes only SOP sources makes
again only the pages and files it changed, without a full MkDocs build, and leaves exactly the
site a full build makes; anything else (a quiz, a new or deleted source, a broken save, a change
of navigation) is left to the full build, with nothing written."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.unit.build.test_page_cache import site_files

SERVE_URL = "http://127.0.0.1:8000/"


class Preview:
    """The plugin as `sopkb serve` drives it: one object across builds, dirty builds into a
    temporary site, and a save handed first to the quick path."""

    def __init__(self, root: Path, site: Path):
        self.root, self.site = root, site
        self.config = self._config()
        self.config.plugins.on_startup(command="serve", dirty=True)
        self.plugin = self.config.plugins["sopkb"]
        build(self.config, serve_url=SERVE_URL, dirty=True)

    def _config(self):  # noqa: ANN202
        config = load_config(config_file=str(self.root / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = SERVE_URL
        return config

    def save(self) -> bool:
        """As the server's builder: the quick path, else a full build. True if it was quick."""
        if self.plugin.quick_save():
            return True
        build(self._config(), serve_url=SERVE_URL, dirty=True)
        return False

    def close(self) -> None:
        self.config.plugins.on_shutdown()


@pytest.fixture
def kb(kb_copy, monkeypatch) -> Path:
    root = kb_copy("kb-small")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def preview(kb, tmp_path):  # noqa: ANN201
    shown = Preview(kb, tmp_path / "preview")
    yield shown
    shown.close()


def full_build(kb: Path, site: Path) -> dict[str, bytes]:
    """What a preview started now shows."""
    fresh = Preview(kb, site)
    fresh.close()
    return site_files(site)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_saved_sop_is_made_quickly_and_the_site_is_what_a_full_build_makes(kb, preview, tmp_path, caplog):
    edit(kb / "sops" / "refund.yaml", "Note the refund amount.", "Note the refund amount and why.")
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.sopkb"):
        assert preview.save()
    assert "1 source saved: 1 page and" in caplog.text  # the SOP's own page, not every page
    assert "Note the refund amount and why." in (preview.site / "sops/refund/index.html").read_text()
    assert site_files(preview.site) == full_build(kb, tmp_path / "fresh")


def test_a_new_title_reaches_the_pages_that_show_it(kb, preview, tmp_path):
    """The escalation SOP's title is on refund's page (a branch and a related link) and on the
    listings: all made again, still without a full build."""
    edit(kb / "sops" / "escalation.yaml", "title: Escalation policy", "title: Escalation rules")
    assert preview.save()
    assert "Escalation rules" in (preview.site / "sops/refund/index.html").read_text()
    assert site_files(preview.site) == full_build(kb, tmp_path / "fresh")


def test_a_broken_save_is_left_to_the_full_build_which_keeps_the_last_good_site(kb, preview):
    before = (preview.site / "sops/refund/index.html").read_text()
    edit(kb / "sops" / "refund.yaml", "goto: record", "goto: recrod")
    assert not preview.plugin.quick_save()
    assert (preview.site / "sops/refund/index.html").read_text() == before  # nothing written
    assert not preview.save()
    assert "unknown step" in (preview.site / "sops/refund/index.html").read_text()  # the banner
    edit(kb / "sops" / "refund.yaml", "goto: recrod", "goto: record")
    assert not preview.save()  # mended: the full build takes the banner away
    assert "unknown step" not in (preview.site / "sops/refund/index.html").read_text()
    edit(kb / "sops" / "refund.yaml", "Note the refund amount.", "Note the amount.")
    assert preview.save()  # and the next save is quick again


@pytest.mark.parametrize("change", ["quiz", "new sop", "deleted sop", "category", "mkdocs.yml", "docs page"])
def test_other_changes_take_the_full_build(kb, preview, tmp_path, change):
    if change == "quiz":
        edit(kb / "quizzes" / "refund-basics.yaml", "title: ", "title: Renamed ")
    elif change == "new sop":
        text = (kb / "sops" / "escalation.yaml").read_text()
        (kb / "sops" / "extra.yaml").write_text(text.replace("id: escalation", "id: extra", 1))
    elif change == "deleted sop":
        (kb / "sops" / "escalation.yaml").unlink()
        edit(kb / "sops" / "refund.yaml", "goto: sop:escalation#listen", "goto: record")
        refund = (kb / "sops" / "refund.yaml").read_text()
        (kb / "sops" / "refund.yaml").write_text(refund.split("related:")[0])
    elif change == "category":  # the navigation changes: every page's frame with it
        edit(kb / "sops" / "refund.yaml", "category: Billing", "category: Payments")
        assert not preview.plugin.quick_save()  # read and planned, then refused: nothing written
    elif change == "mkdocs.yml":
        edit(kb / "mkdocs.yml", "site_name: ", "site_name: Renamed ")
    else:
        (kb / "docs" / "about.md").write_text("# About\n\nBy hand.\n")
    assert not preview.save()
    shutil.rmtree(kb / "site", ignore_errors=True)
    assert site_files(preview.site) == full_build(kb, tmp_path / "fresh")


def test_a_quick_save_that_fails_is_made_by_the_full_build(kb, preview):
    """The server's builder tries the quick path first; anything it meets (here a page that will
    not build) is left to the full build, which meets it again and reports it as MkDocs does."""
    import threading

    from sopkb.build import quick_save

    class Server:
        def __init__(self) -> None:
            self.builder = lambda: full.append(True)
            self._inject_js_into_html = lambda content, epoch: content
            self._rebuild_cond = threading.Condition()
            self._want_rebuild = False

        def watch(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
            pass

    full: list[bool] = []
    server = Server()
    preview.plugin.on_serve(server, config=preview.config, builder=server.builder)
    try:

        def fails(*args, **kwargs) -> None:  # noqa: ANN002, ANN003
            raise RuntimeError("a template error")

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(quick_save, "build_pages", fails)
            edit(kb / "sops" / "refund.yaml", "Note the refund amount.", "Note the amount.")
            server.builder()
        assert full == [True]
        edit(kb / "sops" / "refund.yaml", "Note the amount.", "Note the refund amount.")
        server.builder()  # quick again: the full build was not asked for
        assert full == [True]
    finally:
        preview.plugin._watch.stop()


@pytest.fixture
def made(monkeypatch) -> list:
    """The keys of the listing pages and quiz files made (not kept) from here on."""
    from sopkb.core.by_identity import KeptBy

    seen: list = []
    real = KeptBy.get

    def spying(self, key, shows, make):  # noqa: ANN001, ANN202
        def counted():  # noqa: ANN202
            seen.append(key)
            return make()

        return real(self, key, shows, counted)

    monkeypatch.setattr(KeptBy, "get", spying)
    return seen


def test_a_save_makes_again_only_the_listings_and_quiz_files_that_show_the_saved_sop(
    kb, preview, made, tmp_path
):
    from sopkb.domain import urls

    edit(kb / "sops" / "escalation.yaml", "title: Escalation policy", "title: Escalation rules")
    assert preview.save()
    pages = {key[0] for key in made if key[0].endswith(".md")}
    assert urls.category_page("General") in pages  # escalation's listing
    assert urls.category_page("Billing") not in pages  # refund's alone: kept
    assert not pages & {urls.tag_page("refund"), urls.tag_page("billing")}
    assert ("file", "refund-basics", False) not in made  # a quiz about refund: kept
    assert ("file", "drill-refund", True) in made  # refund's drill hands off to escalation, by title
    assert site_files(preview.site) == full_build(kb, tmp_path / "fresh")
    made.clear()
    edit(kb / "sops" / "escalation.yaml", "title: Escalation rules", "title: Escalation policy")
    assert preview.save()
    assert made  # the same pages again, for the title back as it was


def test_the_catalog_of_quiz_titles_is_made_again_only_when_a_title_in_it_changed(kb, preview, tmp_path, monkeypatch):
    """1.5 MB of JSON at 10,000 SOPs: a save that changes no title keeps it (the saved SOP is a new
    object, its title the same), and one that changes a title makes it again."""
    from sopkb.core.by_identity import KeptBy
    from sopkb.domain import urls

    made: list = []
    real = KeptBy.equal
    monkeypatch.setattr(
        KeptBy, "equal", lambda self, key, value, make: real(self, key, value, lambda: made.append(key) or make())
    )
    refund = kb / "sops" / "refund.yaml"  # a quiz is about it: the catalog shows its title
    edit(refund, "summary: The customer wants their money back", "summary: The customer wants a refund")
    assert preview.save()
    assert made == []
    edit(refund, "title: Refund request", "title: Money back request")
    assert preview.save()
    assert made == [("catalog",)]
    catalog = (preview.site / urls.CATALOG).read_text(encoding="utf-8")
    assert "Money back request" in catalog and "Refund request" not in catalog
    assert site_files(preview.site) == full_build(kb, tmp_path / "fresh")


def test_with_the_kbs_own_page_templates_every_listing_is_made_again(kb, tmp_path):
    """A KB's own template may show anything of the KB (here another SOP's title on a listing it
    is not in): nothing is kept by what a page shows, and the quick save is still the full build's."""
    from sopkb.render.environment import BUILTIN_DIR

    own = kb / "site_templates" / "pages"
    own.mkdir(parents=True)
    listing = (BUILTIN_DIR / "pages" / "listing.md.j2").read_text(encoding="utf-8")
    shown = "<p>Escalate with: {{ kb.by_id['escalation'].sop.title }}</p>\n</div>"
    (own / "listing.md.j2").write_text(listing.replace("</div>", shown), encoding="utf-8")
    preview = Preview(kb, tmp_path / "preview")
    try:
        edit(kb / "sops" / "escalation.yaml", "title: Escalation policy", "title: Escalation rules")
        assert preview.save()
        billing = (preview.site / "categories/billing/index.html").read_text(encoding="utf-8")
        assert "Escalate with: Escalation rules" in billing
        assert site_files(preview.site) == full_build(kb, tmp_path / "fresh")
    finally:
        preview.close()


def test_the_pages_kept_while_serving_are_private(preview):
    """MkDocs' temporary site is readable only by its user; the kept pages beside it, of a KB that
    may be private, are too."""
    folder = Path(f"{preview.site}-page-cache")
    assert list(folder.rglob("*.html"))
    assert folder.stat().st_mode & 0o077 == 0
