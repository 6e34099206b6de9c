"""A consultation: one enterprise's case in, advice out, and the questions around it.

    case file --cases--> checked facts --(inference)--> Run --result--> the contract dict
    explain (how a conclusion follows), whynot (why not), whatif (before and after a change),
    openworld (what can still fire while facts are unknown) --> interview (what to ask next),
    batch (many cases, in worker processes), casefile (a case written back as YAML)

Must not: print or prompt (the CLI and the web page do); render reports (``reports``).
Entry points: ``cases.load_case``, ``result.build_result``; ``engine.api`` wraps them.
"""
