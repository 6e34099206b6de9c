"""``mse-advisor serve``: the officer's pages in a browser, served from this computer.

Starts the web application (``web.app.create_app``) on 127.0.0.1 and opens the browser at it
(the standard library's ``webbrowser``). ``--host ADDRESS`` lets other machines connect: a new
random token is then required in every URL and printed with the address. Ctrl-C stops it.

Must not: hold engine or page logic (``web`` and ``engine.api`` do).
"""
from __future__ import annotations

import secrets
import webbrowser
from pathlib import Path

import click

from commands.common import db_option, kb_option, say
from engine import api

LOCAL = "127.0.0.1"


@click.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="The port to listen on (0: any free one).")
@click.option("--host", default=None, metavar="ADDRESS",
              help="Listen on ADDRESS (e.g. 0.0.0.0) so that other machines can open the pages; "
                   "a secret token is then needed in the address, printed at start. Default: "
                   "this computer only.")
@click.option("--no-browser", is_flag=True, help="Do not open the browser.")
@click.option("--cases", "cases_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folder for the interviews' case files (default: 'cases' "
                                 "beside the history).")
@db_option
@kb_option
def serve(port, host, no_browser, cases_dir, db, kb_dir):
    """Open the advisor in a browser: cases, visits, interviews, reports, comparisons.

    Works offline. Only this computer can reach the pages unless --host is given.
    """
    from werkzeug.serving import make_server

    from engine.errors import UsageError
    from web.app import create_app

    token = secrets.token_urlsafe(24) if host else None
    app = create_app(db, kb_dir, cases_dir, token, local=host is None)
    try:
        server = make_server(host or LOCAL, port, app, threaded=True)
    except (OSError, SystemExit) as exc:  # werkzeug exits when the port is taken
        raise UsageError(f"cannot listen on {host or LOCAL}:{port} ({exc}); another program "
                         "may use the port: give another with --port") from None
    shown = host if host and host not in ("0.0.0.0", "::") else LOCAL
    url = f"http://{shown}:{server.server_port}/" + (f"?token={token}" if token else "")
    say(f"The advisor is at {url}")
    if token:
        say("Other machines can reach it: share this address (with its token) only with the "
            "officers who should see the cases.")
    say(f"History: {api.history_path(db)}. Press Ctrl-C to stop.")
    if not no_browser:
        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        say("Stopped.")
    finally:
        server.server_close()
