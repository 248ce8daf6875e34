"""The five seed SOPs (/work/shared/seeds at the time of writing) as the Word documents they were
made from: headings in heading styles, lists in Word's automatic numbering (numbering.xml, numId
and ilvl; no number in the text), tables as tables. Seed 004's decision tables, which reached the
seed only as shreds ("| YES: |  | NO: |"), are written as they should have been, with each
condition's action filled in from the surrounding text.

Each document is data (`Doc`); `write_docx` turns it into a .docx with python-docx and
`expected_blocks` says, independently of any reader, what a reader must find: the numbers below
are written out by hand as Word shows them, the writer never puts them in the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# ---------------------------------------------------------------- the shape of a document


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Subtitle:
    text: str


@dataclass(frozen=True)
class Heading:
    level: int  # Word's Heading n
    text: str
    number: str | None = None  # what Word shows, when the heading style is numbered


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Item:
    level: int  # ilvl
    number: str | None  # what Word shows; None for a bullet
    text: str


@dataclass(frozen=True)
class NumberedList:
    """One list instance (a w:num of its own): level 0 decimal "%1.", deeper levels bullets."""

    items: tuple[Item, ...]
    restart: bool = True  # a startOverride, as Word's "Restart at 1"; False continues the last list


@dataclass(frozen=True)
class BulletList:
    items: tuple[Item, ...]
    symbol: str = "\uf0b7"  # Word's default bullet: U+F0B7 in the Symbol font


@dataclass(frozen=True)
class Table:
    """Rows of cells; "<" is merged into the cell on its left, "^" into the cell above; a cell's
    lines are its paragraphs."""

    rows: tuple[tuple[str, ...], ...]


Element = Title | Subtitle | Heading | Para | NumberedList | BulletList | Table


@dataclass(frozen=True)
class Doc:
    name: str
    body: tuple[Element, ...]
    numbered_headings: bool = False  # Heading 1/2 styles carry an outline list ("I.", "3.1")
    extra: dict = field(default_factory=dict)


def _items(*rows: tuple) -> tuple[Item, ...]:
    return tuple(Item(*row) for row in rows)


# ---------------------------------------------------------------- the five seeds

SEED_000 = Doc(
    "000",
    (
        Title(
            "Standard Operating Procedure (SOP) for Customer Service Representatives (CSR) Handling Missed"
            " Deliveries When Customer Is at Home"
        ),
        Para(
            "Objective: This SOP provides guidelines for Customer Service Representatives (CSRs) to handle customer calls regarding missed deliveries when the customer was at home. The goal is to assist the customer in rescheduling the delivery or arranging for a re-delivery attempt while maintaining a positive customer experience."
        ),
        Heading(1, "Responsibilities:"),
        NumberedList(
            _items(
                (0, "1.", "Customer Service Representative (CSR):"),
                (1, None, "Greet the customer warmly and professionally."),
                (1, None, "Listen attentively to the customer's concern about the missed delivery."),
                (1, None, "Verify customer information for accuracy."),
                (
                    1,
                    None,
                    "Provide options for rescheduling the delivery or arranging a re-delivery attempt.",
                ),
            )
        ),
        Heading(1, "Procedure:"),
        NumberedList(
            _items(
                (0, "1.", "Greet Customer:"),
                (1, None, "Start the conversation with a friendly greeting and introduction."),
                (0, "2.", "Listen and Understand:"),
                (
                    1,
                    None,
                    "Allow the customer to explain their situation regarding the missed delivery when they were at home.",
                ),
                (
                    1,
                    None,
                    "Gather details about the order, tracking information, and the specific delivery attempt.",
                ),
                (0, "3.", "Verify Customer Information:"),
                (
                    1,
                    None,
                    "Confirm the customer's identity by requesting and verifying essential details, including full name, contact information, and order specifics (order number, tracking number, etc.).",
                ),
                (0, "4.", "Advise Customer: Missed Delivery on the Same Day:"),
                (
                    1,
                    None,
                    "Inform the customer that you will make an effort to have the driver return later in the day for the delivery attempt.",
                ),
                (
                    1,
                    None,
                    "Explain that if the re-delivery is not possible on the same day, a delivery attempt will be scheduled for the next business day.",
                ),
                (0, "5.", "Provide Reassurance:"),
                (
                    1,
                    None,
                    "Reassure the customer that their concern is being addressed and that the delivery will be rescheduled as soon as possible.",
                ),
                (1, None, "Offer to stay connected and provide updates if necessary."),
                (0, "6.", "Disposition and Documentation:"),
                (
                    1,
                    None,
                    "Choose the appropriate disposition code in the system to indicate the nature of the call (missed delivery, re-delivery scheduled, etc.).",
                ),
                (
                    1,
                    None,
                    "Document the details of the interaction, including customer information, missed delivery circumstances, and actions taken.",
                ),
                (0, "7.", "Closing Interaction:"),
                (1, None, "Summarize the steps discussed for clarity."),
                (1, None, "Thank the customer for their understanding and cooperation."),
                (1, None, "Provide contact information for further assistance or inquiries."),
            )
        ),
        Para(
            "By following this SOP, CSRs contribute to resolving customer concerns related to missed deliveries when the customer was at home, ensuring a prompt rescheduling of the delivery and maintaining a positive customer experience."
        ),
    ),
)

SEED_001 = Doc(
    "001",
    (
        Title(
            "Standard Operating Procedure (SOP) for Customer Service Representatives (CSR) Handling Lost or Stolen Package Complaints"
        ),
        Para(
            "Objective: This SOP provides guidelines for Customer Service Representatives (CSRs) to effectively handle customer complaints regarding lost or stolen packages. The aim is to address the customer's concern, provide appropriate guidance, and offer assistance in resolving the issue."
        ),
        Heading(1, "Responsibilities - Customer Service Representative (CSR):"),
        BulletList(
            _items(
                (0, None, "Greet the customer warmly and professionally."),
                (0, None, "Listen attentively to the customer's concern."),
                (0, None, "Show empathy and understanding."),
                (0, None, "Verify customer information for accuracy."),
                (0, None, "Provide guidance on the appropriate steps to take."),
                (0, None, "Offer assistance and support throughout the process."),
            ),
            symbol="∙",
        ),
        Heading(1, "Procedure:"),
        NumberedList(
            _items(
                (0, "1.", "Greet Customer:"),
                (
                    1,
                    None,
                    "Answer the call or interact with the customer in a friendly and professional manner.",
                ),
                (1, None, "Introduce yourself and your role as a CSR."),
                (0, "2.", "Listen and Understand:"),
                (1, None, "Allow the customer to explain their concern about the lost or stolen package."),
                (1, None, "Pay close attention to their account of events and emotions."),
                (0, "3.", "Empathize:"),
                (
                    1,
                    None,
                    "Express empathy and understanding for the customer's frustration and inconvenience.",
                ),
                (
                    1,
                    None,
                    "Use empathetic language to let the customer know their concern is taken seriously.",
                ),
                (0, "4.", "Verify Customer Information:"),
                (
                    1,
                    None,
                    "Ask for the customer's full name, contact information, and order details (order number, tracking number, etc.).",
                ),
                (1, None, "Verify the accuracy of the provided information to ensure effective assistance."),
                (0, "5.", "Provide Guidance:"),
                (1, None, "Advise the customer to take the following steps:"),
                (
                    2,
                    None,
                    "Contact Amazon or their respective vendor (if applicable) to report the lost or stolen package.",
                ),
                (
                    2,
                    None,
                    "Provide them with the relevant order and tracking details for proper investigation.",
                ),
                (2, None, "Amazon or the vendor will initiate the necessary actions to address the issue."),
                (
                    2,
                    None,
                    "If needed, Amazon or the vendor will guide the customer on potential remedies, such as replacement, refund, or investigation.",
                ),
                (0, "6.", "Assure Support:"),
                (
                    1,
                    None,
                    "Reassure the customer that their concern is important and that you are here to assist them throughout the process.",
                ),
                (1, None, "Offer to stay connected and follow up on the issue's progress if desired."),
                (0, "7.", "Closing Interaction:"),
                (1, None, "Summarize the steps discussed for clarity."),
                (1, None, "Thank the customer for reaching out and for their understanding."),
                (1, None, "Provide contact information for further assistance if needed."),
                (0, "8.", "Documentation:"),
                (
                    1,
                    None,
                    "Record the details of the interaction, including customer information, concern, and guidance provided.",
                ),
                (1, None, "Use internal systems to document the case for future reference and analysis."),
            )
        ),
        Para(
            "By following this SOP, CSRs contribute to resolving customer concerns related to lost or stolen packages while maintaining a positive and empathetic customer experience."
        ),
    ),
)

SEED_002 = Doc(
    "002",
    (
        Title(
            "Standard Operating Procedure (SOP) for Customer Service Representatives (CSR) Handling Tracking Number Issues on ShipTrack"
        ),
        Para(
            "Objective: This SOP provides guidelines for Customer Service Representatives (CSRs) to effectively assist customers who encounter issues with tracking numbers not appearing on Shiptrack. The goal is to address the concern, provide accurate information, and guide customers toward appropriate actions."
        ),
        Heading(1, "Responsibilities - Customer Service Representative (CSR):"),
        BulletList(
            _items(
                (0, None, "Greet the customer in a professional and welcoming manner."),
                (
                    0,
                    None,
                    "Listen attentively to the customer's concern regarding the missing tracking number on Shiptrack.",
                ),
                (0, None, "Express empathy and understanding."),
                (0, None, "Verify customer information for accuracy."),
                (0, None, "Explain the situation and guide customers on potential actions."),
            )
        ),
        Heading(1, "Procedure:"),
        NumberedList(
            _items(
                (0, "1.", "Greet Customer:"),
                (1, None, "Begin the interaction with a courteous greeting and introduction."),
                (0, "2.", "Listen and Understand:"),
                (
                    1,
                    None,
                    "Allow the customer to explain their concern about the missing tracking number on Shiptrack.",
                ),
                (
                    1,
                    None,
                    "Collect details about the order, tracking number, and any specific information they have.",
                ),
                (0, "3.", "Empathize:"),
                (1, None, "Express empathy for the customer's frustration and inconvenience."),
                (1, None, "Use empathetic language to convey an understanding of their situation."),
                (0, "4.", "Verify Customer Information:"),
                (
                    1,
                    None,
                    "Confirm the customer's identity by requesting and verifying essential details, including full name, contact information, and order specifics (order number, tracking number, etc.).",
                ),
            )
        ),
        Para("The steps go on after this note, in the same list."),
        NumberedList(
            _items(
                (0, "5.", "Determine Tracking Status:"),
                (1, None, "If the order was recently placed:"),
                (
                    2,
                    None,
                    "Explain that tracking numbers may take some time to generate in our system and may not immediately appear on Shiptrack.",
                ),
                (1, None, "If the package was picked up but had not reached the hub:"),
                (
                    2,
                    None,
                    "Clarify that while the package was picked up, it hasn't yet reached our hub for further processing.",
                ),
                (
                    2,
                    None,
                    "Explain that the package is still with Amazon, and the issue may be on their end.",
                ),
                (
                    2,
                    None,
                    "Advise the customer to contact Amazon to inquire about the package's status, request a refund, or arrange for redelivery.",
                ),
                (0, "6.", "Provide Reassurance:"),
                (
                    1,
                    None,
                    "Reassure the customer that their concern is valid and that you are here to help them understand the situation and explore options.",
                ),
                (0, "7.", "Closing Interaction:"),
                (1, None, "Summarize the information discussed for clarity."),
                (1, None, "Thank the customer for their patience and for reaching out."),
                (1, None, "Provide contact information for further assistance if needed."),
                (0, "8.", "Documentation:"),
                (
                    1,
                    None,
                    "Record the details of the interaction, including customer information, tracking number issue, and guidance provided.",
                ),
                (1, None, "Document the explanation and steps provided for future reference."),
            ),
            restart=False,
        ),
        Para(
            "By following this SOP, CSRs contribute to efficiently addressing customer concerns related to missing tracking numbers on Shiptrack, maintaining a positive customer experience, and guiding customers toward appropriate actions for resolution."
        ),
    ),
)


def _dashes(*texts: str) -> BulletList:
    return BulletList(tuple(Item(0, None, t) for t in texts), symbol="-")


SEED_003 = Doc(
    "003",
    (
        Title("Customer Service SOP"),
        Subtitle("Customer Service (SOP)"),
        Heading(1, "Objective", "I."),
        Para(
            "This SOP aims to establish standardized procedures and best practices for handling customer inquiries, complaints, and requests to ensure consistent and high-quality customer service delivery."
        ),
        Heading(1, "Scope", "II."),
        Para(
            "This SOP applies to all customer service representatives and teams within [Your Company Name] responsible for direct customer interactions."
        ),
        Heading(1, "Customer Inquiry Handling", "III."),
        Heading(2, "Receiving Customer Inquiries", "3.1"),
        _dashes(
            "All customer inquiries received via phone, email, or chat will be promptly acknowledged.",
            "Ensure active listening to fully understand the customer's query or concern.",
        ),
        Heading(2, "Information Gathering", "3.2"),
        _dashes(
            "Gather necessary information from the customer, including account details or order numbers.",
            "Use appropriate questioning techniques to clarify the issue.",
        ),
        Heading(2, "Issue Resolution", "3.3"),
        _dashes(
            "Refer to the knowledge base or FAQ documents to provide accurate and timely responses.",
            "Escalate complex inquiries to senior representatives or supervisors when necessary.",
        ),
        Heading(2, "Follow-Up", "3.4"),
        _dashes(
            "Ensure follow-up communication with the customer to confirm issue resolution and satisfaction."
        ),
        Heading(1, "Customer Complaint Handling", "IV."),
        Heading(2, "Complaint Reception", "4.1"),
        _dashes(
            "Acknowledge customer complaints with empathy and professionalism.",
            "Document all relevant details of the complaint accurately.",
        ),
        Heading(2, "Investigation", "4.2"),
        _dashes(
            "Investigate the root cause of the complaint by consulting relevant departments or systems.",
            "Inform the customer of the steps being taken to address their complaint.",
        ),
        Heading(2, "Resolution and Redress", "4.3"),
        _dashes(
            "Resolve complaints promptly while adhering to company policies and procedures.",
            "Provide appropriate compensation or remedies based on the severity and nature of the complaint.",
        ),
        Heading(2, "Escalation Process", "4.4"),
        _dashes(
            "Escalate unresolved complaints to designated escalation points for further investigation and resolution."
        ),
        Heading(1, "Customer Request Handling", "V."),
        Heading(2, "Request Assessment", "5.1"),
        _dashes(
            "Assess customer requests based on feasibility and compliance with company guidelines.",
            "Determine the appropriate actions required to fulfill the request.",
        ),
        Heading(2, "Processing", "5.2"),
        _dashes(
            "Process customer requests accurately and efficiently within defined timelines.",
            "Communicate any delays or challenges to the customer proactively.",
        ),
        Heading(2, "Confirmation and Feedback", "5.3"),
        _dashes(
            "Confirm completion of the customer request and seek feedback on service delivery.",
            "Document feedback for continuous improvement purposes.",
        ),
        Heading(1, "Customer Service Etiquette and Communication", "VI."),
        Heading(2, "Professionalism", "6.1"),
        _dashes(
            "Maintain a professional demeanor and tone in all communications.",
            "Use positive language and active listening skills to engage with customers effectively.",
        ),
        Heading(2, "Empathy and Understanding", "6.2"),
        _dashes(
            "Demonstrate empathy towards customer concerns and frustrations.",
            "Offer personalized solutions and options where applicable.",
        ),
        Heading(2, "Conflict Resolution", "6.3"),
        _dashes(
            "Apply conflict resolution techniques to de-escalate tense situations.",
            "Seek assistance from supervisors or designated conflict resolution specialists if needed.",
        ),
        Heading(1, "Continuous Improvement", "VII."),
        Heading(2, "Feedback Collection", "7.1"),
        _dashes(
            "Solicit feedback from customers on their service experience.",
            "Gather internal feedback from representatives for process improvement.",
        ),
        Heading(2, "Analysis and Action", "7.2"),
        _dashes(
            "Analyze feedback and performance metrics regularly to identify areas for improvement.",
            "Implement action plans to address identified issues and optimize customer service delivery.",
        ),
        Heading(1, "Approval", "VIII."),
        Para("[Your Name]"),
        Para("[Your Role]"),
        Para("[Date]"),
    ),
    numbered_headings=True,
)

SEED_004 = Doc(
    "004",
    (
        Title("Irate Customers Asking for Leadership or Special Handling"),
        Para(
            "Background: Occasionally, an irate customer may request to speak with leadership or require special handling for their complaint or concern. This SOP outlines the procedures for these situations to ensure effective and professional management."
        ),
        Heading(1, "Procedure"),
        Table(
            (
                ("Step", "Event/Action", "IF", "Then"),
                (
                    "1",
                    "Ask the customer whether they will accept a follow-up from a leader instead of an immediate transfer.",
                    "YES:",
                    "Go to “How to proceed if customer agrees to wait for a Follow-up”.",
                ),
                ("^", "^", "NO:", "Go to Step 2."),
                (
                    "2",
                    "Check in Salesforce whether the customer already has a case open for this concern.",
                    "YES",
                    "If the case has been updated: share the latest update with the customer.\nIf the case has not been updated: go to “How to proceed if customer refuses to wait for a Follow-Up”.",
                ),
                ("^", "^", "NO:", "Follow the appropriate SOP/Process and Stop."),
            )
        ),
        Heading(2, "How to proceed if customer agrees to wait for a Follow-up:"),
        Table(
            (
                ("Step", "Action", "Details"),
                (
                    "1",
                    "Apologize for the inconvenience and confirm the best phone number and time for the follow-up.",
                    "",
                ),
                (
                    "2",
                    "Create a case in Salesforce.",
                    "How to create a case in Salesforce:\nCustomer Request Type: Leadership Follow-up\nCase Description: the customer’s concern, what they are asking for and the best time to call.",
                ),
                ("3", "Tell the customer that a leader will call them back within 2 business days.", ""),
            )
        ),
        Heading(2, "How to proceed if customer refuses to wait for a Follow-Up:"),
        Table(
            (
                ("Step", "Action", "IF", "Then"),
                (
                    "1",
                    "Check the availability of the Phone-HO Tier 2 skill.",
                    "Available:",
                    "Agent will WARM TRANSFER to the “Phone-HO Tier 2” Skill and wait for 30 seconds to respond.\nIf they do NOT Answer: go to Step 2.\nIf they Answer: introduce the customer and their concern, then complete the transfer.",
                ),
                ("^", "^", "Unavailable:", "Go to Step 2."),
                (
                    "2",
                    "Check the availability of a Resolution Lead.",
                    "Resolution Lead is Available",
                    "Agent will Warm Transfer to the “Resolution Lead” Skill and wait for 30 seconds to respond.\nIf they do NOT Answer: create a case and tell the customer a leader will follow up.\nIf they Answer: introduce the customer and their concern, then complete the transfer.",
                ),
            )
        ),
        Heading(2, "Special handling by concern"),
        Table(
            (
                ("Step", "Action", "Reference"),
                ("1", "Verify the customer’s identity and account.", "Customer Verification SOP"),
                ("2", "Gather the following Information based on the customer’s concern", "<"),
                (
                    "^",
                    "Claiming Fraud",
                    "Ask what they believe is fraudulent and when they first noticed it, then escalate to the Fraud team.",
                ),
                (
                    "^",
                    "Promises from the Installer",
                    "Any promises made by the installer is the installer’s responsibility. Provide the customer with the installer’s contact information. If the installer have been unresponsive then follow the Unresponsive Installer SOP.",
                ),
                (
                    "^",
                    "Sales Representative",
                    "Take the sales representative’s name and what was promised, and document it in the case.",
                ),
                (
                    "^",
                    "Contract",
                    "Confirm which contract terms the customer disputes and document them in the case.",
                ),
                ("^", "System", "Ask about the system issue and follow the System Troubleshooting SOP."),
                ("Closing the interaction", "<", "<"),
                (
                    "Advice the customer : “We take your concerns seriously and we will be investigating your concerns. We also highly recommend you calling your installer and notifying them of your concerns. As we are partnered with your installer, but they do not work for Everbright.” If requested by the customer: Provide the Installer’s Information",
                    "<",
                    "<",
                ),
            )
        ),
    ),
)

SEEDS = (SEED_000, SEED_001, SEED_002, SEED_003, SEED_004)


# ---------------------------------------------------------------- what a reader must find


def expected_blocks(doc: Doc, *, title_level: int = 1) -> list[tuple]:
    """(kind, text, level, number, rows) per block, as the DOCX reader must return them: a
    numbered heading carries its number in its text; Heading n is level n + 1 under the Title."""
    out: list[tuple] = []
    for element in doc.body:
        match element:
            case Title(text):
                out.append(("heading", text, title_level, None, ()))
            case Subtitle(text) | Para(text):
                out.append(("paragraph", text, 0, None, ()))
            case Heading(level, text, number):
                out.append(("heading", f"{number} {text}" if number else text, level + 1, None, ()))
            case NumberedList(items) | BulletList(items):
                out.extend(("item", i.text, i.level, i.number, ()) for i in items)
            case Table(rows):
                cells = tuple(tuple("" if c in ("<", "^") else c for c in row) for row in rows)
                out.append(("table", "", 0, None, cells))
    return out


def as_tuples(blocks) -> list[tuple]:
    return [(b.kind, b.text, b.level, b.number, b.rows) for b in blocks]


# ---------------------------------------------------------------- the writer


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WORD_BULLET_FONTS = '<w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol" w:hint="default"/></w:rPr>'


def _level_xml(ilvl: int, fmt: str, text: str, *, style: str | None = None, legal: bool = False) -> str:
    symbol_font = _WORD_BULLET_FONTS if text == "\uf0b7" else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        + (f'<w:pStyle w:val="{style}"/>' if style else "")
        + ("<w:isLgl/>" if legal else "")
        + f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{720 * (ilvl + 1)}" w:hanging="360"/></w:pPr>{symbol_font}</w:lvl>'
    )


class _Numbering:
    """Adds abstract lists and list instances to the document's numbering.xml as Word does."""

    def __init__(self, document):
        from docx.oxml import parse_xml

        self.parse = parse_xml
        self.root = document.part.numbering_part.element
        self.next_abstract = 100
        self.next_num = 100
        self.last_num_of: dict[int, int] = {}

    def abstract(self, levels: str) -> int:
        abstract_id = self.next_abstract
        self.next_abstract += 1
        element = self.parse(
            f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{abstract_id}">'
            f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
        )
        first_num = self.root.find(f"{{{W_NS}}}num")  # abstractNum before num, as the schema orders
        if first_num is not None:
            first_num.addprevious(element)
        else:
            self.root.append(element)
        return abstract_id

    def num(self, abstract_id: int, *, restart: bool) -> int:
        num_id = self.next_num
        self.next_num += 1
        override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>' if restart else ""
        self.root.append(
            self.parse(
                f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}">'
                f'<w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'
            )
        )
        return num_id


def _set_numbering(paragraph, num_id: int, ilvl: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


def write_docx(doc: Doc, target: Path) -> Path:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = _Numbering(document)
    steps = numbering.abstract(
        _level_xml(0, "decimal", "%1.") + "".join(_level_xml(i, "bullet", "\uf0b7") for i in range(1, 9))
    )
    bullet_lists: dict[str, int] = {}
    if doc.numbered_headings:
        # Word's "1 Heading / 1.1 Heading" outline list, in Roman and legal style: the heading
        # styles point at it and its levels at the styles.
        outline = numbering.abstract(
            _level_xml(0, "upperRoman", "%1.", style="Heading1")
            + _level_xml(1, "decimal", "%1.%2", style="Heading2", legal=True)
        )
        outline_num = numbering.num(outline, restart=False)
        for style_id, ilvl in (("Heading1", 0), ("Heading2", 1)):
            style = document.styles.element.get_by_id(style_id)
            ppr = style.get_or_add_pPr()
            ppr.append(
                parse_xml(
                    f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{ilvl}"/><w:numId w:val="{outline_num}"/></w:numPr>'
                )
            )
    last_steps_num = None
    for element in doc.body:
        match element:
            case Title(text):
                document.add_paragraph(text, style="Title")
            case Subtitle(text):
                document.add_paragraph(text, style="Subtitle")
            case Heading(level, text, _):
                document.add_heading(text, level=level)
            case Para(text):
                document.add_paragraph(text)
            case NumberedList(items, restart):
                if restart or last_steps_num is None:
                    last_steps_num = numbering.num(steps, restart=True)
                else:  # a second instance of the same list without an override continues its count
                    last_steps_num = numbering.num(steps, restart=False)
                for item in items:
                    _set_numbering(
                        document.add_paragraph(item.text, style="List Paragraph"), last_steps_num, item.level
                    )
            case BulletList(items, symbol):
                if symbol not in bullet_lists:
                    bullet_lists[symbol] = numbering.abstract(
                        "".join(_level_xml(i, "bullet", symbol) for i in range(9))
                    )
                num_id = numbering.num(bullet_lists[symbol], restart=False)
                for item in items:
                    _set_numbering(
                        document.add_paragraph(item.text, style="List Paragraph"), num_id, item.level
                    )
            case Table(rows):
                _add_table(document, rows)
    document.save(target)
    return target


def _add_table(document, rows: tuple[tuple[str, ...], ...]) -> None:
    width = len(rows[0])
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    # Merge first (python-docx joins the merged cells' text), then write each origin cell.
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text == "<":
                origin = c
                while rows[r][origin] == "<":
                    origin -= 1
                table.cell(r, origin).merge(table.cell(r, c))
            elif text == "^":
                origin = r
                while rows[origin][c] == "^":
                    origin -= 1
                table.cell(origin, c).merge(table.cell(r, c))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text in ("<", "^"):
                continue
            cell = table.cell(r, c)
            lines = text.split("\n")
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    if rows:
        from docx.oxml import parse_xml

        table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader xmlns:w="{W_NS}"/>'))
