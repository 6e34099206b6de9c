"""A knowledge-base translation file brought up to date with the knowledge base: every text to
translate, the ones already translated kept, the missing ones written as comments in English.

The knowledge engineer (or translator) runs it after adding or changing rules
(``python scripts/kb_translations.py update es``), then translates the commented lines and
uncomments them; ``kb lint`` (family ``translations``) counts what is still missing.

Must not: write files (the script does), print, or invent a translation: a missing text stays
a comment, so the engine keeps saying it in English and lint keeps counting it.
Entry point: ``updated_translation(kb, code) -> str`` (the file's new text).
"""
from __future__ import annotations

import json

from engine.knowledge.spec import KnowledgeBase
from engine.knowledge.translations import keyed_sources, read_translation, translation_path
from engine.translation.catalogue import LANGUAGES

HEADER = """\
# {name} ({code}) for the knowledge base "{kb}": its officer-facing texts, keyed by the same ids
# as the English in the knowledge-base files (docs/knowledge-base.md "Translations"). Keep every
# {{placeholder}}; a format may say its unit in {name}: {{n:month|months}} -> {{n:mes|meses}}.
# A commented line is still missing: translate the English text, then uncomment the line.
language: {code}
"""


def updated_translation(kb: KnowledgeBase, code: str) -> str:
    """The translation file of ``code`` for ``kb``: every text in ``keyed_sources`` order, the
    translation already in the file where there is one, else the English as a comment. Keys
    the knowledge base no longer has are dropped (``kb lint`` named them before)."""
    path = translation_path(kb.root, code)
    done = {k: t for k, (t, _) in read_translation(path, []).items()} if path.is_file() else {}
    lines = HEADER.format(name=LANGUAGES.get(code, code), code=code, kb=kb.name).splitlines()
    tree: dict = {}
    for key, english in keyed_sources(kb).items():
        node = tree
        for part in key[:-1]:
            node = node.setdefault(part, {})
        node[key[-1]] = (key, english)
    _emit(tree, 0, done, lines)
    return "\n".join(lines) + "\n"


def _emit(tree: dict, depth: int, done: dict, lines: list) -> None:
    """Texts before nested maps at each level, so that a map is opened once."""
    pad = "  " * depth
    for part, value in sorted(tree.items(), key=lambda item: isinstance(item[1], dict)):
        if isinstance(value, dict):
            lines.append(f"{pad}{_key(part)}:")
            _emit(value, depth + 1, done, lines)
        else:
            key, english = value
            if key in done:
                lines.append(f"{pad}{_key(part)}: {_text(done[key])}")
            else:
                lines.append(f"{pad}# {_key(part)}: {_text(english)}")


def _key(part: str) -> str:
    plain = part.replace("_", "").replace("-", "").isalnum() and not part.isdigit()
    return part if plain else json.dumps(part)  # "1": a number is quoted to stay a text key


def _text(text: str) -> str:
    return json.dumps(" ".join(text.split()), ensure_ascii=False)
