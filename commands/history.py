"""``history``: the stored consultations listed, shown, exported and compared.
Must not: hold engine logic or open the database itself.
"""
from __future__ import annotations

import click

from commands.common import (
    appendix_option, chosen_language, db_option, emit, force_option, format_option, kb_option,
    out_option, say, show, technical_option,
)
from engine import api


@click.group("history")
def history_group():
    """The case history: every consultation stored (SQLite, see --db)."""


@history_group.command("list")
@click.option("--case", "case_id", default=None, help="Only this case id's consultations.")
@db_option
def history_list(case_id, db):
    """List stored consultations, oldest first."""
    rows = api.list_consultations(case_id, db)
    if rows is None:
        show(f"No consultations stored yet ({api.history_path(db)}).")
    elif not rows:
        show("No consultations" + (f" of case {case_id}." if case_id else " stored yet."))
    else:
        show(api.render_history(rows), nl=False)


@history_group.command("show")
@click.argument("row_id", metavar="ID", type=int)
@format_option(api.REPORT_FORMATS, "How to print the stored result.")
@out_option
@force_option
@technical_option
@appendix_option
@db_option
@kb_option
def history_show(row_id, fmt, out, force, technical, appendix, db, kb_dir):
    """Show stored consultation ID as it was concluded (labels from the knowledge base)."""
    emit(api.show_consultation(row_id, fmt, db, kb_dir, technical, appendix,
                               chosen_language()), out, db=db, force=force, kb_dir=kb_dir)


@history_group.command("export")
@format_option(api.EXPORT_FORMATS)
@out_option
@force_option
@db_option
def history_export(fmt, out, force, db):
    """Export every stored consultation (JSON Lines: whole results; CSV: one line each). A
    damaged consultation is left out, with a warning."""
    text = api.export_history(fmt, db, on_damaged=lambda why: say(f"Warning: {why}"))
    emit(text, out, db=db, force=force)


@history_group.command("compare")
@click.argument("first", metavar="ID1", type=int)
@click.argument("second", metavar="ID2", type=int)
@format_option(api.DATA_FORMATS)
@db_option
@kb_option
def history_compare(first, second, fmt, db, kb_dir):
    """What changed between two visits of the same enterprise: facts, verdict, factors, advice."""
    diff = api.compare_consultations(first, second, db)
    show(api.to_json(diff) if fmt == "json"
         else api.render_comparison(diff, api.load_kb(kb_dir)), nl=False)
