"""Grow a knowledge base to N times its size by replicating its rule files, for the benchmark.

A knowledge base grows when knowledge engineers cover more value chains: more facts, more rules
reading them, more findings, the same factors, interventions, parameters and verdict policy.
``grow(src, dest, times)`` imitates that: copy k (2..times) of every rule file except the verdict
rules gets every rule id, input fact, derived fact and finding id renamed (``_v{k}`` on names,
``-V{k}`` on rule and remedy ids), facts.yaml gets the renamed facts and remedies.yaml (when
there is one) the renamed remedies, which fit the copy's barriers on the copy's facts. The verdict
rules stay as they are and see every copy's findings through their patterns
(``barrier(severity='significant')``), as they would in a real, larger base; so do the words
texts may use (words.yaml). ``times=1`` is the knowledge base itself.

Renaming is textual, on whole names only (a name is bounded by characters that cannot be part of
it): the knowledge base's names overlap no enum value, parameter, intervention or factor id
(``grow`` checks this and refuses otherwise), so only the renamed names change.

Must not: write anywhere but ``dest``. Entry point: ``grow(src, dest, times) -> Path``.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

KEEP_ONCE = ("verdict.yaml",)  # one verdict policy however many value chains are covered


def _names(kb, remedies: list) -> tuple[set, set]:
    """(fact and finding names, rule and remedy ids) that each copy renames."""
    names = set(kb.input_facts) | set(kb.derived_facts)
    names |= {a.id for r in kb.rules for a in r.findings()}
    rule_ids = {r.id for r in kb.rules} | {r["id"] for r in remedies}
    fixed = ({v for f in kb.facts.values() for v in f.values} | set(kb.parameters)
             | set(kb.interventions) | set(kb.factors) | set(kb.sources))
    clash = (names | rule_ids) & fixed
    if clash:
        raise ValueError(f"cannot rename textually: {sorted(clash)} are also values or ids")
    return names, rule_ids


def _renamer(names: set, rule_ids: set, k: int):
    """A function renaming every whole name of ``names`` and ``rule_ids`` in a text, copy k."""
    mapping = {n: f"{n}_v{k}" for n in names} | {r: f"{r}-V{k}" for r in rule_ids}
    alternatives = "|".join(re.escape(n) for n in sorted(mapping, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w.-])(?:{alternatives})(?![\w-])")
    return lambda text: pattern.sub(lambda m: mapping[m.group(0)], text)


def grow(src: str | Path, dest: str | Path, times: int) -> Path:
    """Write to ``dest`` the knowledge base of ``src`` grown ``times``-fold; return ``dest``."""
    from engine.knowledge.loader import load_knowledge_base

    src, dest = Path(src), Path(dest)
    kb = load_knowledge_base(src)
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    if times <= 1:
        return dest
    remedies_file = src / "remedies.yaml"
    remedies_text = remedies_file.read_text(encoding="utf-8") if remedies_file.is_file() else ""
    remedies = (yaml.safe_load(remedies_text) or {}).get("remedies", []) if remedies_text else []
    names, rule_ids = _names(kb, remedies)
    facts_doc = yaml.safe_load((src / "facts.yaml").read_text(encoding="utf-8"))
    originals = list(facts_doc["facts"])
    for k in range(2, times + 1):
        rename = _renamer(names, rule_ids, k)
        for fact in originals:
            facts_doc["facts"].append({**fact, "name": rename(fact["name"])})
        for rule_file in sorted((src / "rules").glob("*.yaml")):
            if rule_file.name in KEEP_ONCE:
                continue
            text = rename(rule_file.read_text(encoding="utf-8"))
            (dest / "rules" / f"{rule_file.stem}_v{k}.yaml").write_text(text, encoding="utf-8")
        if remedies:
            remedies += yaml.safe_load(rename(remedies_text))["remedies"]  # the copy's own
    _dump(dest / "facts.yaml", facts_doc)
    if remedies:
        _dump(dest / "remedies.yaml", {"remedies": remedies})
    return dest


def _dump(path: Path, doc: dict) -> None:
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100),
                    encoding="utf-8")
