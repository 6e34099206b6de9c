"""The officer's web application: Flask, its safety and its error pages.

Safe by default (docs/security.md):
- every form carries a CSRF token (Flask-WTF's ``CSRFProtect``); a POST without a valid one is
  refused with 400 and a page saying so;
- Jinja2 escapes every value (autoescaping, on for every ``.html`` template); pages run no
  script, and the Content-Security-Policy forbids any;
- bound to 127.0.0.1 the application answers only requests addressed to this computer by name
  (``TRUSTED_HOSTS``: a page elsewhere cannot reach it by renaming itself); with ``token`` (given
  when ``serve --host`` lets other machines connect) every request must carry ``?token=`` with
  it, else 403, and every link the pages make carries it;
- one request at a time (``one_at_a_time``): the compiled advisor and each visit's conversation
  are shared; a single officer never notices.
The officer's language (``page_language``): ``?lang=`` when installed (kept in the session),
else the one kept, else the browser's Accept-Language when installed, else English; the
templates' ``_`` is that ``Language``'s ``gettext`` (per request, nothing global), and the pages
hand its code to every ``engine.api`` call that speaks.
An ``AdvisorError`` becomes a page with its messages (400 for what the officer typed or chose,
else 500); any other error a page that says so, never a traceback.

Must not: call the engine other than through ``engine.api``; hold engine logic. Entry point:
``create_app(db, kb_dir, cases_dir, token=None, local=True) -> Flask``.
"""
from __future__ import annotations

import logging
import os
import secrets
import threading
from pathlib import Path

from flask import Flask, abort, g, render_template, request, session
from jinja2 import pass_context
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException, SecurityError

from engine import api
from engine.errors import AdvisorError, InputError, NoSuchConsultation
from engine.translation.catalogue import N_
from web.visits import Visits

LOCAL_NAMES = ["127.0.0.1", "localhost", "[::1]", "::1"]
POLICY = ("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
          "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")

HTTP_PAGES = {  # status: (title, what to say when the error says nothing of its own)
    400: (N_("That request could not be read"), N_("Go back and try again.")),
    403: (N_("Not allowed"), N_("This address needs the token printed when the advisor was "
                                "started: open the address exactly as it was printed.")),
    404: (N_("No such page"), N_("Go back to the case list.")),
    413: (N_("Too much text"), N_("What was sent is too long; shorten it.")),
}


def create_app(db: str | os.PathLike | None = None, kb_dir: str | os.PathLike | None = None,
               cases_dir: str | os.PathLike | None = None, token: str | None = None,
               local: bool = True) -> Flask:
    """The application on the history ``db`` (default as for the command line), the knowledge
    base of ``kb_dir`` (default: shipped; compiled now, so a broken one stops it here with
    ``KnowledgeBaseError``), saving each interview's case file in ``cases_dir`` (default:
    ``cases`` beside the history). ``token``: required in every request's ``?token=``.
    ``local``: answer only requests addressed to 127.0.0.1 or localhost."""
    from web import pages

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),  # new at each start: forms of a past run are refused
        WTF_CSRF_TIME_LIMIT=None,  # an owner may talk for an hour: the token lasts the run
        SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_HTTPONLY=True,
        MAX_CONTENT_LENGTH=256 * 1024, TEMPLATES_AUTO_RELOAD=False,
        ADVISOR_DB=db, ADVISOR_KB=kb_dir, ADVISOR_TOKEN=token,
        ADVISOR_CASES=Path(cases_dir) if cases_dir else api.history_path(db).parent / "cases")
    if local and not token:
        app.config["TRUSTED_HOSTS"] = LOCAL_NAMES
    app.jinja_env.autoescape = True  # every template, whatever its name
    app.jinja_env.add_extension("jinja2.ext.i18n")  # {% trans %}; gettext comes per request
    app.jinja_env.globals["zip"] = zip
    app.jinja_env.filters["answer"] = answer_words
    app.extensions["advisor_visits"] = Visits()
    api.load_advisor(kb_dir)  # a broken knowledge base stops the start, not the first visit
    CSRFProtect(app)
    _guard(app, token)
    _error_pages(app)
    app.register_blueprint(pages.bp)
    app.wsgi_app = one_at_a_time(app.wsgi_app)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no request log on the terminal
    return app


@pass_context
def answer_words(context, value) -> str:
    """A stored answer as the officer reads it, in the page's language (the template's
    ``_``): yes or no, "not known", choices without underscores, a list as its items."""
    _ = context["_"]
    if value is None:
        return _("not known")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (list, tuple)):
        return ", ".join(answer_words(context, v) for v in value) or _("none")
    return str(value).replace("_", " ")


def page_language(asked: str | None, kept: str | None, installed: dict) -> tuple[str, str | None]:
    """The page's language code and the one asked for but not installed (else None): ``?lang=``
    when installed, else the one kept for the session, else the best of the browser's
    Accept-Language that is installed, else English."""
    if asked in installed:
        return asked, None
    missing = asked if asked else None
    if kept in installed:
        return kept, missing
    for tag, _quality in request.accept_languages:  # best first; "fr-SN" is French
        code = tag.replace("_", "-").split("-")[0].lower()
        if code in installed:
            return code, missing
    return next(iter(installed)), missing


def words():
    """The request's interface language (``api.interface``); English before it was chosen."""
    return g.get("words") or api.interface("en")


def one_at_a_time(wsgi_app):
    """``wsgi_app`` serving one request at a time (the server still accepts many connections,
    so a browser's idle spare connection cannot hold the others up)."""
    lock = threading.Lock()

    def serialised(environ, start_response):
        with lock:
            return list(wsgi_app(environ, start_response))
    return serialised


def _guard(app: Flask, token: str | None) -> None:
    @app.url_defaults
    def carry_token(endpoint, values):  # every link and form of the pages carries it
        if token:
            values.setdefault("token", token)

    @app.before_request
    def check_token_and_language():
        if token and not secrets.compare_digest(request.args.get("token", ""), token):
            abort(403)
        g.languages = api.languages()
        asked = request.args.get("lang")
        g.lang, g.lang_missing = page_language(asked, session.get("lang"), g.languages)
        if asked in g.languages:
            session["lang"] = asked  # remembered for the session
        g.words = api.interface(g.lang)

    @app.context_processor
    def language_of_the_page():  # the templates' words, in the request's language
        said = words()
        return {"_": said.gettext, "gettext": said.gettext, "ngettext": said.ngettext}

    @app.after_request
    def headers(response):
        response.headers["Content-Security-Policy"] = POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"  # the token stays in this window
        response.headers["Cache-Control"] = "no-store"  # owners' details stay off the disk
        return response


def _error_pages(app: Flask) -> None:
    def page(status: int, title: str, messages: list[str]):
        return render_template("error.html", title=words().gettext(title),
                               messages=messages), status

    @app.errorhandler(SecurityError)
    def untrusted_host(exc):  # no page: its links could not be made for this address
        return ("This advisor answers only at the address it printed (127.0.0.1 or "
                "localhost).\n", 400, {"Content-Type": "text/plain; charset=utf-8"})

    @app.errorhandler(CSRFError)
    def refused_form(exc):
        return page(400, N_("This form has expired"), [words().gettext(
            N_("The page was older than the advisor now running (it was restarted) or came "
               "from somewhere else. Go back to the case list and start from there."))])

    @app.errorhandler(AdvisorError)
    def advisor_error(exc: AdvisorError):
        status = 400 if isinstance(exc, InputError) else \
            404 if isinstance(exc, NoSuchConsultation) else 500
        return page(status, N_("That did not work"), [api.one_line(str(p)) for p in exc.problems])

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        title, default = HTTP_PAGES.get(exc.code, (exc.name, ""))
        own = exc.description if exc.description != type(exc).description else ""
        return page(exc.code, title, [own or words().gettext(default) or exc.description])

    @app.errorhandler(Exception)
    def internal(exc):
        app.logger.error("internal error", exc_info=exc)
        return page(500, N_("Internal error"), [words().gettext(
            N_("Something went wrong inside the advisor ({error}). Please report it with what "
               "you did; your answers so far are saved in the case file.")).format(
            error=type(exc).__name__)])
