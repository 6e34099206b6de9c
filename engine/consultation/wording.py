"""Interview wording: a question, the reasons it is asked, and the help, as the officer reads them.

Plain text for a terminal: the question with its unit, help, numbered choices and what to type;
why it is asked (the pending rules that need it and what each could conclude); a group's title.

Must not: print, prompt, or decide what to ask (``interview`` does); read typed answers
(``answers`` does). Entry points: ``question_text(question, number, left)``,
``why_text(name, needs)``, ``group_title(kb, group)``, ``HELP_TEXT``, and the texts of the
registration, the progress line, the stop and the stored visit (``REGISTRATION``, ``PROGRESS``,
``STOPPED``, ``MORE``, ``STORED``): every interview text in one place, for translation.
"""
from __future__ import annotations

import textwrap

from engine.consultation.interview import ASSESS, TEXT, Question, RuleNeed
from engine.knowledge.spec import KnowledgeBase
from engine.knowledge.values import bounds, describe_type
from engine.language.formatting import quantity
from engine.translation.catalogue import N_, Language

# Every text is marked N_() and said in the interview's language (``lang.gettext``; the
# dialogue's ``lang`` is the knowledge base's); the typed commands stay English as well
# (``spoken`` reads the language's own words). A text's leading line break is the caller's.
HELP_TEXT = N_("At any question: ? or Enter = not known (\"none\" is an answer, not \"not "
               "known\"), why = why it is asked, back = change the previous answer, skip = skip "
               "the rest of this topic, done = conclude now. Ctrl-C saves your answers.")

# Registration: the case's identity, asked first (all optional): (metadata key, prompt).
REGISTRATION_TITLE = N_("== The case (press Enter to leave a line empty)")
REGISTRATION = (
    ("enterprise", N_("Enterprise or owner's name")),
    ("country", N_("Place (village, district or country)")),
    ("sector", N_("Sector or value chain (e.g. dairy, handicrafts)")),
    ("opportunity", N_("The offer or change, in one line")),
    ("officer", N_("Officer's name")),
    ("visit_date", N_("Visit date (YYYY-MM-DD)")),
)
WIDTH = 80  # the officer's terminal
PROGRESS = N_("Question {number} of about {about}")
STOPPED = {
    "settled": N_("The verdict is settled: no answer to the questions left can change it or "
                  "add a serious obstacle."),
    "budget": N_("That was the first visit's {budget} questions. The verdict may still change: "
                 "the advice says how sure it is, and lists what to ask at the next visit."),
    "exhausted": N_("No other question can change the advice for this case."),
}
MORE = (N_("{count} more optional question could refine the advice (they are listed as \"ask "
           "at the next visit\"). Type more to ask them now, or press Enter to conclude."),
        N_("{count} more optional questions could refine the advice (they are listed as \"ask "
           "at the next visit\"). Type more to ask them now, or press Enter to conclude."))
STORED = N_("Stored as visit {visit} of case {case}.")
UPGRADE_ITSELF = N_("The upgrade itself")
STILL_MATTER = (N_("{count} question may still matter"), N_("{count} questions may still matter"))
TYPE_CHOICES = N_("Type the numbers that apply, separated by commas ('none' for none); ? if not "
                  "known.")
TYPE_CHOICE = N_("Type a number; ? if not known.")
TYPE_YES_NO = N_("Type yes or no; ? if not known.")
TYPE_VALUE = N_("Type {what}; ? if not known.")
KINDS = {"whole": N_("a whole number"), "number": N_("a number"), "text": N_("text"),
         "from": N_("{kind} from {low} to {high}"), "least": N_("{kind} of at least {low}")}
EXPECTED = {"enum": N_("the answer is one of the numbers listed"),
            "list[enum]": N_("the answer is the numbers listed that apply"),
            "bool": N_("the answer is yes or no"), "value": N_("the answer is {what}")}


def group_title(kb: KnowledgeBase, group: str) -> str:
    """A group's heading: its factor's label, or "The upgrade itself" for the opportunity."""
    spec = kb.factors.get(group)
    return spec.label if spec else kb.language.gettext(UPGRADE_ITSELF) \
        if group == "opportunity" else group


def question_text(q: Question, number: int | None = None, left: int | None = None,
                  technical: bool = False, about: int | None = None,
                  lang: Language | None = None) -> str:
    """The question as the officer reads it, in ``lang`` (default English): text, unit, help,
    choices (by their labels in the language) and what to type (and, when ``technical``, the
    fact's name). ``about``: the estimated questions in all, shown as "Question 12 of about 20"
    above it (``left`` is then not shown)."""
    lang = lang or Language()
    _ = lang.gettext
    fact = q.fact
    head = f"{number}. " if number and about is None else ""
    unit = f" [{fact.unit}]" if fact.unit else ""
    lines = [_(PROGRESS).format(number=number, about=max(about, number or 0))] \
        if about is not None else []
    lines.append(f"{head}{fact.question or fact.meaning}{unit}")
    still = "" if not left or about is not None else \
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
    return fit("\n".join(lines))


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


def fit(text: str, width: int = WIDTH) -> str:
    """``text`` with each line wrapped to ``width`` columns, its indent kept on every part."""
    out = []
    for line in text.split("\n"):
        indent = line[:len(line) - len(line.lstrip())]
        out += textwrap.wrap(line, width, subsequent_indent=indent,
                             break_long_words=False, break_on_hyphens=False) or [""]
    return "\n".join(out)


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
