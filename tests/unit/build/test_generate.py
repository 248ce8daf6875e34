"""`sopkb generate`: a docs tree that plain MkDocs (no sopkb plugin) builds into the same site."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sopkb.build import config_yaml
from sopkb.build.generate import generate
from sopkb.build.site_build import build_site
from sopkb.core.errors import ProjectError

POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')


def _plain_mkdocs_build(tree: Path) -> Path:
    """MkDocs alone, as an engine without sopkb would run: the tree's config names no sopkb plugin."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=tree, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return tree / "site"


def _normalised(path: Path) -> str:
    """Pages compared without blank lines and without the policy (placed by the theme in one
    build and by the plugin in the other: its presence is checked on its own)."""
    text = POLICY.sub("", path.read_text(encoding="utf-8"))
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip())


def test_plain_mkdocs_builds_the_generated_tree_into_the_plugins_site(kb_copy, tmp_path):
    kb = kb_copy("kb-small")
    result = generate(kb, tmp_path / "tree")
    assert result.sops == 2 and result.pages > 0
    config = yaml.safe_load((tmp_path / "tree" / "mkdocs.yml").read_text())
    assert config["plugins"] == []  # not absent: MkDocs would add its own search plugin
    assert config["theme"]["custom_dir"] == "overrides" and config["theme"]["font"] is False
    engine_site = _plain_mkdocs_build(tmp_path / "tree")
    plugin_site = build_site(kb, tmp_path / "plugin-site").site_dir

    def files(site: Path) -> set[str]:
        return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}

    assert files(engine_site) == files(plugin_site) - {".sopkb-site"}
    differing = []
    for name in sorted(files(engine_site)):
        a, b = engine_site / name, plugin_site / name
        if name.endswith(".html"):
            if _normalised(a) != _normalised(b):
                differing.append(name)
        elif name.endswith(".gz"):
            continue  # the sitemap's gzip header holds the time it was written
        elif a.read_bytes() != b.read_bytes():
            differing.append(name)
    assert differing == []


def test_every_engine_built_page_carries_the_policy_before_any_script(kb_copy, tmp_path):
    generate(kb_copy("kb-small"), tmp_path / "tree")
    site = _plain_mkdocs_build(tmp_path / "tree")
    pages = list(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        policy = POLICY.search(html)
        assert policy, page
        assert "script-src 'self'" in policy.group(0) and "unsafe-inline" not in policy.group(0)
        first_script = html.find("<script")
        assert first_script == -1 or policy.start() < first_script, page


def test_the_kbs_own_configuration_is_kept_with_its_tags_unconstructed(kb_copy, tmp_path):
    kb = kb_copy("kb-small")
    config = kb / "mkdocs.yml"
    config.write_text(
        config.read_text()
        + "extra:\n  owner: !ENV [SOPKB_OWNER, 'the team']\n"
        + "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
    )
    generate(kb, tmp_path / "tree")
    text = (tmp_path / "tree" / "mkdocs.yml").read_text()
    assert "!ENV" in text and "!!python/name:material.extensions.emoji.twemoji" in text
    data = config_yaml.load(text)
    assert data["extra"]["owner"] == config_yaml.Tagged("!ENV", ["SOPKB_OWNER", "the team"])
    assert "sopkb_policy" in data["extra"]


def test_plugins_other_than_sopkb_are_kept_in_either_spelling():
    tree = type("Tree", (), {"nav": [], "not_in_nav": [], "theme_extra": {}})()
    from sopkb.build.generate import engine_config

    as_list = engine_config({"plugins": ["sopkb", {"tags": {"x": 1}}, "offline"]}, tree, Path("/kb"))
    as_map = engine_config({"plugins": {"sopkb": {}, "offline": {}}}, tree, Path("/kb"))
    assert as_list["plugins"] == [{"tags": {"x": 1}}, "offline"]
    assert as_map["plugins"] == {"offline": {}}


def test_regenerating_replaces_the_old_tree_but_never_a_strangers_folder(kb_copy, tmp_path):
    kb = kb_copy("kb-small")
    out = tmp_path / "tree"
    generate(kb, out)
    (out / "docs" / "stale.md").write_text("left over")
    generate(kb, out)
    assert not (out / "docs" / "stale.md").exists()
    stranger = tmp_path / "home"
    stranger.mkdir()
    (stranger / "notes.txt").write_text("mine")
    with pytest.raises(ProjectError, match="cannot generate into .*not a docs tree sopkb generated"):
        generate(kb, stranger)
    assert (stranger / "notes.txt").read_text() == "mine"
    with pytest.raises(ProjectError, match="cannot generate into .*holds the KB folder"):
        generate(kb, kb.parent)
    with pytest.raises(ProjectError, match="it is inside the SOPs folder"):
        generate(kb, kb / "sops" / "tree")


def test_the_cli_reports_the_tree_and_broken_sources_write_nothing(kb_copy, tmp_path):
    kb = kb_copy("kb-small")
    run = subprocess.run(
        [sys.executable, "-m", "sopkb.cli", "-C", str(kb), "generate", str(tmp_path / "tree")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "Wrote the docs tree of 2 SOPs" in run.stdout
    (kb / "sops" / "refund.yaml").write_text("id: [broken\n")
    run = subprocess.run(
        [sys.executable, "-m", "sopkb.cli", "-C", str(kb), "generate", str(tmp_path / "other")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1 and "sops/refund.yaml:" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "other").exists()
