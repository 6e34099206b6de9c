"""The owner's handout (``--format handout``): one A4 page, in plain words, that the officer
leaves with the owner.

``render_handout(result, kb) -> str`` is one self-contained HTML page: our view of the change
(with how sure we are), what looks good, what stands in the way, what to do first, and
what to find out before the next visit. It draws on ``engine.reports.plain`` and keeps each list
short (``LIMITS``) so that the page never runs onto a second sheet; no codes, no rule or fact
names, no factor chart, no sources. What the knowledge base marks ``handout: in_person``
(factors.yaml: the household, gender) is left off the sheet, findings, advice and questions
alike, and one line says that some points were discussed in person (``for_the_owner``).

Must not: run rules, read or write files, reference anything outside the page; every value is
escaped (``engine.reports.page.escape``: controls removed, then ``html.escape``).
"""
from __future__ import annotations

from engine.knowledge.spec import KnowledgeBase
from engine.reports.page import document, escape
from engine.reports.plain import plain_report
from engine.translation.catalogue import N_

WHAT_WOULD_CHANGE = {True: N_("The points below say what would have to change first."),
                     False: N_("We talked about the reasons in person.")}
IN_PERSON_NOTE = N_("Some points about your household and family were discussed in person; "
                    "they are not written here.")

LIMITS = {"good": 3, "in_the_way": 4, "to_do": 3, "find_out": 4}  # what fits on one page
OWNER_VIEW = {
    "likely": N_("This change looks likely to work for you."),
    "possible_with_support": N_("This change can work, with help on the points below."),
    "unlikely": N_("As things stand, this change is unlikely to work for you."),
    None: N_("We could not reach a view on this change yet."),
}
OWNER_SURE = {
    "high": N_("We are confident in this view: nothing we still need to learn would change it."),
    "medium": N_("This view could still change when we learn the answers below."),
    "low": N_("We do not know enough yet to be sure. On what we know so far:"),
}
TITLES = (N_("Our view"), N_("What looks good"), N_("What stands in the way"),
          N_("What to do first"), N_("To find out before the next visit"))
NOTHING = N_("Nothing yet.")
THE_CHANGE = N_("The change:")
HANDOUT_CSS = """
@page { size: A4; margin: 15mm 15mm 15mm 15mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif;
  font-size: 11pt; line-height: 1.35; color: #111; margin: 0 auto; max-width: 180mm; }
h1 { font-size: 16pt; margin: 0 0 1mm; }
h2 { font-size: 12pt; margin: 4mm 0 1mm; border-bottom: 1pt solid #333; }
p { margin: 1mm 0; }
ul, ol { margin: 1mm 0; padding-left: 6mm; }
li { margin-bottom: 1mm; }
.view { border: 1.2pt solid #333; border-radius: 2mm; padding: 2mm 3mm; font-size: 12pt; }
.meta { color: #333; }
.answer { display: block; border-bottom: 0.5pt dotted #666; height: 4mm; }
footer { margin-top: 4mm; font-size: 8.5pt; color: #555; }
"""


def render_handout(result: dict, kb: KnowledgeBase) -> str:
    """The owner's one-page handout as an HTML document; see the module docstring."""
    result, held_back = for_the_owner(result, kb)
    rep = plain_report(result, kb)
    _ = rep.lang.gettext
    meta = result.get("case", {}).get("metadata", {})
    who = meta.get("owner") or meta.get("enterprise") or ""
    title = _("For {who}").format(who=who) if who else _("Your planned change")
    view = _(OWNER_VIEW.get(rep.verdict_value, OWNER_VIEW[None]))
    sure = _(OWNER_SURE[rep.confidence]) if rep.confidence in OWNER_SURE else ""
    good = [i.text for i in rep.strengths][:LIMITS["good"]]
    in_the_way = [i.text for i in rep.obstacles][:LIMITS["in_the_way"]]
    if rep.verdict_value == "unlikely" and (in_the_way or held_back):
        view = f"{view} {_(WHAT_WOULD_CHANGE[bool(in_the_way)])}"
    view_text = f"{sure} {view}" if rep.confidence == "low" else f"{view} {sure}".strip()
    to_do = [f"{a.label}: {a.text}" for a in rep.first_steps][:LIMITS["to_do"]]
    find_out = list(dict.fromkeys(rep.collect_first + rep.questions))[:LIMITS["find_out"]]
    body = [f"<h1>{escape(title)}</h1>"]
    if meta.get("opportunity"):
        body.append(f'<p class="meta">{escape(_(THE_CHANGE))} '
                    f'{escape(meta["opportunity"])}</p>')
    titles, nothing = [_(t) for t in TITLES], _(NOTHING)
    body += [f"<h2>{escape(titles[0])}</h2>", f'<p class="view">{escape(view_text)}</p>',
             _list(titles[1], good, "ul", nothing), _list(titles[2], in_the_way, "ul", nothing),
             _list(titles[3], to_do, "ol", nothing),
             _list(titles[4], find_out, "ol", nothing, answers=True)]
    if held_back:
        body.append(f"<p>{escape(_(IN_PERSON_NOTE))}</p>")
    body += ["<footer>" + escape(_("Advice prepared with your extension officer. You decide."))
             + "</footer>"]
    return document(title, body, HANDOUT_CSS, rep.lang.code)


def for_the_owner(result: dict, kb: KnowledgeBase) -> tuple[dict, bool]:
    """``(result, held_back)``: a copy of ``result`` without what may not be written on a sheet
    left in the house: the findings of the factors marked ``handout: in_person``, the advice
    that answers only such findings, and the unknowns (and facts to collect first) of those
    factors; ``held_back`` says whether anything was left out. The verdict and its confidence
    stay as they are (they were computed on the whole case)."""
    private = {fid for fid, spec in kb.factors.items() if spec.in_person}
    if not private:
        return result, False
    hidden = {f["id"] for f in result["findings"] if f["factor"] in private}

    def said(fact: str) -> bool:
        spec = kb.facts.get(fact)
        return spec is None or spec.factor not in private

    out = dict(result)
    out["findings"] = [f for f in result["findings"] if f["id"] not in hidden]
    out["recommendations"] = [r for r in result["recommendations"]
                              if not r["addresses"] or not set(r["addresses"]) <= hidden]
    out["unknowns"] = [u for u in result.get("unknowns", []) if said(u["fact"])]
    verdict = dict(result["verdict"])
    verdict["confidence_because"] = [f for f in verdict.get("confidence_because", []) if said(f)]
    out["verdict"] = verdict
    held_back = bool(hidden) or len(out["recommendations"]) < len(result["recommendations"]) \
        or len(out["unknowns"]) < len(result.get("unknowns", []))
    return out, held_back


def _list(title: str, items: list, tag: str, nothing: str, answers: bool = False) -> str:
    if not items:
        return f"<h2>{escape(title)}</h2><p>{escape(nothing)}</p>"
    line = '<span class="answer"></span>' if answers else ""
    lis = "".join(f"<li>{escape(text)}{line}</li>" for text in items)
    return f"<h2>{escape(title)}</h2><{tag}>{lis}</{tag}>"
