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
from engine.knowledge.values import describe_type
from engine.language.formatting import quantity

HELP_TEXT = ("At any question: ? or Enter = not known, why = why it is asked, back = change the "
             "previous answer, skip = skip the rest of this group, done = conclude now. "
             "Ctrl-C saves your answers.")


def group_title(kb: KnowledgeBase, group: str) -> str:
    """A group's heading: its factor's label, or "The upgrade itself" for the opportunity."""
    spec = kb.factors.get(group)
    return spec.label if spec else "The upgrade itself" if group == "opportunity" else group


def question_text(q: Question, number: int | None = None, left: int | None = None,
                  technical: bool = False) -> str:
    """The question as the officer reads it: text, unit, help, choices and what to type (and,
    when ``technical``, the fact's name)."""
    fact = q.fact
    head = f"{number}. " if number else ""
    unit = f" [{fact.unit}]" if fact.unit else ""
    lines = [f"{head}{fact.question or fact.meaning}{unit}"]
    still = f"{quantity(left, 'question', 'questions')} may still matter" if left else ""
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
    return "\n".join(lines)


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
