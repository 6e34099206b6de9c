"""The facade: the calls the command line, the tests and the benchmarks make, one for each thing
a user does.

    loading       shipped_kb, kb_root, load_kb, load_advisor (cached), fresh_advisor, write_file,
                  choose_language (--lang, else the environment's locale, else English)
    consulting    consult -> Consultation, render, explain, why_not, what_if,
                  what_would_make_it (whatif --goal), store_consultation, count_cases,
                  screen_survey
    interviewing  start_interview -> InterviewSession, save_interview, interview_case_text,
                  finish_interview, report_format_for
    kb            validate, lint, problems_as_dict, run_kb_tests, record_case, graph,
                  draw_graph, decision_table, draw_table, reference, reference_path,
                  reference_is_current, diff, export_clips
    history       history_path, list_consultations, show_consultation, export_history,
                  compare_consultations
    visiting      start_visit (the web's registration), stored_consultation, plain_report
                  -> PlainReport, group_title, languages, REGISTRATION, SECTION_WORDS,
                  STOPPED, VERDICT_WORDS
    output        write_output, check_output (the output rules), terminal_text, one_line,
                  forgiving, stops_as_interrupt, stops_held

Every function says what its arguments are, what it returns and which ``AdvisorError`` it
raises; the renderings it hands out (``render_why_not``, ``to_json`` ...) are the engine's own.
The facade is imported on first use of one of its names (``__getattr__``), so ``mse-advisor
--help`` loads none of the engine; the constants the command line declares its options with are
here at once.

Must not: print, prompt or pick exit codes (``cli.py`` does); hold logic of its own beyond
composing engine calls.
"""
from __future__ import annotations

from engine.reports import REPORT_FORMATS, REPORT_SUFFIXES

GRAPH_FORMATS = ("mermaid", "dot")
TABLE_FORMATS = ("markdown", "csv")  # of kb table
DATA_FORMATS = ("text", "json")  # of what-if, kb lint, kb diff, history compare
EXPORT_FORMATS = ("jsonl", "csv")  # of history export and batch output
GOALS = ("likely", "possible_with_support")  # of whatif --goal (engine.consultation.goal.GOALS)
QUESTION_BUDGET = 20  # of consult --max-questions (consultation.priorities.FIRST_VISIT_QUESTIONS)
MODULES = ("loading", "consulting", "interviewing", "kb", "history", "output", "visiting")

__all__ = ["DATA_FORMATS", "EXPORT_FORMATS", "GOALS", "GRAPH_FORMATS", "MODULES",
           "QUESTION_BUDGET", "REPORT_FORMATS", "REPORT_SUFFIXES", "TABLE_FORMATS"]  # + the modules' names, once loaded


def __getattr__(name: str):
    """Load the facade on first use of one of its names (the modules above, each listing its
    names in ``__all__``)."""
    if name.startswith("__") or name in MODULES:  # the import system asking: not loaded yet
        raise AttributeError(name)
    from engine.api import consulting, history, interviewing, kb, loading, output, visiting

    for module in (loading, consulting, interviewing, kb, history, output, visiting):
        for exported in module.__all__:
            globals().setdefault(exported, getattr(module, exported))
    if name not in globals():
        raise AttributeError(f"engine.api has no {name!r}")
    return globals()[name]
