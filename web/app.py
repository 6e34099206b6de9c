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
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException, SecurityError

from engine import api
from engine.errors import AdvisorError, InputError
from web.visits import Visits

LOCAL_NAMES = ["127.0.0.1", "localhost", "[::1]", "::1"]
POLICY = ("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
          "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")

HTTP_PAGES = {  # status: (title, what to say when the error says nothing of its own)
    400: ("That request could not be read", "Go back and try again."),
    403: ("Not allowed", "This address needs the token printed when the advisor was started: "
                         "open the address exactly as it was printed."),
    404: ("No such page", "Go back to the case list."),
    413: ("Too much text", "What was sent is too long; shorten it."),
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


def answer_words(value) -> str:
    """A stored answer as the officer reads it: yes or no, "not known", choices without
    underscores, a list as its items."""
    if value is None:
        return "not known"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(answer_words(v) for v in value) or "none"
    return str(value).replace("_", " ")


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
        if asked in g.languages:
            session["lang"] = asked
        g.lang_missing = asked if asked and asked not in g.languages else None
        g.lang = session.get("lang") if session.get("lang") in g.languages else "en"

    @app.after_request
    def headers(response):
        response.headers["Content-Security-Policy"] = POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"  # the token stays in this window
        response.headers["Cache-Control"] = "no-store"  # owners' details stay off the disk
        return response


def _error_pages(app: Flask) -> None:
    def page(status: int, title: str, messages: list[str]):
        return render_template("error.html", title=title, messages=messages), status

    @app.errorhandler(SecurityError)
    def untrusted_host(exc):  # no page: its links could not be made for this address
        return ("This advisor answers only at the address it printed (127.0.0.1 or "
                "localhost).\n", 400, {"Content-Type": "text/plain; charset=utf-8"})

    @app.errorhandler(CSRFError)
    def refused_form(exc):
        return page(400, "This form has expired", [
            "The page was older than the advisor now running (it was restarted) or came from "
            "somewhere else. Go back to the case list and start from there."])

    @app.errorhandler(AdvisorError)
    def advisor_error(exc: AdvisorError):
        status = 400 if isinstance(exc, InputError) else 500
        return page(status, "That did not work", [api.one_line(str(p)) for p in exc.problems])

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        title, default = HTTP_PAGES.get(exc.code, (exc.name, ""))
        own = exc.description if exc.description != type(exc).description else ""
        return page(exc.code, title, [own or default or exc.description])

    @app.errorhandler(Exception)
    def internal(exc):
        app.logger.error("internal error", exc_info=exc)
        return page(500, "Internal error", [
            f"Something went wrong inside the advisor ({type(exc).__name__}). Please report "
            "it with what you did; your answers so far are saved in the case file."])
