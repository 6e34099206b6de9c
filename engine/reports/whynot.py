"""Why not, as the officer reads it: ``mse-advisor explain CASE --why-not ID``.

``render_why_not(why, kb=None, technical=False) -> str`` lays out the ``WhyNot`` record
``engine.consultation.whynot`` builds. In plain words (the default, given ``kb``): "Not
'likely' because three serious problems remain; the most serious: ...", what was recorded
that stands in the way, with its values, and the questions whose answers could change it; for
advice, whether it is given, withheld (do no harm) or why not. ``technical`` (or no ``kb``):
every rule that could conclude it with each condition marked holds / FAILED / unknown and the
values it read, the verdict rule it lost to, and the facts that were not given. Within 80
columns.

Must not: evaluate conditions or run rules (the record holds every answer); print.
Entry points: ``render_why_not(why, kb, technical)``; ``rule_check_lines(check)`` (one rule,
also under a failed example of ``kb test``).
"""
from __future__ import annotations

from engine.consultation.reasons import rule_topic
from engine.knowledge.spec import VerdictAction
from engine.language.formatting import count_words, format_value
from engine.reports.content import VERDICT_NAMES, value_words, with_unit
from engine.reports.plain import advice_label
from engine.reports.text import wrap
from engine.translation.catalogue import N_

HOLDS_WORDS = {True: "holds", False: "FAILED", None: "unknown"}
KIND_WORDS = {"finding": "finding", "intervention": "intervention", "verdict": "verdict value"}


def render_why_not(why, kb=None, technical: bool = False) -> str:
    """The answer (a ``consultation.whynot.WhyNot``) as lines ending with a newline: plain
    words unless ``technical`` or no ``kb`` is given."""
    if kb is not None and not technical:
        return "\n".join(w for line in _plain(why, kb) for w in
                         (wrap(line, "", "  ") if line else [""])) + "\n"
    what = f"{why.target} ({KIND_WORDS[why.kind]})"
    lines = []
    if why.concluded:
        lines.append(f"{what} WAS concluded in this case, by {', '.join(why.by)}.")
        if why.withheld:  # do no harm (consultation.safeguards)
            lines.append(f"It is NOT advised here: {why.withheld['text']} Because: "
                         f"{why.withheld['because']} ({why.withheld['never']}).")
    else:
        lines.append(f"{what} was not concluded in this case.")
        if why.kind == "verdict":
            lines.append(f"The verdict is {format_value(why.actual_verdict)}.")
    if not why.rules:
        lines.append("No rule of the knowledge base concludes it.")
        return "\n".join(lines) + "\n"
    lines.append(f"{len(why.rules)} rule(s) could conclude it:")
    for check in why.rules:
        lines += ["", *rule_check_lines(check)]
    return "\n".join(w for line in lines for w in (wrap(line, "", "    ") if line else [""])) \
        + "\n"


PLAIN = {  # the plain sentences of why-not, whole for translation
    "verdict_is": N_("The verdict is {actual}, not {target}."),
    "verdict_was": N_("The verdict is {target}."),
    "serious": (N_("Not {target} because {count} serious problem remains; the most serious: "
                   "{text}"),
                N_("Not {target} because {count} serious problems remain; the most serious: "
                   "{text}")),
    "advised": N_("{label} is advised in this case."),
    "because": N_("It answers: {text}"),
    "not_advised": N_("{label} is not advised in this case."),
    "withheld": N_("But it is not advised here: {text} Because: {because}"),
    "finding_yes": N_("This was found in this case: {text}"),
    "finding_no": N_("This was not found in this case."),
    "when": N_("It would follow from {topic}."),
    "when_own": N_("It would follow when this holds: {why}"),
    "when_verdict": N_("It would be {target} if this were so: {text}"),
    "recorded": N_("What was recorded: {facts}."),
    "ask": N_("Not known yet, and it could change this: {question}"),
    "nothing": N_("Nothing in the knowledge base could conclude it."),
}
CLOSEST = 3  # rules shown in plain words: those closest to holding


def _plain(why, kb) -> list[str]:
    lang = kb.language
    said = {key: tuple(lang.gettext(t) for t in text) if isinstance(text, tuple)
            else lang.gettext(text) for key, text in PLAIN.items()}
    verdict_words = (lambda v: format_value(v).upper()) if lang.is_source else \
        (lambda v: lang.gettext(VERDICT_NAMES[v]).upper() if v in VERDICT_NAMES
         else format_value(v).upper())
    found = why.findings or {}
    target = why.target
    lines: list[str] = []
    if why.kind == "verdict":
        words = verdict_words(target)
        if why.concluded:
            return [said["verdict_was"].format(target=words)]
        lines.append(said["verdict_is"].format(actual=verdict_words(why.actual_verdict),
                                               target=words))
        serious = [f for f in found.values() if f["kind"] == "barrier" and
                   f["severity"] in ("blocking", "significant")]
        serious.sort(key=lambda f: f["severity"] != "blocking")
        if serious and target != "unlikely":
            count = count_words(len(serious), "", "").strip() if lang.is_source \
                else lang.number(len(serious))
            one, many = said["serious"]
            lines.append((one if len(serious) == 1 else many).format(
                target=words, count=count, text=serious[0]["text"]))
            return lines
    elif why.kind == "intervention":
        label = advice_label(kb, target)
        if why.concluded:
            lines.append(said["advised"].format(label=label))
            for rid in why.by:
                for action in kb.rule(rid).findings():
                    if action.id in found:
                        lines.append(said["because"].format(text=found[action.id]["text"]))
            if why.withheld:
                lines.append(said["withheld"].format(text=why.withheld["text"],
                                                      because=why.withheld["because"]))
            return list(dict.fromkeys(lines))
        lines.append(said["not_advised"].format(label=label))
    else:
        if why.concluded:
            return [said["finding_yes"].format(text=found.get(target, {}).get("text", ""))]
        lines.append(said["finding_no"])
    if not why.rules:
        return lines + [said["nothing"]]
    closest = sorted((r for r in why.rules if not r.fired),
                     key=lambda r: (len(r.failed), len(r.undecided)))[:CLOSEST]
    asked: set = set()
    for check in closest:
        rule = kb.rule(check.rule)
        verdict = next((a for a in rule.actions if isinstance(a, VerdictAction)), None)
        if rule.why:
            lines += ["", said["when_own"].format(why=rule.why)]
        elif verdict is not None and "{" not in verdict.text.source:
            lines += ["", said["when_verdict"].format(target=verdict_words(target),
                                                       text=verdict.text.source)]
        else:
            lines += ["", said["when"].format(topic=rule_topic(kb, rule))]
        facts = _recorded(check, kb)
        if facts:
            lines.append(said["recorded"].format(facts="; ".join(facts)))
        for name in dict.fromkeys(u for cond in check.conditions for u in cond.unknown):
            spec = kb.facts.get(name)
            if name not in asked:
                asked.add(name)
                lines.append(said["ask"].format(question=spec.question if spec else name))
    return lines


def _recorded(check, kb) -> list[str]:
    """The input facts a rule's failed conditions read, as "meaning: value" (in words)."""
    out = []
    for cond in check.failed:
        for name, value, kind in cond.values:
            spec = kb.input_facts.get(name)
            if kind == "fact" and spec is not None and value != "unknown":
                said = value if kb.language.is_source else \
                    value_words(kb, spec, _as_value(value))
                out.append(f"{spec.meaning}: {with_unit(spec, said, kb.language.is_source)}")
    return list(dict.fromkeys(out))


def _as_value(text):
    """A value as the why-not record says it ("yes", "3", "by peers here") back to a value
    ``value_words`` can say in the language (a choice by its id, yes/no as true/false)."""
    if text in ("yes", "no"):
        return text == "yes"
    return text.replace(" ", "_") if isinstance(text, str) else text


def rule_check_lines(check, indent: str = "") -> list[str]:
    """One rule's check (a ``consultation.whynot.RuleCheck``) as lines: whether it fired, what it
    concludes, each condition's truth value with the values it read, the verdict rule it lost
    to, the facts not given; each line starts with ``indent``."""
    status = "fired" if check.fired else "did not fire"
    lines = [f"{check.rule} ({status}): {check.description}",
             f"  concludes: {'; '.join(check.concludes)}",
             f"  at {check.location}"]
    for cond in check.conditions:
        shown = ", ".join(f"{n} = {v}" for n, v, _ in cond.values)
        lines.append(f"  {HOLDS_WORDS[cond.holds]:8} {cond.text}" +
                     (f"   [{shown}]" if shown else ""))
    if check.lost_to:
        lines.append(f"  All its conditions hold, but verdict rule {check.lost_to} "
                     "has priority and concluded first.")
    unknown = sorted({u for cond in check.conditions for u in cond.unknown})
    if unknown and not check.fired:
        lines.append(f"  not given: {', '.join(unknown)}")
    return [indent + line for line in lines]
