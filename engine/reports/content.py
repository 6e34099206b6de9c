"""What every report shows, whatever its format: labels, the order of things, what to ask next.

The text, Markdown and HTML reports lay out the same content; this module decides that content
once, from the result (the contract dict of ``engine.consultation.result``) and the knowledge
base's labels: the verdict in words with its confidence (``verdict_block``), a case's heading, factor and intervention labels, findings
in report order, the unknowns to ask first and the rest grouped by factor, the facts given with
their units, the sources cited, and a trace firing's matched and asserted facts as one line.

Must not: lay anything out (no Markdown, HTML or line breaks; each format does that), escape
text, or run rules. Entry points: the public functions below, all ``(result, kb, ...)`` readers.
"""
from __future__ import annotations

from engine.consultation.possible import FIRST_FACTS  # the search makes sure of these first
from engine.knowledge.spec import FACTOR_IDS, KnowledgeBase
from engine.knowledge.translations import said_value as value_words  # noqa: F401 (reports')
from engine.language.formatting import format_value
from engine.translation.catalogue import N_, Language

ENGLISH = Language()  # what a caller that names no language gets

# Every sentence below is marked N_() for the catalogues and translated where it is said
# (``lang.gettext``); the keys (verdicts, levels, statuses) are the contract's and stay English.
VERDICT_WORDS = {
    "likely": N_("LIKELY: the owner is likely to take up the upgrade"),
    "possible_with_support": N_("POSSIBLE WITH SUPPORT: the upgrade can work if its obstacles "
                                "are addressed"),
    "unlikely": N_("UNLIKELY: as things stand the owner is unlikely to take up the upgrade"),
    None: N_("NO VERDICT"),
}
VERDICT_NAMES = {"likely": N_("likely"), "possible_with_support": N_("possible with support"),
                 "unlikely": N_("unlikely"), None: N_("no verdict")}
NOT_ENOUGH = N_("NOT ENOUGH KNOWN YET")
CONFIDENCE_WORDS = {
    "high": N_("Confidence: high. Nothing still unknown can change this verdict."),
    "medium": N_("Confidence: medium. Facts still unknown could change it to {others}."),
    "low": N_("Confidence: low. Facts still unknown could change it to {others}."),
}
CHANGES_WORDS = {"verdict": N_("could change the verdict"),
                 "barrier": N_("could change a barrier"),
                 "recommendation": N_("could change what to do"),
                 "finding": N_("could change a finding")}
STATUS_WORDS = {"unknown": N_("not assessed yet"), "barrier": N_("barrier"),
                "enabler": N_("enabler"), "note": N_("note"), "neutral": N_("neutral")}
SEVERITY_WORDS = {"blocking": N_("blocking"), "significant": N_("significant"),
                  "minor": N_("minor"), "mitigable": N_("mitigable"),
                  "mitigation unknown": N_("mitigation unknown")}
UNKNOWNS_SHOWN = 10  # unknowns a report lists first; the rest go to an appendix
SEVERITY_LEVEL = {"blocking": 3, "significant": 2, "minor": 1}
STATUS_ORDER = ("barrier", "enabler", "note")


def case_heading(result: dict, lang: Language = ENGLISH) -> list[str]:
    """The report's title line (case id, enterprise, sector and country), then the opportunity
    line when the case names one; plain text, unescaped."""
    _ = lang.gettext
    meta = result.get("case", {}).get("metadata", {})
    title = _("Case {case}").format(case=result['case_id'])
    if meta.get("enterprise"):
        title += f": {meta['enterprise']}"
    where = ", ".join(v for v in (meta.get("sector"), meta.get("country")) if v)
    lines = [title + (f" ({where})" if where else "")]
    if meta.get("opportunity"):
        lines.append(_("Opportunity: {opportunity}").format(opportunity=meta['opportunity']))
    return lines


def factor_label(kb: KnowledgeBase, fid: str) -> str:
    """The factor's label, or ``fid`` itself when the knowledge base has no such factor."""
    spec = kb.factors.get(fid)
    return spec.label if spec else fid


def intervention_label(kb: KnowledgeBase, iid: str) -> str:
    """``"ID (label)"``, or ``iid`` itself when the knowledge base has no such intervention."""
    spec = kb.interventions.get(iid)
    return f"{iid} ({spec.label})" if spec else iid


def group_label(kb: KnowledgeBase, group: str) -> str:
    """A factor's label, or a readable form of a fact group such as ``opportunity``."""
    spec = kb.factors.get(group)
    return spec.label if spec else kb.language.gettext(group.replace("_", " ").capitalize())


def status_words(entry: dict, lang: Language = ENGLISH) -> str:
    """A factor entry's status in words: ``"barrier (blocking, mitigable)"``, ``"enabler"``,
    ``"not assessed yet"`` (status ``unknown``: nothing found, and a rule could still fire)...;
    a barrier whose mitigation waits for facts says "mitigation unknown"."""
    _ = lang.gettext
    status = entry["status"]
    if status != "barrier":
        return _(STATUS_WORDS[status]) if status in STATUS_WORDS else status
    extra = [entry["severity"] or ""]
    if entry["mitigable"]:
        extra.append("mitigable")
    elif entry["mitigable"] is None and entry["severity"] in ("blocking", "significant"):
        extra.append("mitigation unknown")
    said = ", ".join(_(SEVERITY_WORDS.get(e, e)) for e in extra if e)
    return f"{_(STATUS_WORDS['barrier'])} ({said})"


def verdict_block(result: dict, lang: Language = ENGLISH) -> dict:
    """What a report says about the verdict, in order: ``headline`` (at low confidence "not
    enough known yet"), ``leaning`` (at low, the verdict the known facts give, else None),
    ``confidence`` (a sentence, or None for a result stored before confidence existed), and
    ``collect``: the unknowns to collect first, those that could change the verdict most
    (``{fact, question}``, at most ``FIRST_FACTS``; none at high confidence)."""
    _ = lang.gettext
    v = result["verdict"]
    words = _(VERDICT_WORDS[v["value"]]) if v["value"] in VERDICT_WORDS else str(v["value"])
    level = v.get("confidence")
    others = [_(VERDICT_NAMES[x]) if x in VERDICT_NAMES else str(x)
              for x in v.get("possible_values", []) if x != v["value"]]
    questions = {u["fact"]: u.get("question") or u["fact"] for u in result.get("unknowns", [])}
    collect = [{"fact": f, "question": questions.get(f, f)}
               for f in v.get("confidence_because", [])[:FIRST_FACTS]]
    return {"headline": _(NOT_ENOUGH) if level == "low" else words,
            "leaning": words if level == "low" else None,
            "confidence": (_(CONFIDENCE_WORDS[level]).format(
                               others=lang.list_of(others, "or") if others else "")
                           if level in CONFIDENCE_WORDS else None),
            "collect": collect}


def changes_words(unknown: dict, lang: Language = ENGLISH) -> str:
    """What an unknown could change, in words ("could change the verdict"), or ""."""
    words = CHANGES_WORDS.get(unknown.get("changes"), "")
    return lang.gettext(words) if words else ""


PLAIN_STATUS = {"unknown": N_("not assessed yet"), "neutral": N_("neither helps nor hinders")}


def plain_status(entry: dict, lang: Language = ENGLISH) -> str:
    """A factor entry's status as the officer reads it: "barrier (significant)", "enabler",
    "neither helps nor hinders", "not assessed yet"."""
    plain = PLAIN_STATUS.get(entry["status"])
    return lang.gettext(plain) if plain else status_words(entry, lang)


def factor_levels(result: dict, fid: str) -> tuple[int, int]:
    """(barrier level 0-3 from the worst severity, number of enabler findings) of a factor."""
    entry = result["factors"][fid]
    level = SEVERITY_LEVEL.get(entry["severity"], 1) if entry["status"] == "barrier" else 0
    kinds = {f["id"]: f["kind"] for f in result["findings"]}
    return level, sum(1 for f in entry["findings"] if kinds.get(f) == "enabler")


def ordered_findings(result: dict) -> list[dict]:
    """Barriers (worst first), then enablers, then notes; the firing order within each."""
    return sorted(result["findings"], key=lambda f: (STATUS_ORDER.index(f["kind"]),
                                                     -SEVERITY_LEVEL.get(f["severity"], 0)))


def finding_texts(result: dict, ids: list[str]) -> list[str]:
    """The texts of the findings ``ids`` (a verdict's ``because``, a recommendation's
    ``addresses``) in that order, skipping ids the result has no finding for."""
    findings = {f["id"]: f for f in result["findings"]}
    return [findings[fid]["text"] for fid in ids if fid in findings]


def recommendation_rules(rec: dict) -> list[str]:
    """The ids of the rules behind a recommendation: all of a merged one's, else its one rule."""
    return rec.get("rules", [rec["rule"]])


def fact_text(value) -> str:
    """An input fact's value as an officer reads it; a list (of choices, as JSON stores a tuple)
    joined by commas."""
    return format_value(tuple(value) if isinstance(value, list) else value)


def with_unit(spec, text: str, english: bool = True) -> str:
    """A fact's value (as text) with its unit in the right number: "60 days", "1 channel",
    "100%", "0.7 months of spending"."""
    if spec.type == "percent":
        return f"{text}%"
    if not spec.unit or spec.unit == "%":
        return text
    first, _, rest = spec.unit.partition(" ")
    if english and text == "1" and first.endswith("s") and len(first) > 2:
        first = first[:-1]  # "months of net income" -> "month of net income"
    return f"{text} {first}{' ' + rest if rest else ''}"


def facts_given(result: dict, kb: KnowledgeBase) -> list[tuple[str, str, str, str]]:
    """(group label, fact, value with its unit, meaning) of every fact given, vocabulary order."""
    given = result.get("case", {}).get("facts", {})
    out = []
    for name, spec in sorted(kb.input_facts.items(), key=lambda item: _group_rank(item[1])):
        if given.get(name) is None:
            continue
        out.append((group_label(kb, spec.factor), name, with_unit(spec, value_words(kb, spec, given[name]),
                                                               kb.language.is_source),
                    spec.meaning))
    return out


def _group_rank(spec) -> int:
    """Facts about the opportunity first, then the twelve factors in their usual order."""
    order = ("opportunity",) + FACTOR_IDS
    return order.index(spec.factor) if spec and spec.factor in order else len(order)


def unknowns_to_ask(result: dict, limit: int = UNKNOWNS_SHOWN) -> tuple[list, list]:
    """The unknowns to ask first and the rest, so a report leads with a short list and keeps
    the long one for an appendix. The result ranks them by what they can change (the verdict,
    a barrier, a recommendation); a result stored before that ranking (no ``changes``) is
    ordered as it was then: those a COLLECT names, then those more rules need."""
    ordered = result["unknowns"]
    if ordered and "changes" not in ordered[0]:
        asked = {fact for r in result["recommendations"] for fact in r.get("facts", [])}
        ordered = sorted(ordered, key=lambda u: (u["fact"] not in asked, -len(u["matters_for"])))
    return ordered[:limit], ordered[limit:]


def unknowns_by_group(result: dict, kb: KnowledgeBase,
                      items: list | None = None) -> list[tuple[str, list[dict]]]:
    """The unknowns that matter (or ``items`` of them), grouped by their fact's factor."""
    groups: dict[str, list[dict]] = {}
    chosen = result["unknowns"] if items is None else items
    for u in sorted(chosen, key=lambda u: _group_rank(kb.facts.get(u["fact"]))):
        spec = kb.facts.get(u["fact"])
        groups.setdefault(group_label(kb, spec.factor) if spec else kb.language.gettext("Other"),
                          []).append(u)
    return list(groups.items())


def cited_sources(result: dict, kb: KnowledgeBase) -> list[tuple[str, str, str]]:
    """(key, title and reference, url) of every source cited, in order of first citation."""
    keys: list[str] = []
    for item in result["findings"] + result["recommendations"] + result["trace"]:
        keys += [k for k in item.get("sources", []) if k not in keys]
    out = []
    for key in keys:
        spec = kb.sources.get(key)
        text = (f"{spec.title}. {spec.reference}" if spec.reference else spec.title) if spec \
            else kb.language.gettext("(not in the knowledge base's sources)")
        out.append((key, text, spec.url if spec else ""))
    return out


def matched_text(matched: list[dict]) -> str:
    """What a trace firing matched, as one line: ``"fact = value, derived = value (#seq)"``;
    ``"-"`` when nothing."""
    parts = []
    for m in matched:
        if "fact" in m:
            parts.append(f"{m['fact']} = {fact_text(m['value'])}")
        elif "derived" in m:
            parts.append(f"{m['derived']} = {format_value(m['value'])} (#{m['seq']})")
        elif "finding" in m:
            parts.append(f"{m['finding']} (#{m['seq']})")
        elif "mitigation" in m:
            parts.append(f"mitigation of {m['mitigation']} by {m['by']}")
    return ", ".join(parts) or "-"


def asserted_text(asserted: list[dict]) -> str:
    """What a trace firing asserted, as one line: ``"finding F1, derived x = 3"``; ``"-"``
    when nothing."""
    parts = []
    for a in asserted:
        kind, name = next(iter(a.items()))
        value = a.get("value", a.get("kind"))
        parts.append(f"{kind} {name}" + (f" = {format_value(value)}" if value is not None
                                         and kind in ("derived", "assessment") else ""))
    return ", ".join(parts) or "-"
