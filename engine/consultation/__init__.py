"""A consultation: one enterprise's case in, advice out, and the questions around it.

    case file --cases--> checked facts --(inference)--> Run --result--> the contract dict
        (safeguards: advice a "never" pair forbids is withheld, and said so)
    explain (how a conclusion follows), whynot (why not), whatif (before and after a change)
    openworld (a knowledge base prepared once) --fixpoint (kleene_sets)--> what can still fire
        while facts are unknown --> interview (what to ask next) --> dialogue (the conversation:
        what to say, what typed text did; answers reads it, wording words it); casefile (a case
        written back as YAML, the one case dumper)
    batch/: survey (cases read lazily) --screening (worker processes)--> rows --output (resumable)

Must not: print or prompt (the CLI and the web page do); render reports (``reports``); write a
file except through ``engine.files`` (the batch output alone is appended to, row by row).
Entry points: ``cases.load_case``, ``result.build_result``; ``engine.api`` wraps them.
"""
