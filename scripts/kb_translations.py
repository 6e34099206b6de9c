"""Bring a knowledge-base translation file up to date: ``python scripts/kb_translations.py
update LANG [--kb DIR]`` rewrites ``DIR/translations/LANG.yaml`` with every text to translate,
the translations already there kept and the missing ones as English comments
(``engine.kbtools.translating``). Then translate and uncomment; ``mse-advisor kb lint`` counts
what is still missing.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.api import load_kb, write_file  # noqa: E402
from engine.kbtools.translating import updated_translation  # noqa: E402
from engine.knowledge.translations import translation_path  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["update"])
    parser.add_argument("lang")
    parser.add_argument("--kb", default=None)
    args = parser.parse_args()
    kb = load_kb(args.kb)
    path = translation_path(kb.root, args.lang)
    write_file(path, updated_translation(kb, args.lang), create_folder=True)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
