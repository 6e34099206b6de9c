"""The ``mse-advisor`` commands, one module per family: ``consulting`` (consult, the interview,
explain, whatif), ``screening`` (batch), ``kb`` (the knowledge engineer's tools), ``history``.

Each command declares its arguments and options, calls ``engine.api`` and prints; ``common``
holds the shared options and printing. ``cli.py`` loads a module only when its command runs
(or ``--help`` lists it), and maps every ``AdvisorError`` to ``Error: ...`` and its exit code.
Must not: hold engine logic, write files of its own, or import the engine at module import time
beyond ``engine.api`` (which itself loads lazily), so that ``--help`` stays fast.
"""
