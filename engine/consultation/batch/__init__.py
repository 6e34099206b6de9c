"""Batch screening: many cases in, one output row per case, resumable after a crash.

    survey     a folder of case files, JSON lines or a CSV export --> Items, read lazily
    screening  Items --(worker processes)--> (item, row): a JSON line or CSV cells
    output     the output file: skip what it holds, cut a torn line, append and flush each row

    csvheader  a survey export's delimiter and what each column is (fact, metadata, ignored)
    csvrecords its physical lines grouped into CSV records, a runaway quote costing one row

Must not: print or prompt; the CLI shows progress, warnings and invalid rows through
``run_batch``'s callbacks. Entry point: ``run_batch(input_path, out, kb, kb_root, fmt, jobs)
-> BatchCounts``; the pieces (``read_items``, ``count_items``, ``classify``, ``screen``, ``read_done``) are
exported for the tests and for callers that write rows elsewhere, and ``MAX_LINE_CHARS`` and
``MAX_RECORD_LINES`` for docs/security.md's table of limits.
"""
from engine.consultation.batch.csvrecords import MAX_RECORD_LINES
from engine.consultation.batch.output import BatchCounts, read_done, run_batch
from engine.consultation.batch.screening import (
    CHUNK, CSV_COLUMNS, OUTPUT_COLUMNS, WINDOW, classify, screen,
)
from engine.consultation.batch.survey import MAX_LINE_CHARS, Item, Tally, count_items, read_items

__all__ = [
    "CHUNK", "CSV_COLUMNS", "MAX_LINE_CHARS", "MAX_RECORD_LINES", "OUTPUT_COLUMNS", "WINDOW",
    "BatchCounts", "Item", "Tally", "classify", "count_items", "read_done", "read_items",
    "run_batch", "screen",
]
