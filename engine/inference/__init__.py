"""Inference: the knowledge base compiled to an experta engine, run on one case, traced.

    KnowledgeBase --compiler--> engine class (memory: the facts; elements: predicates and tests;
    rete/: the matcher's speed-ups) --runner.Advisor.run--> session fires rules in the agenda's
    order, recording a trace.Firing each --> runner.Run (records: findings, recommendations)

Must not: print, prompt, or read files other than the knowledge-base folder.
Entry point: ``runner.Advisor(kb).run(facts) -> Run``.
"""
