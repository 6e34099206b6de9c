"""``kb``: the knowledge engineer's commands (validate, lint, test, graph, table, docs, diff,
export); every one reads the shipped knowledge base unless given ``--kb``.
Must not: hold engine logic or write files itself.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from commands.common import (
    db_option, emit, force_option, format_option, kb_option, out_option, show,
)
from engine import api


@click.group("kb")
def kb_group():
    """Knowledge-engineering tools."""


@kb_group.command("validate")
@kb_option
@format_option(api.DATA_FORMATS, "json: the problems as data (file, line, col, code, severity, "
                                  "message).")
def kb_validate(kb_dir, fmt):
    """Check every knowledge-base file; list all problems as file:line:col: message."""
    checked = api.validate(kb_dir)
    if fmt == "json":
        click.echo(api.to_json(api.problems_as_dict(list(checked.problems), checked.root)),
                   nl=False)
        sys.exit(1 if checked.errors else 0)
    for p in checked.problems:
        show(f"{p}" if p.severity == "error" else f"{p} [warning]")
    if checked.errors:
        show(f"{len(checked.errors)} error(s) in {checked.root}", err=True)
        sys.exit(1)
    show(f"OK: {checked.root} ({len(checked.kb.rules)} rules, "
               f"{len(checked.kb.input_facts)} input facts, {len(checked.problems)} warning(s))")


@kb_group.command("lint")
@kb_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@format_option(api.DATA_FORMATS)
@click.option("-v", "--verbose", is_flag=True,
              help="List each text a translation lacks (JSON always does).")
def kb_lint(kb_dir, strict, fmt, verbose):
    """Static verification: undefined or unused names, rules that can never fire, subsumed and
    conflicting rules, circular derivations, rules without sources or examples, translations."""
    problems = api.lint(kb_dir, strict, every_missing=verbose or fmt == "json")
    report = api.lint_as_dict(problems, api.kb_root(kb_dir))
    if fmt == "json":
        show(api.to_json(report), nl=False)
    else:
        for p in problems:
            show(f"{p.where}: {p.code} {p.severity}: {p.message}")
        show(f"{report['errors']} error(s), {report['warnings']} warning(s) in "
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
@click.option("--questions", is_flag=True,
              help="Also replay each worked case's first-visit interview: the questions it "
                   "needs and whether the verdict at its stop is the whole case's (slower).")
def kb_test(kb_dir, record, out, db, verbose, questions):
    """Run every rule example and worked case; show failures and coverage. Exit 1 on failure."""
    if record:
        recorded = api.record_case(record, kb_dir, db, out)
        show(f"Wrote {recorded.path} (verdict {recorded.result['verdict']['value']})")
        return
    report = api.run_kb_tests(kb_dir, api.QUESTION_BUDGET if questions else None)
    show(api.render_kb_tests(report, verbose), nl=False)
    if report.failures:
        show(f"FAILED: rules {', '.join(report.failed_rules) or 'none'}; cases "
                   f"{', '.join(report.failed_cases) or 'none'}", err=True)
        sys.exit(1)


@kb_group.command("graph")
@kb_option
@click.option("--focus", default=None, metavar="ID",
              help="Only this rule, fact, finding, intervention or verdict with everything "
                   "upstream and downstream of it.")
@format_option(api.GRAPH_FORMATS)
@out_option
@force_option
def kb_graph(kb_dir, focus, fmt, out, force):
    """The rule graph: input facts -> rules -> findings -> verdict and recommendations."""
    drawn = api.graph(kb_dir, focus)
    if fmt == "mermaid" and len(drawn.edges) > api.MERMAID_MAX_EDGES:
        show(f"Note: {len(drawn.edges)} edges; Mermaid renders at most "
                   f"{api.MERMAID_MAX_EDGES} unless its maxEdges setting is raised. Use --focus "
                   "or --format dot.", err=True)
    emit(api.draw_graph(drawn, fmt), out, force=force, kb_dir=kb_dir)


@kb_group.command("table")
@click.argument("which", metavar="verdict|FACTOR")
@kb_option
@format_option(api.TABLE_FORMATS)
@out_option
def kb_table(which, kb_dir, fmt, out):
    """Rules as a decision table: one row per rule in the order they take effect, a column per
    thing the conditions test, the conclusion last; the hit policy (F: first, for the verdict;
    C: collect, for a factor) in the top-left cell."""
    emit(api.draw_table(api.decision_table(which, kb_dir), fmt), out)


@kb_group.command("docs")
@kb_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help='Where to write the reference ("-" prints it; default: beside the knowledge '
                   "base, in the docs folder next to it if there is one, else inside it).")
@click.option("--check", is_flag=True, help="Only check that --out is up to date (exit 1 if not).")
def kb_docs(kb_dir, out, check):
    """Generate the knowledge-base reference: rules by factor in plain words, parameters,
    interventions, sources and facts. --out is replaced (it is generated)."""
    text = api.reference(kb_dir)
    out = out or api.reference_path(kb_dir)
    if str(out) == "-":
        show(text, nl=False)
    elif check:
        if not api.reference_is_current(text, out):
            show(f"{out} is out of date: run 'mse-advisor kb docs'", err=True)
            sys.exit(1)
        show(f"{out} is up to date")
    else:
        emit(text, out, force=True, kb_dir=kb_dir)
        show(f"Wrote {out}")


@kb_group.command("diff")
@click.argument("old_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("new_dir", required=False,
                type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--kb", "kb_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=None, help="The new knowledge base, as NEW_DIR (default: the shipped one).")
@format_option(api.DATA_FORMATS)
def kb_diff(old_dir, new_dir, kb_dir, fmt):
    """Rules added, removed and changed from OLD_DIR to NEW_DIR (or --kb; default: the shipped
    knowledge base), and what changed in every rule example and worked case of the new one."""
    if new_dir and kb_dir and Path(new_dir).resolve() != Path(kb_dir).resolve():
        raise click.UsageError(f"NEW_DIR ({new_dir}) and --kb ({kb_dir}) name two knowledge "
                               "bases: give the new one once")
    diff = api.diff(old_dir, new_dir or kb_dir)
    show(api.to_json(diff.to_dict()) if fmt == "json" else api.render_diff(diff), nl=False)


@kb_group.command("export")
@kb_option
@click.option("--clips", "clips_out", required=True,
              type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="Write the knowledge base as CLIPS deftemplates and defrules to FILE "
                   "('-' prints it).")
@force_option
def kb_export(kb_dir, clips_out, force):
    """Export the knowledge base for another rule engine (CLIPS), e.g. to cross-check it."""
    export = api.export_clips(kb_dir)
    if str(clips_out) == "-":
        show(export.text, nl=False)
        return
    emit(export.text, clips_out, force=force, kb_dir=kb_dir)
    show(f"Wrote {clips_out} ({export.rules} rules)")
