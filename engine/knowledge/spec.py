"""Plain, frozen descriptions of a knowledge base: what the loader builds and the compiler reads.

Every spec keeps the ``Location`` it came from so that checks, traces and lint messages can
point at ``file:line:col``. The closed vocabularies of the result contract (the twelve factor
ids, finding kinds, severities, verdicts, fact types) are stated here once.

Must not: run rules, check anything, touch files.
Entry points: ``KnowledgeBase`` and the specs it holds (``FactSpec``, ``RuleSpec``, actions ...).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Union

from engine.errors import Location
from engine.language import And, Bool, Node
from engine.translation.catalogue import Language

FACTOR_IDS = (
    "profits", "risks", "time", "sustainability", "firm_economic_conditions",
    "access_to_resources", "social.household", "social.community_risk_sharing",
    "social.intergroup_barriers", "social.conformity", "social.gender",
    "social.cultural_perception",
)
FINDING_KINDS = ("barrier", "enabler", "note")
SEVERITIES = ("blocking", "significant", "minor")
VERDICTS = ("likely", "possible_with_support", "unlikely")
FACT_TYPES = ("bool", "int", "float", "percent", "months", "ratio", "money", "enum",
              "list[enum]", "str")
NUMERIC_TYPES = ("int", "float", "percent", "months", "ratio", "money")


@dataclass(frozen=True)
class Waiver:
    """A lint warning silenced on purpose for one rule or vocabulary entry (``waive:``):
    ``code`` (``KB402``), the ``reason`` a reviewer reads, and optionally ``with_ids``, the other
    rules of a pair warning it is limited to."""

    code: str
    reason: str
    with_ids: tuple = ()
    loc: Location = Location("")


@dataclass(frozen=True)
class FactSpec:
    name: str
    type: str
    factor: str
    meaning: str = ""
    question: str = ""
    help: str = ""
    unit: str = ""
    values: tuple = ()
    min: float | None = None
    max: float | None = None
    derived: bool = False
    loc: Location = Location("")
    waivers: tuple = ()  # Waiver
    synonyms: tuple = ()  # ((folded word, value, word as written), ...): other names of choices
    action: "FactAction | None" = None  # what an owner or officer can do to this fact
    labels: tuple = ()  # ((value, label), ...): choices as said in the knowledge base's language
    frame: bool = False  # the interview asks it right after registration (it frames the rest)
    presupposes: tuple = ()  # facts its question refers to: asked only after them
    closes: tuple = ()  # a gate: ((fact, value), ...) set when it is answered "no"
    amounts: tuple = ()  # a ratio asked as money: (amount fact, per fact, times)

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES

    @property
    def is_whole(self) -> bool:
        return self.type in ("int", "months")


@dataclass(frozen=True)
class FactAction:
    """An input fact an owner or officer can act on (``action:`` in facts.yaml): the values an
    action can give it, who acts, and the interventions that bring it about (``whatif --goal``)."""

    values: tuple
    by: str  # "owner", "officer" or "both"
    through: tuple  # intervention ids
    loc: Location = Location("")


@dataclass(frozen=True)
class FactorSpec:
    id: str
    label: str
    description: str = ""
    loc: Location = Location("")
    in_person: bool = False  # its findings and advice are said, not left on the owner's handout


@dataclass(frozen=True)
class ParameterSpec:
    name: str
    value: Any
    rationale: str
    unit: str = ""
    judgment: bool = False
    sources: tuple = ()
    loc: Location = Location("")
    waivers: tuple = ()  # Waiver
    value_loc: Location = Location("")  # where the value stands (its own slips are reported there)


@dataclass(frozen=True)
class SourceSpec:
    key: str
    title: str
    reference: str = ""
    url: str = ""
    loc: Location = Location("")
    waivers: tuple = ()  # Waiver


@dataclass(frozen=True)
class NeverSpec:
    """Do no harm: never advise ``intervention`` when ``condition`` holds (``catalogue``)."""

    id: str  # "<intervention>-never-<n>"
    intervention: str
    condition: "Condition"
    reason: str
    instead: "Template"  # the honest advice shown in its place ("do not borrow until ...")
    sources: tuple = ()
    loc: Location = Location("")


@dataclass(frozen=True)
class InterventionSpec:
    id: str
    label: str
    does: str
    sources: tuple = ()
    loc: Location = Location("")
    use_when: tuple = ()  # ids of the barrier rules the catalogue lists it for (brief section 5)
    never: tuple = ()  # NeverSpec: when it must not be advised
    waivers: tuple = ()  # Waiver


@dataclass(frozen=True)
class Template:
    """A ``{expression}`` text parsed at load time; ``labels``: its values in its language."""
    source: str
    parts: tuple  # str | language.Placeholder
    labels: dict | None = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class FindingAction:
    id: str
    kind: str
    factor: str
    text: Template
    severity: str | None = None
    mitigable: bool = False
    loc: Location = Location("")


@dataclass(frozen=True)
class RecommendAction:
    intervention: str
    text: Template
    addresses: tuple = ()
    fact: str | None = None
    loc: Location = Location("")


@dataclass(frozen=True)
class MitigateAction:
    finding: str
    by: str
    text: Template  # why the mitigation is available in this case
    loc: Location = Location("")
    advice: Template | None = None  # what the officer does (the recommendation's text)


@dataclass(frozen=True)
class DeriveAction:
    name: str
    value: Node
    source: str
    loc: Location = Location("")


@dataclass(frozen=True)
class VerdictAction:
    value: str
    text: Template
    loc: Location = Location("")


Action = Union[FindingAction, RecommendAction, MitigateAction, DeriveAction, VerdictAction]


@dataclass(frozen=True)
class Condition:
    source: str
    node: Node
    loc: Location


@dataclass(frozen=True)
class Example:
    """One rule example: ``findings`` and ``fired`` hold at least these ids, ``not_findings``
    and ``not_fired`` none of them (``knowledge.examples``)."""

    given: dict
    fires: bool
    findings: tuple = ()
    verdict: str | None = None
    loc: Location = Location("")
    not_findings: tuple = ()
    fired: tuple = ()
    not_fired: tuple = ()


@dataclass(frozen=True)
class RuleSpec:
    id: str
    factor: str
    description: str
    conditions: tuple  # Condition
    actions: tuple  # Action
    sources: tuple
    examples: tuple = ()
    judgment: bool = False
    explanation: Template | None = None
    salience: int = 0
    loc: Location = Location("")
    compatible_with: tuple = ()  # rule ids whose barrier/enabler overlap is intended (lint)
    omits: tuple = ()  # (intervention, why not): catalogue interventions it does not advise
    waivers: tuple = ()  # Waiver: lint warnings silenced on purpose, each with its reason
    why: str = ""  # why it matters, in plain words for the officer; derived when empty

    @cached_property
    def condition(self) -> Node:
        """The rule's ``when`` conditions as one node: their conjunction (the one condition
        alone; ``true`` for none, as the built-in assessment has). Parameters stay names."""
        nodes = tuple(cond.node for cond in self.conditions)
        if not nodes:
            return Bool(True)
        return nodes[0] if len(nodes) == 1 else And(nodes)

    def findings(self) -> tuple:
        return tuple(a for a in self.actions if isinstance(a, FindingAction))

    def actions_of(self, kind: type) -> tuple:
        return tuple(a for a in self.actions if isinstance(a, kind))

    @property
    def concludes_verdict(self) -> bool:
        return any(isinstance(a, VerdictAction) for a in self.actions)


@dataclass(frozen=True)
class KnowledgeBase:
    name: str
    version: str
    digest: str
    root: str
    facts: dict  # name -> FactSpec (input and derived)
    factors: dict  # id -> FactorSpec
    parameters: dict  # name -> ParameterSpec
    sources: dict  # key -> SourceSpec
    interventions: dict  # id -> InterventionSpec
    rules: tuple  # RuleSpec, in file order
    case_files: tuple = ()
    finding_specs: dict = field(default_factory=dict)  # finding id -> first FindingAction
    order: Any = None  # policy.RuleOrder: when each rule takes effect (computed by the loader)
    words: dict = field(default_factory=dict)  # name -> words.WordSpec (texts only)
    language: Language = field(default_factory=Language)  # its texts' (translations.for_language)
    untranslated: dict = field(default_factory=dict)  # key -> English: texts left untranslated

    # Computed once per knowledge base (cached_property writes the instance dict directly,
    # which a frozen dataclass allows); treat the returned dicts as read-only.
    @cached_property
    def input_facts(self) -> dict:
        return {n: f for n, f in self.facts.items() if not f.derived}

    @cached_property
    def derived_facts(self) -> dict:
        return {n: f for n, f in self.facts.items() if f.derived}

    @cached_property
    def parameter_values(self) -> dict:
        """Parameter name -> its value, as rules read it."""
        return {n: p.value for n, p in self.parameters.items()}

    def rule(self, rule_id: str) -> RuleSpec:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)
