"""Compile a checked knowledge base into one experta ``KnowledgeEngine`` subclass.

The facts rules match are described in ``memory``. A rule fires once per consultation: the
agenda (``agenda.OrderedAgenda``) drops the other activations of a rule that fired. Salience
and the first-verdict guard come from the knowledge base's ``policy.RuleOrder``.

Each condition is split into atoms: a maximal sub-expression over input facts becomes a field
predicate (``P``) on ``Case``, or a ``TEST`` over bound fields when it reads several facts;
findings, counts, derived values and the verdict become patterns. ``or`` and ``not`` across
atoms are handled by a disjunctive normal form (experta's ``OR``/``NOT``). Predicates use the
three-valued evaluator and never raise.

Right-hand sides only hand the bindings to ``AdvisorEngine._fire`` (``session``), which records
the firing and declares the conclusions. Must not: do I/O. Entry point:
``compile_knowledge_base(kb) -> engine class``.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass

from engine import language as c
from engine.compat import AS, EXISTS, MATCH, NOT
from engine.errors import KnowledgeBaseError, Problem
from engine.inference.elements import (
    CompiledRule, field_predicate, in_values, test_over,
)
from engine.inference.counting import fired_read, tally_counts
from engine.inference.memory import (
    Assessment, Case, Derived, Finding, Fired, Mitigation, Tally, Verdict,
)
from engine.inference.session import AdvisorEngine
from engine.knowledge.policy import uses_assessments, ways_to_mitigate
from engine.knowledge.spec import KnowledgeBase, RuleSpec
from engine.language import kleene
from engine.language.normal_form import MAX_BRANCHES, TooComplex, substitute_parameters, to_dnf


@dataclass(frozen=True)
class RulePlan:
    """What the runner needs to know about one compiled rule."""

    rule: RuleSpec
    stage: int
    salience: int
    input_names: tuple  # input facts its conditions read
    derived_names: tuple  # derived facts its conditions read
    branches: int
    builtin: str = ""  # "assess-mitigated" / "assess-unmitigated" for the built-in rules
    existence_patterns: tuple = ()  # positive finding patterns compiled to EXISTS
    tallies: tuple = ()  # (variable bound to a Tally, count key, names of the counted findings)
    announced: bool = False  # some rule reads fired(this rule): its firing declares ``Fired``


def _pattern_fields(pattern: c.FindingPattern) -> dict:
    fields = {}
    if pattern.kind:
        fields["kind"] = pattern.kind
    for key, value in pattern.attrs:
        name = "finding" if key == "id" and pattern.attr("mitigated") is not None else key
        fields[name] = in_values(value) if isinstance(value, tuple) else value
    return fields


def _pattern_fact(pattern: c.FindingPattern, **extra):
    fields = _pattern_fields(pattern)
    fields.update(extra)
    if pattern.attr("mitigated") is not None:
        return Assessment(**fields)
    return Finding(**fields)


# ---------------------------------------------------------------- one branch

class _BranchBuilder:
    def __init__(self, inputs: set, derived: set, tag: str, counted: dict):
        self.inputs, self.derived, self.tag = inputs, derived, tag
        self.counted = counted  # count key -> (pattern, largest n asked), whole knowledge base
        self.tallies: dict = {}  # variable bound to a Tally -> (count key, the join's names)
        self.case_fields: dict[str, list] = {}
        self.bound: set[str] = set()
        self.patterns: list = []
        self.counts: list = []  # a count's Tally pattern, joined last (see ``elements()``)
        self.tests: list = []
        self.counter = 0
        self.dead = False
        self.existence: list = []

    def var(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.tag}_{self.counter}"

    def add_input(self, node) -> None:
        facts = sorted(c.names_in(node))
        if not facts:  # parameters only: decided now
            if not kleene.holds(node, kleene.State({})):
                self.dead = True
            return
        if len(facts) == 1:
            self.case_fields.setdefault(facts[0], []).append(field_predicate(node, facts[0]))
            return
        self.bound.update(facts)
        self.tests.append(test_over(node, {f"v_{f}": f for f in facts}))

    def add_other(self, node, negated: bool) -> None:
        if isinstance(node, c.FindingRef):
            fact = Finding(id=node.finding)
            self.patterns.append(NOT(fact) if negated else (getattr(AS, self.var("f")) << fact))
        elif isinstance(node, c.FindingPattern):
            # One activation however many findings match: EXISTS, not a binding per finding.
            self.patterns.append(NOT(_pattern_fact(node)) if negated
                                 else EXISTS(_pattern_fact(node)))
            if not negated:
                self.existence.append(node)
        elif isinstance(node, c.Count):
            if negated:
                raise _Unsupported("a count cannot be negated; write the opposite count")
            # One Tally fact, kept by the session, instead of an n-way join of the findings
            # (n**k partial matches). The names the join bound the findings to are kept: the
            # session binds the findings the join's winning activation held (``session``).
            names = []
            for _ in range(node.at_least):
                self.var("c")
                names.append(self.var("f"))
            var = f"t{self.tag}_{len(self.tallies) + 1}"
            key = c.to_text(node.pattern)
            self.counts.append(getattr(AS, var) << Tally(key=key, n=node.at_least))
            self.tallies[var] = (key, tuple(names))
            self.counted[key] = (node.pattern, max(node.at_least,
                                                   self.counted.get(key, (None, 0))[1]))
        elif isinstance(node, c.Fired):
            fact = Fired(rule=node.rule)
            self.patterns.append(NOT(fact) if negated else fact)
        elif isinstance(node, c.IsKnown) and node.operand.name == "verdict":
            present = node.known != negated
            self.patterns.append(Verdict() if present else NOT(Verdict()))
        elif isinstance(node, c.IsKnown) and node.operand.name in self.derived:
            fact = Derived(name=node.operand.name)
            present = node.known != negated
            self.patterns.append(fact if present else NOT(fact))
        else:
            self.add_value_test(c.Not(node, node.pos) if negated else node)

    def add_value_test(self, node) -> None:
        """A test reading derived values and/or the verdict (and maybe input facts)."""
        names = {}
        for name in sorted(c.names_in(node)):
            if name in self.derived:
                var = f"d_{name}"
                self.patterns.append(Derived(name=name, value=getattr(MATCH, var)))
                names[var] = name
            elif name == "verdict":
                self.patterns.append(Verdict(value=MATCH.d_verdict))
                names["d_verdict"] = "verdict"
            else:
                self.bound.add(name)
                names[f"v_{name}"] = name
        self.tests.append(test_over(node, names))

    def elements(self) -> list:
        fields = {}
        for fact in sorted(set(self.case_fields) | self.bound):
            constraint = getattr(MATCH, f"v_{fact}") if fact in self.bound else None
            for pred in self.case_fields.get(fact, []):
                constraint = pred if constraint is None else constraint & pred
            fields[fact] = constraint
        # A count's Tally joins after the rule's other patterns. The order of a rule's
        # patterns changes the work, never the matches (so never the trace).
        return [AS.case << Case(**fields)] + self.patterns + self.counts + self.tests


class _Unsupported(Exception):
    pass


# ---------------------------------------------------------------- whole knowledge base

def compile_knowledge_base(kb: KnowledgeBase):
    """The engine class of ``kb`` (its ``plans``: rule id -> ``RulePlan``); raise
    ``KnowledgeBaseError`` if a rule cannot compile."""
    inputs = set(kb.input_facts)
    derived = set(kb.derived_facts)
    order = kb.order
    if order.cycle:
        raise KnowledgeBaseError([Problem(kb.rule(r).loc, "rule is on a cycle through a "
                                                          "negation") for r in order.cycle])
    parameters = kb.parameter_values
    announced = fired_read(kb)
    counted: dict = {}  # count key -> (pattern, largest n a rule asks)
    namespace, plans, problems = {}, {}, []
    for index, rule in enumerate(kb.rules):
        stage = order.stage[rule.id]
        salience = order.salience(rule.id)
        try:
            elements_per_branch, input_names, derived_names, existence, tallies = _compile_rule(
                rule, parameters, inputs, derived, index, counted)
        except TooComplex:
            problems.append(Problem(rule.loc, f'rule "{rule.id}": conditions expand to more than '
                                              f"{MAX_BRANCHES} alternatives; split the rule"))
            continue
        except _Unsupported as exc:
            problems.append(Problem(rule.loc, f'rule "{rule.id}": {exc}'))
            continue
        plan = RulePlan(rule, stage, salience, input_names, derived_names,
                        len(elements_per_branch), existence_patterns=existence,
                        announced=rule.id in announced, tallies=tallies)
        plans[rule.id] = plan
        if not elements_per_branch:
            continue  # a parameter makes it impossible; it simply never fires
        # "Fires once" is kept by the agenda (agenda.OrderedAgenda skips a rule that fired):
        # a NOT(Fired(rule=...)) per rule made every Fired fact visit one alpha node per rule.
        guard = (NOT(Verdict()),) if rule.concludes_verdict else ()
        for b, elements in enumerate(elements_per_branch):
            namespace[f"rule_{index}_{b}"] = CompiledRule(*elements, *guard, salience=salience)(
                _rhs(plan, index * MAX_BRANCHES + b))
    if problems:
        raise KnowledgeBaseError(problems)
    if uses_assessments(kb.rules):
        assess_salience = order.assessment_salience
        for name, plan, elements in _assessment_rules(assess_salience):
            plans[name] = plan
            namespace[name] = CompiledRule(*elements, salience=assess_salience)(
                _rhs(plan, (len(kb.rules) + len(plans)) * MAX_BRANCHES))
    namespace["kb"] = kb
    namespace["plans"] = plans
    namespace["counts"] = tally_counts(counted)
    rules = {r.id: r for r in kb.rules}
    namespace["ways_to_mitigate"] = {  # barrier id -> ((rule, its whole condition), ...)
        fid: tuple((rules[rid], rules[rid].condition) for rid in rids)
        for fid, rids in ways_to_mitigate(kb.rules).items()}
    engine_class = type("CompiledAdvisorEngine", (AdvisorEngine,), namespace)
    return engine_class


def _rhs(plan: RulePlan, order: int):
    def fire(engine, **bindings):
        engine._fire(plan, bindings)
    fire.__name__ = plan.rule.id
    fire.order = order  # ties on the agenda go to the earlier rule (agenda.OrderedAgenda)
    fire.once = not plan.builtin  # a rule fires at most once per consultation
    fire.plan = plan  # the run loop calls _fire with it directly
    # experta asks for the signature each time it rewrites a rule while preparing the network
    # (eight times per rule): given, it is not worked out again from the code each time.
    fire.__signature__ = _FIRE_SIGNATURE
    return fire


_FIRE_SIGNATURE = inspect.Signature([
    inspect.Parameter("engine", inspect.Parameter.POSITIONAL_OR_KEYWORD),
    inspect.Parameter("bindings", inspect.Parameter.VAR_KEYWORD)])


def _compile_rule(rule: RuleSpec, parameters: dict, inputs: set, derived: set, index: int,
                  counted: dict):
    whole = substitute_parameters(rule.condition, parameters)
    names = c.names_in(whole)
    input_names = tuple(sorted(n for n in names if n in inputs))
    derived_names = tuple(sorted(n for n in names if n in derived))
    branches, existence, tallies = [], [], []
    for b, atoms in enumerate(to_dnf(whole, False, inputs)):
        builder = _BranchBuilder(inputs, derived, f"{index}_{b}", counted)
        for atom in atoms:
            if atom[0] == "input":
                builder.add_input(atom[1])
            else:
                builder.add_other(atom[1], atom[2])
        if not builder.dead:
            branches.append(builder.elements())
            existence.extend(p for p in builder.existence if p not in existence)
            tallies += [(var, key, names) for var, (key, names) in builder.tallies.items()]
    return branches, input_names, derived_names, tuple(existence), tuple(tallies)


def _assessment_rules(salience: int):
    """Built-in: after mitigations, say of every barrier whether it is mitigated (three-valued,
    ``policy.counts_as_mitigated``; the session weighs the ways to mitigate one without a
    mitigation found)."""
    spec = RuleSpec(id="ASSESS", factor="", description="Built-in: a barrier is mitigated when "
                    "it is mitigable by nature or some rule found a mitigation in this case; its "
                    "mitigation is unknown while a rule that could mitigate it waits for "
                    "unknown facts.",
                    conditions=(), actions=(), sources=())
    common = dict(kind="barrier", id=MATCH.fid, factor=MATCH.factor, severity=MATCH.severity)
    mitigable = RulePlan(spec, 0, salience, (), (), 1, "assess-mitigable")
    found = RulePlan(spec, 0, salience, (), (), 1, "assess-mitigated")
    unmitigated = RulePlan(spec, 0, salience, (), (), 1, "assess-unmitigated")
    return [
        ("assess_mitigable", mitigable,
         [AS.f_1 << Finding(mitigable=True, **common), NOT(Assessment(finding=MATCH.fid))]),
        ("assess_mitigated", found,
         [AS.f_1 << Finding(mitigable=False, **common), AS.m_1 << Mitigation(finding=MATCH.fid),
          NOT(Assessment(finding=MATCH.fid))]),
        ("assess_unmitigated", unmitigated,
         [AS.f_1 << Finding(mitigable=False, **common), NOT(Mitigation(finding=MATCH.fid)),
          NOT(Assessment(finding=MATCH.fid))]),
    ]
