"""The case history: every consultation stored in one SQLite file, and visits compared.

``store`` owns the database (schema, migrations, locking, errors as ``HistoryError``);
``visits`` compares two stored visits and flattens a record for export.

Must not: print; write outside the history file; run rules.
"""
