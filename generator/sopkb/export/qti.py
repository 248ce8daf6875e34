"""A QTI 2.1 content package: one assessmentItem per question, one assessmentTest per quiz, and
the IMS manifest that lists them (IMS QTI 2.1 and IMS Content Packaging 1.1).

Author text is rendered by the same safe Markdown renderer as the site (XHTML output) and moved
into the QTI namespace; QTI's content model is a subset of XHTML, and what it lacks is dropped
to plain text rather than risking an invalid item.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from ..domain.knowledge_base import KnowledgeBase, QuizEntry
from ..domain.question_kinds import Answers
from ..text.markdown import block, inline, plain
from .common import Exported, escape_html, questions

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
# XHTML elements QTI 2.1 content may use (its xhtml profile), as the Markdown renderer emits them.
ALLOWED = {
    "p",
    "strong",
    "em",
    "code",
    "pre",
    "a",
    "ul",
    "ol",
    "li",
    "br",
    "span",
    "blockquote",
    "img",
    "h3",
    "h4",
}

ET.register_namespace("", QTI)
ET.register_namespace("xsi", XSI)


def q(tag: str) -> str:
    return f"{{{QTI}}}{tag}"


def write(kb: KnowledgeBase, quizzes: list[QuizEntry], site_name: str) -> bytes:
    buffer = io.BytesIO()
    resources = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for quiz in quizzes:
            items = []
            for exported in questions(kb, quiz):
                href = f"items/{quiz.id}/{exported.question.id}.xml"
                package.writestr(href, _xml(_item(exported)))
                items.append((item_id(exported), href, exported))
                resources.append(("imsqti_item_xmlv2p1", item_id(exported), href, []))
            href = f"tests/{quiz.id}.xml"
            package.writestr(href, _xml(_test(quiz, items)))
            resources.append(("imsqti_test_xmlv2p1", f"test-{quiz.id}", href, [i for i, _, _ in items]))
        package.writestr("imsmanifest.xml", _xml(_manifest(resources, site_name)))
    return buffer.getvalue()


def item_id(exported: Exported) -> str:
    return f"item-{exported.quiz.id}-{exported.question.id}"


def _xml(element: ET.Element) -> bytes:
    ET.indent(element)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True) + b"\n"


def _root(tag: str, **attrs: str) -> ET.Element:
    el = ET.Element(q(tag), attrs)
    el.set(f"{{{XSI}}}schemaLocation", f"{QTI} {QTI_XSD}")
    return el


@dataclass(frozen=True)
class _Interaction:
    """How QTI asks for an answer of one shape."""

    tag: str  # the interaction element
    ident: Callable[[str], str]  # an answer id -> a QTI identifier (an NCName)
    feedback: bool  # options carry feedback, shown by the FEEDBACK outcome


# An answer's shape -> its QTI interaction. Step ids may start with a digit: NCNames may not.
_INTERACTIONS: dict[str, _Interaction] = {
    "choice": _Interaction("choiceInteraction", lambda ident: ident, feedback=True),
    "truefalse": _Interaction("choiceInteraction", lambda ident: ident, feedback=True),
    "order": _Interaction("orderInteraction", lambda step: f"s-{step}", feedback=False),
}


def _item(exported: Exported) -> ET.Element:
    question = exported.question
    answers = exported.answers
    interacts = _INTERACTIONS[answers.shape]
    item = _root(
        "assessmentItem", identifier=item_id(exported), title=plain(question.prompt)[:200],
        adaptive="false", timeDependent="false",
    )  # fmt: skip
    choices = _choices(answers, interacts)
    cardinality = "ordered" if answers.ordered else "multiple" if answers.multiple else "single"
    response = ET.SubElement(
        item, q("responseDeclaration"), identifier="RESPONSE", cardinality=cardinality, baseType="identifier"
    )
    correct = ET.SubElement(response, q("correctResponse"))
    for ident in answers.correct:
        ET.SubElement(correct, q("value")).text = interacts.ident(ident)
    score = ET.SubElement(
        item, q("outcomeDeclaration"), identifier="SCORE", cardinality="single", baseType="float"
    )
    ET.SubElement(ET.SubElement(score, q("defaultValue")), q("value")).text = "0"
    feedback_card = "multiple" if answers.multiple else "single"
    if interacts.feedback:
        ET.SubElement(
            item,
            q("outcomeDeclaration"),
            identifier="FEEDBACK",
            cardinality=feedback_card,
            baseType="identifier",
        )
    if question.explanation:
        ET.SubElement(
            item, q("outcomeDeclaration"), identifier="EXPLAIN", cardinality="single", baseType="identifier"
        )
    body = ET.SubElement(item, q("itemBody"))
    context = ET.SubElement(body, q("div"), {"class": "scenario"})
    for line in exported.context_lines():
        ET.SubElement(context, q("p")).text = line
    interaction = ET.SubElement(body, q(interacts.tag), responseIdentifier="RESPONSE", shuffle="true")
    if interacts.tag == "choiceInteraction":
        interaction.set("maxChoices", "0" if answers.multiple else "1")
    _content(ET.SubElement(interaction, q("prompt")), str(inline(question.prompt)))
    for ident, html, _ in choices:
        _content(ET.SubElement(interaction, q("simpleChoice"), identifier=ident), html)
    _processing(item, question, interacts)
    for ident, _, feedback in choices:
        if feedback:
            fb = ET.SubElement(
                item, q("modalFeedback"), outcomeIdentifier="FEEDBACK", identifier=ident, showHide="show"
            )
            _content(fb, feedback)
    if question.explanation:
        fb = ET.SubElement(
            item, q("modalFeedback"), outcomeIdentifier="EXPLAIN", identifier="explanation", showHide="show"
        )
        _content(fb, str(block(question.explanation)))
    return item


def _choices(answers: Answers, interacts: _Interaction) -> list[tuple[str, str, str | None]]:
    """(identifier, choice HTML, feedback HTML) in authored order."""
    return [
        (
            interacts.ident(o.id),
            str(inline(o.text)) if o.markdown else escape_html(o.text),
            str(inline(o.feedback)) if o.feedback is not None else None,
        )
        for o in answers.options
    ]


def _processing(item: ET.Element, question, interacts: _Interaction) -> None:  # noqa: ANN001
    """All or nothing, as on the site: SCORE 1 when the response matches, else 0."""
    rp = ET.SubElement(item, q("responseProcessing"))
    condition = ET.SubElement(rp, q("responseCondition"))
    when = ET.SubElement(condition, q("responseIf"))
    match = ET.SubElement(when, q("match"))
    ET.SubElement(match, q("variable"), identifier="RESPONSE")
    ET.SubElement(match, q("correct"), identifier="RESPONSE")
    for branch, value in ((when, "1"), (ET.SubElement(condition, q("responseElse")), "0")):
        ET.SubElement(
            ET.SubElement(branch, q("setOutcomeValue"), identifier="SCORE"), q("baseValue"), baseType="float"
        ).text = value
    if interacts.feedback:
        ET.SubElement(
            ET.SubElement(rp, q("setOutcomeValue"), identifier="FEEDBACK"),
            q("variable"),
            identifier="RESPONSE",
        )
    if question.explanation:
        explain = ET.SubElement(rp, q("setOutcomeValue"), identifier="EXPLAIN")
        ET.SubElement(explain, q("baseValue"), baseType="identifier").text = "explanation"


def _test(quiz: QuizEntry, items: list[tuple[str, str, Exported]]) -> ET.Element:
    test = _root("assessmentTest", identifier=f"test-{quiz.id}", title=plain(quiz.quiz.title))
    for name, base in (("SCORE", "float"), ("PASS", "boolean")):
        ET.SubElement(test, q("outcomeDeclaration"), identifier=name, cardinality="single", baseType=base)
    part = ET.SubElement(
        test, q("testPart"), identifier="part-1", navigationMode="nonlinear", submissionMode="simultaneous"
    )
    for n, scenario in enumerate(quiz.quiz.scenarios, start=1):
        section = ET.SubElement(
            part, q("assessmentSection"), identifier=f"scenario-{scenario.id}",
            title=f"Scenario {n}: {plain(scenario.title)}", visible="true",
        )  # fmt: skip
        for ident, href, exported in items:
            if exported.scenario is scenario:
                ET.SubElement(section, q("assessmentItemRef"), identifier=ident, href=f"../{href}")
    processing = ET.SubElement(test, q("outcomeProcessing"))
    total = ET.SubElement(ET.SubElement(processing, q("setOutcomeValue"), identifier="SCORE"), q("sum"))
    ET.SubElement(total, q("testVariables"), variableIdentifier="SCORE")
    gte = ET.SubElement(ET.SubElement(processing, q("setOutcomeValue"), identifier="PASS"), q("gte"))
    ET.SubElement(ET.SubElement(gte, q("sum")), q("testVariables"), variableIdentifier="SCORE")
    needed = len(items) * quiz.quiz.pass_mark / 100
    ET.SubElement(gte, q("baseValue"), baseType="float").text = f"{needed:g}"
    return test


def _manifest(resources: list[tuple[str, str, str, list[str]]], site_name: str) -> ET.Element:
    ET.register_namespace("", CP)
    manifest = ET.Element(f"{{{CP}}}manifest", identifier="MANIFEST-sopkb")
    manifest.set(f"{{{XSI}}}schemaLocation", f"{CP} {CP_XSD}")
    metadata = ET.SubElement(manifest, f"{{{CP}}}metadata")
    ET.SubElement(metadata, f"{{{CP}}}schema").text = "QTIv2.1 Package"
    ET.SubElement(metadata, f"{{{CP}}}schemaversion").text = "1.0.0"
    ET.SubElement(manifest, f"{{{CP}}}organizations")
    listed = ET.SubElement(manifest, f"{{{CP}}}resources")
    for kind, ident, href, depends in resources:
        resource = ET.SubElement(listed, f"{{{CP}}}resource", identifier=ident, type=kind, href=href)
        ET.SubElement(resource, f"{{{CP}}}file", href=href)
        for dependency in depends:
            ET.SubElement(resource, f"{{{CP}}}dependency", identifierref=dependency)
    ET.register_namespace("", QTI)
    return manifest


def _content(parent: ET.Element, html: str) -> None:
    """Rendered XHTML moved into the QTI namespace; anything outside QTI's profile becomes text."""
    html = re.sub(r"<br\s*/?>", "<br/>", html)
    try:
        fragment = ET.fromstring(f"<root>{html}</root>")
    except ET.ParseError:
        parent.text = plain(html)
        return
    parent.text = fragment.text
    for child in list(fragment):
        parent.append(_requalify(child))


def _requalify(el: ET.Element) -> ET.Element:
    if el.tag not in ALLOWED:
        span = ET.Element(q("span"))
        span.text = "".join(el.itertext())
        span.tail = el.tail
        return span
    out = ET.Element(q(el.tag), {k: v for k, v in el.attrib.items() if k in ("href", "src", "alt", "class")})
    out.text, out.tail = el.text, el.tail
    for child in el:
        out.append(_requalify(child))
    return out
