"""`sopkb export`: GIFT read back by the reference parser (gift-pegjs), Moodle XML and QTI 2.1
checked against the structure their specifications publish."""

from __future__ import annotations

import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from sopkb.domain.project import Project
from sopkb.export import export_quizzes
from sopkb.export.gift import escape
from sopkb.pipeline import load_knowledge_base
from sopkb.text.markdown import plain

from tests.conftest import REPO, TESTS
from tests.unit.cli.test_cli import sopkb

QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
NCNAME = re.compile(r"^[A-Za-z_][\w.-]*$")
# assessmentItem's children, in the order the QTI 2.1 schema's sequence requires
ITEM_ORDER = ["responseDeclaration", "outcomeDeclaration", "itemBody", "responseProcessing", "modalFeedback"]


@pytest.fixture(scope="module")
def kb():  # noqa: ANN201
    return load_knowledge_base(Project.at(REPO))


def export(kb, fmt: str, drills: bool = True) -> bytes:  # noqa: ANN001
    quizzes = [q for q in kb.quizzes if drills or not q.generated]
    return export_quizzes(kb, quizzes, fmt, "Customer Service SOPs")


def gift_parse(text: str) -> list[dict]:
    result = subprocess.run(
        ["node", str(TESTS / "gift" / "parse.js")], input=text, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_gift_is_read_back_by_the_reference_parser_with_every_answer_right(kb):
    parsed = gift_parse(export(kb, "gift").decode())
    questions = [q for q in parsed if q["type"] != "Category"]
    assert len([q for q in parsed if q["type"] == "Category"]) == len(kb.quizzes)
    by_name = {q["title"]: q for q in questions}
    expected = {f"{e.id}/{q.id}": (e, q) for e in kb.quizzes for q in e.quiz.questions()}
    assert sorted(by_name) == sorted(expected)
    for name, (entry, question) in expected.items():
        got = by_name[name]
        assert got["stem"]["text"].endswith(plain(question.prompt)), name
        if question.kind in ("single", "say"):
            assert got["type"] == "MC"
            assert [c["text"]["text"] for c in got["choices"] if c["isCorrect"]] == [
                plain(c.text) for c in question.choices if c.correct
            ]
        elif question.kind == "multiple":
            weights = {c["text"]["text"]: c["weight"] for c in got["choices"]}
            right = [plain(c.text) for c in question.choices if c.correct]
            assert sum(weights[t] for t in right) == pytest.approx(100, abs=0.01)
            assert all(weights[plain(c.text)] == -100 for c in question.choices if not c.correct)
        elif question.kind == "true-false":
            assert (got["type"], got["isTrue"]) == ("TF", question.answer)
            # Moodle reads {TRUE#wrong#right}: the first feedback is for the wrong answer
            # (gift-pegjs names the two by position: trueFeedback, falseFeedback)
            wrong, right = (
                (question.if_false, question.if_true)
                if question.answer
                else (question.if_true, question.if_false)
            )
            assert (got["trueFeedback"]["text"], got["falseFeedback"]["text"]) == (plain(wrong), plain(right))
        else:
            # the items are the steps' titles alone: a number beside them would give the order away
            titles = {s.id: plain(s.title) for s in kb.by_id[entry.quiz.sop].sop.all_steps()}
            assert got["type"] == "Matching"
            assert [(p["subquestion"]["text"], p["subanswer"]) for p in got["matchPairs"]] == [
                (titles[s], f"Position {n}") for n, s in enumerate(question.items, 1)
            ]


def test_gift_escapes_every_special_character():
    tricky = 'Refund {now}? = ~50% # of cases: use \\ "quotes"'
    parsed = gift_parse(f"::t::{escape(tricky)}{{TRUE}}\n")
    assert parsed[0]["stem"]["text"] == tricky


def test_moodle_xml_has_the_published_structure(kb):
    root = ET.fromstring(export(kb, "moodle-xml"))
    assert root.tag == "quiz"
    questions = root.findall("question")
    assert [q.get("type") for q in questions].count("category") == len(kb.quizzes)
    real = [q for q in questions if q.get("type") != "category"]
    assert len(real) == sum(len(e.quiz.questions()) for e in kb.quizzes)
    for q in real:
        for child in ("name/text", "questiontext/text", "defaultgrade", "idnumber"):
            assert q.find(child) is not None, (q.findtext("name/text"), child)
        assert q.find("questiontext").get("format") == "html"
        kind = q.get("type")
        if kind == "multichoice":
            answers = q.findall("answer")
            positive = sum(float(a.get("fraction")) for a in answers if float(a.get("fraction")) > 0)
            assert positive == pytest.approx(100, abs=0.01)
            assert q.findtext("single") in ("true", "false")
            assert all(a.find("feedback/text") is not None for a in answers)
        elif kind == "truefalse":
            assert sorted(a.findtext("text") for a in q.findall("answer")) == ["false", "true"]
            assert sorted(a.get("fraction") for a in q.findall("answer")) == ["0", "100"]
        else:
            assert kind == "matching"
            subs = q.findall("subquestion")
            assert len(subs) >= 3 and len({s.findtext("answer/text") for s in subs}) == len(subs)


def test_qti_package_is_complete_and_follows_the_qti_21_structure(kb):
    package = zipfile.ZipFile(io.BytesIO(export(kb, "qti")))
    names = set(package.namelist())
    manifest = ET.fromstring(package.read("imsmanifest.xml"))
    assert manifest.tag == f"{CP}manifest"
    assert manifest.findtext(f"{CP}metadata/{CP}schema") == "QTIv2.1 Package"
    resources = manifest.findall(f"{CP}resources/{CP}resource")
    ids = {r.get("identifier") for r in resources}
    kinds = [r.get("type") for r in resources]
    assert kinds.count("imsqti_test_xmlv2p1") == len(kb.quizzes)
    assert kinds.count("imsqti_item_xmlv2p1") == sum(len(e.quiz.questions()) for e in kb.quizzes)
    assert names == {"imsmanifest.xml"} | {r.get("href") for r in resources}
    interactions = set()
    for resource in resources:
        assert NCNAME.match(resource.get("identifier"))
        assert {d.get("identifierref") for d in resource.findall(f"{CP}dependency")} <= ids
        doc = ET.fromstring(package.read(resource.get("href")))
        if resource.get("type") == "imsqti_test_xmlv2p1":
            assert doc.tag == f"{QTI}assessmentTest"
            refs = doc.findall(f".//{QTI}assessmentItemRef")
            folder = Path(resource.get("href")).parent
            assert all(
                str((folder / r.get("href")).as_posix()).replace("tests/../", "") in names for r in refs
            )
            continue
        assert doc.tag == f"{QTI}assessmentItem"
        assert {"identifier", "title", "adaptive", "timeDependent"} <= set(doc.attrib)
        order = [ITEM_ORDER.index(child.tag.removeprefix(QTI)) for child in doc]
        assert order == sorted(order), resource.get("href")
        interaction = doc.find(f"{QTI}itemBody/*[@responseIdentifier='RESPONSE']")
        interactions.add(interaction.tag.removeprefix(QTI))
        choices = {c.get("identifier") for c in interaction.findall(f"{QTI}simpleChoice")}
        assert all(NCNAME.match(c) for c in choices)
        correct = [v.text for v in doc.findall(f"{QTI}responseDeclaration/{QTI}correctResponse/{QTI}value")]
        assert correct and set(correct) <= choices
        declared = {d.get("identifier") for d in doc.findall(f"{QTI}outcomeDeclaration")}
        used = {s.get("identifier") for s in doc.iter(f"{QTI}setOutcomeValue")}
        used |= {m.get("outcomeIdentifier") for m in doc.findall(f"{QTI}modalFeedback")}
        assert used <= declared
        assert all(el.tag.startswith(QTI) for el in doc.iter() if el is not doc)
    assert interactions == {"choiceInteraction", "orderInteraction"}


def test_cli_writes_each_format_and_refuses_an_unknown_quiz(tmp_path):
    for fmt, name in (
        ("gift", "quizzes.gift"),
        ("moodle-xml", "quizzes-moodle.xml"),
        ("qti", "quizzes-qti21.zip"),
    ):
        out = tmp_path / name
        result = sopkb("-C", str(REPO), "export", "--format", fmt, "--output", str(out))
        assert result.returncode == 0, result.stderr
        assert result.stdout == f"Exported 8 quizzes (65 questions) as {fmt} to {out}.\n"
        assert out.stat().st_size > 1000
    one = sopkb(
        "-C",
        str(REPO),
        "export",
        "--format",
        "gift",
        "--quiz",
        "tracking-practice",
        "--output",
        str(tmp_path / "one.gift"),
    )
    assert one.returncode == 0 and "Exported 1 quiz (" in one.stdout
    bad = sopkb("-C", str(REPO), "export", "--format", "gift", "--quiz", "nope")
    assert bad.returncode == 1 and bad.stderr.startswith("error: unknown quiz 'nope'; expected one of: ")
    usage = sopkb("-C", str(REPO), "export", "--format", "pdf")
    assert usage.returncode == 2
