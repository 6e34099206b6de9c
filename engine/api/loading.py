"""Where the knowledge base comes from, and the one way the facade writes a file.

Every command takes ``--kb DIR``; without it the knowledge base installed with the package is
used (``shipped_kb``), so the commands work from any folder. A consultation reuses the advisor
compiled once per folder and process (``load_advisor``); the knowledge engineer's tools read the
files as they are now (``load_kb``, ``fresh_advisor``).

Must not: print; write anything but through ``write_file`` (``engine.files``).
"""
from __future__ import annotations

import os
from pathlib import Path

from engine.files import write_atomically
from engine.inference.runner import Advisor
from engine.knowledge.loader import load_knowledge_base
from engine.knowledge.spec import KnowledgeBase
from engine.knowledge.translations import for_language
from engine.translation.catalogue import LANGUAGES, language
from engine.translation.choosing import choose_language  # (--lang, environment) -> code

__all__ = ["choose_language", "interface", "fresh_advisor", "kb_root", "load_advisor", "load_kb", "shipped_kb",
           "write_file", "LANGUAGES"]


def interface(code: str | None = None):
    """The interface in the language ``code`` (``Language``: ``gettext`` for the commands' own
    sentences; default English). Raises ``UsageError`` for a language not shipped."""
    return language(code)


def shipped_kb() -> Path:
    """The folder of the knowledge base installed with the package."""
    import knowledge_base

    return knowledge_base.path()


def kb_root(kb_dir: str | os.PathLike | None = None) -> Path:
    """``kb_dir`` as a path, or the shipped knowledge base's folder when it is None."""
    return Path(kb_dir) if kb_dir else shipped_kb()


def load_kb(kb_dir: str | os.PathLike | None = None, lang: str | None = None) -> KnowledgeBase:
    """The knowledge base of ``kb_dir`` (default: the shipped one) read now, not compiled,
    speaking ``lang`` (default English). Raises ``KnowledgeBaseError`` with every problem,
    ``UsageError`` for a language not shipped."""
    kb = load_knowledge_base(kb_root(kb_dir))
    return for_language(kb, language(lang)) if lang else kb


def load_advisor(kb_dir: str | os.PathLike | None = None, lang: str | None = None) -> Advisor:
    """The advisor (knowledge base compiled to an engine) of ``kb_dir`` speaking ``lang``
    (default English), cached per folder, language and process. Raises
    ``KnowledgeBaseError`` with every problem, ``UsageError`` for a language not shipped."""
    return Advisor.from_folder(kb_root(kb_dir), language(lang).code)


def fresh_advisor(kb_dir: str | os.PathLike | None = None) -> Advisor:
    """The advisor of ``kb_dir`` loaded and compiled now, for the kb tools, which must see the
    files as they are. Raises ``KnowledgeBaseError`` with every problem."""
    return Advisor(load_kb(kb_dir))


def write_file(path: str | os.PathLike, text: str, create_folder: bool = False) -> Path:
    """Write ``text`` to ``path`` whole or not at all (``engine.files.write_atomically``);
    returns the path. Raises ``OutputError`` ("cannot write PATH: reason")."""
    return write_atomically(path, text, create_folder)
