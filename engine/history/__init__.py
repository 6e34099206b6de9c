"""The case history: every consultation stored in one SQLite file, and visits compared.

``store`` owns the database (schema, migrations, locking, errors as ``HistoryError``);
``visits`` compares two stored visits and flattens a record for export. Their text renderings
(the history list, a comparison) are ``engine.reports.visits``.

Must not: print or render text; write outside the history file; run rules.
"""
