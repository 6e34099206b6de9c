"""Load a knowledge-base folder into frozen specs, checking everything before it is used.

Reads kb.yaml, factors.yaml, facts.yaml, parameters.yaml, sources.yaml, interventions.yaml and
rules/*.yaml; collects every problem (``file:line:col: message``, with a did-you-mean for unknown
names) and raises ``KnowledgeBaseError`` with all of them, so a knowledge base with any error is
never compiled. Never imports experta.

Entry points: ``load_knowledge_base(root)`` and ``validate(root) -> list[Problem]``.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from engine import language as c
from engine.knowledge.typecheck import Scope, check_expression
from engine.knowledge.policy import RuleOrder, order_rules, verdict_salience_clashes
from engine.errors import KnowledgeBaseError, Location, Problem, did_you_mean
from engine.knowledge.spec import (
    FACT_TYPES, FACTOR_IDS, FINDING_KINDS, SEVERITIES, VERDICTS, Condition, DeriveAction, Example,
    FactorSpec, FactSpec, FindingAction, InterventionSpec, KnowledgeBase, MitigateAction,
    ParameterSpec, RecommendAction, RuleSpec, SourceSpec, Template, VerdictAction,
)
from engine.errors import ValueProblem
from engine.knowledge.values import check_value
from engine.knowledge.yamlsource import YamlReadError, YList, YMap, read_document

ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
KB_FILES = ("kb.yaml", "factors.yaml", "facts.yaml", "parameters.yaml", "sources.yaml",
            "interventions.yaml")
OPPORTUNITY_GROUP = "opportunity"
# Names the condition language gives a meaning of its own; no fact or parameter may take them.
RESERVED_NAMES = frozenset({"verdict"})
ACTION_KINDS = ("finding", "recommend", "mitigate", "derive", "verdict")


class _Reader:
    """Field access on a located map that records what is missing or of the wrong type."""

    def __init__(self, data: Any, where: Location, what: str, problems: list):
        self.where = where
        self.what = what
        self.problems = problems
        if not isinstance(data, dict):
            problems.append(Problem(where, f"{what} must be a map of name: value"))
            data = YMap()
            data.loc, data.key_locs, data.value_locs = where, {}, {}
        self.data = data

    def loc(self, key: str) -> Location:
        return self.data.loc_of(key) if isinstance(self.data, YMap) else self.where

    def problem(self, key: str | None, message: str, code: str = "invalid") -> None:
        where = self.loc(key) if key else self.where
        self.problems.append(Problem(where, message, code))

    def get(self, key: str, kind: type | tuple, required: bool = False, default=None):
        if key not in self.data or self.data[key] is None:
            if required:
                self.problem(None, f'{self.what} needs "{key}"', "missing")
            return default
        value = self.data[key]
        if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        if kind is int and isinstance(value, bool):
            self.problem(key, f'"{key}" must be a whole number')
            return default
        if not isinstance(value, kind):
            names = {str: "text", bool: "true or false", int: "a whole number", list: "a list",
                     dict: "a map", float: "a number"}
            want = names.get(kind, "a value") if isinstance(kind, type) else "a value"
            self.problem(key, f'"{key}" must be {want}')
            return default
        return value

    def text(self, key: str, required: bool = False, default: str = "") -> str:
        value = self.get(key, (str, int, float), required, default)
        return str(value) if value is not None else default

    def str_list(self, key: str, required: bool = False) -> tuple:
        value = self.get(key, (list, str), required, [])
        if isinstance(value, str):
            value = [value]
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, (str, int, float)) or isinstance(item, bool):
                where = value.loc_of(i) if isinstance(value, YList) else self.loc(key)
                self.problems.append(Problem(where, f'items of "{key}" must be plain names'))
            else:
                out.append(str(item))
        return tuple(out)

    def unknown_keys(self, allowed: tuple) -> None:
        for key in self.data:
            if key not in allowed:
                where = self.data.key_loc(key) if isinstance(self.data, YMap) else self.where
                self.problems.append(Problem(where, f'unknown field "{key}" in {self.what}'
                                                    f"{did_you_mean(str(key), allowed)}"))


def _read(path: Path, problems: list):
    try:
        return read_document(path, problems=problems).data
    except YamlReadError as exc:
        problems.extend(exc.problems)
        return None


def _entries(data, key: str, path: Path, problems: list):
    """The list under ``key`` (or a map of id -> entry), each with its location."""
    where = Location(str(path), 1, 1)
    if not isinstance(data, dict) or key not in data:
        problems.append(Problem(where, f'expected a top-level "{key}:"', "missing"))
        return []
    items = data[key]
    out = []
    if isinstance(items, YList):
        for i, item in enumerate(items):
            out.append((None, item, items.loc_of(i)))
    elif isinstance(items, YMap):
        for k, item in items.items():
            out.append((k, item, items.key_loc(k)))
    else:
        problems.append(Problem(data.loc_of(key), f'"{key}" must be a list or a map'))
    return out


def load_knowledge_base(root: str | Path) -> KnowledgeBase:
    kb, problems = _load(Path(root))
    errors = [p for p in problems if p.severity == "error"]
    if errors or kb is None:
        raise KnowledgeBaseError(errors or problems)
    return kb


def validate(root: str | Path) -> list[Problem]:
    return _load(Path(root))[1]


def _load(root: Path) -> tuple[KnowledgeBase | None, list[Problem]]:
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(Location(str(root)), "knowledge base folder not found: give the "
                                                     "folder holding kb.yaml and rules/"))
        return None, problems
    docs = {name: _read(root / name, problems) for name in KB_FILES}
    meta = _Reader(docs["kb.yaml"] or {}, Location(str(root / "kb.yaml"), 1, 1), "kb.yaml",
                   problems)
    factors = _load_factors(docs["factors.yaml"], root / "factors.yaml", problems)
    sources = _load_sources(docs["sources.yaml"], root / "sources.yaml", problems)
    facts = _load_facts(docs["facts.yaml"], root / "facts.yaml", factors, problems)
    parameters = _load_parameters(docs["parameters.yaml"], root / "parameters.yaml", facts,
                                  sources, problems)
    interventions = _load_interventions(docs["interventions.yaml"], root / "interventions.yaml",
                                        sources, problems)
    rule_files = sorted((root / "rules").glob("*.yaml")) if (root / "rules").is_dir() else []
    if not rule_files:
        problems.append(Problem(Location(str(root / "rules")), "no rule files (rules/*.yaml)"))
    raw_rules = []
    for path in rule_files:
        data = _read(path, problems)
        if data is None:
            continue
        file_factor = data.get("factor") if isinstance(data, dict) else None
        for _, item, where in _entries(data, "rules", path, problems):
            raw_rules.append((item, where, file_factor))
    rules = _RuleBuilder(facts, parameters, sources, interventions, factors, problems)
    specs = rules.build(raw_rules)
    digest = _digest(root, rule_files)
    case_files = tuple(str(p) for p in sorted((root / "cases").glob("*.yaml"))) \
        if (root / "cases").is_dir() else ()
    kb = KnowledgeBase(
        name=meta.text("name", required=True), version=meta.text("version", required=True),
        digest=digest, root=str(root), facts=facts, factors=factors, parameters=parameters,
        sources=sources, interventions=interventions, rules=specs, case_files=case_files,
        finding_specs=rules.finding_specs, order=rules.order)
    return kb, problems


def _digest(root: Path, rule_files: list) -> str:
    h = hashlib.sha256()
    for path in [root / n for n in KB_FILES] + list(rule_files):
        if path.is_file():
            h.update(path.name.encode() + b"\0")
            try:  # in chunks: memory stays flat whatever the size (an oversize file is an error)
                with open(path, "rb") as stream:
                    for chunk in iter(lambda: stream.read(1 << 20), b""):
                        h.update(chunk)
            except OSError:
                pass  # unreadable: reported by the reader, and the knowledge base is refused
    return "sha256:" + h.hexdigest()[:16]


def _load_factors(data, path: Path, problems: list) -> dict:
    out = {}
    for _, item, where in _entries(data, "factors", path, problems) if data else []:
        r = _Reader(item, where, "a factor", problems)
        fid = r.text("id", required=True)
        if fid and fid not in FACTOR_IDS:
            r.problem("id", f'"{fid}" is not one of the twelve factor ids'
                            f"{did_you_mean(fid, FACTOR_IDS)}")
        elif fid in out:
            r.problem("id", f'factor "{fid}" is listed twice', "duplicate-id")
        elif fid:
            out[fid] = FactorSpec(fid, r.text("label", required=True), r.text("description"),
                                  where)
    if data:
        for fid in FACTOR_IDS:
            if fid not in out:
                problems.append(Problem(Location(str(path), 1, 1),
                                        f'factor "{fid}" of the result contract is missing'))
    return out


def _load_sources(data, path: Path, problems: list) -> dict:
    out = {}
    for key, item, where in _entries(data, "sources", path, problems) if data else []:
        r = _Reader(item, where, f'source "{key}"', problems)
        key = key or r.text("key", required=True)
        if key in out:
            problems.append(Problem(where, f'source "{key}" is listed twice', "duplicate-id"))
            continue
        out[str(key)] = SourceSpec(str(key), r.text("title", required=True),
                                   r.text("reference"), r.text("url"), where)
    return out


def _check_sources(keys: tuple, sources: dict, where: Location, problems: list) -> None:
    for key in keys:
        if key not in sources:
            problems.append(Problem(where, f'unknown source "{key}"{did_you_mean(key, sources)}'
                                           " (add it to sources.yaml)", "unknown-source"))


def _load_facts(data, path: Path, factors: dict, problems: list) -> dict:
    out = {}
    groups = set(FACTOR_IDS) | {OPPORTUNITY_GROUP}
    fields = ("name", "type", "factor", "meaning", "question", "help", "unit", "values", "min",
              "max", "derived")
    for _, item, where in _entries(data, "facts", path, problems) if data else []:
        r = _Reader(item, where, "a fact", problems)
        r.unknown_keys(fields)
        name = r.text("name", required=True)
        ftype = r.text("type", required=True)
        derived = bool(r.get("derived", bool, default=False))
        if name and not NAME_PATTERN.match(name):
            r.problem("name", f'fact name "{name}" must be lower_case_with_underscores')
        elif name in RESERVED_NAMES:
            r.problem("name", f'"{name}" is reserved: conditions use it for the concluded '
                              "verdict; give the fact another name", "name-clash")
        if name in out:
            r.problem("name", f'fact "{name}" is defined twice (first at line '
                              f"{out[name].loc.line})", "duplicate-id")
            continue
        if ftype not in FACT_TYPES:
            r.problem("type", f'unknown type "{ftype}"{did_you_mean(ftype, FACT_TYPES)}')
        factor = r.text("factor", required=True)
        if factor and factor not in groups:
            r.problem("factor", f'unknown factor "{factor}"{did_you_mean(factor, groups)}')
        values = r.str_list("values", required=ftype in ("enum", "list[enum]"))
        question = r.text("question", required=not derived)
        out[name] = FactSpec(name=name, type=ftype, factor=factor, meaning=r.text("meaning"),
                             question=question, help=r.text("help"), unit=r.text("unit"),
                             values=values, min=r.get("min", float), max=r.get("max", float),
                             derived=derived, loc=where)
    return out


def _load_parameters(data, path, facts, sources, problems) -> dict:
    out = {}
    for key, item, where in _entries(data, "parameters", path, problems) if data else []:
        r = _Reader(item, where, f'parameter "{key}"', problems)
        r.unknown_keys(("value", "unit", "rationale", "judgment", "sources"))
        name = str(key)
        if not NAME_PATTERN.match(name):
            problems.append(Problem(where, f'parameter name "{name}" must be lower_case'))
        elif name in RESERVED_NAMES:
            problems.append(Problem(where, f'"{name}" is reserved: conditions use it for the '
                                           "concluded verdict; give the parameter another name",
                                    "name-clash"))
        if name in facts:
            problems.append(Problem(where, f'parameter "{name}" has the name of a fact: '
                                           "rename one", "name-clash"))
        value = r.get("value", (int, float, str, bool), required=True)
        srcs = r.str_list("sources")
        _check_sources(srcs, sources, r.loc("sources"), problems)
        out[name] = ParameterSpec(name, value, r.text("rationale", required=True),
                                  r.text("unit"), bool(r.get("judgment", bool, default=False)),
                                  srcs, where)
    return out


def _load_interventions(data, path, sources, problems) -> dict:
    out = {}
    for key, item, where in _entries(data, "interventions", path, problems) if data else []:
        r = _Reader(item, where, f'intervention "{key}"', problems)
        srcs = r.str_list("sources")
        _check_sources(srcs, sources, r.loc("sources"), problems)
        out[str(key)] = InterventionSpec(str(key), r.text("label", required=True),
                                         r.text("does", required=True), srcs, where)
    return out


class _RuleBuilder:
    """Builds ``RuleSpec`` objects in two passes: shapes first, then names and types."""

    def __init__(self, facts, parameters, sources, interventions, factors, problems):
        self.facts, self.parameters, self.sources = facts, parameters, sources
        self.interventions, self.factors, self.problems = interventions, factors, problems
        self.finding_specs: dict[str, FindingAction] = {}

    def build(self, raw_rules: list) -> tuple:
        drafts = [d for d in (self.shape(*raw) for raw in raw_rules) if d]
        ids: dict[str, Location] = {}
        for d in drafts:
            if d["id"] in ids:
                self.problems.append(Problem(d["id_loc"], f'duplicate rule id "{d["id"]}" (first '
                                                          f"at {ids[d['id']]})", "duplicate-id"))
            else:
                ids[d["id"]] = d["loc"]
        for d in drafts:
            for a in d["actions"]:
                if isinstance(a, FindingAction):
                    self.register_finding(a)
        scope = Scope(self.facts, self.parameters, self.finding_specs, frozenset(ids))
        rules = tuple(self.finish(d, scope) for d in drafts)
        self.order = self.check_order(rules)
        return rules

    def register_finding(self, a: FindingAction) -> None:
        first = self.finding_specs.get(a.id)
        if first is None:
            self.finding_specs[a.id] = a
        elif (first.kind, first.factor, first.severity) != (a.kind, a.factor, a.severity):
            self.problems.append(Problem(a.loc, f'finding "{a.id}" is asserted elsewhere ('
                                                f"{first.loc}) with another kind, factor or "
                                                "severity: give it its own id"))

    def template(self, text: str, where: Location) -> Template:
        try:
            return Template(text, tuple(c.parse_template(text)))
        except c.ParseError as exc:
            self.problems.append(Problem(where.shifted(exc.pos), f"in text: {exc.message}"))
            return Template(text, (text,))

    def shape(self, item, where: Location, file_factor) -> dict | None:
        r = _Reader(item, where, "a rule", self.problems)
        r.unknown_keys(("id", "factor", "description", "when", "then", "sources", "examples",
                        "judgment", "explanation", "salience", "compatible_with"))
        rid = r.text("id", required=True)
        if not rid:
            return None
        if not ID_PATTERN.match(rid):
            r.problem("id", f'rule id "{rid}" may hold letters, digits, "-", "_" and "."')
        factor = r.text("factor") or (file_factor if isinstance(file_factor, str) else "")
        if factor and factor not in FACTOR_IDS:
            r.problem("factor" if "factor" in r.data else None,
                      f'unknown factor "{factor}"{did_you_mean(factor, FACTOR_IDS)}')
        salience = r.get("salience", int, default=0)
        if not -50 <= salience <= 50:
            r.problem("salience", "salience must be from -50 to 50")
        draft = {"id": rid, "id_loc": r.loc("id"), "loc": where, "factor": factor,
                 "description": r.text("description", required=True),
                 "sources": r.str_list("sources", required=True), "sources_loc": r.loc("sources"),
                 "judgment": bool(r.get("judgment", bool, default=False)),
                 "salience": salience, "conditions": [], "actions": [], "examples": [],
                 "compatible_with": r.str_list("compatible_with"),
                 "compatible_loc": r.loc("compatible_with"),
                 "raw_examples": r.get("examples", list, default=[])}
        if not draft["sources"]:
            r.problem(None, f'rule "{rid}" cites no source: add "sources:" (JUDGMENT for the '
                            "team's own inference)", "no-source")
        if "explanation" in r.data:
            draft["explanation"] = self.template(r.text("explanation"), r.loc("explanation"))
        when = r.get("when", (list, str), required=True, default=[])
        if isinstance(when, str):
            when = YList([when])
            when.loc, when.item_locs = r.loc("when"), [r.loc("when")]
        if isinstance(when, list) and not when:
            r.problem("when", "a rule needs at least one condition")
        for i, text in enumerate(when):
            cloc = when.loc_of(i) if isinstance(when, YList) else r.loc("when")
            if not isinstance(text, str):
                if isinstance(text, bool):
                    self.problems.append(Problem(cloc, "a condition must be text; quote it or "
                                                       "write the fact name"))
                    continue
                self.problems.append(Problem(cloc, "a condition must be text, e.g. "
                                                   "\"payback_months > 12\""))
                continue
            try:
                draft["conditions"].append(Condition(text, c.parse(text), cloc))
            except c.ParseError as exc:
                self.problems.append(Problem(cloc.shifted(exc.pos), exc.message, "syntax"))
        then = r.get("then", list, required=True, default=[])
        if isinstance(then, list) and not then and "then" in r.data:
            r.problem("then", "a rule needs at least one action")
        for i, entry in enumerate(then):
            aloc = then.loc_of(i) if isinstance(then, YList) else where
            action = self.action(entry, aloc, factor)
            if action is not None:
                draft["actions"].append(action)
        return draft

    def action(self, entry, where: Location, rule_factor: str):
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
        r = _Reader(body, bloc, f"a {kind} action", self.problems)
        if kind == "finding":
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
                r.problem(None, "the finding needs a factor (on the finding, the rule or the "
                                "file)")
            elif factor not in FACTOR_IDS:
                r.problem("factor", f'unknown factor "{factor}"'
                                    f"{did_you_mean(factor, FACTOR_IDS)}")
            return FindingAction(fid, fkind, factor, self.template(r.text("text", required=True),
                                                                   r.loc("text")),
                                 severity, bool(r.get("mitigable", bool, default=False)), bloc)
        if kind == "recommend":
            r.unknown_keys(("intervention", "text", "addresses", "fact"))
            iid = r.text("intervention", required=True)
            if iid and iid not in self.interventions:
                r.problem("intervention", f'unknown intervention "{iid}"'
                                          f"{did_you_mean(iid, self.interventions)}")
            fact = r.text("fact") or None
            if fact and fact not in self.facts:
                r.problem("fact", f'unknown fact "{fact}"{did_you_mean(fact, self.facts)}')
            text = r.text("text", required=fact is None)
            if not text and fact in self.facts:
                spec = self.facts[fact]
                text = f"Ask at the next visit: {spec.question or spec.meaning}"
            return RecommendAction(iid, self.template(text, r.loc("text")),
                                   r.str_list("addresses"), fact, bloc)
        if kind == "mitigate":
            r.unknown_keys(("finding", "by", "text"))
            by = r.text("by", required=True)
            if by and by not in self.interventions:
                r.problem("by", f'unknown intervention "{by}"'
                                f"{did_you_mean(by, self.interventions)}")
            return MitigateAction(r.text("finding", required=True), by,
                                  self.template(r.text("text", required=True), r.loc("text")),
                                  bloc)
        if kind == "derive":
            r.unknown_keys(("name", "value"))
            name, source = r.text("name", required=True), r.text("value", required=True)
            spec = self.facts.get(name)
            if name and (spec is None or not spec.derived):
                hint = did_you_mean(name, [n for n, f in self.facts.items() if f.derived])
                r.problem("name", f'"{name}" is not a derived fact in facts.yaml{hint}')
            try:
                node = c.parse(source) if source else c.Num(0)
            except c.ParseError as exc:
                self.problems.append(Problem(r.loc("value").shifted(exc.pos), exc.message,
                                             "syntax"))
                node = c.Num(0)
            return DeriveAction(name, node, source, bloc)
        r.unknown_keys(("value", "text"))
        value = r.text("value", required=True)
        if value and value not in VERDICTS:
            r.problem("value", f'verdict must be likely, possible_with_support or unlikely'
                               f"{did_you_mean(value, VERDICTS)}")
        return VerdictAction(value, self.template(r.text("text", required=True), r.loc("text")),
                             bloc)

    def finish(self, d: dict, scope: Scope) -> RuleSpec:
        for cond in d["conditions"]:
            for pos, msg in check_expression(cond.node, scope, boolean=True):
                self.problems.append(Problem(cond.loc.shifted(pos), msg, "type"))
            self.check_derived_unknowns(cond)
        _check_sources(d["sources"], self.sources, d["sources_loc"], self.problems)
        for rid in d["compatible_with"]:
            if rid not in scope.rule_ids:
                hint = did_you_mean(rid, scope.rule_ids)
                self.problems.append(Problem(d["compatible_loc"], f'compatible_with names no '
                                                                  f'rule "{rid}"{hint}',
                                             "unknown-rule"))
        for a in d["actions"]:
            self.check_action(a, scope, d)
        examples = tuple(self.example(e, d) for e in d["raw_examples"])
        if not d["raw_examples"]:
            self.problems.append(Problem(d["loc"], f'rule "{d["id"]}" has no example: add '
                                                   '"examples:" with given facts and fires: true',
                                         "no-example", "warning"))
        return RuleSpec(id=d["id"], factor=d["factor"], description=d["description"],
                        conditions=tuple(d["conditions"]), actions=tuple(d["actions"]),
                        sources=d["sources"], examples=tuple(e for e in examples if e),
                        judgment=d["judgment"], explanation=d.get("explanation"),
                        salience=d["salience"], loc=d["loc"],
                        compatible_with=d["compatible_with"])

    def check_derived_unknowns(self, cond: Condition) -> None:
        derived = {n for n, f in self.facts.items() if f.derived}
        top = cond.node
        for node in c.walk(top):
            if isinstance(node, c.IsKnown) and node.operand.name in derived and node is not top:
                self.problems.append(Problem(cond.loc.shifted(node.pos),
                                             f'"{node.operand.name} is known/unknown" on a '
                                             "derived fact must stand alone as a condition"))

    def check_action(self, a, scope: Scope, d: dict) -> None:
        templates = []
        if isinstance(a, (FindingAction, RecommendAction, MitigateAction, VerdictAction)):
            templates.append((a.text, a.loc))
        if isinstance(a, RecommendAction):
            for fid in a.addresses:
                if fid not in self.finding_specs:
                    self.problems.append(Problem(a.loc, f'addresses unknown finding "{fid}"'
                                                        f"{did_you_mean(fid, self.finding_specs)}"))
        if isinstance(a, MitigateAction):
            target = self.finding_specs.get(a.finding)
            if target is None:
                self.problems.append(Problem(a.loc, f'mitigates unknown finding "{a.finding}"'
                                                    f"{did_you_mean(a.finding, self.finding_specs)}"))
            elif target.kind != "barrier":
                self.problems.append(Problem(a.loc, f'"{a.finding}" is not a barrier; only '
                                                    "barriers are mitigated"))
        if isinstance(a, DeriveAction):
            for pos, msg in check_expression(a.value, scope, boolean=False):
                self.problems.append(Problem(a.loc, f"in value: {msg}", "type"))
        if d.get("explanation"):
            templates.append((d["explanation"], d["loc"]))
        for tpl, where in templates:
            for part in tpl.parts:
                if isinstance(part, c.Placeholder):
                    for pos, msg in check_expression(part.node, scope, boolean=False):
                        self.problems.append(Problem(where, f"in text {{{c.to_text(part.node)}}}:"
                                                            f" {msg}", "type"))

    def example(self, raw, d: dict) -> Example | None:
        where = getattr(raw, "loc", d["loc"])
        r = _Reader(raw, where, "an example", self.problems)
        r.unknown_keys(("given", "fires", "findings", "verdict", "note"))
        given = r.get("given", dict, required=True, default={})
        fires = r.get("fires", bool, required=True, default=True)
        values = {}
        for name, value in given.items():
            vloc = given.loc_of(name) if isinstance(given, YMap) else where
            fact = self.facts.get(name)
            if fact is None or fact.derived:
                self.problems.append(Problem(vloc, f'unknown input fact "{name}"'
                                                   f"{did_you_mean(str(name), self.facts)}"))
                continue
            try:
                values[name] = check_value(fact, value)
            except ValueProblem as exc:
                self.problems.append(Problem(vloc, str(exc)))
        findings = r.str_list("findings")
        for fid in findings:
            if fid not in self.finding_specs:
                r.problem("findings", f'unknown finding "{fid}"'
                                      f"{did_you_mean(fid, self.finding_specs)}")
        verdict = r.text("verdict") or None
        if verdict and verdict not in VERDICTS:
            r.problem("verdict", f'"{verdict}" is not a verdict')
        return Example(values, fires, findings, verdict, where)

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
