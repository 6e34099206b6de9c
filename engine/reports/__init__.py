"""Reports: a consultation's result (the contract dict) rendered for people.

Text for the terminal, Markdown, and a printable, self-contained HTML page; explanations and
comparisons as text. Every rendering reads the result dict and the knowledge base's labels.

Must not: run rules or import ``engine.inference``; fetch anything; write files.
"""
