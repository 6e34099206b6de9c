"""The knowledge engineer's tools, each reading the specs the loader built.

    lint/         ``kb lint``: static verification, one module per check family (registry)
    constraints/  conditions as intervals and value sets (reading, algebra), for lint
    expectations  rule examples and worked cases checked against what the rules conclude
    expected      what a worked case's expected: asserts, read strictly (exactly / at least / none)
    failures      a failed example or case explained: facts, each condition's value, parameters
    coverage      rules and conditions the runs exercised
    suite         ``kb test``: expectations, then coverage; its text
    recording     ``kb test --record``: a case file or stored consultation as a new worked case
    graph         ``kb graph``: facts -> rules -> findings -> verdict and interventions
    table         ``kb table``: rules as a decision table with its hit policy
    reference     ``kb docs``: the generated reference document
    diff          ``kb diff``: what a rule change does to every example and worked case
    rulediff      two versions of a rule, field by field
    clips/        ``kb export --clips``: the rules in CLIPS, run through clipspy as a cross-check

Must not: print, prompt or write files (``engine.api`` writes what they return).
"""
