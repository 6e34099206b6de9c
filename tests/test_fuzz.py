"""Fuzzing: whatever a case file, a knowledge-base file or a condition holds, the answer is a
result or a clear message with exit 1 or 2, in bounded time, never a traceback.

Targets: the case loader (through ``mse-advisor consult`` and through
``engine.consultation.cases``), the knowledge-base loader (mutated copies of
tests/fixtures/tiny_kb), the condition language (parser, static checks, evaluator, templates),
and the surfaces of issue 17: the JSON reader (against ``json.loads``) and JSON case files,
survey exports in every dialect (delimiters, quoting, CR LF, a byte-order mark, ODK columns and
group prefixes) and mutated, typed interview answers, and output targets (devices, inputs, the
history, existing files, long names). Hypothesis runs derandomized, so a failure is reproduced
by rerunning the test; each target's input count is printed in the terminal summary
(tests/fuzz_report.py). Hostile files that a generator would rarely hit (a 50 MB file, a billion
laughs, a FIFO, an unreadable file) have their own tests at the end, beside the regression tests
named after the crashes that fuzzing found.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import string
import time
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli import main
from engine.language import kleene, templates
from engine import language as c
from engine.knowledge import yamlsource
from engine.consultation.cases import MAX_CASE_BYTES, MAX_FACTS, case_from_mapping, load_case
from engine.knowledge.typecheck import Scope, check_expression
from engine.errors import CaseError, KnowledgeBaseError
from engine.knowledge.loader import load_knowledge_base
from engine.inference.runner import Advisor
from engine.knowledge.spec import Template
from engine.knowledge.values import check_value
from tests.conftest import TINY_KB
from tests.fuzz_report import tried

# CI runs a fixed, reproducible sample in about a minute; FUZZ_SCALE=20 FUZZ_RANDOM=1 explores.
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))
FUZZ = settings(derandomize=not os.environ.get("FUZZ_RANDOM"), database=None,
                deadline=timedelta(seconds=5),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
KB = load_knowledge_base(TINY_KB)


def examples(n: int) -> int:
    return max(1, int(n * SCALE))


FACTS = sorted(KB.input_facts)
VALID_CASE = (TINY_KB.parent / "cases" / "tiny-wait.yaml").read_text()


# -- what every answer must look like ----------------------------------------------------------

def invoke(*args: str):
    runner = CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames \
        else CliRunner()
    return runner.invoke(main, list(args))


def assert_answered(r, allowed: tuple) -> None:
    """A result or ``Error: ...`` lines on stderr with an allowed exit code; nothing else."""
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.exit_code in allowed, (r.exit_code, r.stderr)
    assert "Traceback" not in r.stdout + r.stderr
    assert "internal error" not in r.stderr, r.stderr
    if r.exit_code:
        lines = r.stderr.strip().splitlines()
        assert any(line.startswith("Error: ") for line in lines), r.stderr


# -- strategies --------------------------------------------------------------------------------

HUGE_AND_TINY = st.sampled_from([10**400, -10**400, 2**63, -2**63 - 1, 1e308, -1e308, 5e-324,
                                 1e-300, 0.1 + 0.2, -0.0, 10**12, 10**12 + 1, 999999999999.5])
NUMBERS = st.integers() | st.floats(allow_nan=True, allow_infinity=True) | HUGE_AND_TINY
# every character a file can hold as text: controls, bidi marks, astral planes; no lone surrogates
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40) | \
    st.sampled_from(["", " ", "\x1b[2J", "\u202e", "\ufeff", "\x7f", "a" * 250, "yes", "no",
                     "null", "~", "NaN", "-.inf", "1e400", "0x1F", "true", "12", "__import__"])
SCALARS = st.none() | st.booleans() | NUMBERS | TEXT | st.dates()
KEYS = SCALARS.filter(lambda k: not isinstance(k, float) or not math.isnan(k))
DATA = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(
    KEYS, inner, max_size=5), max_leaves=25)


def fact_value(name: str):
    """Values a fact of this type could hold, near misses, and any data at all."""
    fact = KB.input_facts[name]
    good = {"bool": st.booleans(), "list[enum]": st.lists(st.sampled_from(fact.values or ("x",))),
            "enum": st.sampled_from(fact.values or ("x",)), "str": TEXT}.get(
        fact.type, st.integers(-200, 200) | st.floats(-1e3, 1e3))
    return good | NUMBERS | st.booleans() | TEXT | DATA


@st.composite
def case_data(draw):
    facts = {}
    for name in draw(st.lists(st.sampled_from(FACTS), max_size=8, unique=True)):
        facts[name] = draw(fact_value(name))
    facts.update(draw(st.dictionaries(KEYS, DATA, max_size=3)))
    case = {"id": draw(st.sampled_from(["fuzz-1"]) | TEXT | NUMBERS | DATA), "facts": facts}
    case.update(draw(st.dictionaries(st.sampled_from(["enterprise", "notes", "visit_date",
                                                      "owner", "expected", "extra"]) | TEXT,
                                     DATA, max_size=3)))
    return draw(st.sampled_from([case, case, facts, case["id"]]))  # sometimes not a case at all


def dump(data, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(data, default=str, allow_nan=True, skipkeys=True)
    return yaml.safe_dump(data, allow_unicode=True, default_flow_style=None)


HOSTILE_SNIPPETS = [
    "!!python/object/apply:os.system ['echo pwned']", "&a [*a, *a]", "<<: *x", "\t", "\x00",
    "\ufeff", "{", "}", "[", "- - -", "? [a, b]\n: c", "%YAML 1.1\n", "---\n", "...\n",
    '"\\ud800"', "!!binary aGVsbG8=", "!!set {a}", "!!omap [a: 1]", "2024-13-45", "1e400",
    ".nan", "-.inf", "0x1F", "0o17", "1_000", "~", "yes", "on", "&x 1", "*undefined", "!local x",
    "\x85", "\u2028", "'", '"', "|\n  text", ">-", "#", ": :", "payback_months: 1\n" * 2,
]


@st.composite
def mutated(draw, text: str) -> bytes:
    """Text with a few random edits: inserted junk or hostile YAML, cuts, repeated lines."""
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["insert", "snippet", "delete", "dup", "swap", "indent"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        line = lines[i] if lines else ""
        at = draw(st.integers(0, len(line)))
        if op == "insert":
            lines[i:i + 1] = [line[:at] + draw(TEXT) + line[at:]]
        elif op == "snippet":
            lines[i:i + 1] = [line[:at] + draw(st.sampled_from(HOSTILE_SNIPPETS)) + line[at:]]
        elif op == "delete" and lines:
            del lines[i:i + draw(st.integers(1, 3))]
        elif op == "dup" and lines:
            lines.insert(i, line)
        elif op == "swap" and len(lines) > 1:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent" and lines:
            lines[i] = draw(st.sampled_from([" ", "  ", "\t", ""])) + line.lstrip(" ")
    raw = "".join(lines).encode("utf-8")
    if draw(st.integers(0, 9)) == 0:  # now and then, bytes that are not UTF-8 text
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=4)) + raw[at:]
    return raw


# -- the case loader ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def case_file(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "case.yaml"


def consult_answers(case_file: Path, raw: bytes) -> None:
    case_file.write_bytes(raw)
    r = invoke("consult", str(case_file), "--kb", str(TINY_KB), "--format", "json")
    assert_answered(r, (0, 2))
    if r.exit_code == 0:
        assert json.loads(r.stdout)["verdict"]
    else:
        assert str(case_file) in r.stderr


@settings(FUZZ, max_examples=examples(250))
@given(data=case_data(), fmt=st.sampled_from(["yaml", "json"]))
def test_consult_answers_any_case_document(case_file, data, fmt):
    tried("case: consult, generated")
    consult_answers(case_file, dump(data, fmt).encode("utf-8"))


@settings(FUZZ, max_examples=examples(250))
@given(raw=mutated(VALID_CASE + "notes: checked on site\n"))
def test_consult_answers_any_mutation_of_a_valid_case(case_file, raw):
    tried("case: consult, mutated")
    consult_answers(case_file, raw)


@settings(FUZZ, max_examples=examples(400))
@given(data=case_data())
def test_case_from_mapping_accepts_only_checked_values(data):
    tried("case: engine.consultation.cases")
    try:
        case = case_from_mapping(data, KB, "fuzz.yaml")
    except CaseError as exc:
        assert exc.problems and all(str(p).startswith("fuzz.yaml") for p in exc.problems)
        return
    assert set(case.facts) <= set(FACTS)
    for name, value in case.facts.items():  # what was accepted is already in canonical form
        assert check_value(KB.input_facts[name], value) == value


@settings(FUZZ, max_examples=examples(150))
@given(raw=mutated(VALID_CASE) | st.binary(max_size=200))
def test_load_case_raises_only_case_errors(case_file, raw):
    tried("case: engine.consultation.cases, files")
    case_file.write_bytes(raw)
    try:
        load_case(case_file, KB)
    except CaseError as exc:
        assert exc.exit_code == 2 and exc.problems


# -- the knowledge-base loader -----------------------------------------------------------------

KB_FILES = sorted(p.relative_to(TINY_KB).as_posix() for p in TINY_KB.rglob("*.yaml"))


@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("fuzz") / "kb"
    shutil.copytree(TINY_KB, target)
    return target


def kb_answers(kb_dir: Path, name: str, raw: bytes) -> None:
    """Load a knowledge base with one file replaced: specs or every problem; then put it back."""
    original = (TINY_KB / name).read_bytes()
    (kb_dir / name).write_bytes(raw)
    try:
        try:
            kb = load_knowledge_base(kb_dir)
        except KnowledgeBaseError as exc:
            assert exc.exit_code == 1 and exc.problems
            assert all(str(p.where).startswith(str(kb_dir)) for p in exc.problems), exc
            return
        Advisor(kb).run({})  # what loads must also compile and run
    finally:
        (kb_dir / name).write_bytes(original)


@settings(FUZZ, max_examples=examples(100))
@given(name=st.sampled_from(KB_FILES), data=st.data())
def test_kb_loader_reports_any_text_mutation(kb_dir, name, data):
    tried("kb: text mutation")
    kb_answers(kb_dir, name, data.draw(mutated((TINY_KB / name).read_text())))


def paths_in(node, path=()):
    yield path
    items = node.items() if isinstance(node, dict) else enumerate(node) \
        if isinstance(node, list) else ()
    for key, value in items:
        yield from paths_in(value, path + (key,))


@st.composite
def structurally_mutated(draw, name: str) -> bytes:
    """The file's YAML with one value swapped for other data, or one entry dropped or doubled."""
    doc = yaml.safe_load((TINY_KB / name).read_text())
    path = draw(st.sampled_from(list(paths_in(doc))[1:]))
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    op = draw(st.sampled_from(["replace", "replace", "drop", "double"]))
    if op == "replace":
        parent[path[-1]] = draw(DATA)
    elif op == "drop":
        del parent[path[-1]]
    elif isinstance(parent, list):
        parent.insert(path[-1], parent[path[-1]])
    return dump(doc, "yaml").encode("utf-8")


@settings(FUZZ, max_examples=examples(100))
@given(name=st.sampled_from(KB_FILES), data=st.data())
def test_kb_loader_reports_wrong_types_anywhere(kb_dir, name, data):
    tried("kb: structural mutation")
    kb_answers(kb_dir, name, data.draw(structurally_mutated(name)))


@settings(FUZZ, max_examples=examples(25))
@given(name=st.sampled_from(KB_FILES), data=st.data())
def test_kb_validate_command_answers_any_mutation(kb_dir, name, data):
    tried("kb: validate command")
    (kb_dir / name).write_bytes(data.draw(structurally_mutated(name) | mutated(
        (TINY_KB / name).read_text())))
    try:
        r = invoke("kb", "validate", "--kb", str(kb_dir))
    finally:
        (kb_dir / name).write_bytes((TINY_KB / name).read_bytes())
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.exit_code in (0, 1) and "Traceback" not in r.stdout + r.stderr
    assert "internal error" not in r.stderr


# -- the batch readers (CSV survey exports and JSON lines) -------------------------------------

CELL = TEXT | NUMBERS.map(str) | st.sampled_from(["", " ", "yes", "no", "TRUE", "1e400", "nan",
                                                   "-inf", "1_000", "0x10", "+5", "--5", "12.",
                                                   "process;product", "none", "[]", '"', "\n"])


@st.composite
def csv_bytes(draw) -> bytes:
    import csv
    import io

    header = ["id"] + draw(st.lists(st.sampled_from(FACTS), max_size=6, unique=True))
    if draw(st.integers(0, 5)) == 0:
        header = draw(st.lists(CELL, max_size=4))  # a header that is wrong as a whole
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for n in range(draw(st.integers(0, 6))):
        row = [draw(st.sampled_from([f"row-{n}", f"row-{n}", "row-0"]) | CELL)]
        row += [draw(CELL) for _ in header[1:]]
        writer.writerow(row + draw(st.lists(CELL, max_size=1)))  # now and then a cell too many
    raw = out.getvalue().encode("utf-8")
    return draw(st.just(raw) | mutated(out.getvalue()))


@st.composite
def jsonl_bytes(draw) -> bytes:
    lines = [dump(draw(case_data()), "json") for _ in range(draw(st.integers(0, 4)))]
    return draw(st.just("\n".join(lines).encode("utf-8")) | mutated("\n".join(lines) or "{}"))


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("batch")


@settings(FUZZ, max_examples=examples(150))
@given(raw=csv_bytes() | jsonl_bytes(), data=st.data())
def test_batch_answers_any_csv_or_json_lines(batch_dir, raw, data):
    tried("batch: command")
    suffix = ".csv" if raw[:2] != b"{\"" and data.draw(st.booleans()) else ".jsonl"
    source, out = batch_dir / f"input{suffix}", batch_dir / "out.jsonl"
    source.write_bytes(raw)
    out.unlink(missing_ok=True)
    r = invoke("batch", str(source), "--out", str(out), "--kb", str(TINY_KB))
    assert_answered(r, (0, 2))
    rows = out.read_text(encoding="utf-8").splitlines() if out.exists() else []
    ids = [json.loads(line)["case_id"] for line in rows]
    assert len(ids) == len(set(ids))  # each accepted case once


@settings(FUZZ, max_examples=examples(300))
@given(raw=csv_bytes())
def test_csv_reader_yields_items_or_one_case_error(batch_dir, raw):
    from engine.consultation.batch import read_items

    tried("batch: CSV reader")
    source = batch_dir / "reader.csv"
    source.write_bytes(raw)
    try:
        items = list(read_items(source, KB))
    except CaseError as exc:
        assert exc.problems
        return
    for item in items:
        assert item.valid or all(p.startswith(f"{source}:") for p in item.problems)
        for name, value in item.facts.items():
            assert check_value(KB.input_facts[name], value) == value


# -- issue 17's surfaces: JSON case files, CSV dialects, interview answers, output targets -----

class _Duplicate(Exception):
    pass


def _no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise _Duplicate()
    return dict(pairs)


def _same(a, b) -> bool:
    """Equal, with NaN equal to NaN and a list equal to a list (YList is a list)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


JSON_TEXT = st.builds(lambda data, ascii_, indent: json.dumps(data, ensure_ascii=ascii_,
                                                              indent=indent, default=str,
                                                              skipkeys=True),
                      DATA, st.booleans(), st.sampled_from([None, 0, 2])) | \
    st.sampled_from(['{"a": 1, "a": 2}', '"\\ud83d\\ude00"', '"\\ud800"', "[1e400, -0.0]",
                     '{"a": NaN}', "[" * 70 + "]" * 70, "1" * 4500, " \n", "{}", "[1,]",
                     '{"a" 1}', "tru", '"\\x"', '"a\tb"', "0123", "-", "1.", ".5", "1e",
                     '"\\u12"', "\ufeff{}", "nul", '{"\\u0000": 1}'])
ACCEPTED_DIFFERENTLY = ("duplicate key", "lone surrogate", "nested more than", "digits",
                        "more than 50,000 values")


@settings(FUZZ, max_examples=examples(400))
@given(text=JSON_TEXT | mutated('{"id": "a", "facts": {"x": [1, 2.5e3, true, null]}}').map(
    lambda raw: raw.decode("utf-8", "replace")))
def test_json_reader_agrees_with_json_loads(text):
    """Where json.loads reads a text, parse_json reads the same data or refuses it for a reason
    of its own (a duplicate key, a lone surrogate, the depth or size budget); where json.loads
    refuses it, so does parse_json, with a position."""
    from engine.consultation.casefile import _plain
    from engine.knowledge.jsonsource import parse_json
    from engine.knowledge.located import YamlReadError

    tried("json: reader vs json.loads")
    try:
        expected = json.loads(text, object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError, _Duplicate):
        expected = _Duplicate
    try:
        got = _plain(parse_json(text, "f.json").data)
    except YamlReadError as exc:
        message = str(exc)
        assert message.startswith("f.json:")
        if expected is not _Duplicate:
            assert any(reason in message for reason in ACCEPTED_DIFFERENTLY), message
        return
    assert expected is not _Duplicate, text
    assert _same(got, expected)


@settings(FUZZ, max_examples=examples(200))
@given(data=case_data(), ascii_=st.booleans())
def test_a_json_case_file_is_a_case_or_case_errors(case_file, data, ascii_):
    tried("json: case files")
    path = case_file.with_suffix(".json")
    path.write_text(json.dumps(data, ensure_ascii=ascii_, default=str, skipkeys=True),
                    encoding="utf-8")
    try:
        case = load_case(path, KB)
    except CaseError as exc:
        assert exc.problems and all(str(p).startswith(str(path)) for p in exc.problems)
        return
    for name, value in case.facts.items():
        assert check_value(KB.input_facts[name], value) == value


def cell_text(fact, value) -> str:
    """How a survey tool could write ``value`` of ``fact`` in a cell."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return " ".join(value)
    return str(value)


@st.composite
def survey_export(draw):
    """A CSV as spreadsheets and survey tools write it, with the cases it holds."""
    import csv
    import io

    names = draw(st.lists(st.sampled_from(FACTS), max_size=5, unique=True))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    extra = draw(st.lists(st.sampled_from(["start", "end", "deviceid", "_uuid", "",
                                           "_gps_latitude"]), max_size=3, unique=True))
    prefix = draw(st.sampled_from(["", "grp/", "a/b/"]))
    header = ["id"] + [prefix + n for n in names] + extra
    cases = []
    for n in range(draw(st.integers(0, 5))):
        facts = {}
        for name in names:
            fact = KB.input_facts[name]
            good = {"bool": st.booleans(), "enum": st.sampled_from(fact.values or ("x",)),
                    "list[enum]": st.lists(st.sampled_from(fact.values or ("x",)), min_size=1,
                                           max_size=2, unique=True).map(tuple),
                    "str": st.text("abc é,;\"\n", min_size=1, max_size=8).filter(str.strip)
                    }.get(fact.type, st.integers(0, 12))
            facts[name] = draw(good)
        cases.append((f"c{n}", facts))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=draw(st.sampled_from(
        ["\n", "\r\n"])), quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])))
    writer.writerow(header)
    for case_id, facts in cases:
        writer.writerow([case_id] + [cell_text(KB.input_facts[n], facts[n]) for n in names]
                        + ["x"] * len(extra))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return (bom + out.getvalue()).encode("utf-8"), cases


@settings(FUZZ, max_examples=examples(200))
@given(export=survey_export())
def test_survey_exports_of_any_dialect_read_back_their_cases(batch_dir, export):
    from engine.consultation.batch import Tally, read_items

    tried("batch: CSV dialects")
    raw, cases = export
    source = write_bytes(batch_dir / "dialect.csv", raw)
    tally = Tally()
    items = list(read_items(source, KB, tally))
    want = [(case_id, {n: check_value(KB.input_facts[n], v) for n, v in facts.items()
                       if str(v).strip()}) for case_id, facts in cases]
    got = [(i.id, i.facts) for i in items]
    assert all(i.valid for i in items), [i.problems for i in items]
    assert [(c, {n: v for n, v in f.items() if KB.input_facts[n].type != "str"}) for c, f in got] \
        == [(c, {n: v for n, v in f.items() if KB.input_facts[n].type != "str"}) for c, f in want]
    assert tally.header + tally.blank + tally.row_lines == tally.lines


@settings(FUZZ, max_examples=examples(200))
@given(raw=survey_export().map(lambda e: e[0]).flatmap(
    lambda raw: mutated(raw.decode("utf-8")) | st.just(raw)))
def test_any_mutation_of_a_survey_export_is_rows_or_one_case_error(batch_dir, raw):
    from engine.consultation.batch import Tally, read_items

    tried("batch: CSV dialects, mutated")
    source = write_bytes(batch_dir / "mutated.csv", raw)
    tally = Tally()
    try:
        items = list(read_items(source, KB, tally))
    except CaseError as exc:
        assert exc.problems
        return
    for item in items:
        assert item.valid or all(p.startswith(f"{source}:") for p in item.problems)
    assert tally.header + tally.blank + tally.row_lines == tally.lines


@settings(FUZZ, max_examples=examples(600))
@given(name=st.sampled_from(FACTS), typed=st.text(max_size=30) | CELL | st.sampled_from(
    ["²", "٣", "9" * 5000, "1" * 41, "\ud800", "½", "Ⅻ", "5%", "?", "why"]))
def test_any_typed_answer_is_a_value_or_a_refusal(name, typed):
    from engine.consultation.answers import parse_answer
    from engine.errors import ValueProblem
    from engine.safe_text import BIDI, CONTROLS

    tried("interview: typed answers")
    fact = KB.input_facts[name]
    try:
        value = parse_answer(fact, typed)
    except ValueProblem as exc:
        assert not any(ch in str(exc) for ch in CONTROLS + BIDI if ch not in "\t\n")
        str(exc).encode("utf-8")
        return
    assert value is None or check_value(fact, value) == value


TARGET_KINDS = ["new", "existing", "existing-forced", "input", "input-link", "history",
                "history-wal", "dev-null", "folder", "missing-folder", "long-name"]


@settings(FUZZ, max_examples=examples(150))
@given(kind=st.sampled_from(TARGET_KINDS), name=st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
    min_size=1, max_size=60).filter(lambda n: n not in (".", "..")), force=st.booleans())
def test_output_targets_never_destroy_an_input_the_history_or_a_device(tmp_path_factory, kind,
                                                                       name, force):
    from engine.errors import OutputError, UsageError
    from engine.output_target import plan, write_text

    tried("output: targets")
    root = tmp_path_factory.mktemp("out")
    case = write_bytes(root / "case.yaml", b"id: c\n")
    db = write_bytes(root / "history.sqlite3", b"db")
    write_bytes(root / "history.sqlite3-wal", b"wal")
    try:
        path = {"new": lambda: root / name, "existing": lambda: write_bytes(root / name, b"o"),
                "existing-forced": lambda: write_bytes(root / name, b"o"),
                "input": lambda: case, "history": lambda: db,
                "history-wal": lambda: root / "history.sqlite3-wal",
                "input-link": lambda: _link(root / name, case), "dev-null": lambda: "/dev/null",
                "folder": lambda: root, "missing-folder": lambda: root / "no" / name,
                "long-name": lambda: root / (name * 10)[:250]}[kind]()
    except OSError:
        return  # a name the file system itself refuses
    try:
        target = plan(path, inputs=[case], history=db, force=force or kind == "existing-forced")
        write_text(target, "report\n")
    except (UsageError, OutputError) as exc:
        assert exc.problems
    assert case.read_bytes() == b"id: c\n" and db.read_bytes() == b"db"
    assert (root / "history.sqlite3-wal").read_bytes() == b"wal"
    assert Path("/dev/null").is_char_device()
    assert not [p for p in root.rglob("*.tmp")]


def _link(path: Path, to: Path) -> Path:
    path.symlink_to(to)
    return path


# -- the condition language --------------------------------------------------------------------

TOKENS = FACTS + ["horizon_months", "payback_horizon_multiple", "verdict", "and", "or", "not",
                  "in", "is", "known", "unknown", "empty", "contains", "true", "false", "(", ")",
                  "[", "]", ",", "=", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "0",
                  "1", "2.5", "9" * 400 + ".5", "'risks'", '"x"', "'", "min", "max", "abs",
                  "count", "fired", "finding", "barrier", "enabler", "note", "factor=",
                  "severity=", "mitigated=", "'significant'", "__class__", "__import__", "os",
                  ".", "lambda", ";", "{", "}", "@", "\\", "\n", "\t", "\x00", "\u00e9", "\u202e"]
CONDITION_TEXT = st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join) | \
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=60) | \
    st.text(alphabet=string.printable, max_size=80)


def grammar():
    """Conditions that are mostly well formed, so the checker and evaluator see deep trees."""
    atoms = st.sampled_from(FACTS + ["horizon_months", "0", "1", "2.5", "-3", "'coffee'",
                                     "true", "false", "['a', 'b']", "verdict"])
    def grow(inner):
        return st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "==", "!=", "<", ">=",
                                                 "and", "or", "in", "contains"]), inner
                         ).map(" ".join) | inner.map(lambda x: f"({x})") | \
            inner.map(lambda x: f"not {x}") | inner.map(lambda x: f"{x} is known") | \
            inner.map(lambda x: f"{x} is not empty") | \
            st.tuples(inner, inner).map(lambda p: f"min({p[0]}, {p[1]})") | \
            inner.map(lambda x: f"abs({x})") | st.sampled_from([
                "barrier(factor='time', severity='significant')", "finding(quick_benefit)",
                "count(barrier()) >= 2", "fired('TM-1')", "enabler(mitigated=true)"])
    return st.recursive(atoms, grow, max_leaves=20)


VALUES = st.none() | st.booleans() | NUMBERS | TEXT | \
    st.lists(st.sampled_from(["process", "product", "x"]), max_size=3).map(tuple)
SCOPE = Scope(KB.facts, KB.parameters, KB.finding_specs, frozenset(r.id for r in KB.rules))


def assert_parses_or_reports(text: str):
    try:
        node = c.parse(text)
    except c.ParseError as exc:
        assert 0 <= exc.pos <= len(text) and exc.message
        return None
    again = c.to_text(node)  # the canonical form reads back as the same tree
    assert c.to_text(c.parse(again)) == again
    return node


@settings(FUZZ, max_examples=examples(1500))
@given(text=CONDITION_TEXT | grammar())
def test_condition_parser_returns_a_tree_or_a_positioned_error(text):
    tried("condition: parser")
    node = assert_parses_or_reports(text)
    if node is not None:
        for offset, message in check_expression(node, SCOPE, boolean=True):
            assert 0 <= offset <= len(text) and message


@settings(FUZZ, max_examples=examples(600))
@given(text=grammar(), data=st.data())
def test_evaluator_never_raises_on_any_value(text, data):
    tried("condition: evaluator")
    node = assert_parses_or_reports(text)
    if node is None:
        return
    values = {name: data.draw(VALUES) for name in c.names_in(node)}
    findings = {"quick_benefit": kleene.FindingState("quick_benefit", "enabler", "time", None,
                                                    data.draw(st.booleans()))}
    state = kleene.State(values, findings, frozenset({"TM-1"}), data.draw(st.none() | TEXT))
    result = kleene.evaluate(node, state)
    assert result is None or isinstance(result, (bool, int, float, str, tuple))
    assert kleene.holds(node, state) in (True, False)
    template = c.parse_template("x = {" + text.replace("{", "").replace("}", "") + ":.1f}")
    assert isinstance(templates.render(Template("fuzz", tuple(template)), state), str)


# -- hostile files: each ends with a message, exit 2 for a case and 1 for a knowledge base -----

def consult_refuses(path: Path, *expected: str):
    start = time.perf_counter()
    r = invoke("consult", str(path), "--kb", str(TINY_KB))
    assert_answered(r, (2,))
    for text in expected:
        assert text in r.stderr
    assert time.perf_counter() - start < 10  # bounded: measured well under a second
    return r


def kb_refuses(kb_dir: Path, name: str, *expected: str):
    r = invoke("kb", "validate", "--kb", str(kb_dir))
    assert r.exit_code == 1 and "Traceback" not in r.stdout + r.stderr
    assert "internal error" not in r.stderr
    for text in expected:
        assert any(name in line and text in line for line in r.stdout.splitlines()), r.stdout


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{x}: &{x} [{', '.join(['*' + p] * 9)}]\n" for p, x in zip("abcdefgh", "bcdefghi"))
HOSTILE = {
    "billion-laughs": (BILLION_LAUGHS.encode(), "aliases that multiply"),
    "duplicate-key": (VALID_CASE.replace("facts:", "id: other\nfacts:").encode(),
                      'duplicate key "id"'),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
    "latin-1": ("id: café\nfacts: {}\n".encode("latin-1"), "not UTF-8"),
    "empty": (b"", "empty"),
    "blank": (b"  \n\n\t\n", "empty"),
    "comment-only": (b"# nothing here\n", "no data"),
    "deep-flow": (b"[" * 20000 + b"]" * 20000, "nested more than"),
    "deep-block": ("".join("  " * i + "k:\n" for i in range(300)).encode(), "nested more than"),
    "python-tag": (b"id: !!python/object/apply:os.system ['true']\nfacts: {}\n", "not allowed"),
    "two-documents": (VALID_CASE.encode() + b"---\n" + VALID_CASE.encode(), "not valid YAML"),
    "wide": (b"facts: {" + b", ".join(b"f%d: 1" % i for i in range(60000)) + b"}\n",
             "more than"),
    "many-facts": (("id: many\nfacts:\n" + "".join(f"  f{i}: 1\n" for i in range(MAX_FACTS + 1))
                    ).encode(), f"more than the {MAX_FACTS} accepted"),
    "long-notes": (VALID_CASE.encode() + b"notes: " + b"n" * 5000 + b"\n", "at most 2,000"),
    "terminal-escape": (VALID_CASE.encode() + b'notes: "\\e[2J\\e]0;owned\\a"\n',
                        "control characters"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_consult_refuses_hostile_case_file(tmp_path, kind):
    raw, message = HOSTILE[kind]
    tried("hostile files")
    consult_refuses(write_bytes(tmp_path / "case.yaml", raw), message)


@pytest.mark.parametrize("kind", sorted(set(HOSTILE) - {"many-facts", "long-notes",
                                                         "terminal-escape", "duplicate-key"}))
def test_kb_loader_refuses_hostile_rule_file(kb_copy, kind):
    raw, message = HOSTILE[kind]
    tried("hostile files")
    kb = kb_copy()
    write_bytes(kb / "rules" / "time.yaml", raw)
    kb_refuses(kb, "time.yaml", message)


def write_bytes(path: Path, raw: bytes) -> Path:
    path.write_bytes(raw)
    return path


def write_50_mb(path: Path) -> Path:
    with open(path, "wb") as f:
        line = b"  payback_months: 12  # " + b"x" * 1000 + b"\n"
        f.write(b"id: big\nfacts:\n")
        f.writelines(line for _ in range(50 * 1024))
    assert path.stat().st_size > 50 * 1024 * 1024
    return path


def test_consult_refuses_a_50_mb_case_file_without_reading_it(tmp_path):
    tried("hostile files")
    r = consult_refuses(write_50_mb(tmp_path / "big.yaml"), "bytes, more than the",
                        f"{MAX_CASE_BYTES:,} accepted")
    assert r.stdout == ""


def test_kb_loader_refuses_a_50_mb_rule_file(kb_copy):
    tried("hostile files")
    kb = kb_copy()
    write_50_mb(kb / "rules" / "time.yaml")
    kb_refuses(kb, "time.yaml", f"{yamlsource.MAX_FILE_BYTES:,} accepted")


def test_consult_refuses_a_folder_given_as_case(tmp_path):
    tried("hostile files")
    consult_refuses(tmp_path, "is a folder, not a file")


def test_kb_loader_refuses_a_folder_where_a_file_belongs(kb_copy):
    tried("hostile files")
    kb = kb_copy()
    (kb / "facts.yaml").unlink()
    (kb / "facts.yaml").mkdir()
    kb_refuses(kb, "facts.yaml", "is a folder, not a file")


def test_kb_loader_refuses_a_file_where_the_knowledge_base_folder_belongs(tmp_path):
    tried("hostile files")
    r = invoke("consult", str(TINY_KB.parent / "cases" / "tiny-wait.yaml"), "--kb",
               str(write_bytes(tmp_path / "kb", b"rules: []\n")))
    assert_answered(r, (1, 2))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_consult_refuses_an_endless_device_instead_of_filling_memory():
    tried("hostile files")
    consult_refuses(Path("/dev/zero"), "is not a regular file")


def test_consult_reports_an_unreadable_case_file(tmp_path, monkeypatch):
    """CI runs as root, where chmod 000 does not stop reading: the refusal is simulated by
    making the reader's ``open`` fail as the operating system would."""
    tried("hostile files")
    path = write_bytes(tmp_path / "case.yaml", VALID_CASE.encode())
    real_open = open

    def denied(file, *args, **kwargs):
        if Path(file) == path:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)
    monkeypatch.setattr(yamlsource, "open", denied, raising=False)
    consult_refuses(path, "permission denied")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root reads a chmod 000 file anyway; see the simulated test above")
def test_consult_reports_a_chmod_000_case_file(tmp_path):
    path = write_bytes(tmp_path / "case.yaml", VALID_CASE.encode())
    path.chmod(0)
    consult_refuses(path, "permission denied")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root reads a chmod 000 file anyway; see the simulated test below")
def test_kb_loader_reports_a_chmod_000_rule_file(kb_copy):
    kb = kb_copy()
    (kb / "rules" / "time.yaml").chmod(0)
    kb_refuses(kb, "time.yaml", "permission denied")


def test_regression_unreadable_rule_file_crashed_the_digest(kb_copy, monkeypatch):
    """Simulated as above: every open of rules/time.yaml is refused, by the reader and by the
    digest of the knowledge base (which read the file again and raised PermissionError)."""
    from engine.knowledge import loader

    tried("hostile files")
    kb = kb_copy()
    real_open = open

    def denied(file, *args, **kwargs):
        if Path(file).name == "time.yaml":
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)
    monkeypatch.setattr(yamlsource, "open", denied, raising=False)
    monkeypatch.setattr(loader, "open", denied, raising=False)
    kb_refuses(kb, "time.yaml", "permission denied")


# -- regressions: one test per crash or hang that fuzzing found, named after it ----------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_regression_named_pipe_as_case_file_blocked_forever(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")  # open() waited for a writer that never came
    consult_refuses(tmp_path / "pipe.yaml", "is not a regular file")


def test_regression_nested_list_literal_in_condition_raised_recursion_error():
    with pytest.raises(c.ParseError, match="cannot hold another list"):
        c.parse("upgrade_type in " + "[" * 900 + "]" * 900)


def test_regression_long_arithmetic_chain_raised_recursion_error_in_to_text():
    c.to_text(c.parse(" + ".join(["payback_months"] * 30)))  # an ordinary chain still reads
    with pytest.raises(c.ParseError, match="nested more than"):
        c.parse("1" + "+1" * 600)


def test_regression_huge_number_literal_made_count_raise_overflow_error():
    with pytest.raises(c.ParseError, match="a number of more than"):
        c.parse("count(barrier()) >= " + "9" * 400 + ".5")


def test_regression_to_text_dropped_the_brackets_of_an_inner_condition():
    for text in ("(a is known) is not empty", "-(a + b) > 1", "(a < b) == true",
                 "x == 0.0000001", "finding('a b')"):
        again = c.to_text(c.parse(text))
        assert c.parse(again) == c.parse(text), again


def test_regression_case_from_plain_dict_raised_attribute_error():
    with pytest.raises(CaseError, match=f"more than the {MAX_FACTS} accepted"):
        case_from_mapping({"id": "x", "facts": {f"f{i}": 1 for i in range(MAX_FACTS + 1)}}, KB)
    with pytest.raises(CaseError, match='"expected" must be a map'):
        case_from_mapping({"id": "x", "facts": {}, "expected": 3}, KB)


@pytest.mark.parametrize("number", [-10**400, 10**5000], ids=["-10^400", "10^5000"])
def test_regression_huge_integer_fact_raised_overflow_or_value_error(number):
    with pytest.raises(CaseError, match="implausibly large"):
        case_from_mapping({"id": "x", "facts": {"expected_net_gain_pct": number}}, KB)


def test_regression_visit_date_as_a_list_was_stored_as_text():
    with pytest.raises(CaseError, match='"visit_date" must be text'):
        case_from_mapping({"id": "x", "visit_date": [2024], "facts": {}}, KB)


def test_regression_lone_surrogate_in_enterprise_crashed_the_json_report(tmp_path):
    case = write_bytes(tmp_path / "case.yaml", b'id: s1\nenterprise: "a\\ud800b"\nfacts: {}\n')
    consult_refuses(case, f"{case}:2:14:", "lone surrogate")


def test_regression_control_character_in_yaml_is_reported_at_its_line_and_column(tmp_path):
    case = write_bytes(tmp_path / "case.yaml", VALID_CASE.replace("Test farm", "Test\x07farm")
                       .encode())
    consult_refuses(case, f"{case}:2:17: not valid YAML: the character #x0007")


def test_regression_wide_document_was_composed_whole_before_the_size_check(tmp_path):
    """A 1 MB flow list took 9 s and 400 MB; now composing stops at the budget's value."""
    case = write_bytes(tmp_path / "case.yaml", b"[" + b"1, " * 300_000 + b"1]\n")
    budget = 10_000  # consultation.cases.MAX_CASE_NODES; the list is value 1, its items 2, 3, ...
    consult_refuses(case, f"{case}:1:{2 + 3 * (budget - 1)}: document holds more than "
                          f"{budget:,} values")


@pytest.mark.parametrize("raw, message", [
    (b"id,payback_months\nok1,1\xff2\n", ":2: not UTF-8 text"),
    (b'{"id": "a", "facts": {}}\n\xff\xfe\n', ":2: not UTF-8 text"),
    (b"[" * 100_000 + b"\n", ":1:66: nested more than 64 levels deep"),  # as a YAML case
    (b'{"id": "a", "facts": {}}\n' + b"x" * 1_000_001 + b"\n", ":2: line longer than"),
], ids=["csv-latin-1", "jsonl-latin-1", "jsonl-deep", "jsonl-long-line"])
def test_regression_batch_crashed_on_bytes_that_are_not_a_json_line_or_utf8(tmp_path, raw,
                                                                            message):
    source = write_bytes(tmp_path / ("in.csv" if raw.startswith(b"id,") else "in.jsonl"), raw)
    r = invoke("batch", str(source), "--out", str(tmp_path / "out.jsonl"), "--kb", str(TINY_KB))
    assert_answered(r, (2,))
    assert f"{source}{message}" in r.stderr


def test_security_doc_states_the_limits_that_are_enforced():
    import importlib
    import re

    doc = (Path(__file__).parent.parent / "docs" / "security.md").read_text()
    rows = re.findall(r"^\| [^|]+ \| ([^|]+) \| `(engine\.[\w.]+)\.(\w+)` \|$", doc, re.MULTILINE)
    assert len(rows) >= 13
    for limit, module, name in rows:
        value = getattr(importlib.import_module(module), name)
        if hasattr(value, "pattern"):
            assert re.search(r"\{1,(\d+)\}", value.pattern).group(1) in limit, name
        else:
            shown = f"{value:,}" if isinstance(value, int) else f"{value:g}".replace("+", "")
            assert limit.startswith(shown), (name, limit, shown)


def test_regression_count_inside_arithmetic_escaped_its_comparison():
    for text in ("0 / count(barrier()) < 0", "-count(note()) < 1"):
        with pytest.raises(c.ParseError, match="compare a count with a number"):
            c.parse(text)
    assert c.to_text(c.parse("count(barrier()) > 1")) == "count(barrier()) >= 2"
