"""The ``mse-advisor`` command line: declare the commands and options, call ``engine.api``, print.

Nothing else lives here: no engine logic, no file writing of its own (``api.write_file``). Exit
codes (docs/contract/result.md): 0 a result was produced; 1 the knowledge base is invalid or the
consultation failed; 2 the command line or the case file is wrong. Errors are mapped in one
place, ``AdvisorGroup``: each problem of an ``AdvisorError`` as ``Error: file:line:col: message``
on stderr, then exit with its ``exit_code``; never a traceback. Of the interview only the prompt
and echo loops and Ctrl-C are here (the conversation is ``engine.consultation.dialogue``).
The engine is imported on first use (``engine.api``), so ``mse-advisor --help`` stays fast.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from engine import __version__, api


class AdvisorGroup(click.Group):
    """Turns the advisor's errors into messages and exit codes instead of tracebacks."""

    def invoke(self, ctx):
        from engine.errors import AdvisorError  # not at import time: --help imports click alone

        try:
            return super().invoke(ctx)
        except AdvisorError as exc:
            for problem in exc.problems:
                click.echo(f"Error: {problem}", err=True)
            if exc.consequence:
                click.echo(f"{len(exc.problems)} problem(s): {exc.consequence}", err=True)
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
db_option = click.option("--db", type=click.Path(dir_okay=False, path_type=Path),
                         envvar="MSE_ADVISOR_DB", default=None,
                         help="Case-history database (default: $MSE_ADVISOR_DB, else "
                              "~/.local/share/mse-advisor/history.sqlite3).")
out_option = click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
                          help="Write to FILE (replaced atomically) instead of printing.")


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


@click.group(cls=AdvisorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mse-advisor")
def main():
    """MSE Upgrading Advisor: will this enterprise take up the upgrade, and what can help?"""


# ---------------------------------------------------------------- consulting


@main.command()
@click.argument("case", type=click.Path(dir_okay=True, path_type=str), required=False)
@format_option(api.REPORT_FORMATS, "How to print the result (html: a printable page).")
@out_option
@db_option
@click.option("--no-save", is_flag=True, help="Do not store this consultation in the history.")
@click.option("--officer", default=None,
              help="Officer stored with the consultation (default: the case's officer).")
@click.option("--interactive", "-i", is_flag=True,
              help="Interview: ask the questions that still matter, starting from CASE.")
@click.option("--resume", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="Continue an interview saved in FILE.")
@click.option("--save", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Interview: write the case (YAML) to FILE at the end or when interrupted.")
@kb_option
def consult(case, fmt, out, db, no_save, officer, interactive, resume, save, kb_dir):
    """Advise on one enterprise's CASE file (YAML or JSON); store it in the case history.

    Without CASE (or with --interactive or --resume) it interviews you: see docs/officer-guide.md.
    """
    if case is None or interactive or resume:
        if case and resume:
            raise click.UsageError("give either CASE --interactive or --resume FILE, not both")
        return interview(case, resume, save, fmt, out, db, no_save, officer, kb_dir)
    if save is not None:
        raise click.UsageError("--save is for the interview: add --interactive")
    done = api.consult(case, kb_dir)
    emit(api.render(done.result, done.kb, fmt), out)
    if not no_save:
        row_id = api.store_consultation(done.result, db, officer)
        if out is not None:
            click.echo(f"Report written to {out}; stored as consultation #{row_id}.")


def interview(case, resume, save, fmt, out, db, no_save, officer, kb_dir) -> None:
    """Interview from nothing, a partial CASE or a saved FILE; save the case; advise."""
    if save is not None and not save.resolve().parent.is_dir():
        raise click.BadParameter(f"the folder {save.parent} does not exist", param_hint="--save")
    from engine.errors import OutputError

    session = api.start_interview(case, resume, officer, save, kb_dir)
    finished = ask_questions(session.dialogue)
    if not finished and not session.answered:
        say("\nStopped before any answer: nothing to save.")
        click.get_current_context().exit(130)
    try:
        saved, failures = api.save_interview(session)
    except OutputError:  # nowhere to write: the answers go to the screen instead
        say(api.interview_case_text(session) + "\nNowhere to save the case: the answers are above: "
            "copy them into a file.")
        raise
    for failure in failures:
        say(f"Could not write {failure}.")
    if not finished:
        say(f"\nStopped. Your answers are saved in {saved}.\n"
            f"Continue with: mse-advisor consult --resume {saved}")
        click.get_current_context().exit(130)
    result = api.finish_interview(session)
    emit(api.render(result, session.advisor.kb, fmt), out)
    say(f"The case is saved in {saved}.")
    if not no_save:
        api.store_consultation(result, db, officer)
    offer_report(result, session.advisor.kb)


def ask_questions(dialogue) -> bool:
    """Prompt and echo until the dialogue is over; False if cut short (Ctrl-C, end of input)."""
    say(dialogue.opening)
    try:
        while (turn := dialogue.next_turn()) is not None:
            say(turn.text)
            while dialogue.waiting:
                reply = dialogue.hear(click.prompt(">", default="", show_default=False,
                                                   err=True, prompt_suffix=" "))
                if reply.text:
                    say(reply.text)
        return True
    except (click.Abort, KeyboardInterrupt, EOFError):
        return False


def offer_report(result: dict, kb) -> None:
    """A printable report on request, named with one of ``api.REPORT_SUFFIXES``."""
    endings = " or ".join(sorted(api.REPORT_SUFFIXES))
    while True:
        try:
            name = click.prompt(f"Printable report? Type a file name ending {endings}, or press "
                                "Enter to skip", default="", show_default=False, err=True).strip()
        except click.Abort:
            return
        if not name:
            return
        fmt = api.report_format_for(name)
        if fmt:
            emit(api.render(result, kb, fmt), Path(name))
            say(f"Report written to {name}.")
            return
        say(f"A report file name must end with {endings}.")


@main.command()
@click.argument("case", type=click.Path(dir_okay=True, path_type=str))
@click.argument("target", required=False)
@click.option("--why-not", "why_not_id", metavar="ID", default=None,
              help="Why ID (a finding, an intervention or a verdict value) was not concluded: "
                   "the rules that could conclude it, their failed conditions and unknowns.")
@kb_option
def explain(case, target, why_not_id, kb_dir):
    """Show how the verdict and each recommendation (or TARGET) follow from the facts.

    TARGET is "verdict", an intervention id (e.g. REPOSITION), a finding id or a derived fact.
    """
    if why_not_id is not None and target:
        raise click.UsageError("give TARGET or --why-not ID, not both")
    if why_not_id is not None:
        click.echo(api.render_why_not(api.why_not(case, why_not_id, kb_dir)), nl=False)
        return
    for i, (item, text) in enumerate(api.explain(case, target, kb_dir)):
        click.echo(("\n" if i else "") + f"== {item}")
        click.echo(text, nl=False)


@main.command()
@click.argument("case", type=click.Path(dir_okay=True, path_type=str))
@click.option("--set", "settings", multiple=True, required=True, metavar="FACT=VALUE",
              help="A fact to change (repeat for several); VALUE 'unknown' removes it.")
@format_option(api.DATA_FORMATS, "How to print the comparison.")
@kb_option
def whatif(case, settings, fmt, kb_dir):
    """Consult CASE as it is and with the --set changes; compare verdict, factors, advice."""
    diff = api.what_if(case, settings, kb_dir)
    click.echo(api.to_json(diff) if fmt == "json"
               else api.render_what_if(diff, api.load_advisor(kb_dir).kb), nl=False)


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True, path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output file. Rerunning with the same file skips the cases already in it.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes, each building the engine once.")
@click.option("--format", "fmt", type=click.Choice(list(api.EXPORT_FORMATS)), default=None,
              help="jsonl: the whole result per line; csv: id, verdict, each factor's status and "
                   "the leading recommendations. Default: csv if --out ends in .csv, else jsonl.")
@kb_option
def batch(input_path, out, jobs, fmt, kb_dir):
    """Screen many cases: a folder of case files, a .jsonl file or a .csv survey export.

    A CSV has an id column and one column per input fact (a blank cell is unknown). An invalid
    row is reported with its row number and skipped; the others still run (exit 2 if any row was
    invalid). Results are appended and flushed one by one, so after a crash or Ctrl-C the same
    command carries on where it stopped.
    """
    api.load_advisor(kb_dir)  # a broken knowledge base stops before any row is read
    total = api.count_cases(input_path) if sys.stderr.isatty() else None
    bar = click.progressbar(length=total, file=sys.stderr, label="Screening") if total else None

    def report(item):
        for problem in item.problems:
            # On a terminal, clear the progress bar's line first; it redraws on update.
            click.echo(("\r\033[K" if total else "") + f"Error: {problem}", err=True)

    counts = api.BatchCounts()
    try:
        api.screen_survey(input_path, out, kb_dir, fmt, jobs, progress=bar, on_invalid=report,
                          counts=counts)
    except KeyboardInterrupt:
        batch_summary(counts, out, "interrupted; run the same command again to finish")
        raise
    batch_summary(counts, out)
    if counts.invalid:
        sys.exit(2)


def batch_summary(counts, out: Path, note: str = "") -> None:
    click.echo(f"{counts.done} done, {counts.skip} skipped (already in {out}), {counts.invalid} "
               "invalid" + (f"; {note}" if note else ""))


# ---------------------------------------------------------------- knowledge engineering


@main.group("kb")
def kb_group():
    """Knowledge-engineering tools."""


@kb_group.command("validate")
@kb_option
def kb_validate(kb_dir):
    """Check every knowledge-base file; list all problems as file:line:col: message."""
    checked = api.validate(kb_dir)
    for p in checked.problems:
        click.echo(f"{p}" if p.severity == "error" else f"{p} [warning]")
    if checked.errors:
        click.echo(f"{len(checked.errors)} error(s) in {checked.root}", err=True)
        sys.exit(1)
    click.echo(f"OK: {checked.root} ({len(checked.kb.rules)} rules, "
               f"{len(checked.kb.input_facts)} input facts, {len(checked.problems)} warning(s))")


@kb_group.command("lint")
@kb_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@format_option(api.DATA_FORMATS)
def kb_lint(kb_dir, strict, fmt):
    """Static verification: undefined or unused names, rules that can never fire, subsumed and
    conflicting rules, circular derivations, rules without sources or examples."""
    problems = api.lint(kb_dir, strict)
    report = api.lint_as_dict(problems, api.kb_root(kb_dir))
    if fmt == "json":
        click.echo(api.to_json(report), nl=False)
    else:
        for p in problems:
            click.echo(f"{p.where}: {p.code} {p.severity}: {p.message}")
        click.echo(f"{report['errors']} error(s), {report['warnings']} warning(s) in "
                   f"{report['knowledge_base']}")
    if report["errors"]:
        sys.exit(1)


@kb_group.command("test")
@kb_option
@click.option("--record", "record", metavar="CASE_FILE_OR_HISTORY_ID", default=None,
              help="Write a new worked case from a case file or a stored consultation, with its "
                   "current outcome as the expectation.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="With --record: where to write the case (default: KB/cases/ID.yaml).")
@db_option
@click.option("-v", "--verbose", is_flag=True, help="Also list the passing examples and cases.")
def kb_test(kb_dir, record, out, db, verbose):
    """Run every rule example and worked case; show failures and coverage. Exit 1 on failure."""
    if record:
        recorded = api.record_case(record, kb_dir, db, out)
        click.echo(f"Wrote {recorded.path} (verdict {recorded.result['verdict']['value']})")
        return
    report = api.run_kb_tests(kb_dir)
    click.echo(api.render_kb_tests(report, verbose), nl=False)
    if report.failures:
        click.echo(f"FAILED: rules {', '.join(report.failed_rules) or 'none'}; cases "
                   f"{', '.join(report.failed_cases) or 'none'}", err=True)
        sys.exit(1)


@kb_group.command("graph")
@kb_option
@click.option("--focus", default=None, metavar="ID",
              help="Only this rule, fact, finding, intervention or verdict with everything "
                   "upstream and downstream of it.")
@format_option(api.GRAPH_FORMATS)
@out_option
def kb_graph(kb_dir, focus, fmt, out):
    """The rule graph: input facts -> rules -> findings -> verdict and recommendations."""
    drawn = api.graph(kb_dir, focus)
    if fmt == "mermaid" and len(drawn.edges) > api.MERMAID_MAX_EDGES:
        click.echo(f"Note: {len(drawn.edges)} edges; Mermaid renders at most "
                   f"{api.MERMAID_MAX_EDGES} unless its maxEdges setting is raised. Use --focus "
                   "or --format dot.", err=True)
    emit(api.draw_graph(drawn, fmt), out)


@kb_group.command("docs")
@kb_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("docs/knowledge-base-reference.md"), show_default=True,
              help='Where to write the reference ("-" prints it).')
@click.option("--check", is_flag=True, help="Only check that --out is up to date (exit 1 if not).")
def kb_docs(kb_dir, out, check):
    """Generate the knowledge-base reference: rules by factor in plain words, parameters,
    interventions, sources and facts."""
    text = api.reference(kb_dir)
    if str(out) == "-":
        click.echo(text, nl=False)
    elif check:
        if not api.reference_is_current(text, out):
            click.echo(f"{out} is out of date: run 'mse-advisor kb docs'", err=True)
            sys.exit(1)
        click.echo(f"{out} is up to date")
    else:
        emit(text, out)
        click.echo(f"Wrote {out}")


@kb_group.command("diff")
@click.argument("old_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("new_dir", required=False,
                type=click.Path(file_okay=False, exists=True, path_type=Path))
@format_option(api.DATA_FORMATS)
def kb_diff(old_dir, new_dir, fmt):
    """Rules added, removed and changed from OLD_DIR to NEW_DIR (default: the shipped knowledge
    base), and what changed in every worked case of the new one."""
    diff = api.diff(old_dir, new_dir)
    click.echo(api.to_json(diff.to_dict()) if fmt == "json" else api.render_diff(diff), nl=False)


@kb_group.command("export")
@kb_option
@click.option("--clips", "clips_out", required=True,
              type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="Write the knowledge base as CLIPS deftemplates and defrules to FILE "
                   "('-' prints it).")
def kb_export(kb_dir, clips_out):
    """Export the knowledge base for another rule engine (CLIPS), e.g. to cross-check it."""
    export = api.export_clips(kb_dir)
    if str(clips_out) == "-":
        click.echo(export.text, nl=False)
        return
    emit(export.text, clips_out)
    click.echo(f"Wrote {clips_out} ({export.rules} rules)")


# ---------------------------------------------------------------- the case history


@main.group("history")
def history_group():
    """The case history: every consultation stored (SQLite, see --db)."""


@history_group.command("list")
@click.option("--case", "case_id", default=None, help="Only this case id's consultations.")
@db_option
def history_list(case_id, db):
    """List stored consultations, oldest first."""
    rows = api.list_consultations(case_id, db)
    if rows is None:
        click.echo(f"No consultations stored yet ({api.history_path(db)}).")
    elif not rows:
        click.echo("No consultations" + (f" of case {case_id}." if case_id else " stored yet."))
    else:
        click.echo(api.render_history(rows), nl=False)


@history_group.command("show")
@click.argument("row_id", metavar="ID", type=int)
@format_option(api.REPORT_FORMATS, "How to print the stored result.")
@out_option
@db_option
@kb_option
def history_show(row_id, fmt, out, db, kb_dir):
    """Show stored consultation ID as it was concluded (labels from the knowledge base)."""
    emit(api.show_consultation(row_id, fmt, db, kb_dir), out)


@history_group.command("export")
@format_option(api.EXPORT_FORMATS)
@out_option
@db_option
def history_export(fmt, out, db):
    """Export every stored consultation (JSON Lines: whole results; CSV: one line each)."""
    emit(api.export_history(fmt, db), out)


@history_group.command("compare")
@click.argument("first", metavar="ID1", type=int)
@click.argument("second", metavar="ID2", type=int)
@format_option(api.DATA_FORMATS)
@db_option
@kb_option
def history_compare(first, second, fmt, db, kb_dir):
    """What changed between two visits of the same enterprise: facts, verdict, factors, advice."""
    diff = api.compare_consultations(first, second, db)
    click.echo(api.to_json(diff) if fmt == "json"
               else api.render_comparison(diff, api.load_kb(kb_dir)), nl=False)


if __name__ == "__main__":
    main()
