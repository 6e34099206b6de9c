"""Running the CLIPS export with clipspy, case by case, for the cross-check against experta.

``ClipsAdvisor`` builds the exported constructs into one CLIPS environment and reuses it for
every case: reset, assert the ``case`` fact (unknown facts left at their default ``UNKNOWN``),
run, and read back the findings, recommendations, verdict and firings as a ``ClipsRun``.
``tests/test_clips.py`` and ``benchmarks/bench.py`` compare those with ``Advisor.run``.

Must not: be imported where clipspy may be missing, except lazily (``ClipsAdvisor`` imports
``clips``, the optional ``[clips]`` extra, when it is built). Entry points:
``ClipsAdvisor(kb).run(facts) -> ClipsRun``, ``ClipsAdvisor.close()``.
"""
from __future__ import annotations

from dataclasses import dataclass

from engine.knowledge.spec import KnowledgeBase

from .export import export_clips


@dataclass(frozen=True)
class ClipsRun:
    """What CLIPS concluded on one case."""

    findings: frozenset
    recommendations: frozenset  # intervention ids
    verdict: str | None
    verdict_rule: str | None
    fired: frozenset  # rule ids (built-ins excluded)


class ClipsAdvisor:
    """The export loaded into one CLIPS environment, reused for every case (needs clipspy).

    ``text``: exported constructs to load instead of ``export_clips(kb)``."""

    def __init__(self, kb: KnowledgeBase, text: str | None = None):
        import clips  # the optional [clips] extra

        self.kb = kb
        self.env = clips.Environment()
        self.env.eval("(set-dynamic-constraint-checking TRUE)")  # a slot's type and range hold
        for construct in _constructs(text if text is not None else export_clips(kb)):
            self.env.build(construct)
        self.case_template = self.env.find_template("case")
        self.lists = {n for n, f in kb.input_facts.items() if f.type == "list[enum]"}

    def close(self) -> None:
        """Free the environment. clipspy's fact objects sit in reference cycles; collected
        after the environment, CLIPS prints a memory warning on stdout."""
        import gc

        gc.collect()
        self.env = self.case_template = None
        gc.collect()

    def run(self, facts: dict) -> ClipsRun:
        """Consult on ``facts`` (input fact name -> value; missing or None means unknown)."""
        env = self.env
        env.reset()
        slots = {}
        for name, value in facts.items():
            if value is None or name not in self.kb.input_facts:
                continue
            slots[name] = tuple(value) if name in self.lists else value
        self.case_template.assert_fact(**slots)
        env.run()
        findings, recs, fired = set(), set(), set()
        verdict = verdict_rule = None
        for fact in env.facts():
            name = fact.template.name
            if name == "finding":
                findings.add(fact["id"])
            elif name == "recommendation":
                recs.add(fact["intervention"])
            elif name == "fired":
                fired.add(fact["rule"])
            elif name == "verdict":
                verdict, verdict_rule = fact["value"], fact["rule"]
        return ClipsRun(frozenset(findings), frozenset(recs), verdict, verdict_rule,
                        frozenset(fired))


def _constructs(text: str):
    """Split exported text into top-level constructs (comments dropped)."""
    depth, start, in_string, escape = 0, None, False, False
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(";")]
    source = "\n".join(lines)
    for i, ch in enumerate(source):
        if in_string:
            if escape:
                escape = False
            elif ch == "\\":
                escape = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                yield source[start:i + 1]
