"""The knowledge base: YAML files read with their positions, checked, and turned into frozen specs.

    YAML files --yamlsource--> positioned data --reader--> fields, problems at file:line:col
      --vocabulary--> factors, sources, facts, parameters, interventions
      --words--> words texts may use (words.yaml), chosen by the case
      --rules (actions, examples; typecheck, values)--> rules, names and types checked
        (remedies: the table of remedies.yaml, each fit of a remedy one rule)
      --catalogue--> each intervention's use_when and never pairs, checked against the rules
      --dependencies / policy--> what each rule reads and writes, the order rules take effect in
    loader: a folder --> KnowledgeBase (spec), or KnowledgeBaseError with every problem at once

``policy`` states once the rules of the game every other part reads: rule order, the first
verdict that wins, when a barrier counts as mitigated (three-valued), what an unknown allows.

Must not: import experta (``inference`` compiles the specs); print; write files.
Entry point: ``loader.load_knowledge_base(folder) -> spec.KnowledgeBase``.
"""
