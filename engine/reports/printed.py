"""The officer's printed report (``--format html``, the default register): one self-contained
HTML page that prints on A4.

``render_printed(result, kb, appendix=False) -> str`` lays out what ``engine.reports.plain``
decides. Page 1 holds what an officer needs in the room: the verdict with its confidence and
reason (at low confidence "not enough known yet", the leaning verdict and the facts to find out
first), the first three things to do, and the twelve factors as a chart. Then what stands in
the way (each obstacle once, with what can help), what works in the owner's favour, notes,
advice withheld, the questions for the next visit with lines for the answers, and the sources.
The facts as recorded, the firing trace and the other unknowns come only with ``appendix``.

Must not: run rules, read or write files, or reference anything outside the page (same rules as
``engine.reports.html``, whose chart and appendices it reuses, in ``page``'s shell); every value
is escaped by ``page.escape`` (controls removed, then ``html.escape``). No rule ids, fact names
or intervention codes outside the appendices.
"""
from __future__ import annotations

from engine.knowledge.spec import KnowledgeBase
from engine.reports.content import plain_status
from engine.reports.html import (
    CSS, VERDICT_COLOUR, appendix_sections, factor_chart, footer, other_unknowns,
)
from engine.reports.page import document, escape, section
from engine.reports.untranslated import fallback_note
from engine.reports.plain import (
    BECAUSE, COLLECT_FIRST, JUDGMENT_NOTE, LEANING, SECTION_WORDS, Advice, PlainReport,
    first_steps_title, plain_report,
)
from engine.reports.content import SEVERITY_WORDS
from engine.translation.catalogue import N_

PAGE_ONE_CSS = """
.page-one h2 { margin-top: 4mm; }
.verdict .confidence { font-weight: bold; margin-top: 1.5mm; }
.verdict .leaning { font-size: 11.5pt; font-weight: bold; }
ol.first-steps { padding-left: 6mm; margin: 1mm 0; }
ol.first-steps > li { margin-bottom: 1.5mm; break-inside: avoid; page-break-inside: avoid; }
.label { font-weight: bold; }
ol.items > li, ul.items > li { margin-bottom: 2.5mm; break-inside: avoid;
  page-break-inside: avoid; }
ul.help { margin: 0.5mm 0; padding-left: 5mm; }
.sev { font-size: 8.5pt; font-weight: bold; color: #a50f15; text-transform: uppercase; }
ol.questions > li { margin-bottom: 1mm; break-inside: avoid; page-break-inside: avoid; }
"""


def render_printed(result: dict, kb: KnowledgeBase, appendix: bool = False) -> str:
    """The officer's report as one HTML document; see the module docstring."""
    rep = plain_report(result, kb)
    _ = rep.lang.gettext
    body = [f"<h1>{escape(rep.heading[0])}</h1>",
            *[f'<p class="meta">{escape(line)}</p>' for line in rep.heading[1:]],
            '<div class="page-one">', verdict_box(rep), _first_steps(rep),
            factor_chart(result, kb, plain_status, N_("The twelve factors")), "</div>"]
    for (title, intro), items, numbered in zip(SECTION_WORDS, rep.sections,
                                               (True, False, False)):
        if items:
            body.append(section(_(title), _items(rep, items, _(intro), numbered)))
    if rep.other_advice:
        body.append(section(_("Other advice"), "<ul>" + "".join(
            f"<li>{_advice(a)}</li>" for a in rep.other_advice) + "</ul>"))
    if rep.withheld:
        body.append(section(_("Not advised here (do no harm)"), "<ul>" + "".join(
            f'<li><span class="label">{escape(label)}</span>: {escape(text)} '
            f"{escape(_(BECAUSE))} {escape(because)}</li>"
            for label, text, because in rep.withheld) + "</ul>"))
    body += [_questions(rep, appendix), _sources(rep)]
    if appendix:
        body += [appendix_sections(result, kb, False), other_unknowns(result, kb, False)]
    body.append(footer(result, rep.lang))
    note = fallback_note(kb, "\n".join(body))
    if note:
        body.append(f'<p class="small">{escape(note)}</p>')
    return document(rep.heading[0], body, CSS + PAGE_ONE_CSS, rep.lang.code)


def verdict_box(rep: PlainReport) -> str:
    """The verdict (or "not enough known yet" and the leaning verdict), its reason, its
    confidence and, when the verdict could change, the facts to find out first."""
    _ = rep.lang.gettext
    colour = VERDICT_COLOUR.get(None if rep.confidence == "low" else rep.verdict_value, "#eee")
    parts = [f'<div class="verdict" style="background:{colour}">',
             f'<p class="value">{escape(rep.headline)}</p>']
    if rep.confidence == "low":
        parts.append(f'<p class="leaning">{escape(_(LEANING).format(verdict=rep.verdict))}</p>')
    parts.append(f"<p>{escape(rep.reason)}</p>")
    if rep.confidence_text:
        parts.append(f'<p class="confidence">{escape(rep.confidence_text)}</p>')
    if rep.collect_first:
        parts.append(f"<p>{escape(_(COLLECT_FIRST))}</p><ol>"
                     + "".join(f"<li>{escape(q)}</li>" for q in rep.collect_first) + "</ol>")
    parts.append("</div>")
    return section(_("Verdict"), "".join(parts))


def _first_steps(rep: PlainReport) -> str:
    _ = rep.lang.gettext
    if not rep.first_steps:
        return section(_("What to do first"), f"<p>{escape(_('No advice for this case.'))}</p>")
    return section(first_steps_title(len(rep.first_steps), rep.lang),
                   '<ol class="first-steps">' + "".join(f"<li>{_advice(a)}</li>"
                                                       for a in rep.first_steps) + "</ol>")


def _advice(a: Advice) -> str:
    if a.see:
        return f'<span class="label">{escape(a.label)}</span> ({escape(a.see)})'
    return (f'<span class="label">{escape(a.label)}</span>: {escape(a.text)}'
            + "".join(f" {escape(t)}" for t in a.also))


def _items(rep: PlainReport, items: list, intro: str, numbered: bool) -> str:
    _ = rep.lang.gettext
    lis = []
    for item in items:
        sev = (f'<span class="sev">{escape(_(SEVERITY_WORDS.get(item.severity, "")))}</span> '
               if item.severity else "")
        text = f"{sev}{escape(item.text)}"
        if item.remedy:
            text += f"<br>{escape(_('A remedy is at hand:'))} {escape(item.remedy)}"
        if item.advice:
            text += (f"<br>{escape(intro)}" + '<ul class="help">'
                     + "".join(f"<li>{_advice(a)}</li>" for a in item.advice) + "</ul>")
        lis.append(f"<li>{text}</li>")
    tag = "ol" if numbered else "ul"
    return f'<{tag} class="items">{"".join(lis)}</{tag}>'


def _questions(rep: PlainReport, appendix: bool) -> str:
    _ = rep.lang.gettext
    if not rep.questions:
        return section(_("To ask at the next visit"), "<p>" + escape(_(
            "Nothing: no missing fact could change this advice.")) + "</p>")
    lis = "".join(f'<li>{escape(q)}<span class="answer"></span></li>' for q in rep.questions)
    more = ""
    if rep.more_questions:
        where = _("see Appendix C") if appendix else _("print them with --appendix")
        more = '<p class="small">' + escape(_(
            "{count} more facts could change the advice: {where}.").format(
                count=len(rep.more_questions), where=where)) + "</p>"
    intro = "<p>" + escape(_("These facts were not given and matter most for the advice. Ask "
                             "them at the next visit; write the answers on the lines.")) + "</p>"
    return section(_("To ask at the next visit"),
                   intro + f'<ol class="questions">{lis}</ol>' + more)


def _sources(rep: PlainReport) -> str:
    items = "".join(f"<li><strong>{escape(key)}</strong>: {escape(text)}</li>"
                    for key, text in rep.sources)
    note = f'<p class="small">{escape(rep.lang.gettext(JUDGMENT_NOTE))}</p>' \
        if rep.judgment else ""
    listed = f'<ul class="small">{items}</ul>' if items else ""
    return section(rep.lang.gettext("Sources"), listed + note)
