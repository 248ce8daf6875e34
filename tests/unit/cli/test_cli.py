"""The sopkb command end to end: exit codes, located errors, and a failed build that loses nothing."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES


def sopkb(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "sopkb.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def test_build_a_small_kb_end_to_end(kb_copy):
    root = kb_copy("kb-small")
    result = sopkb("-C", str(root), "build")
    assert result.returncode == 0, result.stderr
    assert "Built 2 SOPs" in result.stdout
    site = root / "site"
    for page in [
        "index.html",
        "sops/refund/index.html",
        "sops/escalation/index.html",
        "categories/billing/index.html",
        "tags/index.html",
        "review/index.html",
        "assets/sopkb/sopkb.css",
        "assets/sopkb/sopkb.js",
    ]:
        assert (site / page).is_file(), page
    html = (site / "sops/refund/index.html").read_text(encoding="utf-8")
    assert '<svg class="sopkb-chart"' in html
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
    left = [p.name for p in root.iterdir() if p.name.startswith(".site-")]
    assert left == [".site-page-cache"]  # the pages kept for the next build; no staging folder left behind


def test_site_dir_option(kb_copy, tmp_path):
    root = kb_copy("kb-small")
    result = sopkb("build", "--site-dir", str(tmp_path / "out"), "-C", str(root))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "sops" / "refund" / "index.html").is_file()


def test_failed_build_leaves_previous_site_exactly_as_it_was(kb_copy):
    root = kb_copy("kb-small")
    assert sopkb("-C", str(root), "build").returncode == 0
    before = tree_digest(root / "site")
    source = root / "sops" / "refund.yaml"
    source.write_text(source.read_text().replace("goto: record", "goto: recrod"))
    result = sopkb("-C", str(root), "build")
    assert result.returncode == 1
    # run from elsewhere with -C, paths are absolute so they stay clickable from where the author stands
    assert result.stderr.startswith(
        f"{root.resolve()}/sops/refund.yaml:31:17: steps[1].decision.branches[0].goto: unknown step 'recrod'"
    )
    assert "Traceback" not in result.stderr
    assert tree_digest(root / "site") == before


def test_mkdocs_build_fails_before_touching_the_site(kb_copy):
    root = kb_copy("kb-small")
    assert sopkb("-C", str(root), "build").returncode == 0
    before = tree_digest(root / "site")
    (root / "sops" / "refund.yaml").write_text("id: [broken\n")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
    assert result.returncode == 1
    assert "sops/refund.yaml:2:1: YAML syntax error" in result.stderr
    assert tree_digest(root / "site") == before


def test_validate_reports_and_exits_1(kb_copy):
    root = kb_copy("kb-invalid")
    result = sopkb("validate", cwd=root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "Aborted with 33 errors."
    assert "Traceback" not in result.stderr


def test_validate_ok(kb_copy):
    result = sopkb("validate", cwd=kb_copy("kb-small"))
    assert (result.returncode, result.stdout) == (
        0,
        "2 SOPs, 1 quiz and 1 learning path checked: no errors.\n",
    )


def test_usage_error_exits_2():
    assert sopkb("frobnicate").returncode == 2
    assert sopkb("build", "--no-such-flag").returncode == 2


def test_not_a_kb_is_a_clear_error(tmp_path):
    result = sopkb("-C", str(tmp_path), "validate")
    assert result.returncode == 1
    assert (
        result.stderr == f"error: {tmp_path}: no mkdocs.yml here (create a KB with `sopkb init {tmp_path}`)\n"
    )


def test_init_creates_a_kb_that_builds_as_it_is(tmp_path):
    target = tmp_path / "new-kb"
    assert sopkb("init", str(target)).returncode == 0
    assert (target / "schemas" / "sop.schema.json").is_file()
    assert (target / "schemas" / "quiz.schema.json").is_file()
    assert sopkb("-C", str(target), "validate").returncode == 0
    result = sopkb("-C", str(target), "build")
    assert result.returncode == 0, result.stderr
    assert (target / "site" / "sops" / "password-reset" / "index.html").is_file()
    assert (target / "site" / "quizzes" / "password-reset-practice" / "index.html").is_file()
    assert (target / "site" / "paths" / "onboarding" / "index.html").is_file()
    assert (target / "schemas" / "path.schema.json").is_file()
    again = sopkb("init", str(target))
    assert again.returncode == 1 and "already holds a mkdocs.yml" in again.stderr


def test_a_kbs_own_templates_override_the_built_ins(kb_copy):
    root = kb_copy("kb-small")
    (root / "site_templates" / "pages").mkdir(parents=True)
    (root / "site_templates" / "pages" / "home.md.j2").write_text(
        '---\ntitle: Home\n---\n\n<div class="our-home"><h1 id="home">Billing desk KB</h1></div>\n'
    )
    (root / "site_templates" / "theme" / "partials").mkdir(parents=True)
    (root / "site_templates" / "theme" / "partials" / "copyright.html").write_text(
        '<div class="md-copyright">Billing desk, internal use</div>\n'
    )
    result = sopkb("-C", str(root), "build")
    assert result.returncode == 0, result.stderr
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert '<div class="our-home"><h1 id="home">Billing desk KB</h1></div>' in home
    assert "Billing desk, internal use" in home
    sop = (root / "site" / "sops" / "refund" / "index.html").read_text(encoding="utf-8")
    assert "sopkb-quick" in sop and "Billing desk, internal use" in sop  # built-ins still serve the rest


def test_strict_mode_names_the_warnings_that_stopped_it(kb_copy):
    root = kb_copy("kb-small")
    source = root / "sops" / "refund.yaml"
    source.write_text(source.read_text().replace("review_by: 2099-01-01", "review_by: 2026-06-01"))
    for command in ("validate", "build"):
        result = sopkb("-C", str(root), command, "--strict")
        assert result.returncode == 1, command
        assert result.stderr.splitlines()[-1] == "Aborted: 1 warning in strict mode.", command
    source.write_text(source.read_text().replace("goto: record", "goto: recrod", 1))
    result = sopkb("-C", str(root), "validate", "--strict")
    # an unknown step, and the step no branch now reaches
    assert result.stderr.splitlines()[-1] == "Aborted: 2 errors and 1 warning in strict mode."
    assert sopkb("-C", str(root), "validate").stderr.splitlines()[-1] == "Aborted with 2 errors."


def test_output_the_file_system_refuses_is_one_line_never_a_traceback(kb_copy, tmp_path):
    root = kb_copy("kb-small")
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    folder = tmp_path / "a-folder"
    (folder / "roster.csv").mkdir(parents=True)  # a folder where the roster file goes
    receipt = tmp_path / "r.json"
    from tests.unit.receipts.test_report import make_receipt

    receipt.write_text(json.dumps(make_receipt()))
    cases = [
        (["report", str(receipt), "--output", str(a_file)], f"cannot write the roster to {a_file}: it exists and is not a folder"),
        (["report", str(receipt), "--output", str(a_file / "sub")], f"cannot write the roster to {a_file / 'sub'}: Not a directory"),
        (["report", str(receipt), "--output", str(folder)], f"cannot write the roster to {folder / 'roster.csv'}: it is a folder; give a file name"),
        (["export", "--format", "gift", "--output", str(folder)], f"cannot write the export to {folder}: it is a folder; give a file name"),
        (["export", "--format", "qti", "--output", str(a_file / "q.zip")], f"cannot write the export to {a_file}: it exists and is not a folder"),
        (["schema", "--output", str(a_file / "s.json")], f"cannot write the schema to {a_file}: it exists and is not a folder"),
        (["init", str(a_file / "kb")], f"cannot create a KB in {a_file / 'kb'}: Not a directory"),
        (["build", "--site-dir", str(a_file)], f"cannot write the site to {a_file}: Not a directory"),
        (["report", str(tmp_path / "missing.json")], f"{tmp_path / 'missing.json'}: no such receipt file or folder"),
    ]  # fmt: skip
    for args, message in cases:
        project = [] if args[0] in ("init", "schema") else ["-C", str(root)]
        result = sopkb(*project, *args)
        assert (result.returncode, result.stderr) == (1, f"error: {message}\n"), args
    assert a_file.read_text() == "not a folder"  # and nothing replaced the file in the way


@pytest.mark.parametrize(
    ("errno_code", "reason"),
    [(errno.EROFS, "Read-only file system"), (errno.ENOSPC, "No space left on device")],
)
def test_a_read_only_or_full_disk_is_one_line_and_leaves_the_old_file(
    kb_copy, tmp_path, monkeypatch, capsys, errno_code, reason
):
    """Tests may run as root, which no permission stops: the file system's refusal is injected."""
    from sopkb import cli
    from sopkb.build import output

    root = kb_copy("kb-small")
    target = tmp_path / "out" / "quizzes.gift"
    target.parent.mkdir()
    target.write_text("the previous export")

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno_code, os.strerror(errno_code))

    monkeypatch.setattr(output.os, "replace" if errno_code == errno.EROFS else "fsync", refuse)
    assert cli.main(["-C", str(root), "export", "--format", "gift", "--output", str(target)]) == 1
    assert capsys.readouterr().err == f"error: cannot write the export to {target}: {reason}\n"
    assert target.read_text() == "the previous export"
    assert [p.name for p in target.parent.iterdir()] == ["quizzes.gift"]  # no partial file left behind


UNSAFE = "\x1b[2J\x1b]0;pwned\x07\r\u202e\x9b31m"


def test_untrusted_text_never_reaches_the_terminal_as_control_characters(kb_copy, tmp_path):
    """Escape sequences, carriage returns and bidi overrides from a source key, a file name, a
    review note, an owner and a receipt are printed as visible escapes."""
    root = kb_copy("kb-small")
    source = root / "sops" / "refund.yaml"
    text = source.read_text()
    escaped = json.dumps(UNSAFE)[1:-1]  # YAML's double quotes read JSON's escapes: the characters arrive
    source.write_text(
        text.replace("owner: Billing team", f'owner: "Billing {escaped}"').replace(
            "review_by: 2099-01-01", "review_by: 2026-06-01"
        )
        + f'review: ["Check {escaped} this"]\n'
    )
    bad = root / "sops" / f"bad{UNSAFE[:4]}.yaml"  # the file name too
    bad.write_text(f'"key{escaped}": 1\n')
    outputs = [sopkb("-C", str(root), "validate")]
    bad.unlink()
    outputs.append(sopkb("-C", str(root), "report", "--stale"))
    from tests.unit.receipts.test_report import make_receipt

    receipt = tmp_path / "r.json"
    altered = make_receipt()
    altered["learner"] = f"Ana{UNSAFE}"  # changed after the checksum: flagged, and the flag names the learner
    receipt.write_text(json.dumps(altered))
    outputs.append(
        sopkb("-C", str(FIXTURES / "kb-small"), "report", str(receipt), "--output", str(tmp_path / "out"))
    )
    shown = "".join(r.stdout + r.stderr for r in outputs)
    for char in "\x1b\x07\r\u202e\x9b":
        assert char not in shown, repr(char)
    assert "\\x1b[2J\\x1b]0;pwned\\x07\\x0d\\u202e\\x9b31m" in shown
    assert "Ana\\x1b[2J" in outputs[2].stdout  # the receipt's learner, in its flag line
    assert "owner: Billing \\x1b[2J" in outputs[1].stdout


def test_one_unreadable_receipt_does_not_cost_the_others_their_place(tmp_path):
    from tests.unit.receipts.test_report import make_receipt

    folder = tmp_path / "receipts"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(make_receipt(learner="Ana")))
    (folder / "b.json").write_text("[" * 5000)  # crafted to crash the reader
    (folder / "c.json").write_text(json.dumps(make_receipt(learner="Ben")))
    (folder / "d.json").write_bytes(b"\xff\xfe binary")
    out = tmp_path / "out"
    result = sopkb("-C", str(FIXTURES / "kb-small"), "report", str(folder), "--output", str(out))
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert [e.split(":")[0] for e in errors] == [str(folder / "b.json"), str(folder / "d.json")]
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines()[-1].startswith("4 receipts: 2 verified, 0 flagged, 2 unreadable")
    learners = [line.split(",")[0] for line in (out / "roster.csv").read_text().splitlines()[1:]]
    assert learners == ["Ana", "Ben"]


def test_a_link_in_a_receipts_folder_is_never_followed_and_nothing_long_is_quoted(tmp_path):
    """A learner who can drop files into the shared receipts folder must not make the report read
    (and quote back) a file the trainer can read; a long value is never quoted whole."""
    from tests.unit.receipts.test_report import make_receipt

    secret = tmp_path / "secret.txt"
    secret.write_text("root:$6$hash-of-a-password:20228:0:99999:7:::\n")
    folder = tmp_path / "receipts"
    folder.mkdir()
    (folder / "good.json").write_text(json.dumps(make_receipt()))
    (folder / "shadow.json").symlink_to(secret)
    (folder / "elsewhere.json").symlink_to(tmp_path / "other" / "missing.json")
    long_key = "k" * 900  # (YAML reads keys of up to 1,024 characters; longer is a located syntax error)
    (folder / "long.json").write_text(json.dumps({**make_receipt(), long_key: "v" * 100_000}))
    result = sopkb("-C", str(FIXTURES / "kb-small"), "report", str(folder), "--output", str(tmp_path / "out"))
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert f"{folder / 'shadow.json'}:1:1: is a link; receipts in a folder are read only as files" in errors
    assert (
        f"{folder / 'elsewhere.json'}:1:1: is a link; receipts in a folder are read only as files" in errors
    )
    assert "hash-of-a-password" not in result.stdout + result.stderr
    assert all(len(line) < 500 for line in errors), errors  # not 100 KB of the value
    assert "kkkk…" in result.stderr
    assert result.stdout.splitlines()[-1].startswith("4 receipts: 1 verified, 0 flagged, 3 unreadable")


def test_a_line_break_in_untrusted_text_never_forges_a_line_of_output(kb_copy, tmp_path):
    from tests.unit.receipts.test_report import make_receipt

    root = kb_copy("kb-small")
    (root / "sops" / "new\nline.yaml").write_text("id: [broken\n")  # a file name with a line break
    result = sopkb("-C", str(root), "validate")
    lines = result.stderr.splitlines()
    assert lines[-1] == "Aborted with 1 error." and len(lines) == 2
    assert "new\\x0aline.yaml:2:1: YAML syntax error" in lines[0]
    forged = "Bob\n\n1 receipt: 1 verified, 0 flagged. Roster: fake"
    receipt = make_receipt()
    receipt["learner"] = forged  # altered: flagged, so the flag line names the learner
    path = tmp_path / "r.json"
    path.write_text(json.dumps(receipt))
    result = sopkb("-C", str(FIXTURES / "kb-small"), "report", str(path), "--output", str(tmp_path / "out"))
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and lines[0].endswith(
        ": Bob\\x0a\\x0a1 receipt: 1 verified, 0 flagged. Roster: fake: altered: the checksum does not match the content"
    )
    assert lines[1].startswith("1 receipt: 0 verified, 1 flagged.")


def test_plain_mkdocs_build_never_replaces_the_kb_or_a_stranger_folder(kb_copy, tmp_path):
    """`mkdocs build` cleans its site_dir itself: the plugin checks it first, as `sopkb build` does."""
    root = kb_copy("kb-small")
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "thesis.txt").write_text("years of work")
    before = tree_digest(root), tree_digest(victim)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for site_dir, expected in [
        ("sops", "it is or holds the SOPs folder"),
        (str(victim), "not a site sopkb built"),
    ]:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-d", site_dir],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 1 and expected in result.stderr, result.stderr
    assert (tree_digest(root), tree_digest(victim)) == before
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"], cwd=root, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0 and (root / "site" / ".sopkb-site").is_file()  # a site sopkb may replace


def test_outputs_are_written_through_a_new_file_never_a_planted_link(tmp_path):
    from tests.unit.receipts.test_report import make_receipt

    receipt = tmp_path / "r.json"
    receipt.write_text(json.dumps(make_receipt()))
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched")
    for name in (".roster.csv.partial", ".roster.html.partial", "roster.csv.partial"):
        (out / name).symlink_to(victim)  # every name an older sopkb wrote through
    old_umask = os.umask(0o022)
    try:
        result = sopkb("-C", str(FIXTURES / "kb-small"), "report", str(receipt), "--output", str(out))
    finally:
        os.umask(old_umask)
    assert result.returncode == 0, result.stderr
    assert victim.read_text() == "untouched"
    roster = out / "roster.csv"
    assert roster.is_file() and not roster.is_symlink() and roster.stat().st_mode & 0o777 == 0o644
    assert not [p for p in out.iterdir() if p.name.endswith(".partial") and not p.is_symlink()]


def test_output_into_a_closed_pipe_stops_quietly(tmp_path):
    """`sopkb schema | head -1`: the reader goes away; no "error: Broken pipe", no traceback."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sopkb.cli", "schema", "--kind", "sop"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()  # before it writes a byte
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 141
    assert stderr == b""


def test_plain_mkdocs_build_makes_the_site_sopkb_build_makes(kb_copy):
    """`mkdocs build` cleans its site folder after the plugin has read the KB, so the files beside
    its pages (search index, learning data, each SOP's data) start only then (`on_files`), where
    `sopkb build` starts them before rendering: either way, the same site."""
    root = kb_copy("kb-small")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    (root / "site").mkdir()
    (root / "site" / "stale.txt").write_text("from a build long ago")  # cleaned by MkDocs
    (root / "site" / ".sopkb-site").write_text("")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=root, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not (root / "site" / "stale.txt").exists()
    plain = tree_digest(root / "site")
    assert sopkb("-C", str(root), "build", "--site-dir", str(root / "by-sopkb")).returncode == 0
    assert tree_digest(root / "by-sopkb") == plain
    assert any((root / "site" / "search-index").rglob("*.json"))
    assert any((root / "site" / "learning" / "data" / "sop").glob("*.json"))


def test_ctrl_c_while_the_command_is_imported_ends_it_quietly():
    """The console script's entry (`sopkb.console_script`) imports the command itself: a Ctrl-C in
    those tenths of a second is exit 130 without a traceback, as one during the command is."""
    interrupted = """
import sys
class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "sopkb.cli.commands":
            raise KeyboardInterrupt
sys.meta_path.insert(0, CtrlC())
from sopkb.console_script import main
sys.exit(main())
"""
    done = subprocess.run([sys.executable, "-c", interrupted, "build"], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (130, "")


def test_a_hand_written_page_that_is_not_utf8_is_a_located_problem(kb_copy):
    """MkDocs reads pages as UTF-8 and stopped the build with a traceback; `validate` said nothing."""
    root = kb_copy("kb-small")
    (root / "docs" / "latin.md").write_bytes(b"# T\n\nd\xe9j\xe0 vu\n")
    for command in ("validate", "build"):
        result = sopkb("-C", str(root), command)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert "docs/latin.md:3:2: this page is not UTF-8 text (byte 0xE9)" in result.stderr


@pytest.mark.parametrize(
    "base, said",
    [
        ("INHERIT: mkdocs.yml\n", "nested too deep"),  # inherits itself
        ("- a list\n- not a mapping\n", "cannot be read as MkDocs' configuration"),
        ("extra:\n  deep: " + "[" * 900 + "]" * 900 + "\n", "nested too deep"),
    ],
)
def test_a_configuration_mkdocs_cannot_take_is_one_sentence(base, said, kb_copy):
    root = kb_copy("kb-small")
    config = root / "mkdocs.yml"
    (root / "base.yml").write_text(base)
    config.write_text("INHERIT: base.yml\n" + config.read_text())
    result = sopkb("-C", str(root), "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"error: {config}: {said}" in result.stderr
