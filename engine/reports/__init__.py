"""Reports: a consultation's result (the contract dict) rendered for people.

    content      what every format shows: labels, order, the unknowns to ask, facts, sources
    text         render_text: the report for the terminal
    markdown     render_markdown: the report as Markdown
    plain        plain_report: what the officer's report says (the default register), once
    printed      render_printed: the officer's printable HTML page (verdict, first steps and
                 the factors on page 1)
    handout      render_handout: the owner's one-page handout (--format handout)
    html         render_html: the knowledge engineer's printable page (--technical); the
                 chart and appendices both HTML reports share
    page         escape, document, section: the shell of every HTML page
    formats      render(result, kb, fmt): one of REPORT_FORMATS; render_stored; to_json
    explanation  render_explanation: a conclusion's derivation tree as indented text
    whynot       render_why_not: why something was not concluded, rule by rule
    whatif       render_what_if: a case before and after a change, side by side
    visits       render_list, render_comparison: the case history and two visits as text
    untranslated fallback_note: how many texts a report in another language says in English

Every rendering reads the result dict (or a history row, a comparison, a why-not record) and
the knowledge base's labels; the formats only lay out what ``content`` decides, so they always
agree. The names below are read when the command line is built, so this file imports nothing.

Must not: run rules or import ``engine.inference``; fetch anything; print; write files.
"""

REPORT_FORMATS = ("text", "json", "markdown", "html", "handout")
REPORT_SUFFIXES = {".md": "markdown", ".html": "html"}  # a printable report's file name -> format
