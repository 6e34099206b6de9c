"""What if, as the officer reads it: ``mse-advisor whatif CASE --set FACT=VALUE``.

``render_what_if(diff, kb, technical=False) -> str`` lays out the comparison
``engine.consultation.whatif`` returns: the facts changed, the verdict, its confidence and every
factor's status before and after side by side (a ``*`` marks each line that changed), the
recommendations, and the rules that fired in one run only, with the knowledge base's labels and
rule descriptions.

``render_goal(search, kb, technical=False) -> str`` lays out ``whatif CASE --goal``: the
smallest sets of changes that reach the goal, each with its verdict and the interventions that
bring it about, or why none was found.

Must not: run rules or compare anything itself (the dict holds both runs); print.
"""
from __future__ import annotations

from engine.knowledge.spec import KnowledgeBase
from engine.language.formatting import format_value, quantity
from engine.reports.content import factor_label, plain_status, status_words
from engine.reports.plain import advice_label
from engine.reports.content import VERDICT_NAMES, value_words
from engine.reports.text import WIDTH, wrap
from engine.translation.catalogue import N_

WHAT_IF = N_("What if {changes}?  (case {case})")
NOTHING_CHANGES = N_("nothing changes")
ADVICE = ((N_("Advice before:"), N_("Advice after:")), (N_("added:"), N_("removed:")))
TABLE = (N_("BEFORE"), N_("AFTER"), N_("Verdict"), N_("Confidence"))
NOT_KNOWN_NOW, NOW = N_("not known now"), N_("now {value}")
BEFORE_AFTER = N_("Before -> after (* changed):")
CONFIDENCE_LEVELS = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}


def render_what_if(diff: dict, kb: KnowledgeBase, technical: bool = False) -> str:
    """Before and after side by side, as lines ending with a newline; in plain words unless
    ``technical`` (fact names, intervention codes and the rules that fired)."""
    _ = (lambda text: text) if technical else kb.language.gettext
    if technical:
        sets = ", ".join(change_text(kb, {"fact": n, **v}, True) for n, v in diff["set"].items())
    else:
        sets = "; ".join(change_text(kb, {"fact": n, **v}) for n, v in diff["set"].items())
    lines = wrap(_(WHAT_IF).format(changes=sets or _(NOTHING_CHANGES), case=diff['case_id']))
    lines += [""] + _table(diff, kb, technical)
    recs = diff["recommendations"]
    name = (lambda i: i) if technical else (lambda i: advice_label(kb, i))
    lines.append("")
    said = [_(w) for pair in ADVICE for w in pair]
    pad = max(len(w) for w in said[:2]) + 1
    for key, words in zip(("before", "after"), said[:2]):
        lines += wrap(f"{words:<{pad}}" + (", ".join(name(i) for i in recs[key])
                                             or _("none")), "", "  ")
    for key, words in zip(("added", "removed"), said[2:]):
        if recs[key]:
            lines += wrap(f"  {words:<9}" + ", ".join(name(i) for i in recs[key]), "", " " * 11)
    if not technical:
        return "\n".join(lines) + "\n"
    changed = diff["rules"]
    lines.append("")
    if not changed["only_before"] and not changed["only_after"]:
        lines.append("The same rules fired in both runs.")
    for key, words in (("only_before", "Rules that fired only before:"),
                       ("only_after", "Rules that fired only after:")):
        if changed[key]:
            lines.append(words)
            lines += [w for rid in changed[key] for w in
                      wrap(f"{rid}: {_description(kb, rid)}", "  ", "    ")]
    return "\n".join(lines) + "\n"


def _table(diff: dict, kb: KnowledgeBase, technical: bool) -> list[str]:
    """The verdict and each factor, before and after, in padded columns."""
    v = diff["verdict"]
    lang = kb.language
    _ = (lambda text: text) if technical or lang.is_source else lang.gettext
    verdict = format_value if technical or lang.is_source else \
        (lambda x: _(VERDICT_NAMES[x]) if x in VERDICT_NAMES else str(x))
    level = (lambda x: _(CONFIDENCE_LEVELS[x]) if x in CONFIDENCE_LEVELS else str(x))
    words = status_words if technical else (lambda e: _short_status(e, lang))
    before, after, verdict_word, confidence = (_(t) for t in TABLE)
    rows = [("", before, after, ""),
            (verdict_word, verdict(v["before"]), verdict(v["after"]),
             "*" if v["changed"] else "")]
    if "confidence_before" in v:  # how sure each verdict is (issue 12)
        rows.append((confidence, level(v["confidence_before"]), level(v["confidence_after"]),
                     "*" if v["confidence_before"] != v["confidence_after"] else ""))
    for fid, entry in diff["factors"].items():
        rows.append((factor_label(kb, fid), words(entry["before"]),
                     words(entry["after"]), "*" if entry["changed"] else ""))
    w0, w1, w2 = (max(len(r[i]) for r in rows) for i in range(3))
    if w0 + w1 + w2 + 7 <= WIDTH:
        return [f"{r[0]:<{w0}}  {r[1]:<{w1}}  {r[2]:<{w2}}  {r[3]}".rstrip() for r in rows]
    # too wide for two columns within 80: one line per row, "before -> after"
    return [_(BEFORE_AFTER)] + [
        w for r in rows[1:] for w in wrap(f"{r[0]}: {r[1]} -> {r[2]}{'  *' if r[3] else ''}",
                                          "  ", "    ")]


def _short_status(entry: dict, lang=None) -> str:
    """A factor's status in plain words, short enough for two columns within 80."""
    if lang is not None and not lang.is_source:
        return lang.gettext("neutral") if entry["status"] == "neutral" else \
            plain_status(entry, lang)
    return plain_status(entry).replace("neither helps nor hinders", "neutral").replace(
        ", mitigation unknown", ", remedy unknown")


def _tuple(value):
    return tuple(value) if isinstance(value, list) else value


def _description(kb: KnowledgeBase, rule_id: str) -> str:
    try:
        return kb.rule(rule_id).description
    except KeyError:
        return "built-in rule"


GOAL_WORDS = {"likely": "LIKELY", "possible_with_support": "POSSIBLE WITH SUPPORT",
              "unlikely": "UNLIKELY", None: "NO VERDICT"}


def change_text(kb: KnowledgeBase, change: dict, technical: bool = False) -> str:
    """One change as the officer reads it: "The buyer pays after how many days: 14 (now 60)";
    with ``technical``: "buyer_payment_delay_days = 14 (was 60)"."""
    after, before = _tuple(change["after"]), _tuple(change["before"])
    if technical:
        return f"{change['fact']} = {format_value(after)} (was {format_value(before)})"
    spec = kb.facts.get(change["fact"])
    meaning = spec.meaning if spec else change["fact"]
    unit = f" {spec.unit}" if spec and spec.unit and spec.unit != "%" else \
        "%" if spec and spec.type == "percent" else ""
    _ = kb.language.gettext
    now = _(NOT_KNOWN_NOW) if before is None else \
        _(NOW).format(value=f"{value_words(kb, spec, before)}{unit}")
    return f"{meaning}: {value_words(kb, spec, after)}{unit} ({now})"


def render_goal(search: dict, kb: KnowledgeBase, technical: bool = False) -> str:
    """What would make it work (``consultation.goal.search_goal``), within 80 columns: each
    smallest change set with the verdict it gives and the interventions that bring it about,
    or why none was found; ends with how far the search went."""
    goal, now = GOAL_WORDS[search["goal"]], GOAL_WORDS[search["verdict"]]
    lines = wrap(f"What would make it {goal}? (case {search['case_id']}; the verdict now: "
                 f"{now})") + [""]
    if search["reached"]:
        return "\n".join(lines + wrap(f"It is {now} already: nothing needs to change.")) + "\n"
    name = (lambda i: i) if technical else (lambda i: advice_label(kb, i))
    for i, found in enumerate(search["sets"], 1):
        lines += wrap(f"{i}. If {_count(len(found['changes']))} came true:", "")
        for change in found["changes"]:
            lines += wrap(change_text(kb, change, technical), "   - ")
        lines += wrap(f"the verdict would be {GOAL_WORDS[found['verdict']]}.", "   ")
        lines += wrap("How: " + "; ".join(name(iid) for iid in found["interventions"]), "   ")
        lines.append("")
    if search.get("more"):
        lines += wrap(f"... and {search['more']} more sets of the same size.") + [""]
    lines += wrap(_outcome(search, goal))
    return "\n".join(lines) + "\n"


def _count(n: int) -> str:
    return "this change" if n == 1 else f"these {n} changes"


def _outcome(search: dict, goal: str) -> str:
    budget = f"{search['budget']:g} s"
    searched = (f"Searched {quantity(search['tried'], 'set', 'sets')} of up to "
                f"{quantity(search['size'], 'change', 'changes')} among "
                f"{quantity(len(search['candidates']), 'fact', 'facts')} an owner or officer can "
                f"act on, in {search['seconds']:g} s (budget {budget}).")
    if search["impossible"]:
        why = (" The answers still missing might: collect them first (see the report's "
               "questions).") if search.get("unknowns_could") else ""
        return (f"No change to the facts an owner or officer can act on could make it {goal}: "
                f"what stands in the way is not in their hands.{why}")
    if search["sets"]:
        return searched
    if not search["complete"]:
        return (f"No change set found before the time budget ran out. {searched} Try "
                "--budget with more seconds.")
    return (f"No set of up to {quantity(search['size'], 'change', 'changes')} makes it "
            f"{goal}. {searched}")
