"""The check families of ``kb lint``, by id. Adding a family is a module and a line here.

A family is a module of this package with ``ID`` (its id, the key below) and
``check(ctx: Context) -> list[Problem]``; its docstring is its user documentation (the codes it
reports, what each means, how to fix it). Codes are numbered by family (KB2xx names, KB3xx
reachability, ...) and no code is reported by two families: ``lint`` sorts problems by position
and code, so the order of the families does not show in its output.

Must not: check anything itself. Entry points: ``FAMILIES`` (id -> module, in run order),
``get(family_id)``.
"""
from __future__ import annotations

from types import ModuleType

from engine.errors import UnknownId, did_you_mean

from . import (
    ambiguity, derivation, documentation, harm, names, officer_words, overlap, questions,
    reachability, translations, verdict_table, wiring, witnesses,
)

FAMILIES: dict[str, ModuleType] = {family.ID: family for family in (
    names,           # KB201-KB207 unused vocabulary (KB101-KB105 come from the loader)
    reachability,    # KB301-KB304 rules that can never fire
    derivation,      # KB501 circular derivations (KB502 comes from the loader)
    overlap,         # KB401-KB402 subsumed and conflicting rules
    documentation,   # KB601-KB603 rules without sources or examples
    wiring,          # KB801-KB803 barrier rules without the catalogue's remedies
    harm,            # KB811-KB813 advice the catalogue's "never" pairs forbid
    verdict_table,   # KB701-KB703 shadowed verdict rules, a less cautious verdict first, gaps
    ambiguity,       # KB704 two rules deriving one value on the same case
    witnesses,       # KB705 rules without an example where they fire
    questions,       # KB921 questions referring to what may not have been asked
    officer_words,   # KB901-KB903 internal names and working notes in officer-facing texts
    translations,    # KB951-KB955 translations: placeholders, stray keys, what is missing
)}
# KB706-KB707 (waivers that silence nothing, or an error) come from ``waivers``, applied last.


def get(family_id: str) -> ModuleType:
    """The module of the family ``family_id``; ``UnknownId`` naming it when there is none."""
    try:
        return FAMILIES[family_id]
    except KeyError:
        raise UnknownId(f'"{family_id}" is no lint check family'
                        f"{did_you_mean(family_id, FAMILIES)}: the families are "
                        f"{', '.join(FAMILIES)}") from None
