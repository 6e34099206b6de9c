"""The loader's problems under lint codes: what stops a knowledge base from loading.

KB100 (error)
    The loader rejects the knowledge base; the message says why (``kb validate`` shows the
    same). Everything without a code of its own below gets this one.

The loader's problems that have a lint code of their own keep it: undefined names (KB101-KB105,
see ``names``), a cycle through a negation (KB502, ``derivation``), a rule without sources or
examples (KB601, KB602, ``documentation``). A problem is matched by the loader's code, else by
words in its message; the first match in ``LOADER_CODES`` wins.

Must not: read files (``lint_folder`` asks the loader). Entry point:
``from_load_problems(problems) -> list[Problem]``.
"""
from __future__ import annotations

from dataclasses import replace

from engine.errors import Problem

LOADER_CODES = (  # (loader code or None, words in the message, lint code)
    ("unknown-name", "", "KB101"), ("derived-given", "", "KB101"),
    ("unknown-finding", "", "KB102"), ("unknown-intervention", "", "KB103"),
    ("unknown-source", "", "KB104"), ("unknown-rule", "", "KB105"), ("cycle", "", "KB502"),
    ("no-source", "", "KB601"), ("no-example", "", "KB602"),
    (None, "unknown fact", "KB101"), (None, "unknown input fact", "KB101"),
    (None, "no rule asserts a finding", "KB102"), (None, "unknown finding", "KB102"),
    (None, "unknown intervention", "KB103"), (None, "no rule has the id", "KB105"),
)


def from_load_problems(problems: list) -> list[Problem]:
    """The loader's problems under lint codes (KB100 for everything without its own code)."""
    out = []
    for p in problems:
        code = "KB100"
        for loader_code, words, lint_code in LOADER_CODES:
            if (loader_code and p.code == loader_code) or (words and words in p.message):
                code = lint_code
                break
        out.append(replace(p, code=code))
    return out
