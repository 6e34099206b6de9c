"""MSE Upgrading Advisor engine.

Data flows one way, one subpackage per stage:

    language      the condition language: parse, print, three-valued (Kleene) evaluation
    knowledge     YAML files --loader--> KnowledgeBase specs (file:line:col); rule policy
    inference     specs --compiler--> experta engine class --runner--> Run with its trace
    consultation  case file --cases--> facts; Run --result--> the contract dict; explain,
                  why-not, what-if, open world, interview, batch
    reports       the result as text, Markdown, HTML
    history       consultations stored (SQLite); visits compared
    kbtools       lint, tests and coverage, graph, reference docs, diff, CLIPS export

``engine.api`` is the facade the CLI, the tests and the benchmarks call; ``engine.errors`` the
one error tree. Nothing here prints or reads the terminal; experta is imported only through
``engine.compat``; the engine never imports click.
"""
__version__ = "0.1.0"
