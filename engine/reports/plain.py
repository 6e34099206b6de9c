"""What the officer's report says, in plain words: one place for its sentences and its order.

The default register of every report (text, Markdown, HTML, the owner's handout) speaks to the
officer: the case's own values in plain sentences, no rule ids, fact names, condition syntax,
intervention codes or working notes (``--technical`` keeps those; see ``content``). This module
decides that report once, from the result (the contract dict) and the knowledge base's labels,
as a ``PlainReport``: the verdict with its confidence and its reason, the first three things to
do, each obstacle with what can help, the strengths and what keeps them, notes, advice withheld,
the questions for the next visit. Each sentence is said once: advice that answers several
obstacles is spelt out under the first and named under the others, and the first three things
to do are named, not repeated, where they come up again.

Officer-facing sentences live here (and in ``content.VERDICT_WORDS``), whole, so that they can
be translated. Must not: lay anything out (no Markdown, HTML or line breaks), escape text, or
run rules. Entry point: ``plain_report(result, kb) -> PlainReport``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from engine.knowledge.spec import KnowledgeBase
from engine.language.formatting import count_words
from engine.translation.catalogue import N_, Language
from engine.reports.content import (
    NOT_ENOUGH, VERDICT_WORDS, case_heading, factor_label, ordered_findings, unknowns_to_ask,
    verdict_block,
)

FIRST_STEPS = 3  # things to do first, on page 1 and at the end of the text report
LEANING = N_("On what is known so far, the advice leans to: {verdict}")
COLLECT_FIRST = N_("Find out these first; they could change the verdict most:")
SERIOUS = ("blocking", "significant")
SECTION_WORDS = ((N_("What stands in the way"), N_("What can help:")),  # titles, the advice's intro
                 (N_("What works in the owner's favour"), N_("To keep it:")),
                 (N_("Good to know"), N_("What to do:")))
REASON = {  # the verdict's reason in one sentence: (kind of finding counted, one, many)
    "barrier": (N_("{count} serious obstacle stands in the way (under 'What stands in the "
                   "way', the most serious first)."),
                N_("{count} serious obstacles stand in the way (under 'What stands in the "
                   "way', the most serious first).")),
    "enabler": (N_("It rests on {count} strength in the owner's favour, listed under 'What "
                   "works in the owner's favour'."),
                N_("It rests on {count} strengths in the owner's favour, listed under 'What "
                   "works in the owner's favour'.")),
}
SEE_FIRST_STEPS = N_("one of the first things to do")
SEE_FIRST_STEP = N_("the first thing to do")
FIRST_STEPS_TITLES = {1: N_("The first thing to do"), 2: N_("The first two things to do"),
                      3: N_("The first three things to do")}
MORE_FIRST_STEPS = N_("The first things to do")


def first_steps_title(count: int, lang: Language | None = None) -> str:
    """The heading over the first things to do, true to their number: "The first thing to do",
    "The first two things to do", "The first three things to do" (in ``lang``)."""
    title = FIRST_STEPS_TITLES.get(max(count, 1), MORE_FIRST_STEPS)
    return lang.gettext(title) if lang else title


SEE_ABOVE = N_("see above")
COLLECT_PLAIN = (N_("Find out one fact at the next visit (see 'To ask at the next visit'); "
                    "the answers decide whether a remedy is at hand."),
                 N_("Find out {count} facts at the next visit (see 'To ask at the next "
                    "visit'); the answers decide whether a remedy is at hand."))
JUDGMENT_NOTE = N_("Where no source states a threshold, the advice uses the judgment of the "
                   "people who wrote it; the technical report marks where.")
BECAUSE = N_("Because:")  # before the reason advice is withheld
TABLE_HEAD = (N_("Factor"), N_("Status"))  # the Markdown table of the twelve factors
WHO = (("owner", N_("Owner")), ("officer", N_("Officer")), ("visit_date", N_("Visit")))
JUDGMENT_SOURCE = "JUDGMENT"  # sources.yaml's key for the team's own judgment


@dataclass
class Advice:
    """One piece of advice: its label and, where it is spelt out, its sentences (``text`` and
    any further ones); ``see`` says where it was spelt out when it is only named."""

    label: str
    text: str = ""
    also: list = field(default_factory=list)
    see: str = ""


@dataclass
class Item:
    """A finding as the officer reads it (``severity`` for an obstacle) and the advice on it."""

    text: str
    severity: str | None = None
    factor: str = ""
    advice: list = field(default_factory=list)  # Advice
    remedy: str = ""  # a remedy at hand in this case, in words


@dataclass
class PlainReport:
    heading: list
    verdict: str  # the verdict in words (the leaning one at low confidence)
    verdict_value: str | None
    reason: str  # why, in one or two sentences
    confidence: str | None  # "high", "medium", "low" or None when the result has none
    confidence_text: str
    collect_first: list  # questions (low confidence: the facts that could change it most)
    first_steps: list  # Advice, spelt out
    obstacles: list  # Item
    strengths: list  # Item
    notes: list  # Item
    other_advice: list  # Advice that answers no finding shown
    withheld: list  # (label, what to do instead, because)
    questions: list  # the questions to ask first
    more_questions: list  # the rest
    sources: list  # (key, text) of the published sources cited
    judgment: bool  # some of the advice rests on the team's own judgment

    @property
    def sections(self) -> tuple:
        """The findings in the order of ``SECTION_WORDS``: obstacles, strengths, notes."""
        return self.obstacles, self.strengths, self.notes

    lang: Language = field(default_factory=Language)  # the language it is said in

    @property
    def headline(self) -> str:
        """What the report says first: the verdict, or "not enough known yet" at low
        confidence (the leaning verdict is then said second)."""
        return self.lang.gettext(NOT_ENOUGH) if self.confidence == "low" else self.verdict


def _withheld(kb: KnowledgeBase, result: dict) -> list:
    """(labels, what to do instead, because) of the advice withheld, one entry per reason: the
    advice one pair withholds from several interventions is said once, naming them all."""
    grouped: dict = {}
    for w in result.get("withheld", []):
        grouped.setdefault((w["text"], w["because"]), []).append(
            advice_label(kb, w["intervention"]))
    return [(", ".join(labels), text, because) for (text, because), labels in grouped.items()]


def advice_label(kb: KnowledgeBase, iid: str) -> str:
    """An intervention as the officer reads it: its label, never its code."""
    spec = kb.interventions.get(iid)
    return spec.label if spec else kb.language.gettext(iid.replace("_", " ").capitalize())


def question_of(kb: KnowledgeBase, fact: str) -> str:
    """The question that collects ``fact`` (its meaning when it has none)."""
    spec = kb.facts.get(fact)
    return (spec.question or spec.meaning) if spec else fact.replace("_", " ")


def plain_report(result: dict, kb: KnowledgeBase) -> PlainReport:
    """The officer's report of ``result``; see the module docstring."""
    lang = kb.language
    _ = lang.gettext
    v = result["verdict"]
    confidence = v.get("confidence")
    first, rest = unknowns_to_ask(result)
    block = verdict_block(result, lang)
    collect = [question_of(kb, c["fact"]) for c in block["collect"]]
    said: dict[str, str] = {}  # intervention -> where it was spelt out
    recs = [r for r in result["recommendations"]]
    first_steps = [_advice(kb, r, result, first) for r in recs[:FIRST_STEPS]]
    for r in recs[:FIRST_STEPS]:
        said[r["intervention"]] = _(SEE_FIRST_STEPS if len(recs) > 1 else SEE_FIRST_STEP)
    by_finding: dict[str, list] = {}
    for r in recs:
        for fid in r["addresses"]:
            by_finding.setdefault(fid, []).append(r)
    groups: dict[str, list] = {"barrier": [], "enabler": [], "note": []}
    for f in ordered_findings(result):
        item = Item(f["text"], f["severity"] if f["kind"] == "barrier" else None,
                    factor_label(kb, f["factor"]))
        for r in by_finding.get(f["id"], []):
            iid = r["intervention"]
            if iid in said:
                item.advice.append(Advice(advice_label(kb, iid), see=said[iid]))
            else:
                item.advice.append(_advice(kb, r, result, first))
                said[iid] = _(SEE_ABOVE)
        if f.get("mitigations"):
            item.remedy = " ".join(dict.fromkeys(m["text"] for m in f["mitigations"]))
        groups.setdefault(f["kind"], []).append(item)
    other = [_advice(kb, r, result, first) for r in recs if r["intervention"] not in said]
    _say_once(first_steps + [a for group in groups.values() for i in group for a in i.advice]
              + other, _(SEE_ABOVE))
    sources = [(key, _source_text(kb, key)) for key in _cited(result) if key != JUDGMENT_SOURCE]
    return PlainReport(
        heading=case_heading(result, lang) + _who(result, lang),
        verdict=_(VERDICT_WORDS[v["value"]]) if v["value"] in VERDICT_WORDS else str(v["value"]),
        verdict_value=v["value"], reason=_reason(result, v, lang),
        confidence=confidence, confidence_text=block["confidence"] or "",
        collect_first=collect, first_steps=first_steps,
        obstacles=groups["barrier"], strengths=groups["enabler"], notes=groups["note"],
        other_advice=other,
        withheld=_withheld(kb, result),
        questions=[u.get("question") or question_of(kb, u["fact"]) for u in first],
        more_questions=[u.get("question") or question_of(kb, u["fact"]) for u in rest],
        sources=sources, judgment=JUDGMENT_SOURCE in _cited(result), lang=lang)


def _advice(kb: KnowledgeBase, rec: dict, result: dict, asked: list) -> Advice:
    """A recommendation spelt out. Its sentences that only ask a question of 'To ask at the
    next visit' (the questions list them first) become one sentence pointing there."""
    label = advice_label(kb, rec["intervention"])
    facts = rec.get("facts", [])
    sentences = [rec["text"], *rec.get("also", [])]
    questions = [t for t in sentences if facts and _quotes_question(kb, t, facts)]
    kept = [t for t in sentences if t not in questions]
    if questions:
        kept.insert(0, kb.language.ngettext(*COLLECT_PLAIN, len(questions)).format(
            count=len(questions)))
    return Advice(label, kept[0], kept[1:])


def _say_once(advice: list, see_above: str) -> None:
    """Each sentence once: a sentence that two pieces of advice share is said by the first;
    the second names it ("see above") when nothing of its own is left to say. A sentence whose
    words another one already says (``_repeats``: two rules recommending the same thing in
    nearly the same words) counts as said; within one piece of advice the fuller one stays."""
    said: list = []
    for a in advice:
        if a.see:
            continue
        texts = [a.text, *a.also]
        own = [t for i, t in enumerate(texts)
               if not any(_repeats(t, s) for s in said)
               and not any(j != i and _repeats(t, u) and (len(u) > len(t) or j < i)
                           for j, u in enumerate(texts))]
        said.extend(own)
        if not own:
            a.text, a.also, a.see = "", [], see_above
        else:
            a.text, a.also = own[0], own[1:]


REPEAT_SHARE = 0.85  # of a sentence's words found in another: it says nothing new


def _words(text: str) -> set:
    return {w for w in re.findall(r"[\w']+", text.lower()) if len(w) > 2}


def _repeats(text: str, other: str) -> bool:
    """Whether ``other`` already says ``text``: the same sentence, or one that holds at least
    ``REPEAT_SHARE`` of its words."""
    if text == other:
        return True
    words = _words(text)
    return bool(words) and len(words & _words(other)) >= REPEAT_SHARE * len(words)


def _quotes_question(kb: KnowledgeBase, text: str, facts: list) -> bool:
    return any(question_of(kb, f) in text for f in facts)


def _reason(result: dict, v: dict, lang: Language) -> str:
    """The verdict rule's own sentence, then how many serious obstacles stand in the way (or,
    for a likely upgrade or one with none, how many strengths it has)."""
    findings = result["findings"]
    serious = [f for f in findings if f["kind"] == "barrier" and f["severity"] in SERIOUS]
    strengths = [f for f in findings if f["kind"] == "enabler"]
    parts = [v.get("text") or ""]
    for kind, found in (("barrier", serious if v.get("value") != "likely" else []),
                        ("enabler", strengths)):
        if found:
            words = lang.ngettext(*REASON[kind], len(found))
            count = count_words(len(found), "", "").strip() if lang.is_source \
                else lang.number(len(found))
            said = words.format(count=count)
            parts.append(said[0].upper() + said[1:])
            break
    return " ".join(p for p in parts if p)


def _who(result: dict, lang: Language) -> list[str]:
    """The visit's line: owner, officer and date, when the case names them (its notes are the
    technical report's: a worked case's notes are written for knowledge engineers)."""
    meta = result.get("case", {}).get("metadata", {})
    parts = [f"{lang.gettext(label)}: "
             f"{lang.date(meta[key]) if key == 'visit_date' and not lang.is_source else meta[key]}"
             for key, label in WHO if meta.get(key)]
    return ["; ".join(parts)] if parts else []


def _cited(result: dict) -> list:
    keys: list = []
    for item in result["findings"] + result["recommendations"]:
        keys += [k for k in item.get("sources", []) if k not in keys]
    return keys


def _source_text(kb: KnowledgeBase, key: str) -> str:
    spec = kb.sources.get(key)
    if spec is None:
        return key
    return f"{spec.title}. {spec.reference}" if spec.reference else spec.title
