"""`sopkb build` on a terminal shows its progress on one line, cleared when done; off a
terminal (a pipe, a log, CI) it shows nothing."""

from __future__ import annotations

import shutil

from sopkb.build import site_build
from sopkb.build.site_build import build_site
from sopkb.core.console import Progress

from tests.conftest import FIXTURES
from tests.unit.cli.test_cli import sopkb


def test_a_build_on_a_terminal_shows_sops_rendered_and_pages_written(tmp_path, monkeypatch, capsys):
    shutil.copytree(FIXTURES / "kb-small", tmp_path / "kb")
    monkeypatch.setattr(site_build.Progress, "on_terminal", classmethod(lambda cls: Progress(True)))
    build_site(tmp_path / "kb")
    err = capsys.readouterr().err
    assert "\r\x1b[KRendering SOPs [##############################] 2/2" in err
    assert "\r\x1b[KWriting pages [" in err
    assert err.endswith("\r\x1b[K")  # cleared: what follows starts on a clean line
    build_site(tmp_path / "kb")  # every page kept from the first build: none to write
    again = capsys.readouterr().err
    assert "Rendering SOPs" in again and "Writing pages" not in again


def test_a_build_in_a_pipe_shows_no_progress(tmp_path):
    shutil.copytree(FIXTURES / "kb-small", tmp_path / "kb")
    result = sopkb("-C", str(tmp_path / "kb"), "build")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stderr and "Rendering" not in result.stderr
