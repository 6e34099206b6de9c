"""The rules of rules/*.yaml read into ``RuleSpec`` objects, in two passes.

The first pass (``shape``) reads each rule's fields, parses its conditions and reads its actions
(``actions``); then every finding the rules assert is registered, so that the second pass
(``finish``) can check names and types in conditions, actions and texts against the whole
knowledge base, read the examples (``examples``) and, last, order the rules (``policy``).

Must not: read files (``loader`` hands over the positioned entries); state the order rules take
effect in (``policy`` does; this only reports what it refuses); raise.
Entry point: ``RuleBuilder(facts, parameters, sources, interventions, problems).build(raw_rules)``
then ``.finding_specs`` and ``.order``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from engine import language as c
from engine.errors import Location, Problem, did_you_mean
from engine.knowledge.actions import ActionReader, check_action
from engine.knowledge.examples import read_example
from engine.knowledge.policy import RuleOrder, order_rules, verdict_salience_clashes
from engine.knowledge.reader import FieldReader
from engine.knowledge.spec import FACTOR_IDS, Condition, FindingAction, RuleSpec, Template
from engine.knowledge.typecheck import Scope, condition_problems
from engine.knowledge.vocabulary import check_sources
from engine.knowledge.located import YList, YMap
from engine.knowledge.words import refuse_in_conditions

ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")
RULE_FIELDS = ("id", "factor", "description", "when", "then", "sources", "examples", "judgment",
               "explanation", "salience", "compatible_with", "omits", "waive", "why")


@dataclass
class RuleDraft:
    """A rule after the first pass: its fields read, its names not yet checked."""

    id: str
    id_loc: Location
    loc: Location
    factor: str
    description: str
    sources: tuple
    sources_loc: Location
    judgment: bool
    salience: int
    compatible_with: tuple
    compatible_loc: Location
    raw_examples: list
    omits: tuple = ()
    waivers: tuple = ()
    explanation: Template | None = None
    why: str = ""  # why it matters, in plain words for the officer (optional)
    conditions: list = field(default_factory=list)
    actions: list = field(default_factory=list)


class RuleBuilder:
    """Builds ``RuleSpec`` objects in two passes: shapes first, then names and types.

    ``facts``, ``parameters``, ``sources`` and ``interventions`` are the vocabulary's specs by
    name; ``problems`` the list every problem is appended to."""

    def __init__(self, facts: dict, parameters: dict, sources: dict, interventions: dict,
                 problems: list, words: dict | None = None):
        self.facts, self.parameters, self.sources = facts, parameters, sources
        self.derived = frozenset(n for n, f in facts.items() if f.derived)
        self.words = words or {}  # words.yaml: names texts may use, never conditions
        self.problems = problems
        self.actions = ActionReader(facts, interventions, problems)
        self.finding_specs: dict[str, FindingAction] = {}
        self.order: RuleOrder | None = None

    def build(self, raw_rules: list) -> tuple:
        """``raw_rules``: ``[(entry, location, the file's factor or None), ...]`` in file order.
        Returns the ``RuleSpec`` of every rule with an id, in file order; sets ``finding_specs``
        (finding id -> first ``FindingAction``) and ``order`` (``policy.RuleOrder``)."""
        drafts = [d for d in (self.shape(*raw) for raw in raw_rules) if d]
        ids: dict[str, Location] = {}
        for d in drafts:
            if d.id in ids:
                self.problems.append(Problem(d.id_loc, f'duplicate rule id "{d.id}" (first at '
                                                       f"{ids[d.id]})", "duplicate-id"))
            else:
                ids[d.id] = d.loc
        for d in drafts:
            for a in d.actions:
                if isinstance(a, FindingAction):
                    self.register_finding(a)
        scope = Scope(self.facts, self.parameters, self.finding_specs, frozenset(ids),
                      frozenset(self.words))
        rules = tuple(self.finish(d, scope) for d in drafts)
        self.order = self.check_order(rules)
        self.place_parameter_slips()
        return rules

    def place_parameter_slips(self) -> None:
        """A parameter whose value has the wrong type for its uses is one slip, in
        parameters.yaml: reported once at its value, naming the first rule that uses it, instead
        of at every use."""
        uses: dict = {}
        kept = []
        for p in self.problems:
            if p.code.startswith("parameter-type:"):
                uses.setdefault(p.code.split(":", 1)[1], p)
            else:
                kept.append(p)
        for name, first in uses.items():
            spec = self.parameters[name]
            value = spec.value
            write = f"write {value} without quotes" if _is_number(value) else "write a number"
            what = f"text ({value!r})" if isinstance(value, str) else f"true/false ({value})"
            kept.append(Problem(spec.value_loc if spec.value_loc.path else spec.loc,
                                f'parameter "{name}" is {what}, but rules use it as a number '
                                f"(first at {first.where}): {write}", "parameter-type"))
        self.problems[:] = kept

    def register_finding(self, a: FindingAction) -> None:
        """The first action asserting a finding id defines it; another must agree with it."""
        first = self.finding_specs.get(a.id)
        if first is None:
            self.finding_specs[a.id] = a
        elif (first.kind, first.factor, first.severity) != (a.kind, a.factor, a.severity):
            self.problems.append(Problem(a.loc, f'finding "{a.id}" is asserted elsewhere ('
                                                f"{first.loc}) with another kind, factor or "
                                                "severity: give it its own id"))

    def shape(self, item, where: Location, file_factor) -> RuleDraft | None:
        """First pass over one rule entry; None when it has no id to be known by."""
        r = FieldReader(item, where, "a rule", self.problems)
        r.unknown_keys(RULE_FIELDS)
        rid = r.text("id", required=True)
        if not rid:
            return None
        if not ID_PATTERN.match(rid):
            r.problem("id", f'rule id "{rid}" may hold letters, digits, "-", "_" and "."')
        factor = r.text("factor") or (file_factor if isinstance(file_factor, str) else "")
        if factor and factor not in FACTOR_IDS:
            r.problem("factor" if "factor" in r.data else None,
                      f'unknown factor "{factor}"{did_you_mean(factor, FACTOR_IDS)}',
                      "unknown-factor")
        salience = r.get("salience", int, default=0)
        if not -50 <= salience <= 50:
            r.problem("salience", "salience must be from -50 to 50")
        draft = RuleDraft(
            id=rid, id_loc=r.loc("id"), loc=where, factor=factor,
            description=r.text("description", required=True),
            sources=r.str_list("sources", required=True), sources_loc=r.loc("sources"),
            judgment=bool(r.get("judgment", bool, default=False)), salience=salience,
            compatible_with=r.str_list("compatible_with"),
            compatible_loc=r.loc("compatible_with"),
            raw_examples=r.get("examples", list, default=[]), waivers=r.waivers(),
            why=r.text("why"))
        if not draft.sources:
            r.problem(None, f'rule "{rid}" cites no source: add "sources:" (JUDGMENT for the '
                            "team's own inference)", "no-source")
        if "explanation" in r.data:
            draft.explanation = r.template("explanation")
        draft.omits = self.read_omits(r)
        self.read_conditions(r, draft)
        self.read_actions(r, draft)
        return draft

    def read_omits(self, r: FieldReader) -> tuple:
        """``omits:``: intervention -> why this rule does not advise it although the catalogue
        lists it for the rule (``use_when``); ``((intervention, why), ...)``."""
        omits = r.get("omits", dict, default={})
        out = []
        for iid, why in omits.items():
            where = omits.key_loc(iid) if isinstance(omits, YMap) else r.loc("omits")
            known = self.actions.interventions
            if iid not in known:
                self.problems.append(Problem(where, f'omits names no intervention "{iid}"'
                                                    f"{did_you_mean(str(iid), known)}"))
            elif not isinstance(why, str) or not why.strip():
                self.problems.append(Problem(where, f'say why the rule omits {iid} (a sentence)'))
            else:
                out.append((str(iid), " ".join(why.split())))
        return tuple(out)

    def read_conditions(self, r: FieldReader, draft: RuleDraft) -> None:
        """``when:``: one condition or a list of them, each text parsed into a ``Condition``."""
        when = r.get("when", (list, str), required=True, default=[])
        if isinstance(when, str):
            when = YList([when])
            when.loc, when.item_locs = r.loc("when"), [r.loc("when")]
        if isinstance(when, list) and not when:
            r.problem("when", "a rule needs at least one condition")
        for i, text in enumerate(when):
            cloc = when.loc_of(i) if isinstance(when, YList) else r.loc("when")
            if isinstance(text, bool):
                self.problems.append(Problem(cloc, "a condition must be text; quote it or "
                                                   "write the fact name"))
            elif not isinstance(text, str):
                self.problems.append(Problem(cloc, "a condition must be text, e.g. "
                                                   "\"payback_months > 12\""))
            else:
                try:
                    draft.conditions.append(Condition(text, c.parse(text), cloc))
                except c.ParseError as exc:
                    self.problems.append(Problem(cloc.shifted(exc.pos), exc.message, "syntax"))

    def read_actions(self, r: FieldReader, draft: RuleDraft) -> None:
        """``then:``: a list of actions (``actions.ActionReader``)."""
        then = r.get("then", list, required=True, default=[])
        if isinstance(then, list) and not then and "then" in r.data:
            r.problem("then", "a rule needs at least one action")
        for i, entry in enumerate(then):
            aloc = then.loc_of(i) if isinstance(then, YList) else draft.loc
            action = self.actions.read(entry, aloc, draft.factor)
            if action is not None:
                draft.actions.append(action)

    def finish(self, d: RuleDraft, scope: Scope) -> RuleSpec:
        """Second pass: names and types against the whole knowledge base, then the examples."""
        for cond in d.conditions:
            self.problems.extend(condition_problems(cond.node, scope, cond.loc))
            refuse_in_conditions(cond.node, self.words, cond.loc, self.problems)
            self.check_derived_unknowns(cond)
        check_sources(d.sources, self.sources, d.sources_loc, self.problems)
        for rid in d.compatible_with:
            if rid not in scope.rule_ids:
                hint = did_you_mean(rid, scope.rule_ids)
                self.problems.append(Problem(d.compatible_loc, f'compatible_with names no rule '
                                                               f'"{rid}"{hint}', "unknown-rule"))
        for a in d.actions:
            check_action(a, scope, d.explanation, d.loc, self.problems)
        examples = tuple(read_example(e, d.loc, scope, self.problems) for e in d.raw_examples)
        if not d.raw_examples:
            self.problems.append(Problem(d.loc, f'rule "{d.id}" has no example: add '
                                                '"examples:" with given facts and fires: true',
                                         "no-example", "warning"))
        return RuleSpec(id=d.id, factor=d.factor, description=d.description,
                        conditions=tuple(d.conditions), actions=tuple(d.actions),
                        sources=d.sources, examples=examples, judgment=d.judgment,
                        explanation=d.explanation, salience=d.salience, loc=d.loc,
                        compatible_with=d.compatible_with, omits=d.omits,
                        waivers=d.waivers, why=d.why)

    def check_derived_unknowns(self, cond: Condition) -> None:
        """``x is known/unknown`` on a derived fact must be a whole condition of its own."""
        derived = self.derived
        top = cond.node
        for node in c.walk(top):
            if isinstance(node, c.IsKnown) and node.operand.name in derived and node is not top:
                self.problems.append(Problem(cond.loc.shifted(node.pos),
                                             f'"{node.operand.name} is known/unknown" on a '
                                             "derived fact must stand alone as a condition"))

    def check_order(self, rules: tuple) -> RuleOrder:
        """The rules' order (``policy``); a cycle through a negation, or two verdict rules whose
        priority only file order would decide, is a problem."""
        derived = {n for n, f in self.facts.items() if f.derived}
        order = order_rules(rules, self.finding_specs, derived)
        for rid in order.cycle:
            rule = next(r for r in rules if r.id == rid)
            self.problems.append(Problem(rule.loc, f'rule "{rid}" is on a cycle through a negation'
                                                   " (it tests the absence of something that "
                                                   "depends on its own conclusion): break the "
                                                   "cycle", "cycle"))
        for first, second in verdict_salience_clashes(rules):
            self.problems.append(Problem(second.loc, f'verdict rules "{first.id}" ({first.loc}) '
                                                     f'and "{second.id}" both have salience '
                                                     f"{second.salience}: give them different "
                                                     "saliences, so that the one tried first is "
                                                     "chosen, not left to file order",
                                         "verdict-order"))
        return order


def _is_number(text) -> bool:
    try:
        float(str(text))
    except ValueError:
        return False
    return True
