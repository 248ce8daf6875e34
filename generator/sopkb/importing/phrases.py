"""What one line of a procedure is: a callout, speech, a question, a check, a condition, a time,
an actor, a reference to another procedure, something to record. Pure text functions, no state."""

from __future__ import annotations

import re

CALLOUT = re.compile(
    r"^\(?(?P<kind>note|nb|important|warning|caution|tip|hint|internal(?: use)?(?: only)?"
    r"|for internal use(?: only)?"
    r"|compliance|legal|reminder)\)?\s*[:\-–!]\s*(?P<text>\S.*)$",
    re.IGNORECASE,
)
_CALLOUT_KINDS = {
    "nb": "note",
    "important": "warning",
    "hint": "tip",
    "legal": "compliance",
    "reminder": "note",
}
_INTERNAL = re.compile(
    r"\b(?:internal only|internal use only|do not (?:read|share|disclose) (?:this )?to the customer)\b",
                       re.IGNORECASE)  # fmt: skip
_QUOTED = re.compile(
    r"\"([^\"]{3,})\"|“([^”]{3,})”|''(.{3,}?)''|‘([^’]{3,})’|„([^“”]{3,})[“”]|(?<![\w])'([^']{12,})'(?![\w])"
)
_SAY = re.compile(
    r"^(?:say|script|agent says|tell the customer|read)\s*[:\-–]\s*(?P<text>\S.*)$", re.IGNORECASE
)
SPEAKER = re.compile(
    r"^(?P<who>agent|csr|representative|rep|advisor|associate|customer|caller|client|member)\s*[:\-–]\s*(?P<text>\S.*)$",
    re.IGNORECASE,
)
_CUSTOMER = {"customer", "caller", "client", "member"}
VERIFY = re.compile(
    r"^(?:verify|confirm|check|validate|make sure|double-check|authenticate)\b", re.IGNORECASE
)
CONDITION = re.compile(
    r"^(?:how to proceed\s+)?(?P<kw>if|when|in case|where|otherwise|else|unless)\b\s*(?P<cond>.*)$",
    re.IGNORECASE,
)
YES_NO = re.compile(
    r"^(?:if\s+)?(?P<answer>yes|no|available|unavailable|agrees?|refuses?|approved|declined)\b"
    r"\s*[:\-–]?\s*(?P<rest>.*)$",
                    re.IGNORECASE)  # fmt: skip
GOTO = re.compile(
    r"\b(?:go|proceed|skip|return|move|continue|jump)(?:\s+(?:on|back))?\s+(?:to|with)\s+step\s+(?P<n>\d+(?:\.\d+)*[a-z]?)",
    re.IGNORECASE,
)
_STOP = re.compile(r"\b(?:and\s+)?(?:stop|end the (?:call|interaction|procedure))\s*[.!]?\s*$", re.IGNORECASE)
_DURATION = re.compile(
    r"\b(?P<verb>within|wait(?:ing)?(?: for)?|after|for up to|up to|no later than)\s+(?:about\s+)?"
    r"(?P<n>\d+(?:\.\d+)?)\s*"
    r"(?P<unit>seconds?|secs?|minutes?|mins?|hours?|hrs?|business days?|working days?|days?|weeks?)\b",
    re.IGNORECASE,
)
_ACTOR = re.compile(
    r"^(?:the\s+|a\s+|an\s+)?(?P<actor>(?:another member of the team|team lead(?:er)?|supervisor|manager|"
    r"resolution lead|tier 2(?: agent| team)?|peer reviewer|back office|billing team|"
    r"quality (?:assurance|team)|"
    r"escalations? team|dispatcher|technician|driver|customer))\b\s+(?:will|must|should|shall|may|can|"
    r"reviews?|approves?|checks?|calls?|contacts?|sends?|decides?|confirms?|handles?|takes?)\b",
    re.IGNORECASE,
)
REFERENCE = re.compile(
    r"\b(?i:see|refer to|follow|use|per|according to|as described in|consult)\s+(?i:the\s+)?"
    r"(?P<name>[\"“‘']?[A-Z][\w&/'’ -]{1,60}?[\"”’']?)\s+"
    r"(?P<kind>SOP|(?i:procedure|process|policy|workflow|guide|article))\b",
)
"""A named procedure: "see the Billing Disputes SOP", "Follow the Returns procedure". The verb may
start a sentence; the name must start with a capital (so "see the appropriate process" is none)."""
_VAGUE = re.compile(
    r"^(?:appropriate|following|relevant|correct|applicable|right|same|this|that|other|above|below)\b",
                    re.IGNORECASE)  # fmt: skip
RECORD = re.compile(
    r"\b(?:record|document|log|note|notate|enter|update)\b.{0,80}\b(?:ticket|case|crm|system|notes?|account|interaction)\b"
    r"|\bdocument the\b|\brecord the\b",
    re.IGNORECASE,
)
STATUS = re.compile(
    r"\b(?:set|change|update|mark|move)\b.{0,40}\b(?:status|ticket|case)\b.{0,30}\b(?:to|as)\b\s+\S+",
                    re.IGNORECASE)  # fmt: skip
DISPOSITION = re.compile(r"\bdisposition(?: code)?s?\b", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"[\[(<]\s*(?P<name>[A-Za-z][A-Za-z' ]{1,40}?)\s*[\])>]")
_PLACEHOLDER_NAMES = {
    "name": "customer_name", "customer name": "customer_name", "customers name": "customer_name",
    "customer's name": "customer_name", "caller's name": "customer_name", "callers name": "customer_name",
    "first name": "customer_name", "your name": "agent_name", "agent name": "agent_name",
    "agent's name": "agent_name", "agents name": "agent_name", "rep name": "agent_name",
}  # fmt: skip
_PLACEHOLDER_WORDS = re.compile(
    r"\b(?:name|number|date|time|id|amount|address|email|phone|company|product|order|code)\b",
                                re.IGNORECASE)  # fmt: skip


def callout(text: str) -> dict | None:
    match = CALLOUT.match(text)
    if match:
        kind = match.group("kind").lower().split()[0]
        kind = "internal" if kind in ("internal", "for") else _CALLOUT_KINDS.get(kind, kind)
        return {"kind": kind, "text": match.group("text").strip()}
    if _INTERNAL.search(text):
        return {"kind": "internal", "text": text}
    return None


_WRITTEN = re.compile(
    r"\b(?:note|notes|record|document|enter|type|write|log|comment|subject|status|disposition|code|"
    r"select|choose|set|label|tag|field|reason|template|search for)\b[^.!?]*$",
    re.IGNORECASE,
)
"""Before a quotation in its sentence, a word saying it is written, not spoken: `Add an internal
note: "Address changed at customer request"`, `set the status to "Pending customer"`."""


def quoted_speech(text: str) -> list[str]:
    """Quoted passages that read as something to say (four words or more), in any quote style."""
    found = []
    for match in _QUOTED.finditer(text):
        quote = next(g for g in match.groups() if g)
        if len(quote.split()) >= 4 and not _WRITTEN.search(text[max(0, match.start() - 80) : match.start()]):
            found.append(quote.strip())
    return found


def is_written(lead: str) -> bool:
    """Whether a quotation after `lead` is written (a note, a status), not said."""
    return bool(_WRITTEN.search(lead))


def say_title(text: str) -> str | None:
    """A step that is only a `Say: …` line is named by what it says: `Say “I can update your …”`."""
    match = _SAY.match(text.strip())
    if match is None:
        return None
    words = (say_line(text) or match.group("text")).split()
    return "Say “" + " ".join(words[:6]) + (" …" if len(words) > 6 else "") + "”"


def say_line(text: str) -> str | None:
    """`Say: …` or a line that is nothing but a quotation: the words, unquoted."""
    match = _SAY.match(text)
    if match:
        inner = quoted_speech(match.group("text"))
        return (
            inner[0]
            if len(inner) == 1 and len(inner[0]) >= len(match.group("text")) - 4
            else match.group("text")
        )
    quotes = quoted_speech(text)
    if len(quotes) == 1 and len(quotes[0]) >= len(text.strip()) - 4:
        return quotes[0]
    return None


def speaker(text: str) -> tuple[str, str] | None:
    match = SPEAKER.match(text)
    if match is None:
        return None
    who = "customer" if match.group("who").lower() in _CUSTOMER else "agent"
    return who, match.group("text").strip()


def placeholders(text: str) -> str:
    """ "(customer's name)", "[name]", "<order number>" as `{customer_name}`, `{order_number}`."""

    def replace(match: re.Match) -> str:
        name = " ".join(match.group("name").lower().replace("’", "'").split())
        if name in _PLACEHOLDER_NAMES:
            return "{" + _PLACEHOLDER_NAMES[name] + "}"
        if len(name.split()) <= 3 and _PLACEHOLDER_WORDS.search(name):
            return "{" + re.sub(r"[^a-z0-9]+", "_", name.replace("'s", "")).strip("_") + "}"
        return match.group(0)

    return _PLACEHOLDER.sub(replace, text)


def condition(text: str) -> tuple[str, str] | None:
    """(answer, what to do) of "If X, then Y" / "If X: Y" / "IF YES: Y" / "Available: Y"; else None."""
    yes_no = YES_NO.match(text)
    if yes_no and (text.lower().startswith("if ") or text.rstrip().endswith(":") or ":" in text[:20]):
        return yes_no.group("answer").capitalize(), yes_no.group("rest").strip()
    match = CONDITION.match(text)
    if match is None or match.group("kw").lower() == "where":
        return None
    rest = match.group("cond").strip()
    if match.group("kw").lower() in ("otherwise", "else"):
        return "Otherwise", rest.lstrip(",:;- ").strip()
    for separator in (r",?\s+then\s+", r"\s*:\s*", r",\s+"):
        parts = re.split(separator, rest, maxsplit=1)
        if len(parts) == 2 and parts[0]:
            return _answer(parts[0]), parts[1].strip()
    return (_answer(rest), "") if rest else None


def _answer(text: str) -> str:
    text = text.strip().rstrip(":,.")
    return text[:1].upper() + text[1:]


def goto(text: str) -> str | None:
    match = GOTO.search(text)
    if match:
        return f"step {match.group('n')}"
    if _STOP.search(text):
        return "end"
    return None


def duration(text: str) -> tuple[str, str, float] | None:
    """(verb, "30 seconds", seconds) of the first time in the text."""
    match = _DURATION.search(text)
    if match is None:
        return None
    unit = match.group("unit").lower()
    seconds = {"sec": 1, "min": 60, "hou": 3600, "hrs": 3600, "hr": 3600, "day": 86400, "bus": 86400,
               "wor": 86400, "wee": 604800}.get(unit[:3], 86400)  # fmt: skip
    number = match.group("n")
    return match.group("verb").lower(), f"{number} {unit}", float(number) * seconds


def actor(text: str) -> str | None:
    match = _ACTOR.match(text.strip())
    if match is None:
        return None
    name = " ".join(match.group("actor").split())
    return name[:1].upper() + name[1:]


def references(text: str) -> list[tuple[str, str, str]]:
    """(the words as written, the procedure's name, its kind) of each named procedure."""
    found = []
    for match in REFERENCE.finditer(text):
        name = match.group("name").strip("\"“”‘’' ")
        if _VAGUE.match(name) or not name:
            continue
        found.append((match.group(0), name, match.group("kind")))
    return found
