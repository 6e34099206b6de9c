"""``kb lint``: static verification of a knowledge base, the defects rule bases are known to rot
into.

In the tradition of ONCOCIN's checker and CHECK. Every problem has a stable code, a severity,
the ``file:line:col`` of the defect and a message. The checks come in families, one module each
(listed in ``registry``), whose docstring documents its codes and how to fix each:

=================  ===========  ==============================================================
module             codes        finds
=================  ===========  ==============================================================
loader_problems    KB100        what stops the knowledge base from loading
names              KB101-KB207  undefined names (found by the loader), unused vocabulary
reachability       KB301-KB304  rules that can never fire
overlap            KB401-KB402  subsumed and conflicting rules
derivation         KB501-KB502  circular derivations, cycles through a negation
documentation      KB601-KB603  rules without sources or examples
wiring             KB801-KB803  barrier rules without the remedies the catalogue lists for them
harm               KB811-KB813  advice the catalogue's "never" pairs forbid (do no harm)
verdict_table      KB701-KB703  shadowed verdict rules, a less cautious verdict first, gaps
ambiguity          KB704        two rules deriving one value on the same case
witnesses          KB705        rules without an example where they fire
waivers            KB706-KB707  warnings waived on purpose (applied last), stale waivers
officer_words      KB901-KB903  internal names and working notes in officer-facing texts
translations       KB951-KB955  translations: placeholders, stray keys, missing texts
=================  ===========  ==============================================================

A warning can be waived for one rule or vocabulary entry, with a reason, in its YAML
(``waive:``, see ``waivers``); errors cannot.

Conditions lint cannot reason about (facts compared with each other, arithmetic over facts)
count as unconstrained, so lint does not report what it cannot prove.

Must not: print (the CLI does); read files except through the loader.
Entry points: ``lint(kb)``, ``lint_folder(root)`` (the loader's problems under lint codes, then
lint's own), ``strict(problems)``, ``as_dict(problems, root)`` (the JSON of ``--format json``).
"""
from .linter import as_dict, lint, lint_folder, strict

__all__ = ["as_dict", "lint", "lint_folder", "strict"]
