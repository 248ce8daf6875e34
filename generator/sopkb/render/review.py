"""The Needs review page's sections: what owners must confirm, in a KB of any size.

The page shows the first few SOPs of each section and links each section's whole list, paginated
like every listing (`review/<section>/`): listing every SOP on one page made it grow with the KB
(625 KB at 1,000 SOPs needing review).
"""

from __future__ import annotations

import datetime as dt

from ..domain import urls
from ..domain.knowledge_base import KnowledgeBase, SopEntry

REVIEW_SHOWN = 10
"""SOPs the Needs review page shows in each section; each section's whole list is paginated."""


def review_sections(kb: KnowledgeBase, today: dt.date) -> list[tuple[str, str, list[SopEntry]]]:
    """(address slug, title, SOPs) of each section of Needs review, in the page's order."""
    found = {
        "reconstructed": [e for e in kb.sops if e.review_points],
        "not-approved": [e for e in kb.sops if e.sop.status != "approved"],
        "overdue": kb.overdue(today),
        "unknown-metadata": kb.unknown_metadata(),
    }
    return [(slug, title, found[slug]) for slug, title in urls.REVIEW_SECTIONS.items()]
