"""What every command shares: the options ``--kb``, ``--db``, ``--out``, ``--force`` and
``--format``, and printing (``emit`` a result to stdout or a file, ``show`` text on the terminal,
``say`` a line of dialogue to stderr), always without control characters a terminal would obey.

Must not: hold engine logic or write files itself (``engine.api.write_output`` does).
"""
from __future__ import annotations

import os
from pathlib import Path

import click

from commands.language import LANG_KEY, lang_option, with_lang  # noqa: F401 (re-exported)
from engine import api

kb_option = click.option("--kb", "kb_dir", type=click.Path(file_okay=False, path_type=Path),
                         default=None, help="Knowledge-base folder (default: the shipped one).")
db_option = click.option("--db", type=click.Path(dir_okay=False, path_type=Path),
                         envvar="MSE_ADVISOR_DB", default=None,
                         help="Case-history database (default: $MSE_ADVISOR_DB, else "
                              "~/.local/share/mse-advisor/history.sqlite3).")
out_option = click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
                          help="Write to FILE instead of printing (a device or pipe as a "
                               "stream; never an input or the history).")
force_option = click.option("--force", is_flag=True,
                            help="Replace --out (or --save) if the file exists.")

technical_option = click.option(
    "--technical", is_flag=True,
    help="The knowledge engineer's detail: rule ids, fact names, conditions, sources and codes "
         "(default: plain words for the officer).")
appendix_option = click.option(
    "--appendix", is_flag=True,
    help="Markdown and HTML: add the facts as recorded, the firing trace and the other unknowns.")


def words():
    """The interface in the chosen language: ``words().gettext("...")`` says a command's own
    sentence in it (``api.interface``)."""
    return api.interface(chosen_language())


def chosen_language() -> str:
    """The language code to speak: ``--lang`` wherever it was given on the command line, else
    the environment's locale, else English (``api.choose_language``; ``UsageError`` for a
    language not shipped)."""
    ctx = click.get_current_context(silent=True)
    return api.choose_language(ctx.meta.get(LANG_KEY) if ctx else None, dict(os.environ))


def format_option(choices, help_text: str = ""):
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=choices[0],
                        show_default=True, help=help_text)


def emit(text: str, out: Path | None, **rules) -> None:
    """Print ``text``, or write it to ``out`` by the output rules (``api.write_output``; ``rules``
    are its ``inputs``, ``db``, ``force`` and ``kb_dir``)."""
    if out is None:
        show(text, nl=False)
    else:
        api.write_output(out, text, **rules)


def show(text: str, err: bool = False, nl: bool = True) -> None:
    """Print ``text`` with nothing in it that the terminal would obey (``api.terminal_text``)."""
    click.echo(api.terminal_text(text), err=err, nl=nl)


def say(text: str = "") -> None:
    """A line of dialogue on stderr (stdout carries only the result); a terminal that has gone
    (SIGHUP) is not an error: the answers are saved all the same."""
    try:
        show(text, err=True)
    except OSError:
        pass
