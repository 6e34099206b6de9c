"""Consulting one case: ``consult`` (a case file, or the interview), ``explain`` and ``whatif``.

Only terminal I/O is here: the interview's prompt and echo loops, and stopping it (Ctrl-C,
SIGTERM and SIGHUP alike save the answers: ``api.stops_as_interrupt``); the conversation itself
is ``engine.consultation.dialogue``. Must not: hold engine logic or write files itself.
"""
from __future__ import annotations

from pathlib import Path

import click

from commands.common import (
    appendix_option, chosen_language, db_option, emit, force_option, format_option, kb_option,
    out_option, say, show, technical_option, words,
)
from engine import api


@click.command()
@click.argument("case", type=click.Path(dir_okay=True, path_type=str), required=False)
@format_option(api.REPORT_FORMATS, "How to print the result (html: a printable page; "
              "handout: one page for the owner).")
@out_option
@force_option
@technical_option
@appendix_option
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
@click.option("--max-questions", type=click.IntRange(min=1), default=None, metavar="N",
              help="Interview: stop after N questions in all (default "
                   f"{api.QUESTION_BUDGET}; it stops sooner once the verdict is settled).")
@click.option("--replay", is_flag=True,
              help="Play the interview with CASE's facts as the answers; the advice at its stop "
                   "(with --format json, the questions asked under \"interview\").")
@kb_option
def consult(case, fmt, out, force, technical, appendix, db, no_save, officer, interactive,
            resume, save, max_questions, replay, kb_dir):
    """Advise on one enterprise's CASE file (YAML or JSON); store it in the case history.

    Without CASE (or with --interactive or --resume) it interviews you: see docs/officer-guide.md.
    """
    budget = max_questions or api.QUESTION_BUDGET
    if replay and (case is None or interactive or resume or save):
        raise click.UsageError("--replay plays CASE's own facts: give CASE, without "
                               "--interactive, --resume or --save")
    if case is None or interactive or resume:
        if case and resume:
            raise click.UsageError("give either CASE --interactive or --resume FILE, not both")
        return interview(case, resume, save, (fmt, technical, appendix), (out, force), db,
                         (no_save, officer, budget), kb_dir)
    if save is not None:
        raise click.UsageError("--save is for the interview: add --interactive")
    if max_questions is not None and not replay:
        raise click.UsageError("--max-questions is for the interview: add --interactive or "
                               "--replay")
    api.check_officer(officer)
    if out is not None:  # refused before the work, not after it
        api.check_output(out, inputs=[case], db=db, force=force, kb_dir=kb_dir)
    if replay:
        result, kb = api.replay_case(case, kb_dir, budget), api.load_advisor(kb_dir).kb
        emit(api.render(result, kb, fmt, technical, appendix), out, inputs=[case], db=db,
             force=force, kb_dir=kb_dir)
        return  # a measurement, not a visit: not stored in the history
    done = api.consult(case, kb_dir, chosen_language())
    emit(api.render(done.result, done.kb, fmt, technical, appendix), out, inputs=[case], db=db,
         force=force, kb_dir=kb_dir)
    if not no_save:
        row_id = api.store_consultation(done.result, db, officer)
        if out is not None:
            click.echo(words().gettext("Report written to {out}; stored as consultation "
                                       "#{number}.").format(out=out, number=row_id))


def interview(case, resume, save, report, output, db, visit, kb_dir) -> None:
    """Interview from nothing, a partial CASE or a saved FILE; save the case; advise.
    ``report`` is (--format, --technical, --appendix), ``output`` (--out, --force), ``visit``
    (--no-save, --officer, the question budget)."""
    fmt, technical, appendix = report
    no_save, officer, budget = visit
    from engine.errors import OutputError

    if save is not None and not save.resolve().parent.is_dir():
        raise click.BadParameter(f"the folder {save.parent} does not exist", param_hint="--save")
    (out, force), inputs = output, [p for p in (case, resume) if p]
    if out is not None:  # before the first question, not after the last
        api.check_output(out, inputs=inputs, db=db, force=force, kb_dir=kb_dir)
    session = api.start_interview(case, resume, officer, save, kb_dir, force=force, db=db,
                                  technical=technical, max_questions=budget,
                                  lang=chosen_language())
    _ = session.advisor.kb.language.gettext
    with api.stops_as_interrupt():  # SIGTERM, SIGHUP: saved as after Ctrl-C
        finished = ask_questions(session.dialogue)
    if not finished and not session.answered:
        say("\n" + _("Stopped before any answer: nothing to save."))
        click.get_current_context().exit(130)
    try:
        with api.stops_held():  # a second signal waits until the case is saved whole
            saved, failures = api.save_interview(session)
    except OutputError:  # nowhere to write: the answers go to the screen instead
        say(api.interview_case_text(session) + "\n" + _("Nowhere to save the case: the answers "
                                                         "are above: copy them into a file."))
        raise
    for failure in failures:
        say(_("Could not write {failure}.").format(failure=failure))
    if not finished:
        say("\n" + _("Stopped. Your answers are saved in {saved}.").format(saved=saved) + "\n"
            + _("Continue with: {command}").format(command=f"mse-advisor consult --resume "
                                                          f"{saved}"))
        click.get_current_context().exit(130)
    result = api.finish_interview(session)
    emit(api.render(result, session.advisor.kb, fmt, technical, appendix), out, inputs=inputs,
         db=db, force=force, kb_dir=kb_dir)
    say(_("The case is saved in {saved}.").format(saved=saved))
    stored = None
    if not no_save:
        api.store_consultation(result, db, officer)
        stored = api.visit_number(result, db)
    say(api.interview_ending(result, stored, session.advisor.kb.language))  # the verdict last, still on screen
    offer_report(result, session.advisor.kb, inputs + [saved], db)


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


def offer_report(result: dict, kb, inputs: list, db) -> None:
    """A printable report on request, named with one of ``api.REPORT_SUFFIXES``; an existing
    file is replaced only if the officer says so."""
    _ = kb.language.gettext
    endings = kb.language.list_of(sorted(api.REPORT_SUFFIXES), "or")
    while True:
        try:
            name = click.prompt(_("Printable report? Type a file name ending {endings}, or "
                                  "press Enter to skip").format(endings=endings), default="",
                                show_default=False, err=True).strip()
            fmt = api.report_format_for(name)
            replace = bool(fmt) and Path(name).is_file() and click.confirm(
                _("{name} exists. Replace it?").format(name=api.one_line(name)), default=False,
                err=True)
        except click.Abort:
            return
        if not name:
            return
        if fmt and (replace or not Path(name).is_file()):
            emit(api.render(result, kb, fmt), Path(name), inputs=inputs, db=db, force=replace)
            say(_("Report written to {name}.").format(name=name))
            return
        say(_("A report file name must end with {endings}.").format(endings=endings) if not fmt
            else _("Type another name."))


@click.command()
@click.argument("case", type=click.Path(dir_okay=True, path_type=str))
@click.argument("target", required=False)
@click.option("--why-not", "why_not_id", metavar="ID", default=None,
              help="Why ID (a finding, an intervention or a verdict value) was not concluded: "
                   "what stands in the way, with the case's values, and what is not known.")
@technical_option
@kb_option
def explain(case, target, why_not_id, technical, kb_dir):
    """Show how the verdict and each recommendation (or TARGET) follow from the facts.

    TARGET is "verdict", an intervention id (e.g. REPOSITION), a finding id or a derived fact.
    --technical shows the rules, their positions and the facts by name.
    """
    if why_not_id is not None and target:
        raise click.UsageError("give TARGET or --why-not ID, not both")
    if why_not_id is not None:
        lang = chosen_language()
        why = api.why_not(case, why_not_id, kb_dir, lang)
        show(api.render_why_not(why, api.load_advisor(kb_dir, lang).kb, technical), nl=False)
        return
    for i, (item, text) in enumerate(api.explain(case, target, kb_dir, technical,
                                                   chosen_language())):
        show(("\n" if i else "") + f"== {item}")
        show(text, nl=False)


@click.command()
@click.argument("case", type=click.Path(dir_okay=True, path_type=str))
@click.option("--set", "settings", multiple=True, metavar="FACT=VALUE",
              help="A fact to change (repeat for several); VALUE 'unknown' removes it.")
@click.option("--goal", type=click.Choice(list(api.GOALS)), default=None,
              help="Search for the smallest sets of changes an owner or officer can make that "
                   "reach this verdict (or better), instead of --set.")
@click.option("--budget", type=float, default=20.0, show_default=True, metavar="SECONDS",
              help="--goal: the time the search may take.")
@click.option("--max-changes", type=int, default=3, show_default=True,
              help="--goal: the most changes in one set.")
@format_option(api.DATA_FORMATS, "How to print the comparison.")
@technical_option
@kb_option
def whatif(case, settings, goal, budget, max_changes, fmt, technical, kb_dir):
    """Consult CASE as it is and with the --set changes; compare verdict, factors, advice.

    With --goal: what would make it work (the smallest sets of changes, each with the verdict
    it gives and the interventions that bring it about).
    """
    if bool(settings) == bool(goal):
        raise click.UsageError("give --set FACT=VALUE (one or more) or --goal, not both")
    if goal:
        found = api.what_would_make_it(case, goal, kb_dir, budget, max_changes)
        show(api.to_json(found) if fmt == "json" else
             api.render_goal(found, api.load_advisor(kb_dir).kb, technical), nl=False)
        return
    lang = chosen_language()
    diff = api.what_if(case, settings, kb_dir, lang)
    show(api.to_json(diff) if fmt == "json"
         else api.render_what_if(diff, api.load_advisor(kb_dir, lang).kb, technical), nl=False)
