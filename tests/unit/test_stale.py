"""`sopkb report --stale` on the flow fixture: unknown care metadata and procedures outside the KB
not yet converted, each located so an editor jumps to it."""

from __future__ import annotations

import datetime as dt
import shutil

from sopkb.domain.project import Project
from sopkb.pipeline import load_knowledge_base
from sopkb.stale import stale_report

from tests.conftest import FIXTURES

TODAY = dt.date(2026, 11, 23)


def report(root) -> tuple[list[str], int]:  # noqa: ANN001
    text, count = stale_report(load_knowledge_base(Project.at(root), today=TODAY), TODAY)
    return text.splitlines(), count


def test_unknown_metadata_and_external_procedures_are_listed_and_located(tmp_path, monkeypatch):
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "kb-flow", root)
    monkeypatch.chdir(root)
    # a second SOP lists the billing SOP under another id: one group, by title, naming both SOPs
    text = (root / "sops" / "address.yaml").read_text()
    text += "external:\n  - {id: billing-sop, title: billing sop, identifier: Confluence BIL-7}\n"
    (root / "sops" / "address.yaml").write_text(text)
    lines, count = report(root)
    start = lines.index("Owner, version or dates unknown (1):")
    assert lines[start : start + 5] == [
        "Owner, version or dates unknown (1):",
        "  sops/identity.yaml:6:8: owner: identity: owner unknown: needs an owner",
        "  sops/identity.yaml:7:10: version: identity: version unknown: needs a version",
        "  sops/identity.yaml:8:12: effective: identity: effective date unknown: needs the date this version took effect",
        "  sops/identity.yaml:9:12: review_by: identity: review date unknown: needs a review date",
    ]
    start = lines.index("External procedures not yet in the KB (2):")
    assert lines[start : start + 6] == [
        "External procedures not yet in the KB (2):",
        "  Account Changes workflow — KB-1234 in Salesforce",
        "    sops/callback.yaml:49:5: external[1]: callback (ext:account-changes)",
        "  billing sop — Confluence BIL-7, https://intranet.example/billing",  # the first SOP's spelling
        "    sops/address.yaml:20:5: external[0]: address (ext:billing-sop)",
        "    sops/callback.yaml:46:5: external[0]: callback (ext:billing)",
    ]
    assert lines[-1] == "1 of 3 SOPs need attention." and count == 1


def test_a_converted_procedure_is_no_longer_listed(tmp_path, monkeypatch):
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "kb-flow", root)
    monkeypatch.chdir(root)
    billing = (root / "sops" / "address.yaml").read_text().replace("id: address", "id: billing", 1)
    (root / "sops" / "billing.yaml").write_text(billing.replace("id: confirm", "id: confirm-it"))
    kb = load_knowledge_base(Project.at(root), today=TODAY)
    assert [str(w) for w in kb.warnings] == [
        "sops/callback.yaml:46:9: warning: external[0].id: external procedure 'billing' is now in the KB: use sop:billing"
    ]
    lines, _ = report(root)
    start = lines.index("External procedures not yet in the KB (1):")
    assert lines[start + 1] == "  Account Changes workflow — KB-1234 in Salesforce"
