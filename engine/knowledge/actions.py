"""A rule's actions (its ``then:`` list): each entry read into a ``FindingAction``,
``RecommendAction``, ``MitigateAction``, ``DeriveAction`` or ``VerdictAction``, and later checked
against the names every rule has declared.

Two passes, as for the rule itself (``rules``): ``ActionReader.read`` checks an entry's shape and
the names known before any rule is read (facts, interventions, factors); ``check_action`` runs
once every rule is read, when the findings they assert and the scope of names are known.

Must not: read files; evaluate anything; decide the order rules take effect in (``policy``).
Entry points: ``ActionReader(facts, interventions, problems).read(entry, where, rule_factor)``,
``check_action(action, scope, explanation, rule_loc, problems)``, ``ACTION_KINDS``.
"""
from __future__ import annotations

from engine import language as c
from engine.errors import Location, Problem, did_you_mean
from engine.knowledge.reader import FieldReader, parse_template_at
from engine.knowledge.spec import (
    FACTOR_IDS, FINDING_KINDS, SEVERITIES, VERDICTS, Action, DeriveAction, FindingAction,
    MitigateAction, RecommendAction, VerdictAction,
)
from engine.knowledge.typecheck import Scope, check_expression, template_problems
from engine.knowledge.vocabulary import NAME_PATTERN
from engine.knowledge.located import YMap

ACTION_KINDS = ("finding", "recommend", "mitigate", "derive", "verdict")


class ActionReader:
    """Reads one ``then:`` entry at a time; ``facts`` and ``interventions`` are the specs by name
    and id, ``problems`` the list every problem is appended to."""

    def __init__(self, facts: dict, interventions: dict, problems: list):
        self.facts, self.interventions, self.problems = facts, interventions, problems

    def read(self, entry, where: Location, rule_factor: str) -> Action | None:
        """The action of one entry, a one-key map ``{kind: {field: value}}``, or None when even
        its kind cannot be told; ``rule_factor`` is the factor a finding falls back on."""
        if not isinstance(entry, dict) or len(entry) != 1:
            self.problems.append(Problem(where, "each action is one of " + ", ".join(ACTION_KINDS)
                                                + ", e.g. \"- finding: {...}\""))
            return None
        (kind, body), = entry.items()
        if kind not in ACTION_KINDS:
            self.problems.append(Problem(where, f'unknown action "{kind}"'
                                                f"{did_you_mean(str(kind), ACTION_KINDS)}"))
            return None
        bloc = entry.loc_of(kind) if isinstance(entry, YMap) else where
        r = FieldReader(body, bloc, f"a {kind} action", self.problems)
        return _READERS[kind](self, r, bloc, rule_factor)

    def finding(self, r: FieldReader, where: Location, rule_factor: str) -> FindingAction:
        r.unknown_keys(("id", "kind", "severity", "mitigable", "text", "factor"))
        fid = r.text("id", required=True)
        if fid and not NAME_PATTERN.match(fid):
            r.problem("id", f'finding id "{fid}" must be lower_case_with_underscores')
        fkind = r.text("kind", required=True)
        if fkind and fkind not in FINDING_KINDS:
            r.problem("kind", f'kind must be barrier, enabler or note, not "{fkind}"')
        severity = r.text("severity", required=fkind == "barrier") or None
        if severity and severity not in SEVERITIES:
            r.problem("severity", f'severity must be blocking, significant or minor'
                                  f"{did_you_mean(severity, SEVERITIES)}")
        factor = r.text("factor") or rule_factor
        if not factor:
            r.problem(None, "the finding needs a factor (on the finding, the rule or the file)")
        elif factor not in FACTOR_IDS:
            r.problem("factor", f'unknown factor "{factor}"{did_you_mean(factor, FACTOR_IDS)}',
                      "unknown-factor")
        text = r.template("text", required=True)
        mitigable = bool(r.get("mitigable", bool, default=False))
        return FindingAction(fid, fkind, factor, text, severity, mitigable, where)

    def recommend(self, r: FieldReader, where: Location, _rule_factor: str) -> RecommendAction:
        r.unknown_keys(("intervention", "text", "addresses", "fact"))
        iid = r.text("intervention", required=True)
        self._check_intervention(r, "intervention", iid)
        fact = r.text("fact") or None
        if fact and fact not in self.facts:
            r.problem("fact", f'unknown fact "{fact}"{did_you_mean(fact, self.facts)}',
                      "unknown-name")
        text = r.text("text", required=fact is None)
        if not text and fact in self.facts:
            spec = self.facts[fact]
            text = f"Ask at the next visit: {spec.question or spec.meaning}"
        return RecommendAction(iid, parse_template_at(text, r.loc("text"), self.problems),
                               r.str_list("addresses"), fact, where)

    def mitigate(self, r: FieldReader, where: Location, _rule_factor: str) -> MitigateAction:
        r.unknown_keys(("finding", "by", "text", "advice"))
        by = r.text("by", required=True)
        self._check_intervention(r, "by", by)
        finding = r.text("finding", required=True)
        advice = r.template("advice") if "advice" in r.data else None
        return MitigateAction(finding, by, r.template("text", required=True), where, advice)

    def derive(self, r: FieldReader, where: Location, _rule_factor: str) -> DeriveAction:
        r.unknown_keys(("name", "value"))
        name, source = r.text("name", required=True), r.text("value", required=True)
        spec = self.facts.get(name)
        if name and (spec is None or not spec.derived):
            hint = did_you_mean(name, [n for n, f in self.facts.items() if f.derived])
            r.problem("name", f'"{name}" is not a derived fact in facts.yaml{hint}',
                      "unknown-name")
        try:
            node = c.parse(source) if source else c.Num(0)
        except c.ParseError as exc:
            self.problems.append(Problem(r.loc("value").shifted(exc.pos), exc.message, "syntax"))
            node = c.Num(0)
        return DeriveAction(name, node, source, where)

    def verdict(self, r: FieldReader, where: Location, _rule_factor: str) -> VerdictAction:
        r.unknown_keys(("value", "text"))
        value = r.text("value", required=True)
        if value and value not in VERDICTS:
            r.problem("value", f'verdict must be likely, possible_with_support or unlikely'
                               f"{did_you_mean(value, VERDICTS)}")
        return VerdictAction(value, r.template("text", required=True), where)

    def _check_intervention(self, r: FieldReader, key: str, iid: str) -> None:
        if iid and iid not in self.interventions:
            r.problem(key, f'unknown intervention "{iid}"{did_you_mean(iid, self.interventions)}',
                      "unknown-intervention")


_READERS = {"finding": ActionReader.finding, "recommend": ActionReader.recommend,
            "mitigate": ActionReader.mitigate, "derive": ActionReader.derive,
            "verdict": ActionReader.verdict}


def check_action(a: Action, scope: Scope, explanation, rule_loc: Location,
                 problems: list) -> None:
    """Check one action once every rule is read: the findings it addresses or mitigates exist
    (and a mitigated one is a barrier), a derived value and the placeholders of its text (and of
    the rule's ``explanation`` template, if any, at ``rule_loc``) type-check in ``scope``."""
    findings = scope.findings
    if isinstance(a, RecommendAction):
        for fid in a.addresses:
            if fid not in findings:
                problems.append(Problem(a.loc, f'addresses unknown finding "{fid}"'
                                               f"{did_you_mean(fid, findings)}",
                                        "unknown-finding"))
    if isinstance(a, MitigateAction):
        target = findings.get(a.finding)
        if target is None:
            problems.append(Problem(a.loc, f'mitigates unknown finding "{a.finding}"'
                                           f"{did_you_mean(a.finding, findings)}",
                                    "unknown-finding"))
        elif target.kind != "barrier":
            problems.append(Problem(a.loc, f'"{a.finding}" is not a barrier; only barriers are '
                                           "mitigated"))
    if isinstance(a, DeriveAction):
        for found in check_expression(a.value, scope, boolean=False,
                                      into=scope.facts.get(a.name)):
            problems.append(Problem(a.loc, f"in value: {found[1]}", found.code))
    templates = [] if isinstance(a, DeriveAction) else [(a.text, a.loc)]
    if isinstance(a, MitigateAction) and a.advice is not None:
        templates.append((a.advice, a.loc))
    if explanation:
        templates.append((explanation, rule_loc))
    for template, where in templates:
        problems.extend(template_problems(template, scope, where))
