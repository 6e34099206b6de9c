"""The knowledge base: YAML files read with their positions, checked, and turned into frozen specs.

    YAML files --yamlsource--> positioned data --loader--> KnowledgeBase (spec), every problem
    at file:line:col --typecheck--> names and types of conditions --dependencies / policy-->
    what each rule reads and writes, stages, the order rules take effect in

``policy`` states once the rules of the game every other part reads: rule order, the first
verdict that wins, when a barrier counts as mitigated, what an unknown allows.

Must not: import experta (``inference`` compiles the specs); print; write files.
Entry point: ``loader.load_knowledge_base(folder) -> spec.KnowledgeBase``.
"""
