"""The knowledge engineer's tools, each reading the specs the loader built.

lint (static verification), examples and coverage (``kb test``), graph (facts -> rules ->
findings -> advice), reference (the generated reference document), diff (what a rule change does
to every worked case), constraints (conditions as intervals and value sets, for lint), clips
(the rules exported to CLIPS, an independent cross-check).

Must not: print or prompt (the CLI does); write files except where a caller asks.
"""
