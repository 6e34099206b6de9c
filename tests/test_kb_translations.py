"""Knowledge-base translations (translations/<code>.yaml): read, applied, and checked by
``kb lint`` (family ``translations``): a placeholder that differs from the English, a key that
matches nothing, and what a language still lacks, per language."""
from __future__ import annotations

from engine import api
from engine.kbtools.lint import lint_folder
from engine.kbtools.translating import updated_translation
from engine.knowledge.loader import load_knowledge_base
from engine.knowledge.translations import (
    for_language, keyed_sources, placeholders, read_translation,
)
from engine.translation.catalogue import Language
from tests.conftest import SHIPPED_KB

FINDING = ("rules", "PR-2", "findings", "no_net_gain")


def _write(root, body: str, code: str = "es") -> None:
    (root / "translations").mkdir(exist_ok=True)
    (root / "translations" / f"{code}.yaml").write_text(f"language: {code}\n" + body)


def _codes(problems, code):
    return [p for p in problems if p.code == code]


def test_placeholders_compared_by_expression_not_format():
    assert placeholders("{n:month|months} and {a}") == placeholders("{a} y {n:mes|meses}")
    assert placeholders("{a}") != placeholders("{b}")
    assert placeholders("{{not one}}") == []


def test_lint_reports_a_placeholder_mismatch_a_stray_key_and_what_is_missing(kb_copy):
    root = kb_copy(SHIPPED_KB)
    _write(root, "rules:\n  PR-2:\n    findings:\n"
                 "      no_net_gain: \"Los ingresos netos cambiarían en {expected_gain}%.\"\n"
                 "  NO-SUCH-RULE:\n    why: \"Nada.\"\n")
    problems = lint_folder(root)
    mismatch = _codes(problems, "KB951")
    assert len(mismatch) == 1 and "{expected_gain}" in mismatch[0].message \
        and "{expected_net_gain_pct}" in mismatch[0].message
    assert mismatch[0].where.path.endswith("es.yaml") and mismatch[0].where.line == 5
    stray = _codes(problems, "KB952")
    assert len(stray) == 1 and "NO-SUCH-RULE" in stray[0].message
    total = len(keyed_sources(load_knowledge_base(root)))
    count = [p for p in _codes(problems, "KB953") if p.message.startswith("es:")]
    assert len(count) == 1 and f"es: {total} of {total} texts" in count[0].message
    listed = [p for p in _codes(problems, "KB954") if p.message.startswith("es:")]
    assert len(listed) == total and any("PR-2.findings.no_net_gain" in p.message for p in listed)


def test_a_new_rule_shows_as_missing_in_every_language(kb_copy):
    root = kb_copy(SHIPPED_KB)
    kb = load_knowledge_base(root)
    for code in ("es", "fr"):  # complete files: nothing missing
        texts = {k: f"[{code}] {v}" for k, v in keyed_sources(kb).items()}
        lines = ["language: " + code]
        _write(root, "", code)
        body = updated_translation(kb, code)
        # fill every commented English line with a stand-in translation that keeps placeholders
        for line in body.splitlines()[5:]:
            stripped = line.lstrip()
            lines.append(line.replace("# ", "", 1) if stripped.startswith("# ") else line)
        (root / "translations" / f"{code}.yaml").write_text("\n".join(lines) + "\n")
        assert texts
    assert not _codes(lint_folder(root), "KB953")
    rules = root / "rules" / "profits.yaml"
    rules.write_text(rules.read_text() + """
  - id: PR-NEW
    description: A rule added after the translations.
    when:
      - expected_net_gain_pct > 500
    then:
      - finding: {id: implausible_gain, kind: note, text: "A gain of {expected_net_gain_pct}% is hard to believe."}
    sources: [VCW-2.8.4]
    examples:
      - given: {expected_net_gain_pct: 600}
        fires: true
""")
    problems = lint_folder(root)
    missing = _codes(problems, "KB953")
    assert sorted(p.message[:2] for p in missing) == ["es", "fr"]
    assert all("1 of" in p.message for p in missing)
    listed = _codes(problems, "KB954")
    assert {p.message.split(":")[0] for p in listed} == {"es", "fr"}
    assert all("PR-NEW.findings.implausible_gain" in p.message for p in listed)


def test_translation_applied_to_texts_only(kb_copy):
    root = kb_copy(SHIPPED_KB)
    _write(root, "rules:\n  PR-2:\n    findings:\n      no_net_gain: \"Tras todos los costos, los "
                 "ingresos netos cambiarían en {expected_net_gain_pct}% por ciclo.\"\n"
                 "factors:\n  profits:\n    label: Ganancias\n")
    kb = load_knowledge_base(root)
    es = for_language(kb, Language("es"))
    assert es.factors["profits"].label == "Ganancias"
    assert FINDING not in es.untranslated and ("factors", "time", "label") in es.untranslated
    assert [r.condition for r in es.rules] == [r.condition for r in kb.rules]
    found = read_translation(root / "translations" / "es.yaml", [])
    assert found[FINDING][1].line == 5


def test_consultation_in_spanish_keeps_ids_and_says_the_translated_text(kb_copy, tmp_path):
    root = kb_copy(SHIPPED_KB)
    _write(root, "rules:\n  PR-2:\n    findings:\n      no_net_gain: \"Tras todos los costos, los "
                 "ingresos netos cambiarían en {expected_net_gain_pct}% por ciclo.\"\n")
    case = tmp_path / "case.yaml"
    case.write_text("id: T-1\nfacts:\n  expected_net_gain_pct: -5\n")
    done = api.consult(case, root, lang="es")
    finding = next(f for f in done.result["findings"] if f["id"] == "no_net_gain")
    assert finding["text"] == "Tras todos los costos, los ingresos netos cambiarían en -5% por " \
                              "ciclo."
    assert done.result["verdict"]["value"] == "unlikely"
    english = api.consult(case, root)
    assert [f["id"] for f in english.result["findings"]] == \
        [f["id"] for f in done.result["findings"]]
