"""`sopkb report`: receipts re-scored from the quiz sources, flags, roster; and `--stale`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from sopkb.domain.project import Project
from sopkb.domain.quiz_identity import fingerprint
from sopkb.pipeline import load_knowledge_base
from sopkb.receipts.checksum import assignment_id, checksum
from sopkb.receipts.roster import roster_csv, roster_html
from sopkb.receipts.scoring import correct_answer
from sopkb.receipts.verify import check_receipt, read_receipts
from sopkb.stale import stale_report

from tests.conftest import FIXTURES
from tests.unit.cli.test_cli import sopkb

KB = FIXTURES / "kb-small"


def kb():  # noqa: ANN201
    return load_knowledge_base(Project.at(KB), today=dt.date(2026, 11, 23))


def make_receipt(*, wrong: int = 0, learner: str = "Ana Silva") -> dict:
    """What assign.js writes, made here from the sources: `wrong` questions answered wrong."""
    base = kb()
    quiz = base.quiz_by_id["refund-basics"].quiz
    questions = quiz.questions()
    answers = {q.id: correct_answer(q) for q in questions}
    for q in questions[:wrong]:
        answers[q.id] = list(reversed(correct_answer(q))) if q.kind == "order" else ["nonsense"]
    right = len(questions) - wrong
    score = int(100 * right / len(questions) + 0.5)
    spec = {"v": 1, "title": "Week 1", "cohort": "A", "due": "2026-12-01", "trainer": "Dana",
            "path": "billing-basics", "quizzes": [], "created": "2026-11-20"}  # fmt: skip
    receipt = {
        "format": "sopkb-receipt",
        "format_version": 1,
        "site": "Small KB",
        "learner": learner,
        "assignment": {"id": assignment_id(spec), **spec},
        "quizzes": [
            {
                "id": "refund-basics",
                "title": quiz.title,
                "version": fingerprint(quiz),
                "sop": "refund",
                "pass_mark": quiz.pass_mark,
                "score": score,
                "right": right,
                "total": len(questions),
                "passed": score >= quiz.pass_mark,
                "attempts": 1,
                "answered_at": "2026-11-22T10:00:00.000Z",
                "answers": answers,
            }  # fmt: skip
        ],
        "sops_read": [
            {
                "sop": "refund",
                "title": "Refund request",
                "version": "1.10",
                "signed_at": "2026-11-22T09:00:00Z",
            }
        ],
        "completed_at": "2026-11-22T10:00:00.000Z",
        "issued_at": "2026-11-22T10:01:00.000Z",
    }
    receipt["checksum"] = checksum(receipt)
    return receipt


def check(tmp_path: Path, receipt: dict):  # noqa: ANN201
    path = tmp_path / f"{receipt['learner']}.json"
    path.write_text(json.dumps(receipt, indent=2, ensure_ascii=False))
    found, problems = read_receipts([path], str)
    assert problems == []
    source, model, raw = found[0]
    return check_receipt(source, model, raw, kb())


def test_a_good_receipt_is_verified(tmp_path):
    checked = check(tmp_path, make_receipt(wrong=1))
    assert checked.flags == []
    assert [(q.id, q.claimed, q.verified, q.passed) for q in checked.quizzes] == [
        ("refund-basics", 80, 80, True)
    ]


def test_a_tampered_receipt_is_flagged_as_altered(tmp_path):
    receipt = make_receipt(wrong=3)
    receipt["learner"] = "Someone Else"  # edited after issue, checksum left as it was
    assert check(tmp_path, receipt).flags == ["altered: the checksum does not match the content"]


def test_a_wrong_claimed_score_is_flagged_even_with_a_recomputed_checksum(tmp_path):
    receipt = make_receipt(wrong=3)
    receipt["quizzes"][0].update(score=100, right=5, passed=True)
    receipt["checksum"] = checksum(receipt)  # the recipe is public: a checksum alone proves little
    checked = check(tmp_path, receipt)
    assert checked.flags == [
        "score mismatch: refund-basics claims 100% (5 of 5); its answers score 40% (2 of 5)"
    ]
    assert checked.quizzes[0].passed is False


def test_an_outdated_quiz_and_sop_version_are_flagged(tmp_path):
    receipt = make_receipt()
    receipt["quizzes"][0]["version"] = "0123456789abcdef"
    receipt["sops_read"][0]["version"] = "1.9"
    receipt["checksum"] = checksum(receipt)
    assert check(tmp_path, receipt).flags == [
        "outdated: refund-basics was taken in a version that has since changed",
        "outdated: signed refund version 1.9; it is now 1.10",
    ]


def test_missing_work_and_late_completion_are_flagged(tmp_path):
    receipt = make_receipt()
    receipt["sops_read"] = []
    receipt["completed_at"] = "2026-12-03T08:00:00Z"
    receipt["checksum"] = checksum(receipt)
    assert check(tmp_path, receipt).flags == [
        "incomplete: missing refund",
        "late: completed 2026-12-03, due 2026-12-01",
    ]


def test_a_damaged_receipt_is_a_located_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "format": "sopkb-receipt",\n  "learner": 42,\n')
    broken = tmp_path / "broken.json"
    receipt = make_receipt()
    del receipt["quizzes"][0]["answers"]
    broken.write_text(json.dumps(receipt, indent=2))
    result = sopkb("-C", str(KB), "report", str(bad), str(broken), "--output", str(tmp_path / "out"))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{bad}:4:1: ")
    assert lines[1] == f"{broken}:18:5: quizzes[0]: missing required key 'answers'"
    assert lines[-1] == "Aborted with 2 errors."
    assert not (tmp_path / "out").exists()


def write_roster(tmp_path: Path) -> Path:
    receipts = [
        make_receipt(wrong=w, learner=name)
        for w, name in ((0, "Ana Silva"), (1, "Ben Okafor"), (3, "Chen Wei"))
    ]
    receipts[2]["learner"] = "Chen W."  # altered after issue
    folder = tmp_path / "receipts"
    folder.mkdir()
    for n, receipt in enumerate(receipts):
        (folder / f"r{n}.json").write_text(json.dumps(receipt))
    out = tmp_path / "report"
    result = sopkb("-C", str(KB), "report", str(folder), "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("3 receipts: 2 verified, 1 flagged.")
    return out / "roster.html"


def test_roster_csv_and_html(tmp_path):
    html = write_roster(tmp_path).read_text()
    rows = list(csv.DictReader(io.StringIO((tmp_path / "report" / "roster.csv").read_text())))
    assert [(r["learner"], r["status"], r["average_score"], r["scores"]) for r in rows] == [
        ("Ana Silva", "verified", "100", "refund-basics=100%"),
        ("Ben Okafor", "verified", "80", "refund-basics=80%"),
        ("Chen W.", "flagged", "40", "refund-basics=40%"),
    ]
    assert rows[2]["flags"] == "altered: the checksum does not match the content"
    assert "Average verified score per quiz" in html and "73%" in html  # (100 + 80 + 40) / 3
    # the question missed by both Ben and Chen heads the most-missed chart: 2 of 3 learners
    assert "2 of 3 (67%)" in html
    assert "<script" not in html and "http" not in html.replace("http://www.w3.org/2000/svg", "").replace(
        '<meta http-equiv="Content-Security-Policy"', ""
    )
    assert "default-src 'none'" in html and "script-src" not in html  # a policy that runs nothing


def test_roster_functions_are_pure(tmp_path):
    checked = [check(tmp_path, make_receipt())]
    assert roster_csv(checked).startswith("learner,cohort,assignment,")
    assert "Ana Silva" in roster_html(checked, kb(), "Small KB")


def test_stale_lists_overdue_unapproved_and_located_review_points():
    text, count = stale_report(kb(), dt.date(2100, 1, 1))
    lines = text.splitlines()
    assert lines[0] == "Past their review date (2):"
    assert "Reconstructed or doubtful points awaiting owner confirmation (1):" in lines
    point = next(line for line in lines if "refund.yaml:" in line and "review[" in line)
    assert point.strip().startswith(f"{KB / 'sops' / 'refund.yaml'}:".replace(str(Path.cwd()) + "/", ""))
    assert count == 2


def test_report_needs_receipts_or_stale():
    result = sopkb("-C", str(KB), "report")
    assert (result.returncode, result.stderr) == (
        1,
        "error: give either receipt files (sopkb report RECEIPT...) or --stale\n",
    )
    result = sopkb("-C", str(KB), "report", "--stale")
    assert result.returncode == 0 and "SOPs need attention." in result.stdout


FORMULAS = [
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    " +cmd",
]
HIDDEN = ["Bob\r=cmd|' /C calc'!A0", "Bob\n=1+1", "Bob\r\n@SUM(1)"]  # a formula on a line of its own


def test_spreadsheet_formulas_from_receipts_are_neutralised(tmp_path):
    """OWASP CSV injection: a receipt's text must never be run as a formula by the trainer's
    spreadsheet; a leading space does not hide one (spreadsheets trim it)."""
    folder = tmp_path / "receipts"
    folder.mkdir()
    for n, formula in enumerate(FORMULAS):
        receipt = make_receipt(learner=formula)
        receipt["assignment"]["cohort"] = formula  # altered after issue: flagged, still listed
        (folder / f"r{n}.json").write_text(json.dumps(receipt))
    for n, text in enumerate(HIDDEN):
        (folder / f"h{n}.json").write_text(json.dumps(make_receipt(learner=text)))
    (folder / "ok.json").write_text(json.dumps(make_receipt(learner="Ana - Silva")))
    out = tmp_path / "out"
    result = sopkb("-C", str(KB), "report", str(folder), "--output", str(out))
    assert result.returncode == 0, result.stderr
    with open(out / "roster.csv", newline="", encoding="utf-8") as stream:  # as a spreadsheet reads it
        rows = list(csv.DictReader(stream))
    assert len(rows) == len(FORMULAS) + len(HIDDEN) + 1  # a line break in a cell never starts a row
    by_source = {Path(r["receipt"]).name: r for r in rows}
    for n, formula in enumerate(FORMULAS):
        row = by_source[f"r{n}.json"]
        # receipts are read with surrounding whitespace trimmed, as every source is
        assert row["learner"] == "'" + formula.strip() and row["cohort"] == "'" + formula.strip(), formula
    for n, text in enumerate(HIDDEN):
        assert by_source[f"h{n}.json"]["learner"] == text  # one quoted cell, starting with "Bob"
    assert by_source["ok.json"]["learner"] == "Ana - Silva"  # a dash inside is harmless: left alone
    assert by_source["ok.json"]["average_score"] == "100"


def test_spreadsheet_safe_leaves_numbers_and_plain_text_alone():
    from sopkb.receipts.roster import spreadsheet_safe

    assert [spreadsheet_safe(v) for v in (100, "", "Ana", "refund-basics=100%", "Week 1: - refunds")] == [
        100, "", "Ana", "refund-basics=100%", "Week 1: - refunds"
    ]  # fmt: skip


HOSTILE = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>\u202e=cmd'


def hostile_receipt() -> dict:
    """Every text field a learner could edit in their receipt file, hostile."""
    receipt = make_receipt(learner="learner " + HOSTILE)
    receipt["site"] = "site " + HOSTILE
    assignment = receipt["assignment"]
    for field in ("title", "cohort", "trainer", "created"):
        assignment[field] = f"{field} {HOSTILE}"
    assignment["due"] = "2026-12-01 " + HOSTILE
    assignment["path"] = "path " + HOSTILE
    assignment["quizzes"] = ["quiz " + HOSTILE]
    quiz = receipt["quizzes"][0]
    quiz["title"] = "quiz title " + HOSTILE
    quiz["version"] = "version " + HOSTILE
    quiz["answers"]["q-" + HOSTILE] = [HOSTILE]
    second = dict(quiz, id="quiz id " + HOSTILE, title="second " + HOSTILE)
    receipt["quizzes"].append(second)
    read = receipt["sops_read"][0]
    read.update(sop="sop " + HOSTILE, title="sop title " + HOSTILE, version="v " + HOSTILE)
    receipt["completed_at"] = "2026-12-31 " + HOSTILE
    return receipt


def test_every_receipt_field_shown_in_the_roster_is_escaped(tmp_path):
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(hostile_receipt(), ensure_ascii=False))
    out = tmp_path / "out"
    result = sopkb("-C", str(KB), "report", str(path), "--output", str(out))
    assert result.returncode == 0, result.stderr
    html = (out / "roster.html").read_text()
    assert "<img" not in html and "<script>window" not in html
    for shown in ("learner &lt;img", "title &lt;img", "cohort &lt;img", "2026-12-01 &lt;img", "quiz id &lt;img",
                  "sop &lt;img", "path &lt;img"):  # fmt: skip
        assert shown in html, shown
    assert "quiz title &lt;img" not in html and "Refund basics" in html  # titles come from the KB
    assert "\u202e" not in result.stdout and "\\u202e" in result.stdout


def test_a_file_that_is_no_receipt_is_one_message_and_the_roster_goes_in_the_kb(tmp_path):
    root = tmp_path / "kb"
    import shutil

    shutil.copytree(KB, root)
    folder = tmp_path / "receipts"
    folder.mkdir()
    (folder / "empty.json").write_text("{}")
    (folder / "other.json").write_text('{"format": "something-else", "learner": "x"}')
    (folder / "list.json").write_text("[1, 2]")
    (folder / "good.json").write_text(json.dumps(make_receipt()))
    result = sopkb("-C", str(root), "report", str(folder), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        'receipts/empty.json:1:1: format: not a sopkb receipt (it has no "format": "sopkb-receipt")',
        'receipts/list.json:1:1: format: not a sopkb receipt (it has no "format": "sopkb-receipt")',
        'receipts/other.json:1:12: format: not a sopkb receipt (it has no "format": "sopkb-receipt")',
    ]
    assert (root / "report" / "roster.csv").is_file() and not (tmp_path / "report").exists()  # in the KB


def test_outputs_are_never_written_into_the_sources(tmp_path):
    import shutil

    root = tmp_path / "kb"
    shutil.copytree(KB, root)
    receipt = tmp_path / "r.json"
    receipt.write_text(json.dumps(make_receipt()))
    before = (root / "sops" / "refund.yaml").read_text()
    for args, what, where in [
        (["export", "--format", "qti", "--output", "sops/refund.yaml"], "the export", "sops/refund.yaml"),
        (["export", "--format", "gift", "--output", "quizzes/x.gift"], "the export", "quizzes/x.gift"),
        (["report", str(receipt), "--output", "paths"], "the roster", "paths"),
        (["report", str(receipt), "--output", "docs/report"], "the roster", "docs/report"),
    ]:
        result = sopkb("-C", str(root), *args, cwd=root)
        folder = where.split("/")[0]
        assert (result.returncode, result.stderr) == (
            1,
            f"error: cannot write {what} to {where}: it is in the KB's sources ({folder}/)\n",
        ), args
    for name in ("mkdocs.yml", "synonyms.yaml"):
        result = sopkb("-C", str(root), "export", "--format", "gift", "--output", name, cwd=root)
        assert (result.returncode, result.stderr) == (
            1,
            f"error: cannot write the export to {name}: it is the KB's {name}\n",
        )
    assert (root / "sops" / "refund.yaml").read_text() == before
