"""The knowledge base exported to CLIPS, and that export run through clipspy: an independent
second encoding of the same rules, to cross-check the experta engine.

    prelude      templates of working memory; three-valued logic as deffunctions (tv-*)
    expressions  conditions and values as CLIPS expressions
    export       KnowledgeBase --export_clips--> CLIPS text (case template, one defrule per
                 rule and alternative, built-in assessment of barriers)
    run          CLIPS text --ClipsAdvisor (clipspy)--> ClipsRun per case

Must not: compile an experta engine (rule order comes from ``kb.order``, ``policy.RuleOrder``);
import clipspy outside ``ClipsAdvisor`` (the optional ``[clips]`` extra); write files.
Entry points: ``export_clips(kb) -> str``; ``ClipsAdvisor(kb).run(facts) -> ClipsRun``.
"""
from .export import export_clips
from .run import ClipsAdvisor, ClipsRun

__all__ = ["ClipsAdvisor", "ClipsRun", "export_clips"]
