"""Two versions of the rules compared field by field, and a changed field told as what changed.

A rule becomes plain data without positions (``rule_fields``); two versions differ in the fields
whose data differ. Lists are compared item by item so that a reviewer reads only what changed:
conditions and sources as items removed and added; actions matched by what they are (the
finding id, the intervention, the derived fact, the verdict) and examples by position, so that
a changed severity shows as ``~ then finding x: severity: significant -> blocking`` and not as
two whole actions.

Must not: run rules; print. Entry points: ``rule_fields(rule)``, ``diff_rules(old, new) ->
list[RuleChange]``, ``field_lines(name, old, new) -> list[str]``.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields

from engine import language as c
from engine.knowledge.spec import Action, KnowledgeBase, RuleSpec, Template

ACTION_KEYS = {"finding": "id", "recommend": "intervention", "mitigate": "finding",
               "derive": "name", "verdict": "value"}  # what tells two actions of a kind apart


@dataclass
class RuleChange:
    """A rule added, removed or changed (then each changed field with its old and new value)."""

    id: str
    status: str  # added | removed | changed
    where: str
    changes: list = field(default_factory=list)  # (field, old, new)


def _plain(value):
    if isinstance(value, Template):
        return value.source
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        if hasattr(value, "source") and hasattr(value, "node"):  # a Condition
            return value.source
        out = {f.name: _plain(getattr(value, f.name)) for f in fields(value) if f.name != "loc"}
        if "value" in out and not isinstance(out["value"], (str, int, float, bool, type(None))):
            out["value"] = c.to_text(value.value)
        if isinstance(value, Action.__args__):
            return {"action": type(value).__name__.replace("Action", "").lower(), **out}
        return out
    return value


def rule_fields(rule: RuleSpec) -> dict:
    """A rule as comparable plain data, without file positions."""
    return {f.name: _plain(getattr(rule, f.name)) for f in fields(rule)
            if f.name not in ("id", "loc")}


def diff_rules(old: KnowledgeBase, new: KnowledgeBase) -> list[RuleChange]:
    """Rules added and changed (in the new files' order), then rules removed."""
    before = {r.id: r for r in old.rules}
    after = {r.id: r for r in new.rules}
    out = []
    for rid, rule in after.items():
        if rid not in before:
            out.append(RuleChange(rid, "added", str(rule.loc)))
            continue
        a, b = rule_fields(before[rid]), rule_fields(rule)
        changes = [(k, a.get(k), b[k]) for k in b if a.get(k) != b[k]]
        if changes:
            out.append(RuleChange(rid, "changed", str(rule.loc), changes))
    for rid, rule in before.items():
        if rid not in after:
            out.append(RuleChange(rid, "removed", str(rule.loc)))
    return out


# ---------------------------------------------------------------- text

def show(value) -> str:
    if isinstance(value, list):
        return "; ".join(show(v) for v in value) or "(none)"
    if isinstance(value, dict):
        return ", ".join(f"{k}={show(v)}" for k, v in value.items())
    return str(value)


def field_lines(name: str, old, new, pad: str = "      ") -> list[str]:
    """What changed in one field of a rule, as indented lines."""
    if name == "actions" and isinstance(old, list) and isinstance(new, list):
        return _matched(old, new, _action_key, "then", pad)
    if name == "examples" and isinstance(old, list) and isinstance(new, list):
        return _matched(old, new, None, "example", pad)
    if name in ("conditions", "sources", "compatible_with", "waivers") and \
            isinstance(old, list) and isinstance(new, list):
        label = {"conditions": "when"}.get(name, name)
        return ([f"{pad}- {label}: {show(v)}" for v in old if v not in new] +
                [f"{pad}+ {label}: {show(v)}" for v in new if v not in old]) or \
            [f"{pad}~ {label}: order changed"]
    return [f"{pad}- {name}: {show(old)}", f"{pad}+ {name}: {show(new)}"]


def _action_key(action: dict) -> tuple:
    kind = action.get("action", "")
    return kind, action.get(ACTION_KEYS.get(kind, ""), "")


def _matched(old: list, new: list, key, label: str, pad: str) -> list[str]:
    """Items paired by ``key`` (or by position when None): a pair shows only its changed keys,
    an item without a partner shows whole."""
    lines, unmatched = [], list(range(len(old)))
    for j, item in enumerate(new):
        i = next((i for i in unmatched if (key(old[i]) == key(item) if key else i == j)), None)
        name = f"{label} {' '.join(str(x) for x in key(item) if x)}" if key else \
            f"{label} #{j + 1}"
        if i is None:
            lines.append(f"{pad}+ {name}: {show(item)}")
            continue
        unmatched.remove(i)
        for k in dict.fromkeys(list(old[i]) + list(item)):
            a, b = old[i].get(k), item.get(k)
            if a == b:
                continue
            if isinstance(a, dict) and isinstance(b, dict):
                for sub in dict.fromkeys(list(a) + list(b)):
                    if a.get(sub) != b.get(sub):
                        lines.append(f"{pad}~ {name}: {k}.{sub}: {show(a.get(sub))} -> "
                                     f"{show(b.get(sub))}")
            else:
                lines.append(f"{pad}~ {name}: {k}: {show(a)} -> {show(b)}")
    for i in unmatched:
        name = f"{label} {' '.join(str(x) for x in key(old[i]) if x)}" if key else \
            f"{label} #{i + 1}"
        lines.append(f"{pad}- {name}: {show(old[i])}")
    return lines
