"""Names: references to what is not defined, and vocabulary that nothing uses.

Undefined names stop the knowledge base from loading; the loader finds them and ``lint``
reports them under these codes (``loader_problems``):

KB101 (error)
    A reference to an undefined fact or parameter. Fix the name (a suggestion is given).
KB102 (error)
    A reference to an undefined finding. Fix the id, or add the rule that asserts it.
KB103 (error)
    A reference to an undefined intervention. Fix the id or add it to ``interventions.yaml``.
KB104 (error)
    A reference to an undefined source. Add it to ``sources.yaml``.
KB105 (error)
    A reference to an undefined rule id (``fired(...)``, ``compatible_with``). Fix the id.

Unused vocabulary, found here in a knowledge base that loads:

KB201 (warning)
    An input fact no rule reads (a fact named only in texts counts as unread). Use it in a
    condition or remove it.
KB202 (warning)
    A note no rule consumes and no recommendation addresses: it changes no factor, verdict or
    advice. Use it, address it, or remove it.
KB203 (warning)
    A parameter no rule or text uses. Remove it.
KB204 (warning)
    An intervention no rule recommends or uses to mitigate. Add a rule or remove it.
KB205 (warning)
    A derived fact that is computed but never read. Remove the ``derive``.
KB206 (warning)
    A source nothing cites (no rule, parameter or intervention). Cite it or remove it.
KB207 (warning)
    A derived fact that is read but no rule computes: it is always unknown. Add the
    ``derive`` or fix the name.

Must not: report rules that cannot fire (``reachability``). Entry point: ``check(ctx)``.
"""
from __future__ import annotations

from engine import language as c
from engine.errors import Problem
from engine.knowledge.spec import DeriveAction, MitigateAction, RecommendAction, RuleSpec

from .context import Context, problem

ID = "names"


def check(ctx: Context) -> list[Problem]:
    """KB201-KB207, in the order of the vocabulary files."""
    uses = _Uses(ctx)
    return (_unused_facts(ctx, uses) + _unused_findings(ctx, uses) +
            _unused_parameters(ctx, uses) + _unused_interventions(ctx, uses) +
            _uncited_sources(ctx))


class _Uses:
    """Where the rules mention each name: conditions, values, texts; findings they consume and
    interventions they recommend or mitigate by."""

    def __init__(self, ctx: Context):
        in_conditions, in_values, self.in_texts = set(), set(), set()
        self.consumed_findings, self.recommended = set(), set()
        for rule in ctx.kb.rules:
            for cond in rule.conditions:
                in_conditions |= c.names_in(cond.node)
            for a in rule.actions:
                if isinstance(a, DeriveAction):
                    in_values |= c.names_in(a.value)
                if isinstance(a, RecommendAction):
                    self.recommended.add(a.intervention)
                    self.consumed_findings |= set(a.addresses)
                    if a.fact:
                        in_values.add(a.fact)
                if isinstance(a, MitigateAction):
                    self.recommended.add(a.by)
                    self.consumed_findings.add(a.finding)
            for t in _templates(rule):
                self.in_texts |= _template_names(t)
            deps = ctx.deps[rule.id]
            self.consumed_findings |= {key[1] for key in deps.positive | deps.negative
                                       if key[0] == "finding"}
        self.read = in_conditions | in_values


def _unused_facts(ctx: Context, uses: _Uses) -> list[Problem]:
    out = []
    read, in_texts = uses.read, uses.in_texts
    amounts = {n for f in ctx.kb.input_facts.values() for n in f.amounts[:2]}
    for name, fact in ctx.kb.input_facts.items():
        if name not in read and not fact.closes and name not in amounts:
            # a gate is used through the facts it closes, an amount through its ratios
            also = " (it only appears in texts)" if name in in_texts else ""
            out.append(problem("KB201", fact.loc, f'input fact "{name}" is read by no rule'
                                                  f"{also}: use it in a condition or "
                                                  "remove it", "warning", (f"fact:{name}",)))
    for name, fact in ctx.kb.derived_facts.items():
        derived = ("derived", name) in ctx.producers
        if derived and name not in read | in_texts:
            out.append(problem("KB205", fact.loc, f'derived fact "{name}" is computed but '
                                                  "no rule or text reads it", "warning",
                               (f"fact:{name}",)))
        elif not derived and name in read | in_texts:
            out.append(problem("KB207", fact.loc, f'derived fact "{name}" is read but no '
                                                  "rule derives it: it is always unknown",
                               "warning", (f"fact:{name}",)))
    return out


def _unused_findings(ctx: Context, uses: _Uses) -> list[Problem]:
    addressed = _addressed_by_default(ctx)
    asserted_by = {}
    for rule in ctx.kb.rules:
        for action in rule.findings():
            asserted_by.setdefault(action.id, f"rule:{rule.id}")
    return [problem("KB202", action.loc,
                    f'finding "{fid}" is a note that no rule consumes and no '
                    "recommendation addresses: it changes no factor, verdict or "
                    "advice", "warning", (asserted_by[fid],))
            for fid, action in ctx.kb.finding_specs.items()
            if fid not in uses.consumed_findings and fid not in addressed
            and action.kind == "note"]


def _addressed_by_default(ctx: Context) -> set:
    """Findings of rules whose recommendation names no ``addresses`` (it addresses them all)."""
    out = set()
    for rule in ctx.kb.rules:
        recs = rule.actions_of(RecommendAction)
        if any(not a.addresses for a in recs):
            out |= {a.id for a in rule.findings()}
    return out


def _unused_parameters(ctx: Context, uses: _Uses) -> list[Problem]:
    return [problem("KB203", param.loc, f'parameter "{name}" is used by no rule', "warning",
                    (f"parameter:{name}",))
            for name, param in ctx.kb.parameters.items()
            if name not in uses.read | uses.in_texts]


def _unused_interventions(ctx: Context, uses: _Uses) -> list[Problem]:
    return [problem("KB204", spec.loc, f'intervention "{iid}" is recommended by no rule',
                    "warning", (f"intervention:{iid}",))
            for iid, spec in ctx.kb.interventions.items() if iid not in uses.recommended]


def _uncited_sources(ctx: Context) -> list[Problem]:
    kb = ctx.kb
    cited = set()
    for rule in kb.rules:
        cited |= set(rule.sources)
    for spec in list(kb.parameters.values()) + list(kb.interventions.values()):
        cited |= set(spec.sources)
    return [problem("KB206", source.loc, f'source "{key}" is cited by nothing', "warning",
                    (f"source:{key}",))
            for key, source in kb.sources.items() if key not in cited]


def _templates(rule: RuleSpec) -> list:
    """The rule's texts: every action's ``text`` and its explanation."""
    out = [a.text for a in rule.actions if hasattr(a, "text") and a.text is not None]
    if rule.explanation:
        out.append(rule.explanation)
    return out


def _template_names(template) -> set:
    return set().union(*[c.names_in(p.node) for p in template.parts
                         if isinstance(p, c.Placeholder)] or [set()])
