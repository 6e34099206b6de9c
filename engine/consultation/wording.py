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
from engine.knowledge.values import describe_type
from engine.language.formatting import quantity

HELP_TEXT = ("At any question: ? or Enter = not known (\"none\" is an answer, not \"not "
             "known\"), why = why it is asked, back = change the previous answer, skip = skip "
             "the rest of this topic, done = conclude now. Ctrl-C saves your answers.")

# Registration: the case's identity, asked first (all optional): (metadata key, prompt).
REGISTRATION_TITLE = "\n== The case (press Enter to leave a line empty)"
REGISTRATION = (
    ("enterprise", "Enterprise or owner's name"),
    ("country", "Place (village, district or country)"),
    ("sector", "Sector or value chain (e.g. dairy, handicrafts)"),
    ("opportunity", "The offer or change, in one line"),
    ("officer", "Officer's name"),
    ("visit_date", "Visit date (YYYY-MM-DD)"),
)
WIDTH = 80  # the officer's terminal
PROGRESS = "Question {number} of about {about}"
STOPPED = {
    "settled": "\nThe verdict is settled: no answer to the questions left can change it or add "
               "a serious obstacle.",
    "budget": "\nThat was the first visit's {budget} questions. The verdict may still change: "
              "the advice says how sure it is, and lists what to ask at the next visit.",
    "exhausted": "\nNo other question can change the advice for this case.",
}
MORE = ("{count} more optional question{s} could refine the advice (they are listed as \"ask at "
        "the next visit\"). Type more to ask them now, or press Enter to conclude.")
STORED = "Stored as visit {visit} of case {case}."


def group_title(kb: KnowledgeBase, group: str) -> str:
    """A group's heading: its factor's label, or "The upgrade itself" for the opportunity."""
    spec = kb.factors.get(group)
    return spec.label if spec else "The upgrade itself" if group == "opportunity" else group


def question_text(q: Question, number: int | None = None, left: int | None = None,
                  technical: bool = False, about: int | None = None) -> str:
    """The question as the officer reads it: text, unit, help, choices and what to type (and,
    when ``technical``, the fact's name). ``about``: the estimated questions in all, shown as
    "Question 12 of about 20" above it (``left`` is then not shown)."""
    fact = q.fact
    head = f"{number}. " if number and about is None else ""
    unit = f" [{fact.unit}]" if fact.unit else ""
    lines = [PROGRESS.format(number=number, about=max(about, number or 0))] \
        if about is not None else []
    lines.append(f"{head}{fact.question or fact.meaning}{unit}")
    still = f"{quantity(left, 'question', 'questions')} may still matter" \
        if left and about is None else ""
    if technical:
        lines.append(f"   ({fact.name}" + (f"; {still}" if still else "") + ")")
    elif still:
        lines.append(f"   ({still})")
    if fact.help:
        lines.append(f"   {fact.help}")
    if q.choices:
        lines += [f"     {i}) {v.replace('_', ' ')}" for i, v in enumerate(q.choices, 1)]
        many = fact.type == "list[enum]"
        lines.append("   Type " + ("the numbers that apply, separated by commas ('none' for "
                                     "none)" if many else "a number") + "; ? if not known.")
    elif fact.type == "bool":
        lines.append("   Type yes or no; ? if not known.")
    else:
        lines.append(f"   Type {describe_type(fact)}; ? if not known.")
    return fit("\n".join(lines))


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
