"""How many texts of a report in another language are still said in English, said at its end.

Must not: translate anything, lay anything out, or count a text the report does not show.
Entry point: ``fallback_note(kb, said) -> str``.
"""
from __future__ import annotations

import html
import re

from engine.knowledge.spec import KnowledgeBase
from engine.translation.catalogue import N_

FALLBACK_NOTE = (N_("{count} text of this report has no translation yet and is shown in "
                    "English."),
                 N_("{count} texts of this report have no translation yet and are shown in "
                    "English."))


def fallback_note(kb: KnowledgeBase, said: str) -> str:
    """How many texts the report ``said`` (its text so far, any format) shows in English: the
    interface strings its language lacked while it was rendered, and the knowledge base's
    untranslated texts found in it (a text with placeholders by its longest literal part).
    "" in English or when none did."""
    lang = kb.language
    if lang.is_source:
        return ""
    flat = " ".join(html.unescape(said).split())
    count = len(lang.fallbacks) + sum(1 for english in kb.untranslated.values()
                                      if _longest_literal(english) in flat)
    return lang.ngettext(*FALLBACK_NOTE, count).format(count=count) if count else ""


def _longest_literal(template: str) -> str:
    parts = re.split(r"\{[^}]*\}", template)
    return " ".join(max(parts, key=len).split())
