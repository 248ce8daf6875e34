"""`sopkb import` end to end: drafts written where asked and valid in the KB, existing SOPs kept
unless --force, --dry-run writes nothing, an unreadable file is a located error while the others
still import (exit 1), and the same input gives the same files."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.unit.cli.test_cli import sopkb, tree_digest

SEEDS = Path(__file__).parents[2] / "fixtures" / "import" / "seeds"
OWN = Path(__file__).parents[2] / "fixtures" / "import"


def test_import_a_folder_then_the_kb_validates(kb_copy, tmp_path):
    root = kb_copy("kb-small")
    result = sopkb("-C", str(root), "import", str(SEEDS), str(OWN / "password-reset.md"), cwd=root)
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (root / "sops" / "imported").iterdir())
    assert written == [
        "004-8e3f848016999268.yaml",
        "customer-service-sop.yaml",
        "lost-or-stolen-package-complaints.yaml",
        "missed-deliveries-when-customer-is-at-home.yaml",
        "resetting-customers-password.yaml",
        "tracking-number-issues-shiptrack.yaml",
    ]
    text = (root / "sops/imported/resetting-customers-password.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "call: sop:refund" in text  # "follow the Refund request SOP" is the KB's own `refund`
    assert "sentences carried 29/29 (100 %" in result.stdout
    assert result.stdout.splitlines()[-1] == "Import: 6 documents read, wrote 6 drafts."
    assert "Source" in result.stdout and "Decisions" in result.stdout
    check = sopkb("-C", str(root), "validate")
    assert check.returncode == 0, check.stderr


def test_existing_sops_are_kept_unless_force_and_dry_run_writes_nothing(kb_copy):
    root = kb_copy("kb-small")
    seed = str(SEEDS / "000_2a6e39cb25ccaeac.txt")
    dry = sopkb("-C", str(root), "import", seed, "--dry-run", cwd=root)
    assert dry.returncode == 0 and not (root / "sops" / "imported").exists()
    assert "(would be written)" in dry.stdout and "Nothing was written (--dry-run)." in dry.stdout
    first = sopkb("-C", str(root), "import", seed, "--into", "sops/deliveries", cwd=root)
    assert first.returncode == 0, first.stderr
    target = root / "sops/deliveries/missed-deliveries-when-customer-is-at-home.yaml"
    assert "category: Deliveries" in target.read_text(encoding="utf-8")
    digest = tree_digest(root / "sops")
    target.write_text(target.read_text(encoding="utf-8") + "# edited by a reviewer\n", encoding="utf-8")
    edited = tree_digest(root / "sops")
    again = sopkb("-C", str(root), "import", seed, "--into", "sops/deliveries", cwd=root)
    assert again.returncode == 0 and "exists, not overwritten (use --force)" in again.stdout
    assert tree_digest(root / "sops") == edited
    forced = sopkb("-C", str(root), "import", seed, "--into", "sops/deliveries", "--force", cwd=root)
    assert forced.returncode == 0 and "(replaced)" in forced.stdout
    assert tree_digest(root / "sops") == digest  # the same input, the same draft


def test_an_unreadable_file_fails_alone(kb_copy, tmp_path):
    root = kb_copy("kb-small")
    sources = tmp_path / "in"
    sources.mkdir()
    shutil.copy(SEEDS / "001_9e2388742c7a6c69.txt", sources / "good.txt")
    (sources / "bad.txt").write_bytes(b"Title\n\xff\xfe broken\n")
    (sources / "picture.png").write_bytes(b"\x89PNG")  # not a document: skipped in a folder
    named = tmp_path / "notes.rtf"
    named.write_text("x", encoding="utf-8")
    result = sopkb("-C", str(root), "import", str(sources), str(named), cwd=root)
    assert result.returncode == 1
    assert f"{sources / 'bad.txt'}: error: line 2, column 1: the file is not UTF-8 text (byte 6)" in result.stderr
    assert f"{named}: error: cannot import .rtf; expected one of:" in result.stderr
    assert (root / "sops/imported/lost-or-stolen-package-complaints.yaml").is_file()
    assert "Import: 3 documents read, wrote 1 draft, 2 failed." in result.stdout
    assert "Traceback" not in result.stderr


def test_a_reader_missing_from_the_build_is_a_located_error(tmp_path, monkeypatch):
    from sopkb.importing import run

    monkeypatch.setitem(run.READERS, ".docx", "read_nothing_here")
    path = tmp_path / "policy.docx"
    path.write_bytes(b"PK")
    try:
        run.read_blocks(path, "policy.docx")
    except run.UnreadableDocument as exc:
        assert str(exc) == "reading .docx is not available in this build"
    else:
        raise AssertionError("expected an error")


def test_a_file_name_with_a_newline_stays_on_one_line(kb_copy, tmp_path):
    root = kb_copy("kb-small")
    path = tmp_path / "two\nlines.txt"
    path.write_text("1. Greet.\n2. Close.\n", encoding="utf-8")
    result = sopkb("-C", str(root), "import", str(path), "--dry-run", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "two\\x0alines.txt: 1 draft" in result.stdout


def test_drafts_go_only_inside_the_sops_folder(kb_copy, tmp_path):
    root = kb_copy("kb-small")
    seed = str(SEEDS / "000_2a6e39cb25ccaeac.txt")
    before = tree_digest(root)
    for into in ("..", str(tmp_path / "elsewhere"), "docs", "sops/../quizzes"):
        result = sopkb("-C", str(root), "import", seed, "--into", into, cwd=root)
        assert result.returncode == 1, into
        assert f"--into {into}: drafts must go inside the KB's SOPs folder (sops/)" in result.stderr
        assert "Traceback" not in result.stderr
    (root / "sops" / "a-file.yaml").write_text("x: 1\n", encoding="utf-8")
    file = sopkb("-C", str(root), "import", seed, "--into", "sops/a-file.yaml", cwd=root)
    assert file.returncode == 1 and "is a file, not a folder" in file.stderr
    (root / "sops" / "a-file.yaml").unlink()
    assert tree_digest(root) == before
    assert not (tmp_path / "elsewhere").exists()
    nested = sopkb("-C", str(root), "import", seed, "--into", "sops/new/deeper", cwd=root)
    assert nested.returncode == 0, nested.stderr
    assert (root / "sops/new/deeper/missed-deliveries-when-customer-is-at-home.yaml").is_file()


def test_a_category_without_a_letter_or_digit_is_refused(kb_copy):
    root = kb_copy("kb-small")
    seed = str(SEEDS / "000_2a6e39cb25ccaeac.txt")
    for category in (".", "!!!", " "):
        result = sopkb("-C", str(root), "import", seed, "--category", category, cwd=root)
        assert result.returncode == 1 and "has no letter or digit" in result.stderr, category
    assert not (root / "sops" / "imported").exists()
    safe = sopkb("-C", str(root), "import", seed, "--category", "../../Billing/../x", cwd=root)
    assert safe.returncode == 0, safe.stderr
    assert sopkb("-C", str(root), "validate", cwd=root).returncode == 0


def test_links_in_a_folder_are_not_followed_but_a_named_link_is(kb_copy, tmp_path):
    root = kb_copy("kb-small")
    folder = tmp_path / "shared"
    folder.mkdir()
    shutil.copy(SEEDS / "001_9e2388742c7a6c69.txt", folder / "lost.txt")
    secret = tmp_path / "secret.txt"
    secret.write_text("1. The admin password is hunter2.\n", encoding="utf-8")
    (folder / "innocent.txt").symlink_to(secret)
    (folder / "loop").symlink_to(folder)
    result = sopkb("-C", str(root), "import", str(folder), cwd=root)
    assert result.returncode == 0, result.stderr
    assert "Links in folders were not followed (2:" in result.stdout
    assert "Import: 1 document read, wrote 1 draft." in result.stdout
    assert "hunter2" not in tree_digest_text(root / "sops")
    named = sopkb("-C", str(root), "import", str(folder / "innocent.txt"), "--dry-run", cwd=root)
    assert named.returncode == 0 and "1 draft" in named.stdout


def tree_digest_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.yaml")))
