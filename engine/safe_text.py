"""Text made safe for the place it is written to: a terminal, a Markdown file, a CSV cell, JSON.

Case files, survey cells, file names and knowledge-base texts come from many hands. Written out
unchanged, a value could steer the officer's terminal (an escape sequence sets the window title
or the clipboard), reorder what is shown (a bidirectional override), forge a line of a report
(a newline followed by "VERDICT: LIKELY"), inject HTML or a link into a Markdown report, or run
a formula when a spreadsheet opens an exported CSV. Each function below neutralises one format
at the point of output; the reports, the batch output and the history export call them.

    terminal(text)    C0 and C1 control characters (but newline and tab), DEL and bidirectional
                      controls removed; a lone surrogate becomes U+FFFD
    one_line(text)    terminal(), and every line break made a space: for a value inside a line
    markdown(text)    one_line(), and HTML (& < >) and Markdown's marks escaped
    csv_cell(value)   controls removed; text that a spreadsheet would read as a formula
                      (starting, after spaces, with = + - @, tab or carriage return) gets a
                      leading '
    json_text(text)   JSON already dumped: C1 controls, bidirectional controls and U+2028/9
                      written as \\u escapes (still the same JSON)
    control_flaw(text) what makes text unfit for a knowledge base or a name ('' if nothing)
    shown(text)       a value quoted for an error message, whatever it holds
    every_text(data, how) the same data with ``how`` applied to every text in it (not to keys)

Must not: know about reports, cases or files; change text that is already safe.
"""
from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, and the C1 controls (U+0080-U+009F, such as CSI U+009B).
CONTROLS = "".join(chr(c) for c in (*range(0, 9), *range(11, 32), *range(127, 160)))
# Embeddings, overrides and isolates (U+202A-E, U+2066-9) and the direction marks.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_UNSAFE = re.compile(f"[{re.escape(CONTROLS + BIDI)}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BREAKS = re.compile(f"(?:\r\n|[{re.escape(LINE_BREAKS)}])")
_MARKDOWN = re.compile(r"([\\`*\[\]|~]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")
_LINE_START = re.compile(r"^(\s*|\s*[0-9]+)((?<![0-9])[#+=-]|(?<=[0-9])[.)](?=\s|$))")
_JSON_ESCAPED = re.compile(f"[{re.escape(CONTROLS[-33:] + BIDI)}\u2028\u2029]")


def terminal(text: str) -> str:
    """``text`` without control characters (newline and tab kept) or bidirectional controls."""
    text = _SURROGATE.sub("\ufffd", str(text))
    return _UNSAFE.sub("", text)


def one_line(text: str) -> str:
    """``terminal(text)`` on one line: each line break (CR LF, LF, CR, NEL, U+2028...) a space."""
    return terminal(_BREAKS.sub(" ", str(text)))


def markdown(text: str) -> str:
    """``text`` as inline Markdown that shows exactly these characters: on one line, with HTML
    characters as entities and Markdown's marks backslash-escaped (``\\ ` * [ ] | ~``, and
    ``_`` where it could start or end emphasis, not inside a name such as ``payback_months``),
    and what would start a block (``# + = -``, ``12.``) escaped, so it can neither inject HTML or a link nor
    start a heading, a list or a table row, wherever it is placed."""
    text = _MARKDOWN.sub(r"\\\1", one_line(text))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def csv_cell(value):
    """A CSV cell that a spreadsheet shows as text: controls removed, and a leading ``'`` when it
    would start a formula (OWASP's advice for CSV injection). Numbers are returned unchanged."""
    if not isinstance(value, str):
        return value
    value = terminal(value)
    return "'" + value if value.lstrip(" ").startswith(FORMULA_STARTS) else value


def uncsv_cell(text: str) -> str:
    """The text ``csv_cell`` was given, from what it returned (for reading an output back)."""
    if text.startswith("'") and text[1:].lstrip(" ").startswith(FORMULA_STARTS):
        return text[1:]
    return text


def json_text(dumped: str) -> str:
    """JSON text (``json.dumps(..., ensure_ascii=False)``) with C1 controls, bidirectional
    controls and line separators written as ``\\uXXXX``; they can only stand inside strings."""
    return _JSON_ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def control_flaw(text: str, allowed: str = "\t\n") -> str:
    """What makes ``text`` unfit to keep ('' if nothing): a control character other than
    ``allowed``, a bidirectional control, or a lone surrogate; the message names the first."""
    for i, ch in enumerate(text):
        if (ch in CONTROLS or ch in "\t\n" or ch in BIDI) and ch not in allowed:
            what = "bidirectional controls" if ch in BIDI else "control characters"
            return f"contains {what} (U+{ord(ch):04X} at character {i + 1}): remove them"
        if 0xD800 <= ord(ch) <= 0xDFFF:
            return "is not valid Unicode text (it holds a lone surrogate, such as \\ud800)"
    return ""


def shown(text, limit: int = 40, quote: str = '"') -> str:
    """``text`` in quotes for a message: at most ``limit`` characters, with control,
    bidirectional and unprintable characters written as escapes."""
    text = str(text)
    cut = text[:limit]
    out = "".join(ch if ch.isprintable() and ch not in BIDI else
                  ch.encode("unicode_escape", "backslashreplace").decode("ascii")
                  for ch in cut)
    return f"{quote}{out}{quote}" + ("..." if len(text) > limit else "")


def every_text(data, how):
    """``data`` (dicts, lists, tuples, scalars) with ``how`` applied to every string value;
    keys are kept, so ids and names stay what they are."""
    if isinstance(data, str):
        return how(data)
    if isinstance(data, dict):
        return {k: every_text(v, how) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return type(data)(every_text(v, how) for v in data)
    return data
