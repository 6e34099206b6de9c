"""The ``mse-advisor`` command line: the root group, its commands loaded when they are used, and
the one place where errors become messages and exit codes.

The commands live in ``commands/`` (one module per family); each declares its options, calls
``engine.api`` and prints. Exit codes (docs/contract/result.md): 0 a result was produced; 1 the
knowledge base is invalid or the consultation failed; 2 the command line or the case file is
wrong. ``AdvisorGroup`` prints each problem of an ``AdvisorError`` as ``Error: file:line:col:
message`` on stderr (on one line, without control characters) and exits with its ``exit_code``;
never a traceback. A pipe closed by its reader ends the command quietly with 141, as SIGPIPE
would; a character the terminal's encoding cannot show is printed as "?". Nothing is imported
before it is needed, so ``mse-advisor --help`` stays fast.
"""
from __future__ import annotations

import os
import sys

import click

from engine import __version__

# as --help lists them
COMMANDS = ("consult", "explain", "whatif", "batch", "kb", "history", "serve")


def load_command(name: str) -> click.Command | None:
    """The command ``name`` from its module in ``commands/``, imported now (None if unknown)."""
    if name in ("consult", "explain", "whatif"):
        from commands import consulting
        return getattr(consulting, name)
    if name == "batch":
        from commands.screening import batch
        return batch
    if name == "kb":
        from commands.kb import kb_group
        return kb_group
    if name == "history":
        from commands.history import history_group
        return history_group
    if name == "serve":
        from commands.serving import serve
        return serve
    return None


class AdvisorGroup(click.Group):
    """Loads each command on first use (click's lazily loading group) and turns the advisor's
    errors into messages and exit codes instead of tracebacks."""

    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        from commands.language import with_lang
        return with_lang(load_command(name))

    def invoke(self, ctx):
        from engine import api  # not at import time: --help imports click alone
        from engine.errors import AdvisorError

        for stream in (sys.stdout, sys.stderr):  # a code page without a character shows "?"
            api.forgiving(stream)
        try:
            return super().invoke(ctx)
        except AdvisorError as exc:
            for problem in exc.problems:  # a file name or a value cannot steer the terminal
                click.echo(f"Error: {api.one_line(str(problem))}", err=True)
            if exc.consequence:
                click.echo(f"{len(exc.problems)} problem(s): {exc.consequence}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:  # "| head" closed the pipe: stop quietly, as a Unix tool does
            quiet_closed_stdout()
            ctx.exit(141)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - last line of defence: never a traceback
            click.echo(f"Error: internal error ({type(exc).__name__}: {exc}). Please report it "
                       "with the command you ran.", err=True)
            ctx.exit(1)


def quiet_closed_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit does not complain again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test's runner)
        pass


@click.group(cls=AdvisorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mse-advisor")
def main():
    """MSE Upgrading Advisor: will this enterprise take up the upgrade, and what can help?"""


def _root_lang_option() -> None:
    """``mse-advisor --lang es COMMAND`` as well as ``mse-advisor COMMAND --lang es``."""
    from commands.language import lang_option
    main.params.append(lang_option())


_root_lang_option()


if __name__ == "__main__":
    main()
