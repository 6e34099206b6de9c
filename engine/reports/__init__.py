"""Reports: a consultation's result (the contract dict) rendered for people.

    content      what every format shows: labels, order, the unknowns to ask, facts, sources
    text         render_text: the report for the terminal
    markdown     render_markdown: the report as Markdown
    html         render_html: the printable, self-contained HTML page
    explanation  render_explanation: a conclusion's derivation tree as indented text
    visits       render_list, render_comparison: the case history and two visits as text

Every rendering reads the result dict (or a history row, or a comparison) and the knowledge
base's labels; the formats only lay out what ``content`` decides, so they always agree.

Must not: run rules or import ``engine.inference``; fetch anything; print; write files.
"""
