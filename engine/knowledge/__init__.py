"""The knowledge base: YAML files read with their positions, checked, and turned into frozen specs.

    YAML files --yamlsource--> positioned data --reader--> fields, problems at file:line:col
      --vocabulary--> factors, sources, facts, parameters, interventions
      --rules (actions, examples; typecheck, values)--> rules, names and types checked
      --dependencies / policy--> what each rule reads and writes, the order rules take effect in
    loader: a folder --> KnowledgeBase (spec), or KnowledgeBaseError with every problem at once

``policy`` states once the rules of the game every other part reads: rule order, the first
verdict that wins, when a barrier counts as mitigated, what an unknown allows.

Must not: import experta (``inference`` compiles the specs); print; write files.
Entry point: ``loader.load_knowledge_base(folder) -> spec.KnowledgeBase``.
"""
