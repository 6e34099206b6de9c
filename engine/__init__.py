"""MSE Upgrading Advisor engine.

Data flows one way, one subpackage per stage:

    language      the condition language: parse, print, three-valued (Kleene) evaluation
    knowledge     YAML files --loader--> KnowledgeBase specs (file:line:col); rule policy
    inference     specs --compiler--> experta engine class --runner--> Run with its trace
    consultation  case file --cases--> facts; Run --result--> the contract dict; explain,
                  why-not, what-if, open world, interview and its dialogue, batch
    reports       the result as text, Markdown, HTML; why-not and what-if as text
    history       consultations stored (SQLite); visits compared
    kbtools       lint, tests and coverage, graph, reference docs, diff, CLIPS export

    api           the facade the CLI, the tests and the benchmarks call (loaded on first use)

``engine.errors`` is the one error tree, ``engine.files`` the one way a file is written,
``engine.knowledge.policy`` the one statement of the rule policies. Nothing here prints or reads
the terminal; experta is imported only through ``engine.compat``; the engine never imports
click. The layers are contracts in pyproject.toml (``[tool.importlinter]``), checked by
``lint-imports`` and by the tests.
"""
__version__ = "0.1.0"
