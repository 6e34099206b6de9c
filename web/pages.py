"""The officer's pages: the case list, a new visit, the interview one question at a time, the
result, the printable report and the owner's handout, and two visits compared.

Each page is a call to ``engine.api`` and a template. The interview drives the terminal's
conversation (``dialogue``): each button is what the officer would type there (``TYPED``), so
why, back, don't know, skip and done mean exactly what they mean in ``mse-advisor consult``.
Forms are POSTed and answered with a redirect, so reloading a page never answers twice.

Must not: hold engine logic or reach the engine other than through ``engine.api``. Entry
point: the blueprint ``bp`` (``web.app.create_app`` registers it).
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for

from engine import api
from engine.errors import InputError
from engine.translation.catalogue import N_

bp = Blueprint("pages", __name__)
TYPED = {"why": "why", "back": "back", "unknown": "?", "skip": "skip", "done": "done"}
FORM_FIELDS = 40  # more fields than any form of these pages has: not from them
# A next visit is due when the last advice could still change with facts to collect then: its
# confidence is medium ("collect the facts named under Collect first at the next visit") or
# low ("not enough known yet"), as docs/confidence.md defines them.
VISIT_DUE = ("low", "medium")
ANSWER_FIRST = N_("Choose or type an answer, or press one of the buttons below it "
                  "(\"Don't know\", \"Back\" ...).")


def _config(name: str):
    return current_app.config[f"ADVISOR_{name}"]


def _visits():
    return current_app.extensions["advisor_visits"]


def _said(text: str) -> str:
    """``text`` in the page's language (``g.words``, chosen in ``web.app``)."""
    return g.words.gettext(text)


def _kb():
    """The knowledge base speaking the page's language (``g.lang``, chosen in ``web.app``)."""
    return api.load_advisor(_config("KB"), g.lang).kb


@bp.get("/")
def cases():
    """Every enterprise in the history, the most recently visited first, with its last
    visit's verdict and confidence; those whose next visit is due (``VISIT_DUE``) named
    first."""
    latest: dict[str, dict] = {}
    for row in api.list_consultations(db=_config("DB")) or []:
        entry = latest.setdefault(row["case_id"], {"visits": []})
        entry["visits"].append(row)
        entry["last"] = row
    listed = sorted(latest.values(), key=lambda e: e["last"]["id"], reverse=True)
    due = [e for e in listed if e["last"].get("confidence") in VISIT_DUE]
    return render_template("cases.html", cases=listed, due=due, verdicts=api.VERDICT_WORDS,
                           not_enough=api.NOT_ENOUGH)  # at low confidence, as the advice says


@bp.route("/visit/new", methods=["GET", "POST"])
def new_visit():
    """The registration form; POSTed, a new interview starts."""
    if request.method == "GET":
        return render_template("new_visit.html", values=request.args, problems=[])
    values = _form()
    try:
        session = api.start_visit(values, _config("CASES"), _config("KB"), lang=g.lang)
    except InputError as exc:
        return render_template("new_visit.html", values=values,
                               problems=[p.message for p in exc.problems]), 400
    return redirect(url_for("pages.interview", visit_id=_visits().add(session)))


@bp.get("/visit/<visit_id>")
def interview(visit_id: str):
    """The question waiting, or the next one; when the interview stops with optional questions
    left, why and the offer to ask them; when nothing is left, the advice."""
    visit = _visit(visit_id)
    if visit.row_id is not None:
        return redirect(url_for("pages.result", row_id=visit.row_id))
    dialogue = visit.session.dialogue
    if not dialogue.waiting:
        turn = dialogue.next_turn()
        if turn is None or (turn.question is None and not dialogue.offer):
            return _conclude(visit)
        visit.turn_text = turn.text
    said, visit.said = visit.said, []
    interview = visit.session.interview
    _in_the_visits_language(dialogue.lang.code)
    if dialogue.offer:  # the interview's own words, without the terminal's "type more"
        return render_template(
            "stopped.html", visit_id=visit_id, said=said, case=visit.session.case,
            why=dialogue.lang.gettext(api.STOPPED[interview.stopped]).format(
                budget=interview.budget).strip(),
            optional=len(interview.later()))
    number = interview.count() + 1
    return render_template(
        "question.html", visit_id=visit_id, q=dialogue.question, said=said,
        group=api.group_title(interview.kb, dialogue.question.group), number=number,
        about=max(interview.about(), number) if interview.budget is not None else None,
        left=interview.remaining(), case=visit.session.case, saved=visit.saved)


@bp.post("/visit/<visit_id>")
def hear(visit_id: str):
    """What a button did to the waiting question: the answer, or why, back, don't know, skip,
    done; after the interview stopped, more questions or the advice."""
    visit = _visit(visit_id)
    dialogue = visit.session.dialogue
    if visit.row_id is not None or not dialogue.waiting:  # a second tab, or a page reloaded
        return redirect(url_for("pages.interview", visit_id=visit_id))
    action = request.form.get("action", "")
    if dialogue.offer:  # the interview stopped: more questions, or the advice now
        typed = "more" if action == "more" else ""
    elif action == "answer":
        typed = _typed_answer(dialogue.question)
        if not typed or typed.lower() in TYPED.values():  # the box answers; buttons command
            visit.said.append(("refused", dialogue.lang.gettext(ANSWER_FIRST)))
            return redirect(url_for("pages.interview", visit_id=visit_id))
    elif action in TYPED:
        typed = TYPED[action]
    else:
        abort(400, description=_said(N_("No such button: {button}.")).format(
            button=repr(api.one_line(action)[:40])))
    reply = dialogue.hear(typed)
    if reply.text:
        kind = "why" if reply.event == "why" else "refused" if reply.event == "refused" \
            else "note"
        visit.said.append((kind, _without_question(reply.text, visit.turn_text)))
    if reply.event not in ("why", "refused"):
        visit.saved = str(api.save_interview(visit.session)[0])
    if dialogue.over:
        return _conclude(visit)
    return redirect(url_for("pages.interview", visit_id=visit_id))


def _in_the_visits_language(code: str) -> None:
    """The interview's pages speak the language the visit began in (its questions, choices and
    answers typed are in it); a language chosen since is named for the advice."""
    if code != g.lang:
        g.chosen, g.lang, g.words = g.lang, code, api.interface(code)


def _typed_answer(question) -> str:
    """The form's answer as the officer would type it: a choice's name, the choices ticked
    (``none`` when none is), or the text typed."""
    if question.fact.type == "list[enum]":
        return ",".join(v.strip() for v in request.form.getlist("value")) or "none"
    return request.form.get("value", "").strip()


def _without_question(text: str, turn_text: str) -> str:
    """A reply without the question it repeats at its end (the page shows the question)."""
    question = turn_text.lstrip("\n")
    if question.startswith("== "):
        question = question.split("\n", 1)[-1]
    return text.removesuffix(question).rstrip()


def _conclude(visit):
    session = visit.session
    visit.saved = str(api.save_interview(session)[0])
    result = api.finish_interview(session)
    visit.row_id = api.store_consultation(result, _config("DB"))
    return redirect(url_for("pages.result", row_id=visit.row_id))


def _visit(visit_id: str):
    visit = _visits().get(visit_id)
    if visit is None:
        abort(404, description=_said(N_(
            "No visit in progress has this address (the advisor may have been restarted). Its "
            "answers are in the case files folder; start a new visit from the case list.")))
    return visit


@bp.get("/consultation/<int:row_id>")
def result(row_id: int):
    """The advice: verdict, confidence, the first three things to do, the factors, then the
    details, in the plain words of the printed report."""
    row = api.stored_consultation(row_id, _config("DB"))
    kb = _kb()
    lang = kb.language
    earlier = [r for r in api.list_consultations(row["case_id"], _config("DB")) or []
               if r["id"] < row_id]
    return render_template(
        "result.html", row=row, report=api.plain_report(row["result"], kb), kb=kb,
        sections=api.SECTION_WORDS, previous=earlier[-1] if earlier else None,
        status_words=lambda entry: api.plain_status(entry, lang),
        first_steps_title=lambda count: api.first_steps_title(count, lang),
        leaning=lang.gettext(api.LEANING), collect_first=lang.gettext(api.COLLECT_FIRST))


@bp.get("/consultation/<int:row_id>/<any(report, handout):kind>")
def printed(row_id: int, kind: str):
    """The printable report (the command line's ``--format html``) or the owner's handout."""
    html = api.show_consultation(row_id, "html" if kind == "report" else "handout",
                                 _config("DB"), _config("KB"), lang=g.lang)
    return html, 200, {"Content-Type": "text/html; charset=utf-8"}


@bp.get("/compare")
def compare():
    """Two visits of one enterprise side by side (``?first=ID&second=ID``)."""
    try:
        first, second = int(request.args["first"]), int(request.args["second"])
    except (KeyError, ValueError):
        abort(400, description=_said(N_(
            "Say which two visits to compare by their numbers, e.g. /compare?first=1&second=2 "
            "(the case list links them).")))
    diff = api.compare_consultations(first, second, _config("DB"))
    before, after = (api.stored_consultation(i, _config("DB")) for i in (first, second))
    texts = {f["id"]: f["text"] for row in (before, after) for f in row["result"]["findings"]}
    return render_template("compare.html", diff=diff, kb=_kb(), texts=texts,
                           verdicts=api.VERDICT_WORDS)


def _form() -> dict:
    if len(request.form) > FORM_FIELDS:
        abort(400, description=_said(N_("The form sent more fields than it has.")))
    return {k: request.form.get(k, "") for k in api.REGISTRATION}
