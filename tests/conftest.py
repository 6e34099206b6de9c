"""Shared fixtures: the tiny test knowledge base, the shipped one, and ways to plant defects."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.fuzz_report import pytest_terminal_summary  # noqa: F401 - fuzz input counts

ROOT = Path(__file__).resolve().parent.parent
TINY_KB = ROOT / "tests" / "fixtures" / "tiny_kb"
SHIPPED_KB = ROOT / "knowledge_base"
CONTRACT = ROOT / "docs" / "contract"  # the project's own copy of the contracts it implements
SHARED = ROOT.parent / "shared"  # only on the project's own machines; see test_contract_copy.py


@pytest.fixture(autouse=True)
def history_db(tmp_path, monkeypatch) -> Path:
    """Every test stores consultations in its own history file, never the user's real one."""
    path = tmp_path / "history.sqlite3"
    monkeypatch.setenv("MSE_ADVISOR_DB", str(path))
    return path


@pytest.fixture(autouse=True)
def english_unless_asked(monkeypatch) -> None:
    """The tests read the advisor in English unless they ask for a language (--lang, or an
    environment they set): a machine whose locale is Spanish or French must not change what
    they see (the advisor follows LC_ALL, LC_MESSAGES and LANG)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def tiny_kb() -> Path:
    return TINY_KB


@pytest.fixture
def kb_copy(tmp_path):
    """Copy a knowledge base into tmp_path and return a function to edit its files."""
    def make(source: Path = TINY_KB) -> Path:
        target = tmp_path / "kb"
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
        return target
    return make


@pytest.fixture
def shipped_copy(kb_copy) -> Path:
    """A copy of the shipped knowledge base, for planting one defect."""
    return kb_copy(SHIPPED_KB)


def replace_in(path: Path, old: str, new: str) -> int:
    """Replace text in a file; return the 1-based line of the replacement."""
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    line = text[:text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1))
    return line


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
