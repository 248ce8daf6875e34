"""Per learner, the SOPs to sign again: the newest signature in their receipts against the SOP's
current version, with what changed since in a line; in the roster and in `sopkb report`'s output."""

from __future__ import annotations

import dataclasses
import json

from sopkb.domain.project import Project
from sopkb.pipeline import load_knowledge_base
from sopkb.receipts.checksum import checksum
from sopkb.receipts.resign import SignAgain, to_sign_again
from sopkb.receipts.roster import roster_html
from sopkb.receipts.verify import check_receipt, read_receipts

from tests.git_kb import refund_history
from tests.hostile import XSS_SHORT
from tests.unit.cli.test_cli import sopkb
from tests.unit.receipts.test_report import make_receipt

SIGNED = {
    "Ana Silva": [("1.10", "2026-11-01T09:00:00Z"), ("1.12", "2026-11-20T09:00:00Z")],  # the newest counts
    "Ben Okafor": [("1.10", "2026-11-22T09:00:00Z")],
    "Chen Wei": [("2.0", "2026-11-22T09:00:00Z")],  # current: nothing to sign again
    "Dee Ray": [("0.9", "2026-11-22T09:00:00Z")],  # a version the history does not have
    "Eve Long": [("1.10.0", "2026-11-22T09:00:00Z")],  # 1.10 as people read it
    f"Mal {XSS_SHORT}": [("1.11", "2026-11-22T09:00:00Z")],
}


def receipts(folder):  # noqa: ANN001, ANN201
    folder.mkdir()
    n = 0
    for learner, signatures in SIGNED.items():
        for version, at in signatures:
            receipt = make_receipt(learner=learner)
            receipt["sops_read"] = [
                {"sop": "refund", "title": "Refund request", "version": version, "signed_at": at},
                {"sop": "gone", "title": "No longer in the KB", "version": "1", "signed_at": at},
            ]
            receipt["checksum"] = checksum(receipt)
            n += 1
            (folder / f"r{n}.json").write_text(json.dumps(receipt), encoding="utf-8")
    return sorted(folder.glob("*.json"))


def test_each_learner_signs_again_what_they_signed_at_an_earlier_version(tmp_path):
    git = refund_history(tmp_path / "kb")
    kb = load_knowledge_base(dataclasses.replace(Project.at(git.root), history=True))
    found, problems = read_receipts(receipts(tmp_path / "receipts"), str)
    assert problems == []
    checked = [check_receipt(source, model, raw, kb) for source, model, raw in found]
    again = to_sign_again(checked, kb)
    assert [(a.learner, a.signed, a.current, a.summary) for a in again] == [
        ("Ana Silva", "1.12", "2.0", "1 step moved"),
        ("Ben Okafor", "1.10", "2.0", "1 step reworded, 1 added, 1 branch retargeted"),
        ("Dee Ray", "0.9", "2.0", None),
        ("Eve Long", "1.10.0", "2.0", "1 step reworded, 1 added, 1 branch retargeted"),
        (f"Mal {XSS_SHORT}", "1.11", "2.0", "1 step moved, 1 branch retargeted, 1 removed"),
    ]
    assert again[0] == SignAgain(
        "Ana Silva", "refund", "Refund request", "1.12", "2026-11-20T09:00:00Z", "2.0", "1 step moved"
    )
    html = roster_html(checked, kb, "Small KB")
    section = html[html.index('<h2 id="sign-again">') : html.index('<h2 id="scores">')]
    assert (
        "<tr><td><bdi>Ana Silva</bdi></td><td>Refund request <code>refund</code></td>"
        "<td>version <bdi>1.12</bdi> · 2026-11-20</td><td>version 2.0</td><td>1 step moved</td></tr>"
    ) in section
    assert "not compared: see What changed on the SOP’s page" in section  # Dee's 0.9
    assert "<script" not in section and "&lt;script&gt;" in section


def test_without_history_the_version_still_says_what_to_sign_again(tmp_path):
    git = refund_history(tmp_path / "kb")
    kb = load_knowledge_base(Project.at(git.root))  # history not read
    found, _ = read_receipts(receipts(tmp_path / "receipts"), str)
    again = to_sign_again([check_receipt(s, m, r, kb) for s, m, r in found], kb)
    assert [(a.learner, a.signed, a.summary) for a in again][:2] == [
        ("Ana Silva", "1.12", None),
        ("Ben Okafor", "1.10", None),
    ]


def test_report_lists_them_per_learner(tmp_path):
    git = refund_history(tmp_path / "kb")
    receipts(tmp_path / "receipts")
    result = sopkb("-C", str(git.root), "report", str(tmp_path / "receipts"), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    start = lines.index("To sign again (5):")
    assert lines[start + 1 : start + 5] == [
        "  Ana Silva: refund “Refund request”: signed 1.12 on 2026-11-20, now 2.0: 1 step moved",
        "  Ben Okafor: refund “Refund request”: signed 1.10 on 2026-11-22, now 2.0: "
        "1 step reworded, 1 added, 1 branch retargeted",
        "  Dee Ray: refund “Refund request”: signed 0.9 on 2026-11-22, now 2.0: see What changed on its page",
        "  Eve Long: refund “Refund request”: signed 1.10.0 on 2026-11-22, now 2.0: "
        "1 step reworded, 1 added, 1 branch retargeted",
    ]
    assert lines[-1].startswith("7 receipts: 0 verified, 7 flagged.")  # every one signed `gone`
    assert '<h2 id="sign-again">' in (tmp_path / "out" / "roster.html").read_text(encoding="utf-8")
