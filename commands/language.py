"""``--lang``: the option every command and the root group take, kept where subcommands see it.

Only click is imported here, so that ``cli.py`` can add the option to the root group without
loading the engine (``mse-advisor --help`` stays fast). What the code means (``es``, ``fr``,
a locale such as ``es_GT``) is ``commands.common.chosen_language``'s business.
Must not: import the engine. Entry points: ``lang_option()``, ``with_lang(command)``,
``LANG_KEY``.
"""
from __future__ import annotations

import click

LANG_KEY = "mse_advisor.lang"  # where --lang is kept in the context (shared by subcommands)


def _keep_language(ctx: click.Context, param, value):
    if value is not None:
        ctx.meta[LANG_KEY] = value
    return value


LANG_CHOICES = ("en", "es", "fr")


def lang_option() -> click.Option:
    """``--lang es|fr|en``, accepted by the root group and by every command (``with_lang``)."""
    return click.Option(["--lang"], default=None, expose_value=False, is_eager=True,
                        callback=_keep_language, metavar="|".join(LANG_CHOICES),
                        help="Language of the reports and the interview (default: the "
                             "locale of LC_ALL, LC_MESSAGES or LANG, else English).")


def with_lang(command: click.Command) -> click.Command:
    """``command`` (and each command of a group) taking ``--lang`` too."""
    if not any(p.name == "lang" for p in command.params):
        command.params.append(lang_option())
    for sub in getattr(command, "commands", {}).values():
        with_lang(sub)
    return command
