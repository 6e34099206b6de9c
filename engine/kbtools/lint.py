"""Static verification of a knowledge base: the defects rule bases are known to rot into.

In the tradition of ONCOCIN's checker and CHECK: undefined references, vocabulary nobody uses,
rules that can never fire, rules that duplicate or contradict each other, circular derivations,
rules without sources or examples. Every problem has a stable code, a severity, the
``file:line:col`` of the defect and a message:

=====  ========  ===============================================================
code   severity  problem
=====  ========  ===============================================================
KB100  error     the loader rejects the knowledge base (see the message)
KB101  error     reference to an undefined fact or parameter
KB102  error     reference to an undefined finding
KB103  error     reference to an undefined intervention
KB104  error     reference to an undefined source
KB105  error     reference to an undefined rule
KB201  warning   an input fact no rule reads
KB202  warning   a finding no rule consumes that reaches no output
KB203  warning   a parameter no rule uses
KB204  warning   an intervention no rule recommends
KB205  warning   a derived fact that is computed but never read
KB206  warning   a source nothing cites
KB207  warning   a derived fact that is read but never computed (always unknown)
KB301  error     contradictory conditions: the rule can never fire
KB302  error     a condition asks for a value outside the fact's range or values
KB303  error     the rule needs a derived fact or finding that no rule produces
KB304  error     the rule needs something only rules that can never fire produce
KB401  warning   a rule subsumed by another (same conclusion, weaker conditions)
KB402  warning   a barrier and an enabler on one factor whose conditions can hold together
KB501  error     a circular derivation (rules that need each other's conclusions)
KB502  error     a cycle through a negation (the loader cannot order it)
KB601  error     a rule without sources
KB602  warning   a rule without examples
KB603  warning   a rule with a threshold but no near-miss example (one that does not fire)
=====  ========  ===============================================================

Pure: takes a ``KnowledgeBase`` (or the loader's problems) and returns ``Problem`` records;
reading files is the loader's job, printing the CLI's. Conditions lint cannot reason about
(facts compared with each other, arithmetic over facts) count as unconstrained, so lint does not
report what it cannot prove. Entry points: ``lint(kb)``, ``lint_folder(root)`` (the loader's
problems under lint codes, then lint's own), ``strict(problems)``.
"""
from __future__ import annotations

from dataclasses import replace

from engine import language as c
from engine.kbtools import constraints as k
from engine.knowledge.dependencies import _finding_ids_matching, rule_dependencies
from engine.errors import Location, Problem
from engine.knowledge.spec import (
    DeriveAction, FindingAction, KnowledgeBase, MitigateAction, RecommendAction, RuleSpec,
    VerdictAction,
)

LOADER_CODES = (  # (loader code or None, words in the message, lint code)
    ("unknown-source", "", "KB104"), ("unknown-rule", "", "KB105"), ("cycle", "", "KB502"),
    ("no-source", "", "KB601"), ("no-example", "", "KB602"),
    (None, "unknown fact", "KB101"), (None, "unknown input fact", "KB101"),
    (None, "no rule asserts a finding", "KB102"), (None, "unknown finding", "KB102"),
    (None, "unknown intervention", "KB103"), (None, "no rule has the id", "KB105"),
)


def _problem(code: str, where: Location, message: str, severity: str = "error") -> Problem:
    return Problem(where, message, code, severity)


def from_load_problems(problems: list) -> list[Problem]:
    """The loader's problems under lint codes (KB100 for everything without its own code)."""
    out = []
    for p in problems:
        code = "KB100"
        for loader_code, words, lint_code in LOADER_CODES:
            if (loader_code and p.code == loader_code) or (words and words in p.message):
                code = lint_code
                break
        out.append(replace(p, code=code))
    return out


def lint_folder(root) -> list[Problem]:
    """Lint a knowledge-base folder: the loader's problems, then (if it loads) lint's own."""
    from engine.knowledge.loader import load_knowledge_base, validate

    loaded = from_load_problems(validate(root))
    if any(p.severity == "error" for p in loaded):
        return loaded
    return _sorted(lint(load_knowledge_base(root)) + [p for p in loaded if p.code != "KB602"])


def _sorted(problems: list) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.where.path, p.where.line, p.where.col, p.code))


def strict(problems: list) -> list[Problem]:
    """``--strict``: every warning becomes an error."""
    return [replace(p, severity="error") for p in problems]


def lint(kb: KnowledgeBase) -> list[Problem]:
    """Every problem lint finds in a loaded knowledge base, in file order."""
    checker = _Lint(kb)
    problems = (checker.unused() + checker.never_fire() + checker.cycles() +
                checker.overlaps() + checker.citations())
    return _sorted(problems)


def _templates(rule: RuleSpec) -> list:
    out = [a.text for a in rule.actions if hasattr(a, "text") and a.text is not None]
    if rule.explanation:
        out.append(rule.explanation)
    return out


def _template_names(template) -> set:
    return set().union(*[c.names_in(p.node) for p in template.parts
                         if isinstance(p, c.Placeholder)] or [set()])


def _conjuncts(rule: RuleSpec):
    """Top-level ``and`` parts of a rule's conditions (each with its condition)."""
    for cond in rule.conditions:
        items = cond.node.items if isinstance(cond.node, c.And) else (cond.node,)
        for node in items:
            yield cond, node


class _Lint:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        derived = set(kb.derived_facts)
        self.deps = {r.id: rule_dependencies(r, derived, kb.finding_specs) for r in kb.rules}
        self.constraints = {r.id: k.rule_constraints(r, kb) for r in kb.rules}
        self.producers: dict = {}
        for r in kb.rules:
            for key in self.deps[r.id].produces:
                self.producers.setdefault(key, []).append(r.id)
        self.rules = {r.id: r for r in kb.rules}

    # ------------------------------------------------------------ unused vocabulary
    def unused(self) -> list[Problem]:
        kb = self.kb
        in_conditions, in_values, in_texts = set(), set(), set()
        consumed_findings, recommended = set(), set()
        for rule in kb.rules:
            for cond in rule.conditions:
                in_conditions |= c.names_in(cond.node)
            for a in rule.actions:
                if isinstance(a, DeriveAction):
                    in_values |= c.names_in(a.value)
                if isinstance(a, RecommendAction):
                    recommended.add(a.intervention)
                    consumed_findings |= set(a.addresses)
                    if a.fact:
                        in_values.add(a.fact)
                if isinstance(a, MitigateAction):
                    recommended.add(a.by)
                    consumed_findings.add(a.finding)
            for t in _templates(rule):
                in_texts |= _template_names(t)
            consumed_findings |= {key[1] for key in self.deps[rule.id].positive |
                                  self.deps[rule.id].negative if key[0] == "finding"}
        read = in_conditions | in_values
        out = []
        for name, fact in kb.input_facts.items():
            if name not in read:
                also = " (it only appears in texts)" if name in in_texts else ""
                out.append(_problem("KB201", fact.loc, f'input fact "{name}" is read by no rule'
                                                       f"{also}: use it in a condition or "
                                                       "remove it", "warning"))
        for name, fact in kb.derived_facts.items():
            derived = ("derived", name) in self.producers
            if derived and name not in read | in_texts:
                out.append(_problem("KB205", fact.loc, f'derived fact "{name}" is computed but '
                                                       "no rule or text reads it", "warning"))
            elif not derived and name in read | in_texts:
                out.append(_problem("KB207", fact.loc, f'derived fact "{name}" is read but no '
                                                       "rule derives it: it is always unknown",
                                    "warning"))
        addressed = self._addressed_by_default()
        for fid, action in kb.finding_specs.items():
            if fid not in consumed_findings and fid not in addressed and action.kind == "note":
                out.append(_problem("KB202", action.loc,
                                    f'finding "{fid}" is a note that no rule consumes and no '
                                    "recommendation addresses: it changes no factor, verdict or "
                                    "advice", "warning"))
        for name, param in kb.parameters.items():
            if name not in read | in_texts:
                out.append(_problem("KB203", param.loc, f'parameter "{name}" is used by no rule',
                                    "warning"))
        for iid, spec in kb.interventions.items():
            if iid not in recommended:
                out.append(_problem("KB204", spec.loc, f'intervention "{iid}" is recommended by '
                                                       "no rule", "warning"))
        return out

    def _addressed_by_default(self) -> set:
        out = set()
        for rule in self.kb.rules:
            recs = rule.actions_of(RecommendAction)
            if any(not a.addresses for a in recs):
                out |= {a.id for a in rule.findings()}
        return out

    # ------------------------------------------------------------ rules that can never fire
    def never_fire(self) -> list[Problem]:
        out, impossible = [], set()
        for rule in self.kb.rules:
            problem = self._unsatisfiable(rule) or self._unproduced(rule)
            if problem:
                out.append(problem)
                impossible.add(rule.id)
        possible = self._groundable(impossible)
        on_cycle = {rid for group in self._cycles() for rid in group}
        for rule in self.kb.rules:
            if rule.id in possible or rule.id in impossible or rule.id in on_cycle:
                continue
            needs = [key for key in self._required(rule)
                     if not any(p in possible for p in self._producers_of(key))]
            what = ", ".join(_what(key) for key in needs[:3]) or "its inputs"
            makers = sorted({p for key in needs for p in self._producers_of(key)})
            out.append(_problem("KB304", rule.loc,
                                f'rule "{rule.id}" can never fire: it needs {what}, and only '
                                f"rules that can never fire produce it ({', '.join(makers)})"))
        return out

    def _unsatisfiable(self, rule: RuleSpec) -> Problem | None:
        rc = self.constraints[rule.id]
        if rc.first_empty is None:
            return None
        key, cond, alone = rc.first_empty
        if alone:
            return _problem("KB302", cond.loc, f'rule "{rule.id}" can never fire: '
                                               f'"{cond.source}" asks {k.describe(key)} for a '
                                               f"value it cannot take{self._domain_text(key)}")
        others = [f'"{o.source}" (line {o.loc.line})' for o in rc.conditions[key] if o is not cond]
        return _problem("KB301", cond.loc, f'rule "{rule.id}" can never fire: "{cond.source}" '
                                           f"contradicts {', '.join(others) or 'itself'} on "
                                           f"{k.describe(key)}")

    def _domain_text(self, key: tuple) -> str:
        from engine.knowledge.values import describe_type

        spec = self.kb.facts.get(key[1]) if key[0] == "fact" else None
        return f" ({describe_type(spec)})" if spec is not None else ""

    def _required(self, rule: RuleSpec) -> list:
        """Keys the rule needs positively (top-level conditions); a pattern as a tuple of keys."""
        return self._required_of([node for _, node in _conjuncts(rule)])

    def _required_of(self, nodes: list) -> list:
        out = []
        for node in nodes:
            if isinstance(node, c.FindingRef):
                out.append(("finding", node.finding))
            elif isinstance(node, c.Fired):
                out.append(("fired", node.rule))
            elif isinstance(node, (c.FindingPattern, c.Count)):
                pattern = node.pattern if isinstance(node, c.Count) else node
                ids = _finding_ids_matching(pattern, self.kb.finding_specs)
                out.append(("pattern", c.to_text(node), tuple(sorted(ids))))
            elif isinstance(node, c.Or) or (isinstance(node, c.IsKnown) and not node.known):
                continue  # one branch of an "or" is never required on its own
            else:
                for name in sorted(c.names_in(node)):
                    if name in self.kb.derived_facts:
                        out.append(("derived", name))
        return out

    def _producers_of(self, key: tuple) -> list:
        if key[0] == "pattern":
            return [p for fid in key[2] for p in self.producers.get(("finding", fid), [])]
        return self.producers.get(key, [])

    def _unproduced(self, rule: RuleSpec) -> Problem | None:
        for cond, node in _conjuncts(rule):
            for key in self._required_of([node]):
                if not self._producers_of(key):
                    return _problem("KB303", cond.loc, f'rule "{rule.id}" can never fire: no rule '
                                                       f"produces {_what(key)}")
        return None

    def _groundable(self, impossible: set) -> set:
        """Rules that can fire on some case: least fixpoint over what they need."""
        possible: set = set()
        changed = True
        while changed:
            changed = False
            for rule in self.kb.rules:
                if rule.id in possible or rule.id in impossible:
                    continue
                if all(any(p in possible for p in self._producers_of(key))
                       for key in self._required(rule)):
                    possible.add(rule.id)
                    changed = True
        return possible

    # ------------------------------------------------------------ circular derivations
    def _cycles(self) -> list:
        """Groups of rules each of which needs (positively) another's conclusion."""
        if not hasattr(self, "_cycle_cache"):
            edges = {r.id: set() for r in self.kb.rules}
            for rule in self.kb.rules:
                for key in self.deps[rule.id].positive:
                    if key[0] in ("derived", "finding", "fired") and \
                            self._direct(rule, key):
                        for p in self.producers.get(key, ()):
                            edges[p].add(rule.id)
            self._cycle_cache = [g for g in _strongly_connected(edges)
                                 if len(g) > 1 or g[0] in edges[g[0]]]
        return self._cycle_cache

    def _direct(self, rule: RuleSpec, key: tuple) -> bool:
        """The rule names the key itself (not through a pattern over many findings)."""
        for cond in rule.conditions:
            for node in c.walk(cond.node):
                if key[0] == "finding" and isinstance(node, c.FindingRef) and \
                        node.finding == key[1]:
                    return True
                if key[0] == "fired" and isinstance(node, c.Fired) and node.rule == key[1]:
                    return True
                if key[0] == "derived" and isinstance(node, c.Name) and node.name == key[1]:
                    return True
        return False

    def cycles(self) -> list[Problem]:
        out = []
        for group in self._cycles():
            for rid in group:
                rule = self.rules[rid]
                needs = sorted(f"{key[1]}" for key in self.deps[rid].positive
                               if any(p in group for p in self.producers.get(key, ()))
                               and key[0] in ("derived", "finding", "fired"))
                others = [g for g in group if g != rid] or [rid]
                out.append(_problem("KB501", rule.loc,
                                    f'rule "{rid}" is on a circular derivation with '
                                    f"{', '.join(others)}: it needs {', '.join(needs)}, which "
                                    "only that circle produces or reproduces"))
        return out

    # ------------------------------------------------------------ subsumed and conflicting
    def overlaps(self) -> list[Problem]:
        out = []
        rules = [r for r in self.kb.rules if self.constraints[r.id].first_empty is None]
        signature = {r.id: _conclusion(r) for r in rules}
        for i, a in enumerate(rules):
            for b in rules[i + 1:]:
                if signature[a.id] == signature[b.id]:
                    out.extend(self._subsumption(a, b))
                conflict = self._conflict(a, b) or self._conflict(b, a)
                if conflict:
                    out.append(conflict)
        return out

    def _subsumption(self, a: RuleSpec, b: RuleSpec) -> list[Problem]:
        """``a`` comes first in the files. Report the redundant rule (the later if equal)."""
        a_in_b, b_in_a = self._implies(a, b), self._implies(b, a)
        if a.concludes_verdict:  # the first matching verdict rule wins: order matters too
            a_in_b = a_in_b and b.salience >= a.salience
            b_in_a = b_in_a and a.salience >= b.salience
        if a_in_b and b_in_a:
            return [_problem("KB401", b.loc, f'rule "{b.id}" duplicates rule "{a.id}" ({a.loc}):'
                                             " same conclusion on the same conditions", "warning")]
        if a_in_b:
            redundant, general = a, b
        elif b_in_a:
            redundant, general = b, a
        else:
            return []
        return [_problem("KB401", redundant.loc,
                         f'rule "{redundant.id}" is subsumed by rule "{general.id}" '
                         f"({general.loc}): same conclusion, and its conditions imply "
                         f'those of "{general.id}"', "warning")]

    def _implies(self, a: RuleSpec, b: RuleSpec) -> bool:
        """Whenever ``a``'s conditions hold, ``b``'s hold."""
        ca, cb = self.constraints[a.id], self.constraints[b.id]
        if not cb.opaque <= ca.opaque:
            return False
        for key, con in cb.by_key.items():
            if key not in ca.by_key or not k.implies(ca.by_key[key], con,
                                                     k.domain_of(key, self.kb)):
                return False
        return True

    def _conflict(self, a: RuleSpec, b: RuleSpec) -> Problem | None:
        """``a`` asserts a barrier, ``b`` an enabler, on one factor, and both can hold."""
        barriers = {f.factor for f in a.findings() if f.kind == "barrier"}
        factors = sorted(barriers & {f.factor for f in b.findings() if f.kind == "enabler"})
        if not factors or b.id in a.compatible_with or a.id in b.compatible_with:
            return None
        ca, cb = self.constraints[a.id], self.constraints[b.id]
        shared = set(ca.by_key) & set(cb.by_key) | (ca.opaque & cb.opaque)
        if not shared:
            return None  # they speak about different things: separate evidence, not a conflict
        for key in set(ca.by_key) & set(cb.by_key):
            if k.is_empty(k.meet(ca.by_key[key], cb.by_key[key]), k.domain_of(key, self.kb)):
                return None
        for text in ca.opaque:
            if f"not {text}" in cb.opaque or f"not ({text})" in cb.opaque:
                return None
        for text in cb.opaque:
            if f"not {text}" in ca.opaque or f"not ({text})" in ca.opaque:
                return None
        later, earlier = (b, a) if _order(b) > _order(a) else (a, b)
        return _problem("KB402", later.loc,
                        f'rules "{a.id}" (barrier) and "{b.id}" (enabler) on {", ".join(factors)}'
                        f" can hold on the same case ({earlier.id} at {earlier.loc}): make their "
                        f'conditions exclusive, or add "compatible_with: [{earlier.id}]" to '
                        f'"{later.id}" if both are meant', "warning")

    # ------------------------------------------------------------ sources and examples
    def citations(self) -> list[Problem]:
        out = []
        cited = set()
        for rule in self.kb.rules:
            cited |= set(rule.sources)
            if not rule.sources:
                out.append(_problem("KB601", rule.loc, f'rule "{rule.id}" cites no source'))
            if not rule.examples:
                out.append(_problem("KB602", rule.loc, f'rule "{rule.id}" has no example',
                                    "warning"))
            elif self._has_threshold(rule) and all(e.fires for e in rule.examples):
                out.append(_problem("KB603", rule.loc,
                                    f'rule "{rule.id}" compares with a parameter but has no '
                                    "near-miss example (add one with fires: false)", "warning"))
        for spec in list(self.kb.parameters.values()) + list(self.kb.interventions.values()):
            cited |= set(spec.sources)
        for key, source in self.kb.sources.items():
            if key not in cited:
                out.append(_problem("KB206", source.loc, f'source "{key}" is cited by nothing',
                                    "warning"))
        return out

    def _has_threshold(self, rule: RuleSpec) -> bool:
        names = set().union(*(c.names_in(cond.node) for cond in rule.conditions))
        return bool(names & set(self.kb.parameters))


def _what(key: tuple) -> str:
    """A required key in words."""
    if key[0] == "pattern":
        return f'a finding matching "{key[1]}"'
    if key[0] == "derived":
        return f'derived fact "{key[1]}"'
    return k.describe(key)


def _order(rule: RuleSpec) -> tuple:
    return (rule.loc.path, rule.loc.line, rule.loc.col)


def _conclusion(rule: RuleSpec) -> tuple:
    """What a rule concludes, without texts: two rules with equal signatures say the same."""
    parts = set()
    for a in rule.actions:
        if isinstance(a, FindingAction):
            parts.add(("finding", a.id))
        elif isinstance(a, RecommendAction):
            parts.add(("recommend", a.intervention, a.fact))
        elif isinstance(a, MitigateAction):
            parts.add(("mitigate", a.finding, a.by))
        elif isinstance(a, DeriveAction):
            parts.add(("derive", a.name, c.to_text(a.value)))
        elif isinstance(a, VerdictAction):
            parts.add(("verdict", a.value))
    return tuple(sorted(parts, key=str))


def _strongly_connected(edges: dict) -> list:
    """Tarjan's algorithm, iteratively; groups in a stable order."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []
    counter = [0]
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter[0]
                    counter[0] += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(edges[nxt]))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    item = stack.pop()
                    on_stack.discard(item)
                    group.append(item)
                    if item == node:
                        break
                groups.append(sorted(group))
    return groups
