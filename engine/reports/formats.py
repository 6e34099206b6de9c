"""A result in the format asked for, a stored consultation likewise, and the JSON that every
``--format json`` prints.

Must not: run rules; print; write files. Entry points: ``render(result, kb, fmt)`` (``fmt`` one
of ``REPORT_FORMATS``), ``render_stored(row, kb, fmt)``, ``to_json(data)``,
``format_for_file(name)``.
"""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from engine.errors import UsageError
from engine.knowledge.spec import KnowledgeBase
from engine.translation.catalogue import Language
from engine.reports import REPORT_FORMATS, REPORT_SUFFIXES
from engine.reports.handout import render_handout
from engine.reports.html import render_html
from engine.reports.markdown import render_markdown
from engine.reports.printed import render_printed
from engine.reports.text import render_text
from engine.reports.visits import stored_heading
from engine.safe_text import json_text


def to_json(data) -> str:
    """``data`` as indented JSON (UTF-8 kept as it is, but C1 and bidirectional controls and
    line separators written as ``\\u`` escapes: ``safe_text.json_text``), ending with a
    newline."""
    return json_text(json.dumps(data, indent=2, ensure_ascii=False, default=str)) + "\n"


def render(result: dict, kb: KnowledgeBase | None, fmt: str, technical: bool = False,
           appendix: bool = False) -> str:
    """The report of ``result`` in ``fmt`` as one string ending with a newline (``kb`` gives
    the labels; JSON needs none). The default speaks to the officer; ``technical`` keeps rule
    ids, fact names, sources and codes; ``appendix`` adds the facts as recorded, the trace and
    the other unknowns to Markdown and HTML. ``handout`` is the owner's one-page sheet."""
    if fmt == "json":
        return to_json(result)
    kb = speaking_afresh(kb)
    if fmt == "html":
        return render_html(result, kb, appendix) if technical else \
            render_printed(result, kb, appendix)
    if fmt == "handout":
        return render_handout(result, kb)
    if fmt == "markdown":
        return render_markdown(result, kb, technical, appendix) + "\n"
    if fmt == "text":
        return render_text(result, kb, technical)
    raise UsageError(f'"{fmt}" is no report format; choose one of {", ".join(REPORT_FORMATS)}')


def speaking_afresh(kb: KnowledgeBase | None) -> KnowledgeBase | None:
    """``kb`` with a new ``Language`` of its own code, so that the strings one report says in
    English (``fallback_note``) are counted for that report alone."""
    if kb is None:
        return None
    return replace(kb, language=Language(kb.language.code))


def render_stored(row: dict, kb: KnowledgeBase | None, fmt: str, technical: bool = False,
                  appendix: bool = False) -> str:
    """A stored consultation (a ``History.get`` row): JSON is the row without its facts; text
    starts with when, by whom and with which knowledge base it was concluded."""
    if fmt == "json":
        return to_json({k: v for k, v in row.items() if k != "facts"})
    body = render(row["result"], kb, fmt, technical, appendix)
    return stored_heading(row) + body if fmt == "text" else body


def format_for_file(name: str) -> str | None:
    """The report format a file name asks for by its suffix (``REPORT_SUFFIXES``), or None."""
    return REPORT_SUFFIXES.get(Path(name).suffix.lower())
