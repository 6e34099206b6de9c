"""Why a rule or a question matters, in plain words for the officer.

A rule may say why it matters in its own ``why:`` (docs/knowledge-base.md); otherwise the
sentence is built from what it can conclude: "It can show a serious obstacle under Firm economic
conditions." The interview's ``why`` (``why_asked``) gives two or three sentences: which parts of
the advice the answer can change, what it could show, and the most specific rule's own ``why``.
No rule id, fact name or condition is said (``--technical`` keeps those: ``wording.why_text``).

Officer-facing sentences live here whole, for translation. Must not: print, prompt, evaluate
conditions. Entry points: ``rule_why(kb, rule)``, ``rule_topic(kb, rule)``,
``why_asked(kb, fact, rule_ids)``.
"""
from __future__ import annotations

from engine.knowledge.spec import (
    FindingAction, KnowledgeBase, MitigateAction, RecommendAction, RuleSpec, VerdictAction,
)
from engine.translation.catalogue import N_

SHOWS = {  # what a rule can conclude -> how the officer hears it (said in kb.language)
    ("barrier", "blocking"): N_("an obstacle that blocks the change"),
    ("barrier", "significant"): N_("a serious obstacle"),
    ("barrier", "minor"): N_("a minor obstacle"),
    ("enabler", None): N_("something in the owner's favour"),
    ("note", None): N_("something to keep in mind"),
    "remedy": N_("whether a remedy is at hand"),
    "verdict": N_("the verdict itself"),
    "advice": N_("what to advise"),
}
RULE_WHY = N_("It can show {topic}.")
TOPIC_UNDER = N_("{what} under {factors}")
ASKED_CHANGES = N_("The answer can change the advice on {parts}.")
ASKED_SHOWS = N_("It could show {what}.")
ASKED_NOTHING = N_("No advice still depends on this answer; type ? to move on.")
VERDICT_PART = N_("the verdict")


def _shows(rule: RuleSpec) -> list[str]:
    """What ``rule`` can conclude, in ``SHOWS`` words, most serious first, each once."""
    out = []
    for a in rule.actions:
        if isinstance(a, FindingAction):
            out.append(SHOWS.get((a.kind, a.severity if a.kind == "barrier" else None),
                                 SHOWS["advice"]))
        elif isinstance(a, MitigateAction):
            out.append(SHOWS["remedy"])
        elif isinstance(a, VerdictAction):
            out.append(SHOWS["verdict"])
        elif isinstance(a, RecommendAction):
            out.append(SHOWS["advice"])
    rank = list(SHOWS.values())
    return sorted(dict.fromkeys(out), key=rank.index)


def _factors(kb: KnowledgeBase, rule: RuleSpec) -> list[str]:
    ids = [a.factor for a in rule.findings()] or ([rule.factor] if rule.factor else [])
    labels = [kb.factors[f].label for f in dict.fromkeys(ids) if f in kb.factors]
    return [label[:1].lower() + label[1:] for label in labels]  # said inside a sentence


def rule_topic(kb: KnowledgeBase, rule: RuleSpec) -> str:
    """What ``rule`` can show, as a phrase: "a serious obstacle under time until benefits
    arrive"."""
    _ = kb.language.gettext
    shows = _shows(rule)
    shows = [s for s in shows if s != SHOWS["advice"]] or shows or [SHOWS["advice"]]
    factors = _factors(kb, rule)
    what = _join(kb, [_(s) for s in shows[:2]])
    return _(TOPIC_UNDER).format(what=what, factors=_join(kb, factors)) if factors else what


def rule_why(kb: KnowledgeBase, rule: RuleSpec) -> str:
    """Why ``rule`` matters: its own ``why``, else one sentence on what it can show."""
    return rule.why or kb.language.gettext(RULE_WHY).format(topic=rule_topic(kb, rule))


def why_asked(kb: KnowledgeBase, fact: str, rule_ids) -> str:
    """Why the question for ``fact`` is asked, in two or three sentences, from the rules that
    still need its answer (``rule_ids``, as ``Interview.why`` names them)."""
    _ = kb.language.gettext
    rules = [r for r in (_rule(kb, rid) for rid in dict.fromkeys(rule_ids)) if r is not None]
    if not rules:
        return _(ASKED_NOTHING)
    parts: list[str] = []
    shows: list[str] = []
    for r in rules:
        parts += [p for p in _factors(kb, r) if p not in parts]
        if r.concludes_verdict and _(VERDICT_PART) not in parts:
            parts.append(_(VERDICT_PART))
        shows += [s for s in _shows(r) if s not in shows]
    rank = list(SHOWS.values())
    shows = sorted(shows, key=rank.index)
    shows = [s for s in shows if s != SHOWS["advice"]][:3] or shows[:1]
    out = [_(ASKED_CHANGES).format(parts=_join(kb, parts[:3]) if parts else _(VERDICT_PART))]
    if shows:
        out.append(_(ASKED_SHOWS).format(what=_join(kb, [_(s) for s in shows], "or")))
    own = next((r.why for r in rules if r.why), "")
    if own:
        out.append(own)
    return " ".join(out)


def _rule(kb: KnowledgeBase, rule_id: str) -> RuleSpec | None:
    try:
        return kb.rule(rule_id)
    except KeyError:
        return None


def _join(kb: KnowledgeBase, items: list, word: str = "and") -> str:
    """"a", "a and b", "a, b and c" (``word`` "or" for a choice), in the knowledge base's
    language ("a, b y c", "a, b et c")."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if not kb.language.is_source:
        return kb.language.list_of(items, "or" if word == "or" else "standard")
    return f"{', '.join(items[:-1])} {word} {items[-1]}"
