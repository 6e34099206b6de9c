"""What every command shares: the options ``--kb``, ``--db``, ``--out`` and ``--format``, and
printing (``emit`` a result to stdout or a file, ``say`` a line of dialogue to stderr).

Must not: hold engine logic or write files itself (``engine.api.write_file`` does).
"""
from __future__ import annotations

from pathlib import Path

import click

from engine import api

kb_option = click.option("--kb", "kb_dir", type=click.Path(file_okay=False, path_type=Path),
                         default=None, help="Knowledge-base folder (default: the shipped one).")
db_option = click.option("--db", type=click.Path(dir_okay=False, path_type=Path),
                         envvar="MSE_ADVISOR_DB", default=None,
                         help="Case-history database (default: $MSE_ADVISOR_DB, else "
                              "~/.local/share/mse-advisor/history.sqlite3).")
out_option = click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
                          help="Write to FILE (replaced atomically) instead of printing.")

technical_option = click.option(
    "--technical", is_flag=True,
    help="The knowledge engineer's detail: rule ids, fact names, conditions, sources and codes "
         "(default: plain words for the officer).")
appendix_option = click.option(
    "--appendix", is_flag=True,
    help="Markdown and HTML: add the facts as recorded, the firing trace and the other unknowns.")


def format_option(choices, help_text: str = ""):
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=choices[0],
                        show_default=True, help=help_text)


def emit(text: str, out: Path | None) -> None:
    """Print ``text``, or write it to ``out`` whole (``api.write_file``)."""
    if out is None:
        click.echo(text, nl=False)
    else:
        api.write_file(out, text)


def say(text: str = "") -> None:
    click.echo(text, err=True)  # the dialogue goes to stderr; stdout carries only the result
