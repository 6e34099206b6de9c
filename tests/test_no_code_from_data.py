"""Nothing in a case file, a knowledge-base file or a condition is ever run as code.

YAML tags that build Python objects are refused (and shown not to have run: each attack would
create a marker file); the condition language has no attributes, imports, calls other than its
own few functions, subscripts or underscore names; and no engine module calls eval or exec.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from engine.language import kleene
from engine import language as c

from tests.conftest import ROOT, TINY_KB, replace_in, write


def runner() -> CliRunner:
    return CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames \
        else CliRunner()


def yaml_attacks(marker: Path) -> dict:
    """YAML that would run a command, import a module or build an object if loaded unsafely."""
    return {
        "apply": f"!!python/object/apply:os.system ['touch {marker}']",
        "new": f"!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
        "object": "!!python/object:builtins.object {}",
        "name": "!!python/name:os.system",
        "module": "!!python/module:os",
        "tuple": "!!python/tuple [1, 2]",
        "verbatim": f"!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
        "local-tag": "!shell rm -rf /",
        "binary": "!!binary aGVsbG8=",
        "set": "!!set {a, b}",
    }


ATTACK_NAMES = sorted(yaml_attacks(Path("x")))


@pytest.mark.parametrize("attack", ATTACK_NAMES)
def test_case_file_with_a_python_tag_is_refused_and_nothing_runs(tmp_path, attack):
    marker = tmp_path / "pwned"
    value = yaml_attacks(marker)[attack]
    case = write(tmp_path / "case.yaml", f"id: evil\nfacts:\n  payback_months: {value}\n")
    r = runner().invoke(main, ["consult", str(case), "--kb", str(TINY_KB)])
    assert r.exit_code == 2
    assert f"{case}:3:19: the tag" in r.stderr and "is not allowed" in r.stderr
    assert r.stdout == "" and "Traceback" not in r.stderr
    assert not marker.exists()


def test_tag_directive_cannot_smuggle_a_python_tag(tmp_path):
    marker = tmp_path / "pwned"
    case = write(tmp_path / "case.yaml", "%TAG !p! tag:yaml.org,2002:python/object/apply:\n"
                                         f"---\nid: !p!os.system ['touch {marker}']\nfacts: {{}}\n")
    r = runner().invoke(main, ["consult", str(case), "--kb", str(TINY_KB)])
    assert r.exit_code == 2 and "is not allowed" in r.stderr
    assert not marker.exists()


@pytest.mark.parametrize("attack", ["apply", "new", "name", "verbatim"])
def test_knowledge_base_file_with_a_python_tag_is_refused_and_nothing_runs(kb_copy, tmp_path,
                                                                           attack):
    marker = tmp_path / "pwned"
    kb = kb_copy()
    line = replace_in(kb / "rules" / "time.yaml", "description: Benefits arrive later",
                      f"description: {yaml_attacks(marker)[attack]}\n    notes: Benefits arrive later")
    r = runner().invoke(main, ["kb", "validate", "--kb", str(kb)])
    assert r.exit_code == 1
    assert f"rules/time.yaml:{line}:18: the tag" in r.stdout
    assert not marker.exists()


ATTACKS = [
    "__import__('os').system('touch pwned')",
    "().__class__.__bases__[0].__subclasses__()",
    "payback_months.__class__",
    "payback_months.real > 1",
    "__builtins__",
    "_private > 1",
    "finding(__class__)",
    "eval('1 + 1')",
    "exec('import os')",
    "open('/etc/passwd')",
    "getattr(payback_months, '__class__')",
    "globals()",
    "lambda: 1",
    "import os",
    "os.system('ls')",
    "payback_months[0]",
    "payback_months['__class__']",
    "[x for x in payback_months]",
    "1 if true else 2",
    "payback_months ** 2",
    "payback_months @ 2",
    "~payback_months",
    "payback_months | 1",
    "payback_months << 1",
    "payback_months > 1; import os",
    "payback_months > 1\nimport os",
    "f'{payback_months}'",
    "b'x' == 'x'",
    "`ls`",
    "$(ls)",
    "min(payback_months, key=print)",
    "count(__import__('os')) >= 1",
    "fired(__import__)",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_condition_language_cannot_reach_python(text):
    with pytest.raises(c.ParseError) as err:
        c.parse(text)
    assert 0 <= err.value.pos <= len(text)


def test_code_inside_quotes_stays_text():
    node = c.parse("enterprise_name == '__import__(\"os\").system(\"ls\")'")
    assert isinstance(node.right, c.Str)
    state = kleene.State({"enterprise_name": "farm"})
    assert kleene.evaluate(node, state) is False


def test_template_placeholder_cannot_reach_python():
    with pytest.raises(c.ParseError):
        c.parse_template("Payback {__import__('os').getcwd()} months")


def test_rule_condition_that_tries_an_import_is_a_load_error(kb_copy, tmp_path):
    kb = kb_copy()
    line = replace_in(kb / "rules" / "time.yaml", "- months_to_first_benefit > horizon_months",
                      "- __import__('os').system('touch pwned')")
    r = runner().invoke(main, ["kb", "validate", "--kb", str(kb)])
    assert r.exit_code == 1
    assert f"rules/time.yaml:{line}:" in r.stdout
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


FORBIDDEN_CALLS = {"eval", "exec", "compile", "execfile", "breakpoint"}
IMPORTERS = {"__import__", "import_module"}  # allowed only with a module name written in the code
FORBIDDEN_ATTRIBUTE_CALLS = {("yaml", "load"), ("yaml", "unsafe_load"), ("yaml", "full_load"),
                             ("yaml", "load_all"), ("yaml", "unsafe_load_all"),
                             ("pickle", "load"), ("pickle", "loads"), ("marshal", "loads"),
                             ("os", "system")}
UNSAFE_LOADERS = {"Loader", "UnsafeLoader", "FullLoader", "CLoader", "CUnsafeLoader",
                  "CFullLoader"}


def python_sources() -> list[Path]:
    return sorted((ROOT / "engine").rglob("*.py")) + sorted((ROOT / "commands").rglob("*.py")) + [ROOT / "cli.py"]


def dangerous_calls(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name) and f.id in FORBIDDEN_CALLS:
                found.append(f"{f.id}() at line {node.lineno}")
            name = f.id if isinstance(f, ast.Name) else getattr(f, "attr", "")
            if name in IMPORTERS and not (node.args and isinstance(node.args[0], ast.Constant)):
                found.append(f"{name}() of a computed name at line {node.lineno}")
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and \
                    (f.value.id, f.attr) in FORBIDDEN_ATTRIBUTE_CALLS:
                found.append(f"{f.value.id}.{f.attr}() at line {node.lineno}")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                node.value.id == "yaml" and node.attr in UNSAFE_LOADERS:
            found.append(f"yaml.{node.attr} at line {node.lineno}")
    return found


def test_the_scan_finds_what_it_looks_for():
    planted = ("import yaml\nx = eval('1')\nyaml.load(s, Loader=yaml.Loader)\nexec(c)\n"
               "importlib.import_module(name)\n__import__('csv')\n")
    assert len(dangerous_calls(planted)) == 5


@pytest.mark.parametrize("path", python_sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_engine_modules_never_eval_or_exec(path):
    assert dangerous_calls(path.read_text()) == []
