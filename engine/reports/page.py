"""The shell every HTML page of the advisor shares: the document, a section, and the one way a
value is escaped.

Must not: lay out any report (``html``, ``printed`` and ``handout`` do); reference anything
outside the page. Entry points: ``escape(text)``, ``document(title, body, css)``,
``section(title, body, cls)``.
"""
from __future__ import annotations

import html

from engine.safe_text import terminal


def escape(text) -> str:
    """``text`` for HTML: without controls or bidirectional controls, then escaped."""
    return html.escape(terminal(str(text)))


def document(title: str, body: list[str], css: str, lang: str = "en") -> str:
    """A self-contained HTML page in the language ``lang`` (its code, declared on ``<html>``):
    ``title`` (plain text, escaped here), ``body`` (HTML), the style sheet ``css``."""
    return "\n".join(["<!DOCTYPE html>", f'<html lang="{escape(lang)}">', "<head>",
                      '<meta charset="utf-8">',
                      f"<title>{escape(title)}</title>", f"<style>{css}</style>", "</head>",
                      "<body>", *body, "</body>", "</html>", ""])


def section(title: str, body: str, cls: str = "") -> str:
    """``<section>`` with an ``<h2>`` title (plain text, escaped here) and ``body`` (HTML)."""
    attr = f' class="{cls}"' if cls else ""
    return f"<section{attr}>\n<h2>{escape(title)}</h2>\n{body}\n</section>"
