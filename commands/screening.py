"""``batch``: screen a survey (a folder of case files, JSON lines or a CSV export) with a progress
bar on a terminal; the engine reads, consults and writes (``engine.api.screen_survey``).
Must not: hold engine logic or write files itself.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from commands.common import kb_option, show
from engine import api


@click.command()
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

    A CSV has an id column and one column per input fact (a blank cell is unknown); metadata
    columns pass through; other columns are ignored with a warning. An invalid row is reported
    with its line and skipped; the others still run (exit 2 if any row was invalid). Results are
    appended and flushed one by one, so after a crash or Ctrl-C the same command carries on
    where it stopped. --out must not be INPUT or the history.
    """
    api.load_advisor(kb_dir)  # a broken knowledge base stops before any row is read
    total = api.count_cases(input_path) if sys.stderr.isatty() else None
    bar = click.progressbar(length=total, file=sys.stderr, label="Screening") if total else None

    def report(item):
        for problem in item.problems:
            # On a terminal, clear the progress bar's line first; it redraws on update.
            click.echo(("\r\033[K" if total else "") + f"Error: {api.one_line(problem)}",
                       err=True)

    counts = api.BatchCounts()
    try:
        api.screen_survey(input_path, out, kb_dir, fmt, jobs, progress=bar, on_invalid=report,
                          on_warning=lambda text: show(f"Warning: {text}", err=True),
                          counts=counts)
    except KeyboardInterrupt:
        batch_summary(counts, out, "interrupted; run the same command again to finish")
        raise
    batch_summary(counts, out)
    if counts.invalid:
        sys.exit(2)


def batch_summary(counts, out: Path, note: str = "") -> None:
    show(f"{counts.done} done, {counts.skip} skipped (already in {out}), {counts.invalid} "
         f"invalid; {counts.read.summary()}" + (f"; {note}" if note else ""))
