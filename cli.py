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
    from engine.inference.runner import Advisor

    return Advisor.from_folder(kb_dir or shipped_kb())


def consult_case(case_path: str, kb_dir: Path | None) -> tuple:
    """Load the knowledge base and the case, run it: (advisor, case, result)."""
    from engine.consultation.cases import load_case
    from engine.consultation.result import build_result

    advisor = load_advisor(kb_dir)
    case = load_case(case_path, advisor.kb)
    run = advisor.run(case.facts)
    return advisor, case, build_result(advisor.kb, case, run)


REPORT_FORMATS = ["text", "json", "markdown", "html"]
db_option = click.option("--db", type=click.Path(dir_okay=False, path_type=Path),
                         envvar="MSE_ADVISOR_DB", default=None,
                         help="Case-history database (default: $MSE_ADVISOR_DB, else "
                              "~/.local/share/mse-advisor/history.sqlite3).")
out_option = click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
                          help="Write to FILE (replaced atomically) instead of printing.")


def render_result(result: dict, kb, fmt: str) -> str:
    """The report in one of REPORT_FORMATS, as one string ending with a newline."""
    if fmt == "json":
        return json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    if fmt == "html":
        from engine.reports.html import render_html

        return render_html(result, kb)
    from engine.reports.markdown import render_markdown
    from engine.reports.text import render_text

    return render_markdown(result, kb) + "\n" if fmt == "markdown" else render_text(result, kb)


def emit(text: str, out: Path | None) -> None:
    """Print ``text``, or write it to ``out`` atomically (temp file in its folder, then rename)."""
    if out is None:
        click.echo(text, nl=False)
        return
    import os
    import tempfile

    tmp = None
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=out.parent or ".",
                                         prefix=f".{out.name}.", suffix=".tmp",
                                         delete=False) as f:
            tmp = f.name
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from None


def save_to_history(result: dict, db: Path | None, officer: str | None) -> int:
    """Store the consultation; on failure say that the report itself was produced."""
    from engine.errors import Location, Problem
    from engine.errors import HistoryError
    from engine.history.store import save_consultation

    try:
        return save_consultation(result, db, officer)
    except HistoryError as exc:
        exc.problems.append(Problem(Location("mse-advisor"), "the report was produced but not "
                                    "stored in the history; add --no-save to skip storing"))
        raise


@click.group(cls=AdvisorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mse-advisor")
def main():
    """MSE Upgrading Advisor: will this enterprise take up the upgrade, and what can help?"""


@main.command()
@click.argument("case", type=click.Path(dir_okay=True, path_type=str), required=False)
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text",
              show_default=True, help="How to print the result (html: a printable page).")
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
        return interview_session(case, resume, save, fmt, out, db, no_save, officer, kb_dir)
    if save is not None:
        raise click.UsageError("--save is for the interview: add --interactive")
    advisor, _, result = consult_case(case, kb_dir)
    emit(render_result(result, advisor.kb, fmt), out)
    if not no_save:
        row_id = save_to_history(result, db, officer)
        if out is not None:
            click.echo(f"Report written to {out}; stored as consultation #{row_id}.")


# ---------------------------------------------------------------- the interview (I/O only;
# what to ask and why lives in engine/interview.py)

def say(text: str = "") -> None:
    click.echo(text, err=True)  # the dialogue goes to stderr; stdout carries only the result


def interview_session(case_path, resume, save, fmt, out, db, no_save, officer, kb_dir):
    """Interview from nothing, a partial CASE or a saved FILE; save the case; advise."""
    import dataclasses
    import datetime

    from engine.consultation.casefile import (
        case_document, dump_case, save_somewhere, timestamped_path, unknown_marks,
    )
    from engine.consultation.cases import Case, load_case
    from engine.consultation.interview import Interview
    from engine.consultation.result import build_result

    if save is not None and not save.resolve().parent.is_dir():
        raise click.BadParameter(f"the folder {save.parent} does not exist", param_hint="--save")
    advisor = load_advisor(kb_dir)
    start = resume or case_path
    if start:
        case = load_case(start, advisor.kb)
    else:
        stamp = datetime.datetime.now()
        case = Case(stamp.strftime("interview-%Y%m%d-%H%M%S"), {},
                    {"officer": officer, "visit_date": stamp.date().isoformat()})
    interview = Interview(advisor, case.facts, unknown_marks(start) if start else ())
    target = save or resume or timestamped_path()
    finished = ask_questions(interview)
    if not finished and not interview.events:
        say("\nStopped before any answer: nothing to save.")
        click.get_current_context().exit(130)
    try:
        saved, failures = save_somewhere(target, case.id, interview.answers, case.metadata,
                                         case.expected)
    except OSError as exc:  # nowhere to write: the answers go to the screen instead
        say(dump_case(case_document(case.id, interview.answers, case.metadata)))
        raise click.ClickException(f"could not save the case ({exc}); the answers are above: "
                                   "copy them into a file") from None
    for failure in failures:
        say(f"Could not write {failure}.")
    if not finished:
        say(f"\nStopped. Your answers are saved in {saved}.\n"
            f"Continue with: mse-advisor consult --resume {saved}")
        click.get_current_context().exit(130)
    run = interview.run()
    result = build_result(advisor.kb, dataclasses.replace(case, facts=interview.known_facts()),
                          run)
    emit(render_result(result, advisor.kb, fmt), out)
    say(f"The case is saved in {saved}.")
    if not no_save:
        save_to_history(result, db, officer)
    offer_report(result, advisor.kb)


def ask_questions(interview) -> bool:
    """Ask until no question matters or the officer types done; False if cut short."""
    from engine.consultation.answers import command_of, parse_answer
    from engine.consultation.wording import HELP_TEXT, group_title, question_text, why_text
    from engine.language.formatting import format_value
    from engine.errors import ValueProblem

    say(HELP_TEXT)
    group, forced = None, None
    try:
        while True:
            q, forced = forced or interview.next_question(), None
            if q is None:
                say("\nNo other question can change the advice for this case.")
                return True
            if q.group != group:
                group = q.group
                say(f"\n== {group_title(interview.kb, group)}")
            say(question_text(q, interview.answered() + 1, interview.remaining()))
            while True:
                typed = click.prompt(">", default="", show_default=False, err=True,
                                     prompt_suffix=" ")
                command = command_of(typed)
                if command == "why":
                    say(why_text(q.name, interview.why(q.name)))
                    continue
                if command == "done":
                    return True
                if command == "skip":
                    skipped = interview.skip_group(q.group)
                    say(f"Skipped {len(skipped)} question(s) of this group (left unknown).")
                elif command == "back":
                    last = interview.last_answer()
                    forced = interview.back()
                    if forced is None:
                        say("Nothing to go back to in this session.")
                        continue
                    say(f"Back to {last[0]} (you answered {format_value(last[1])})." if last
                        else "The skip is undone.")
                elif command == "unknown":
                    interview.answer(q.name, None)
                else:
                    try:
                        interview.answer(q.name, parse_answer(q.fact, typed))
                    except ValueProblem as exc:
                        say(f"Not accepted: {exc}. Type it again, or ? if not known.")
                        continue
                break
    except (click.Abort, KeyboardInterrupt, EOFError):
        return False


def offer_report(result: dict, kb) -> None:
    """A printable report on request, in a format this installation can write."""
    import importlib.util

    formats = {".md": "markdown"}
    if importlib.util.find_spec("engine.reports.html"):
        formats[".html"] = "html"
    while True:
        try:
            name = click.prompt(f"Printable report? Type a file name ending "
                                f"{' or '.join(sorted(formats))}, or press Enter to skip",
                                default="", show_default=False, err=True).strip()
        except click.Abort:
            return
        if not name:
            return
        fmt = formats.get(Path(name).suffix.lower())
        if fmt:
            emit(render_result(result, kb, fmt), Path(name))
            say(f"Report written to {name}.")
            return
        say(f"A report file name must end with {' or '.join(sorted(formats))}.")


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
    from engine.consultation.explain import targets
    from engine.reports.explanation import render_explanation

    if why_not_id is not None:
        if target:
            raise click.UsageError("give TARGET or --why-not ID, not both")
        return explain_why_not(case, why_not_id, kb_dir)
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


def explain_why_not(case_path: str, target: str, kb_dir) -> None:
    from engine.consultation.cases import load_case
    from engine.consultation.whynot import why_not
    from engine.reports.whynot import render_why_not as render_text

    advisor = load_advisor(kb_dir)
    case = load_case(case_path, advisor.kb)
    try:
        answer = why_not(advisor.kb, advisor.run(case.facts), target)
    except KeyError as exc:
        raise click.UsageError(exc.args[0]) from None
    click.echo(render_text(answer), nl=False)


@main.command()
@click.argument("case", type=click.Path(dir_okay=True, path_type=str))
@click.option("--set", "settings", multiple=True, required=True, metavar="FACT=VALUE",
              help="A fact to change (repeat for several); VALUE 'unknown' removes it.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print the comparison.")
@kb_option
def whatif(case, settings, fmt, kb_dir):
    """Consult CASE as it is and with the --set changes; compare verdict, factors, advice."""
    from engine.consultation.cases import load_case
    from engine.consultation.whatif import parse_settings, what_if
    from engine.reports.whatif import render_what_if as render_text

    advisor = load_advisor(kb_dir)
    loaded = load_case(case, advisor.kb)
    diff = what_if(advisor, loaded, parse_settings(advisor.kb, settings))
    if fmt == "json":
        click.echo(json.dumps(diff, indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(diff, advisor.kb), nl=False)


@main.group("kb")
def kb_group():
    """Knowledge-engineering tools."""


@kb_group.command("validate")
@kb_option
def kb_validate(kb_dir):
    """Check every knowledge-base file; list all problems as file:line:col: message."""
    from engine.knowledge.loader import validate

    root = kb_dir or shipped_kb()
    problems = validate(root)
    errors = [p for p in problems if p.severity == "error"]
    for p in problems:
        click.echo(f"{p}" if p.severity == "error" else f"{p} [warning]")
    if errors:
        click.echo(f"{len(errors)} error(s) in {root}", err=True)
        sys.exit(1)
    if not errors:
        from engine.inference.runner import Advisor
        from engine.knowledge.loader import load_knowledge_base

        kb = load_knowledge_base(root)
        Advisor(kb)  # compiling is part of validation
        click.echo(f"OK: {root} ({len(kb.rules)} rules, {len(kb.input_facts)} input facts, "
                   f"{len(problems)} warning(s))")


def _fresh_advisor(kb_dir: Path | None):
    """The knowledge base loaded and compiled now (kb tools must see the files as they are)."""
    from engine.knowledge.loader import load_knowledge_base
    from engine.inference.runner import Advisor

    return Advisor(load_knowledge_base(kb_dir or shipped_kb()))


@kb_group.command("lint")
@kb_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def kb_lint(kb_dir, strict, fmt):
    """Static verification: undefined or unused names, rules that can never fire, subsumed and
    conflicting rules, circular derivations, rules without sources or examples."""
    from engine.kbtools.lint import lint_folder, strict as promote

    root = kb_dir or shipped_kb()
    problems = lint_folder(root)
    if strict:
        problems = promote(problems)
    errors = sum(p.severity == "error" for p in problems)
    if fmt == "json":
        click.echo(json.dumps({"knowledge_base": str(root), "errors": errors,
                               "warnings": len(problems) - errors,
                               "problems": [{"code": p.code, "severity": p.severity,
                                             "file": p.where.path, "line": p.where.line,
                                             "col": p.where.col, "message": p.message}
                                            for p in problems]}, indent=2))
    else:
        for p in problems:
            click.echo(f"{p.where}: {p.code} {p.severity}: {p.message}")
        click.echo(f"{errors} error(s), {len(problems) - errors} warning(s) in {root}")
    if errors:
        sys.exit(1)


def _record_source(source: str, db: Path | None, kb):
    """A case to record: a case file, or a consultation id of the history."""
    from engine.consultation.cases import case_from_mapping, load_case

    if Path(source).is_file():
        return load_case(source, kb)
    if not source.isdigit():
        raise click.UsageError(f'"{source}" is neither a case file nor a history id (a number '
                               "from 'mse-advisor history list')")
    from engine.history.store import open_history

    with open_history(db, create=False) as history:
        row = history.get(int(source))
    meta = {k: v for k, v in row["result"]["case"]["metadata"].items() if v is not None}
    return case_from_mapping({**meta, "facts": row["facts"]}, kb, f"history #{source}")


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
    from engine.kbtools.suite import run_tests

    advisor = _fresh_advisor(kb_dir)
    if record:
        _record(advisor, record, out, db)
        return
    report = run_tests(advisor)
    for o in report.outcomes:
        if not o.passed or verbose:
            click.echo(f"{'PASS' if o.passed else 'FAIL'} {o.what} ({o.where})")
        for expected, actual in o.differences:
            click.echo(f"    expected: {expected}\n    actual:   {actual}")
    fails = report.failures
    click.echo(f"\n{len(report.outcomes)} examples and cases: {len(report.outcomes) - len(fails)}"
               f" passed, {len(fails)} failed")
    fired = report.rule_count - len(report.unfired)
    click.echo(f"\nCoverage: {fired} of {report.rule_count} rules fired in some example or case")
    for rule in report.unfired:
        click.echo(f"  never fired: {rule.id} ({rule.loc})")
    both = report.condition_count - len(report.conditions)
    click.echo(f"{both} of {report.condition_count} conditions seen both true and false")
    for cc in report.conditions:
        click.echo(f"  {cc.condition.loc}: {cc.rule.id}: \"{cc.condition.source}\" never "
                   f"{cc.missing}")
    if fails:
        failed_rules = sorted({o.what.split()[1] for o in fails if o.what.startswith("example")})
        failed_cases = sorted(o.what.split(maxsplit=1)[1] for o in fails
                              if o.what.startswith("case"))
        click.echo(f"FAILED: rules {', '.join(failed_rules) or 'none'}; cases "
                   f"{', '.join(failed_cases) or 'none'}", err=True)
        sys.exit(1)


def _record(advisor, source: str, out: Path | None, db: Path | None) -> None:
    import yaml

    from engine.kbtools.expectations import recorded_case
    from engine.consultation.result import build_result

    case = _record_source(source, db, advisor.kb)
    result = build_result(advisor.kb, case, advisor.run(case.facts))
    target = out or Path(advisor.kb.root) / "cases" / f"{case.id}.yaml"
    if target.exists():
        raise click.UsageError(f"{target} exists: give another file with --out")
    target.parent.mkdir(parents=True, exist_ok=True)
    text = (f"# Recorded by 'mse-advisor kb test --record {source}': the expected outcome is what"
            " the knowledge base concludes today.\n# Check it before committing.\n"
            + yaml.safe_dump(recorded_case(case, result), sort_keys=False, allow_unicode=True,
                             width=100))
    emit(text, target)
    click.echo(f"Wrote {target} (verdict {result['verdict']['value']})")


@kb_group.command("graph")
@kb_option
@click.option("--focus", default=None, metavar="ID",
              help="Only this rule, fact, finding, intervention or verdict with everything "
                   "upstream and downstream of it.")
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot"]), default="mermaid",
              show_default=True)
@out_option
def kb_graph(kb_dir, focus, fmt, out):
    """The rule graph: input facts -> rules -> findings -> verdict and recommendations."""
    from engine.errors import UsageError
    from engine.kbtools.graph import build_graph, to_dot, to_mermaid
    from engine.knowledge.loader import load_knowledge_base

    graph = build_graph(load_knowledge_base(kb_dir or shipped_kb()))
    if focus:
        try:
            graph = graph.focus(focus)
        except UsageError as exc:
            raise click.BadParameter(str(exc), param_hint="--focus") from None
    if fmt == "mermaid" and len(graph.edges) > 500:
        click.echo(f"Note: {len(graph.edges)} edges; Mermaid renders at most 500 unless its "
                   "maxEdges setting is raised. Use --focus or --format dot.", err=True)
    emit(to_mermaid(graph) if fmt == "mermaid" else to_dot(graph), out)


@kb_group.command("docs")
@kb_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("docs/knowledge-base-reference.md"), show_default=True,
              help='Where to write the reference ("-" prints it).')
@click.option("--check", is_flag=True, help="Only check that --out is up to date (exit 1 if not).")
def kb_docs(kb_dir, out, check):
    """Generate the knowledge-base reference: rules by factor in plain words, parameters,
    interventions, sources and facts."""
    from engine.kbtools.reference import render_reference
    from engine.knowledge.loader import load_knowledge_base

    text = render_reference(load_knowledge_base(kb_dir or shipped_kb()))
    if str(out) == "-":
        click.echo(text, nl=False)
    elif check:
        current = out.read_text(encoding="utf-8") if out.is_file() else None
        if current != text:
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
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def kb_diff(old_dir, new_dir, fmt):
    """Rules added, removed and changed from OLD_DIR to NEW_DIR (default: the shipped knowledge
    base), and what changed in every worked case of the new one."""
    from engine.kbtools.diff import diff_knowledge_bases, render_diff

    diff = diff_knowledge_bases(_fresh_advisor(old_dir), _fresh_advisor(new_dir))
    if fmt == "json":
        click.echo(json.dumps(diff.to_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(render_diff(diff), nl=False)

@kb_group.command("export")
@kb_option
@click.option("--clips", "clips_out", required=True,
              type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="Write the knowledge base as CLIPS deftemplates and defrules to FILE "
                   "('-' prints it).")
def kb_export(kb_dir, clips_out):
    """Export the knowledge base for another rule engine (CLIPS), e.g. to cross-check it."""
    from engine.errors import ExportError
    from engine.kbtools.clips import export_clips

    advisor = load_advisor(kb_dir)
    try:
        text = export_clips(advisor.kb)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    if str(clips_out) == "-":
        emit(text, None)
        return
    emit(text, clips_out)
    click.echo(f"Wrote {clips_out} ({len(advisor.kb.rules)} rules)")


@main.group("history")
def history_group():
    """The case history: every consultation stored (SQLite, see --db)."""


@history_group.command("list")
@click.option("--case", "case_id", default=None, help="Only this case id's consultations.")
@db_option
def history_list(case_id, db):
    """List stored consultations, oldest first."""
    from engine.history.store import open_history, resolve_path
    from engine.reports.visits import render_list

    if not resolve_path(db).exists():
        click.echo(f"No consultations stored yet ({resolve_path(db)}).")
        return
    with open_history(db, create=False) as history:
        rows = history.list(case_id)
    if not rows:
        click.echo("No consultations" + (f" of case {case_id}." if case_id else " stored yet."))
        return
    click.echo(render_list(rows), nl=False)


@history_group.command("show")
@click.argument("row_id", metavar="ID", type=int)
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text",
              show_default=True, help="How to print the stored result.")
@out_option
@db_option
@kb_option
def history_show(row_id, fmt, out, db, kb_dir):
    """Show stored consultation ID as it was concluded (labels from the knowledge base)."""
    from engine.history.store import open_history

    with open_history(db, create=False) as history:
        row = history.get(row_id)
    if fmt == "json":
        emit(json.dumps({k: v for k, v in row.items() if k != "facts"}, indent=2,
                        ensure_ascii=False) + "\n", out)
        return
    from engine.knowledge.loader import load_knowledge_base

    kb = load_knowledge_base(kb_dir or shipped_kb())
    head = (f"Consultation #{row['id']} of {row['created_at']} (UTC)"
            + (f" by {row['officer']}" if row["officer"] else "")
            + f"; knowledge base {row['kb_version']} ({row['kb_digest']})\n\n")
    body = render_result(row["result"], kb, fmt)
    emit(head + body if fmt == "text" else body, out)


@history_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@out_option
@db_option
def history_export(fmt, out, db):
    """Export every stored consultation (JSON Lines: whole results; CSV: one line each)."""
    import csv
    import io

    from engine.history.store import open_history
    from engine.history.visits import CSV_FIELDS, export_record

    buffer = io.StringIO()
    with open_history(db, create=False) as history:
        if fmt == "csv":
            writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(export_record(row, flat=True) for row in history.export_rows())
        else:
            for row in history.export_rows():
                buffer.write(json.dumps(export_record(row), ensure_ascii=False) + "\n")
    emit(buffer.getvalue(), out)


@history_group.command("compare")
@click.argument("first", metavar="ID1", type=int)
@click.argument("second", metavar="ID2", type=int)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@db_option
@kb_option
def history_compare(first, second, fmt, db, kb_dir):
    """What changed between two visits of the same enterprise: facts, verdict, factors, advice."""
    from engine.history.store import open_history
    from engine.history.visits import compare, same_enterprise
    from engine.reports.visits import render_comparison

    with open_history(db, create=False) as history:
        old, new = history.get(first), history.get(second)
    if not same_enterprise(old, new):
        raise click.UsageError(f"#{first} is case {old['case_id']} ({old['enterprise'] or '-'}) "
                               f"and #{second} is case {new['case_id']} "
                               f"({new['enterprise'] or '-'}): compare two visits of the same "
                               "enterprise ('mse-advisor history list' shows them).")
    diff = compare(old, new)
    if fmt == "json":
        click.echo(json.dumps(diff, indent=2, ensure_ascii=False))
        return
    from engine.knowledge.loader import load_knowledge_base

    click.echo(render_comparison(diff, load_knowledge_base(kb_dir or shipped_kb())), nl=False)


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True, path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output file. Rerunning with the same file skips the cases already in it.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes, each building the engine once.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default=None,
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
    from engine.consultation.batch import BatchCounts, count_items, run_batch
    from engine.errors import UsageError

    advisor = load_advisor(kb_dir)  # a broken knowledge base stops before any row is read
    total = count_items(input_path) if sys.stderr.isatty() else None
    bar = click.progressbar(length=total, file=sys.stderr, label="Screening") if total else None

    def report(item):
        for problem in item.problems:
            # On a terminal, clear the progress bar's line first; it redraws on update.
            click.echo(("\r\033[K" if total else "") + f"Error: {problem}", err=True)

    counts = BatchCounts()
    try:
        run_batch(input_path, out, advisor.kb, kb_dir or shipped_kb(), fmt, jobs,
                  progress=bar, on_invalid=report, counts=counts)
    except UsageError as exc:  # with click's usage lines, as for its own option errors
        raise click.UsageError(str(exc)) from None
    except KeyboardInterrupt:
        _batch_summary(counts, out, "interrupted; run the same command again to finish")
        raise
    _batch_summary(counts, out)
    if counts.invalid:
        sys.exit(2)


def _batch_summary(counts, out: Path, note: str = "") -> None:
    click.echo(f"{counts.done} done, {counts.skip} skipped (already in {out}), "
               f"{counts.invalid} invalid" + (f"; {note}" if note else ""))


if __name__ == "__main__":
    main()
