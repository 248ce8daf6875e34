"""The progress line long work shows on a terminal, and nowhere else."""

from __future__ import annotations

from sopkb.core.console import Progress


def test_progress_is_one_line_redrawn_in_place_and_cleared(capsys):
    bar = Progress(True)
    bar.show("Rendering SOPs", 1, 4, "refund\x1b[31m")
    bar.show("Rendering SOPs", 2, 4)  # within a tenth of a second: not drawn again
    bar.show("Rendering SOPs", 4, 4)  # the last one always is
    bar.done()
    err = capsys.readouterr().err
    assert err == (
        "\r\x1b[KRendering SOPs [#######-----------------------] 1/4 refund\\x1b[31m"
        "\r\x1b[KRendering SOPs [##############################] 4/4"
        "\r\x1b[K"
    )


def test_progress_says_nothing_off_a_terminal_or_in_ci(capsys, monkeypatch):
    Progress(False).show("Writing pages", 1, 2)
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    monkeypatch.setenv("CI", "true")
    assert Progress.on_terminal().enabled is False
    monkeypatch.delenv("CI")
    assert Progress.on_terminal().enabled is True
    assert capsys.readouterr().err == ""
