"""The ``mse-advisor`` command line: parse arguments, call the engine, print, choose the exit code.

Nothing else lives here. Exit codes (shared/contract/result.md): 0 a result was produced;
1 the knowledge base is invalid or the consultation failed; 2 the command line or the case file
is wrong. Every error is printed as ``Error: file:line:col: message`` on stderr, never as a
traceback.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from engine import __version__
from engine.errors import AdvisorError, KnowledgeBaseError

SHIPPED_KB = None  # resolved lazily so that --help stays fast


def shipped_kb() -> Path:
    import knowledge_base

    return knowledge_base.path()


class AdvisorGroup(click.Group):
    """Turns the advisor's errors into messages and exit codes instead of tracebacks."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except AdvisorError as exc:
            for problem in exc.problems:
                click.echo(f"Error: {problem}", err=True)
            if isinstance(exc, KnowledgeBaseError):
                click.echo(f"{len(exc.problems)} problem(s): the knowledge base was not used. "
                           "Run 'mse-advisor kb validate' after fixing them.", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - last line of defence: never a traceback
            click.echo(f"Error: internal error ({type(exc).__name__}: {exc}). Please report it "
                       "with the command you ran.", err=True)
            ctx.exit(1)


kb_option = click.option("--kb", "kb_dir", type=click.Path(file_okay=False, path_type=Path),
                         default=None, help="Knowledge-base folder (default: the shipped one).")


def load_advisor(kb_dir: Path | None):
    from engine.runner import Advisor

    return Advisor.from_folder(kb_dir or shipped_kb())


def consult_case(case_path: str, kb_dir: Path | None) -> tuple:
    """Load the knowledge base and the case, run it: (advisor, case, result)."""
    from engine.cases import load_case
    from engine.result import build_result

    advisor = load_advisor(kb_dir)
    case = load_case(case_path, advisor.kb)
    run = advisor.run(case.facts)
    return advisor, case, build_result(advisor.kb, case, run)


@click.group(cls=AdvisorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mse-advisor")
def main():
    """MSE Upgrading Advisor: will this enterprise take up the upgrade, and what can help?"""


@main.command()
@click.argument("case", type=click.Path(dir_okay=True, path_type=str))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True, help="How to print the result.")
@kb_option
def consult(case, fmt, kb_dir):
    """Advise on one enterprise's CASE file (YAML or JSON)."""
    advisor, _, result = consult_case(case, kb_dir)
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        from engine.render import render_markdown

        click.echo(render_markdown(result, advisor.kb))
    else:
        from engine.render import render_text

        click.echo(render_text(result, advisor.kb), nl=False)


@main.command()
@click.argument("case", type=click.Path(dir_okay=True, path_type=str))
@click.argument("target", required=False)
@kb_option
def explain(case, target, kb_dir):
    """Show how the verdict and each recommendation (or TARGET) follow from the facts.

    TARGET is "verdict", an intervention id (e.g. REPOSITION), a finding id or a derived fact.
    """
    from engine.explain import targets
    from engine.render import render_explanation

    advisor, _, result = consult_case(case, kb_dir)
    wanted = [target] if target else ["verdict"] + [r["intervention"]
                                                    for r in result["recommendations"]]
    if target and target not in targets(result) and not any(
            target in str(t["asserted"]) for t in result["trace"]):
        known = ", ".join(targets(result)) or "nothing"
        raise click.UsageError(f'"{target}" was not concluded in this case. It concluded: '
                               f"{known}.")
    for i, item in enumerate(wanted):
        if i:
            click.echo("")
        click.echo(f"== {item}")
        click.echo(render_explanation(result, advisor.kb, item), nl=False)


@main.group("kb")
def kb_group():
    """Knowledge-engineering tools."""


@kb_group.command("validate")
@kb_option
def kb_validate(kb_dir):
    """Check every knowledge-base file; list all problems as file:line:col: message."""
    from engine.loader import validate

    root = kb_dir or shipped_kb()
    problems = validate(root)
    errors = [p for p in problems if p.severity == "error"]
    for p in problems:
        click.echo(f"{p}" if p.severity == "error" else f"{p} [warning]")
    if errors:
        click.echo(f"{len(errors)} error(s) in {root}", err=True)
        sys.exit(1)
    if not errors:
        from engine.runner import Advisor
        from engine.loader import load_knowledge_base

        kb = load_knowledge_base(root)
        Advisor(kb)  # compiling is part of validation
        click.echo(f"OK: {root} ({len(kb.rules)} rules, {len(kb.input_facts)} input facts, "
                   f"{len(problems)} warning(s))")


if __name__ == "__main__":
    main()
