"""The advisor in a browser: the officer's pages, served on this computer (``mse-advisor serve``).

One more face on the same engine, like ``commands/``: every page calls ``engine.api`` (never the
engine's own packages; ``[tool.importlinter]`` checks it) and shows what it gives back. The
interview is the terminal's conversation (``engine.consultation.dialogue``, through
``api.start_visit``), the history and the case files are the command line's, and the printable
report and the owner's handout are the command line's HTML.

    app       create_app(): the Flask application, its safety (CSRF tokens, the URL token with
              --host, trusted hosts, headers) and its error pages
    pages     the pages: case list, new visit, interview, result, reports, comparison
    visits    the interviews in progress, kept in memory by a random visit id
    templates Jinja2 templates (autoescaped); static/style.css, shipped (no CDN, no network)

Must not: hold engine logic, read or write the history or case files other than through
``engine.api``. Entry point: ``web.app.create_app(db, kb_dir, cases_dir, token)``.
"""
