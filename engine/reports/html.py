"""The knowledge engineer's printable HTML report (``--technical``) and the page shell, factor
chart and appendices that the officer's report (``engine.reports.printed``) shares.

``render_html(result, kb, appendix=False) -> str`` turns a result (the contract dict, as
``--format json`` prints it or the history stores it) and the knowledge base's labels into one
HTML document: case summary, verdict with its confidence, the twelve factors as a chart (inline
SVG), findings, recommendations with reasons and sources, the unknowns to ask with their
questions, the sources, and with ``appendix`` the facts as recorded and the trace; A4 pages.

Must not: run rules, read or write files, or reference anything outside the page (no external
stylesheet, font, script or image; source URLs are printed as text, not links), so the page
works offline and prints the same everywhere. Every value from the case or the knowledge base
is escaped with ``html.escape``, after control characters and bidirectional controls are removed
(``engine.reports.page.escape``), so no value can reorder what the page shows. Same sections
as ``engine.reports.markdown.render_markdown``; the content of each (labels, order, what to
ask) comes from ``engine.reports.content``.
"""
from __future__ import annotations

from engine.knowledge.spec import FACTOR_IDS, KnowledgeBase
from engine.reports.page import document, escape, section
from engine.translation.catalogue import N_, Language
from engine.reports.content import (
    ENGLISH, asserted_text, case_heading, changes_words, cited_sources, factor_label,
    factor_levels, facts_given, finding_texts, intervention_label, matched_text,
    ordered_findings, recommendation_rules, status_words, unknowns_by_group, unknowns_to_ask,
    verdict_block,
)

RED = {3: "#a50f15", 2: "#de2d26", 1: "#fc9272"}  # barrier by severity: blocking..minor
GREEN, GREY = "#31a354", "#9e9e9e"
VERDICT_COLOUR = {"likely": "#e5f5e0", "possible_with_support": "#fff3cd",
                  "unlikely": "#fde0dd", None: "#eeeeee"}

CSS = """
@page { size: A4; margin: 14mm 13mm 16mm 13mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif;
  font-size: 10.5pt; line-height: 1.35; color: #111; margin: 0 auto; max-width: 184mm;
  padding: 6mm 0; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; border-bottom: 1.5pt solid #333;
  padding-bottom: 1mm; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 10.5pt; margin: 3mm 0 1mm; break-after: avoid; page-break-after: avoid; }
p { margin: 1mm 0; }
.meta { color: #333; margin: 0 0 1mm; }
dl.summary { display: grid; grid-template-columns: 34mm 1fr; gap: 0.6mm 3mm; margin: 2mm 0; }
dl.summary dt { font-weight: bold; } dl.summary dd { margin: 0; }
.verdict { border: 1.5pt solid #333; border-radius: 2mm; padding: 3mm 4mm; margin: 2mm 0;
  break-inside: avoid; page-break-inside: avoid; }
.verdict .value { font-size: 13.5pt; font-weight: bold; }
.small, .rule { font-size: 8.5pt; color: #444; }
svg.chart { width: 100%; height: auto; display: block; break-inside: avoid;
  page-break-inside: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 1mm 0; }
th, td { border: 0.5pt solid #bbb; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eee; }
tr { break-inside: avoid; page-break-inside: avoid; }
.tag { display: inline-block; min-width: 15mm; padding: 0 1.5mm; border-radius: 1mm;
  font-size: 8.5pt; font-weight: bold; color: #fff; text-align: center; }
.tag.barrier { background: #de2d26; } .tag.enabler { background: #31a354; }
.tag.note { background: #777; }
ol.recs > li { margin-bottom: 2mm; break-inside: avoid; page-break-inside: avoid; }
ul.because { margin: 0.5mm 0; padding-left: 5mm; }
.unknowns { columns: 2; column-gap: 6mm; font-size: 9.5pt; }
.unknowns section { break-inside: avoid; page-break-inside: avoid; }
.unknowns ul { margin: 0 0 2mm; padding-left: 4mm; }
.unknowns li { margin-bottom: 0.5mm; }
.answer { display: block; border-bottom: 0.5pt dotted #666; height: 3mm; }
tr.group th { background: #f4f4f4; font-weight: bold; }
.appendix { break-before: page; page-break-before: always; }
code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8.5pt; }
footer { margin-top: 6mm; font-size: 8pt; color: #555; border-top: 0.5pt solid #999;
  padding-top: 1mm; }
@media screen { body { padding: 8mm; } }
"""


def render_html(result: dict, kb: KnowledgeBase, appendix: bool = False) -> str:
    """The knowledge engineer's report (``--technical``) as one HTML document (a string); the
    facts as recorded, the trace and the other unknowns only with ``appendix``. The officer's
    report is ``engine.reports.printed``."""
    head = case_heading(result)
    body = [_summary(result, kb), _verdict(result), factor_chart(result, kb, status_words),
            _findings(result, kb), _recommendations(result, kb), _unknowns(result, kb),
            _sources(result, kb)]
    if appendix:
        body += [appendix_sections(result, kb, True), other_unknowns(result, kb, True)]
    return document(head[0], [f"<h1>{escape(head[0])}</h1>",
                              *[f'<p class="meta">{escape(line)}</p>' for line in head[1:]],
                              *body, footer(result)], CSS)


def _summary(result: dict, kb: KnowledgeBase) -> str:
    meta = result.get("case", {}).get("metadata", {})
    rows = [("Case", result["case_id"])]
    for key in ("enterprise", "owner", "sector", "country", "opportunity", "officer",
                "visit_date", "notes"):
        if meta.get(key):
            rows.append((key.replace("_", " ").capitalize(), meta[key]))
    kbi = result["knowledge_base"]
    rows.append(("Facts recorded", (f"{len(facts_given(result, kb))} of {len(kb.input_facts)}; "
                                   f"{len(result['unknowns'])} unknown facts could change the "
                                   "advice")))
    rows.append(("Knowledge base", f"{kbi.get('name', '')} {kbi['version']} ({kbi['digest']})"))
    body = "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v))}</dd>" for k, v in rows)
    return section("Case summary", f'<dl class="summary">{body}</dl>')


def _verdict(result: dict) -> str:
    v, block = result["verdict"], verdict_block(result)
    because = "".join(f"<li>{escape(text)}</li>"
                      for text in finding_texts(result, v.get("because", [])))
    colour = VERDICT_COLOUR.get(None if block["leaning"] else v["value"], "#eee")
    lead = "".join(f"<p>{escape(text)}</p>" for text in (
        block["leaning"] and f"Leaning: {block['leaning']}",
        block["confidence"]) if text)
    if block["collect"]:
        lead += "<p>Collect first:</p><ul>" + "".join(
            f"<li>{escape(c['question'])} <code>{escape(c['fact'])}</code></li>"
            for c in block["collect"]) + "</ul>"
    body = (f'<div class="verdict" style="background:{colour}">'
            f'<p class="value">{escape(block["headline"])}</p>{lead}'
            f"<p>{escape(v.get('text') or '')}"
            + (f' <span class="rule">rule {escape(v["rule"])}</span>' if v.get("rule") else "")
            + "</p>" + (f"<ul>{because}</ul>" if because else "") + "</div>")
    return section("Verdict", body)


def factor_chart(result: dict, kb: KnowledgeBase, words=status_words,
                 title: str = N_("The twelve factors at a glance")) -> str:
    """A diverging bar chart: barriers to the left (red, longer and darker when more severe),
    enablers to the right (green, one step per enabler finding), neutral grey, unknown hatched."""
    row_h, label_w, half, top = 26, 230, 130, 24
    _ = kb.language.gettext
    centre = label_w + half
    width, height = centre + half + 250, top + row_h * len(FACTOR_IDS) + 8
    out = [(f'<svg class="chart" viewBox="0 0 {width} '
           f'{height}" role="img" aria-label="{escape(_(title))}">'),
           ('<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
           'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f4f4f4"/>'
           '<line x1="0" y1="0" x2="0" y2="6" stroke="#bbb" stroke-width="2"/></pattern></defs>'),
           '<g font-family="DejaVu Sans, Arial, sans-serif" font-size="13">',
           f'<text x="{centre - 6}" y="14" text-anchor="end" fill="#a50f15">'
           f'{escape(_("barrier"))}</text>',
           f'<text x="{centre + 6}" y="14" fill="#31a354">{escape(_("enabler"))}</text>']
    for i, fid in enumerate(FACTOR_IDS):
        entry = result["factors"][fid]
        level, enablers = factor_levels(result, fid)
        y = top + i * row_h
        if i % 2:
            out.append(f'<rect x="0" y="{y}" width="{width}" height="{row_h}" fill="#fafafa"/>')
        out.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">'
                   f"{escape(factor_label(kb, fid))}</text>")
        if entry["status"] == "unknown":
            out.append(f'<rect x="{label_w}" y="{y + 5}" width="{2 * half}" height="16" '
                       'fill="url(#hatch)" stroke="#ccc"/>')
        if level:
            w = half * level / 3
            out.append(f'<rect x="{centre - w}" y="{y + 4}" width="{w}" height="18" '
                       f'fill="{RED[level]}"/>')
        if enablers:
            w = half * min(enablers, 3) / 3
            out.append(f'<rect x="{centre}" y="{y + 4}" width="{w}" height="18" '
                       f'fill="{GREEN}"/>')
        if entry["status"] == "neutral":
            out.append(f'<rect x="{centre - 12}" y="{y + 9}" width="24" height="8" '
                       f'fill="{GREY}"/>')
        out.append(f'<text x="{centre + half + 10}" y="{y + 17}">'
                   f"{escape(words(entry, kb.language))}</text>")
    out.append(f'<line x1="{centre}" y1="{top - 2}" x2="{centre}" y2="{height - 6}" '
               'stroke="#333" stroke-width="1"/>')
    out.append("</g></svg>")
    legend = ('<p class="small">' + escape(_(
        "Red bars: barriers, longer and darker from minor to blocking. Green bars: enablers, "
        "one step per enabling finding. Grey: assessed, neither. Hatched: not assessed yet (a "
        "fact still unknown could change it).")) + "</p>")
    return section(_(title), "\n".join(out) + legend)


def _findings(result: dict, kb: KnowledgeBase) -> str:
    if not result["findings"]:
        return section("Findings", "<p>(none)</p>")
    rows = []
    for f in ordered_findings(result):
        what = escape(f["text"])
        for m in f.get("mitigations", []):
            what += (f'<br><span class="small">Remedy available ({escape(m["by"])}): '
                     f"{escape(m['text'])}</span>")
        rows.append(f'<tr><td><span class="tag {escape(f["kind"])}">{escape(f["kind"])}</span>'
                    f"<br><span class=\"small\">{escape(f['severity'] or '')}</span></td>"
                    f"<td>{escape(factor_label(kb, f['factor']))}</td><td>{what}</td>"
                    f'<td class="small">{escape(f["rule"])}<br>{escape(", ".join(f["sources"]))}'
                    "</td></tr>")
    table = ('<table><thead><tr><th style="width:18mm">Kind</th><th style="width:34mm">Factor'
             '</th><th>Finding</th><th style="width:28mm">Rule, sources</th></tr></thead>'
             f"<tbody>{''.join(rows)}</tbody></table>")
    return section("Findings", table)


def _recommendations(result: dict, kb: KnowledgeBase) -> str:
    items = []
    for r in result["recommendations"]:
        also = "".join(f"<p>Also: {escape(t)}</p>" for t in r.get("also", []))
        because = "".join(f"<li>{escape(text)}</li>"
                          for text in finding_texts(result, r["addresses"]))
        items.append(f"<li><strong>{escape(intervention_label(kb, r['intervention']))}</strong>"
                     f": {escape(r['text'])}{also}"
                     + (f'<p class="small">Because:</p><ul class="because">{because}</ul>'
                        if because else "")
                     + f'<p class="rule">rule {escape(", ".join(recommendation_rules(r)))};'
                       f" sources {escape(', '.join(r['sources']))}</p></li>")
    body = f'<ol class="recs">{"".join(items)}</ol>' if items else "<p>(no recommendation)</p>"
    withheld = "".join(  # do no harm: advice forbidden in this case, said plainly
        f"<li><strong>{escape(intervention_label(kb, w['intervention']))}</strong>: "
        f"{escape(w['text'])}<p class=\"small\">Because: {escape(w['because'])}</p>"
        f'<p class="rule">{escape(w["never"])}; sources '
        f'{escape(", ".join(w["sources"]))}</p></li>'
        for w in result.get("withheld", []))
    if withheld:
        body += f"<p><strong>Not advised here (do no harm)</strong></p><ul>{withheld}</ul>"
    return section("What the officer can do", body)


def _unknowns(result: dict, kb: KnowledgeBase) -> str:
    if not result["unknowns"]:
        return section("To ask at the next visit",
                        "<p>Nothing: no missing fact could change this advice.</p>")
    first, rest = unknowns_to_ask(result)
    lis = "".join(f"<li>{escape(u.get('question') or u['fact'])} "
                  f'<span class="small"><code>{escape(u["fact"])}</code>; '
                  + (f"{escape(changes_words(u))}; " if changes_words(u) else "")
                  + f"matters for {escape(', '.join(u['matters_for']))}</span>"
                  '<span class="answer"></span></li>' for u in first)
    more = (f"<p class=\"small\">{len(rest)} more facts could change the advice: see Appendix C."
            "</p>" if rest else "")
    intro = ("<p>These facts were not given and matter most for the advice. Ask them at the "
             "next visit; write the answers on the lines.</p>")
    return section("To ask at the next visit", intro + f"<ol>{lis}</ol>" + more)


def other_unknowns(result: dict, kb: KnowledgeBase, technical: bool) -> str:
    """Appendix C: the unknowns a report does not list first, by factor (fact names only when
    ``technical``)."""
    _, rest = unknowns_to_ask(result)
    if not rest:
        return ""
    groups = []
    for label, items in unknowns_by_group(result, kb, rest):
        lis = "".join(f"<li>{escape(u.get('question') or u['fact'])}"
                      + (f' <span class="small"><code>{escape(u["fact"])}</code></span>'
                         if technical else "") + "</li>" for u in items)
        groups.append(f"<section><h3>{escape(label)}</h3><ul>{lis}</ul></section>")
    return section("Appendix C: other facts that could change the advice",
                    f'<div class="unknowns">{"".join(groups)}</div>', "appendix")


def _sources(result: dict, kb: KnowledgeBase) -> str:
    items = "".join(f"<li><strong>{escape(key)}</strong>: {escape(text)}"
                    + (f' <span class="small">{escape(url)}</span>' if url else "") + "</li>"
                    for key, text, url in cited_sources(result, kb))
    return section("Sources", f'<ul class="small">{items}</ul>' if items else "<p>(none)</p>")


def appendix_sections(result: dict, kb: KnowledgeBase, technical: bool) -> str:
    """Appendix A (the facts as recorded: by name when ``technical``, else by meaning) and
    Appendix B (the explanation trace)."""
    facts, group = [], None
    for g, n, v, m in facts_given(result, kb):
        if g != group:
            group = g
            facts.append(f'<tr class="group"><th colspan="3">{escape(g)}</th></tr>')
        name = f"<code>{escape(n)}</code>" if technical else escape(m)
        facts.append(f"<tr><td>{name}</td><td>{escape(v)}</td>"
                     + (f"<td>{escape(m)}</td>" if technical else "") + "</tr>")
    trace = "".join(f"<tr><td>{t['seq']}</td><td>{escape(t['rule'])}</td>"
                    f"<td>{escape(matched_text(t['matched']))}</td>"
                    f"<td>{escape(asserted_text(t['asserted']))}</td></tr>"
                    for t in result["trace"])
    head = ('<th style="width:60mm">Fact</th><th style="width:35mm">Value</th><th>Meaning</th>'
            if technical else '<th>Fact</th><th style="width:45mm">Value</th>')
    return (section("Appendix A: facts as recorded",
                     f"<table><thead><tr>{head}</tr></thead>"
                     f"<tbody>{''.join(facts)}</tbody></table>", "appendix")
            + "\n" + section("Appendix B: explanation trace",
                              '<p class="small">Every rule that fired, in order: the facts it '
                              "matched (derived facts and findings with the number of the firing "
                              "that asserted them) and what it concluded.</p>"
                              "<table><thead><tr><th>#</th><th>Rule</th><th>Matched</th>"
                              f"<th>Asserted</th></tr></thead><tbody>{trace}</tbody></table>"))


def footer(result: dict, lang: Language = ENGLISH) -> str:
    said = lang.gettext("MSE Upgrading Advisor, knowledge base {version} ({digest}). Rule-based "
                        "advice: the officer's judgment decides.")
    return f"<footer>{escape(said.format(**result['knowledge_base']))}</footer>"
