"""Interview wording: a question, the reasons it is asked, and the help, as the officer reads them.

Plain text for a terminal: the question with its unit, help, numbered choices and what to type;
why it is asked (the pending rules that need it and what each could conclude); a group's title.

Must not: print, prompt, or decide what to ask (``interview`` does); read typed answers
(``answers`` does). Entry points: ``question_text(question, number, left)``,
``why_text(name, needs)``, ``group_title(kb, group)``, ``HELP_TEXT``.
"""
from __future__ import annotations

from engine.consultation.interview import ASSESS, TEXT, Question, RuleNeed
from engine.knowledge.spec import KnowledgeBase
from engine.knowledge.values import bounds, describe_type
from engine.language.formatting import quantity
from engine.translation.catalogue import N_, Language

# Every sentence the officer reads is marked N_() and said in the interview's language
# (``lang.gettext``); the commands typed stay English too (``spoken`` reads the language's own).
HELP_TEXT = N_("At any question: ? or Enter = not known, why = why it is asked, back = change "
               "the previous answer, skip = skip the rest of this group, done = conclude now. "
               "Ctrl-C saves your answers.")
UPGRADE_ITSELF = N_("The upgrade itself")
STILL_MATTER = (N_("{count} question may still matter"), N_("{count} questions may still matter"))
TYPE_CHOICES = N_("Type the numbers that apply, separated by commas ('none' for none); ? if not "
                  "known.")
TYPE_CHOICE = N_("Type a number; ? if not known.")
TYPE_YES_NO = N_("Type yes or no; ? if not known.")
TYPE_VALUE = N_("Type {what}; ? if not known.")
KINDS = {"whole": N_("a whole number"), "number": N_("a number"), "text": N_("text"),
         "from": N_("{kind} from {low} to {high}"), "least": N_("{kind} of at least {low}")}


def group_title(kb: KnowledgeBase, group: str) -> str:
    """A group's heading: its factor's label, or "The upgrade itself" for the opportunity."""
    spec = kb.factors.get(group)
    return spec.label if spec else kb.language.gettext(UPGRADE_ITSELF) \
        if group == "opportunity" else group


def question_text(q: Question, number: int | None = None, left: int | None = None,
                  technical: bool = False, lang: Language | None = None) -> str:
    """The question as the officer reads it, in ``lang`` (default English): text, unit, help,
    choices (by their labels in the language) and what to type (and, when ``technical``, the
    fact's name)."""
    lang = lang or Language()
    _ = lang.gettext
    fact = q.fact
    head = f"{number}. " if number else ""
    unit = f" [{fact.unit}]" if fact.unit else ""
    lines = [f"{head}{fact.question or fact.meaning}{unit}"]
    still = "" if not left else \
        f"{quantity(left, 'question', 'questions')} may still matter" if lang.is_source \
        else lang.ngettext(*STILL_MATTER, left).format(count=left)
    if technical:
        lines.append(f"   ({fact.name}" + (f"; {still}" if still else "") + ")")
    elif still:
        lines.append(f"   ({still})")
    if fact.help:
        lines.append(f"   {fact.help}")
    if q.choices:
        labels = dict(fact.labels)
        lines += [f"     {i}) {labels.get(v) or v.replace('_', ' ')}"
                  for i, v in enumerate(q.choices, 1)]
        many = fact.type == "list[enum]"
        lines.append("   " + (_(TYPE_CHOICES) if many else _(TYPE_CHOICE)))
    elif fact.type == "bool":
        lines.append("   " + _(TYPE_YES_NO))
    else:
        what = describe_type(fact) if lang.is_source else _kind(fact, lang)
        lines.append("   " + _(TYPE_VALUE).format(what=what))
    return "\n".join(lines)


EXPECTED = {"enum": N_("the answer is one of the numbers listed"),
            "list[enum]": N_("the answer is the numbers listed that apply"),
            "bool": N_("the answer is yes or no"), "value": N_("the answer is {what}")}


def what_to_type(fact, lang: Language) -> str:
    """What a refused answer should have been, in ``lang`` (the checks of ``knowledge.values``
    speak English): "la respuesta es un número de 0 o más"."""
    if fact.type in EXPECTED:
        return lang.gettext(EXPECTED[fact.type])
    return lang.gettext(EXPECTED["value"]).format(what=_kind(fact, lang))


def _kind(fact, lang: Language) -> str:
    """What a value must be, in ``lang``: "un número entero de 0 a 12"."""
    _ = lang.gettext
    if fact.type == "str":
        return _(KINDS["text"])
    low, high = bounds(fact)
    kind = _(KINDS["whole" if fact.is_whole else "number"])
    said = {"kind": kind, "low": lang.number(low), "high": lang.number(high) if high else ""}
    return _(KINDS["from"] if high is not None else KINDS["least"]).format(**said)


def why_text(name: str, needs: list[RuleNeed]) -> str:
    """Why ``name`` is asked, from ``Interview.why(name)``: each rule, the derived fact it reads
    the answer through, its conditions and what it could conclude."""
    if not needs:
        return f"No rule that could still fire needs {name}; answer ? to move on."
    lines = [f"{name} is asked because {len(needs)} rule(s) need it:"]
    for n in needs:
        via = {TEXT: " (its text prints this fact)",
               ASSESS: " (cannot fire now; settles whether its factor can be assessed)",
               None: ""}.get(n.via, f" (through {n.via})")
        lines.append(f"  {n.rule}{via}: {n.description}")
        lines.append(f"      if {' and '.join(n.when) or 'always'}")
        lines.append(f"      then {'; '.join(n.concludes) or 'nothing'}")
    return "\n".join(lines)
