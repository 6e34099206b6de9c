"""Screenshots of every page of ``mse-advisor serve`` at a phone's size (360 x 740) and a
laptop's (1280 x 800), for a person to review: the case list, a new visit, a question, a
question with its "why", the result, the printable report, the owner's handout, the comparison
of two visits, an error page, and the interview's stop with its offer of more questions.

Usage: python scripts/screenshots.py FOLDER   (writes FOLDER/SIZE-NN-PAGE.png, full pages)

Runs the application on a fresh history in a temporary folder and drives the system's Chromium
(/usr/bin/chromium) with Playwright; nothing is downloaded.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.web_visit import CHROMIUM, SIZES, Walk, chromium, served  # noqa: E402


def shoot_all(folder: Path) -> list[Path]:
    """Every page at every size into ``folder``; the files written."""
    from playwright.sync_api import sync_playwright

    from web.app import create_app

    written: list[Path] = []
    for size, (width, height) in SIZES.items():
        with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
            app = create_app(Path(tmp) / "history.sqlite3", None, Path(tmp) / "cases")
            browser = chromium(playwright)
            page = browser.new_page(viewport={"width": width, "height": height})

            shots = len(written)

            def shoot(name: str) -> None:
                path = folder / f"{size}-{len(written) - shots + 1:02d}-{name}.png"
                page.screenshot(path=str(path), full_page=True)
                written.append(path)

            with served(app) as base:
                walk_and_shoot(Walk(page, base, shoot), page, base)
            browser.close()
    return written


def walk_and_shoot(walk: Walk, page, base: str) -> None:
    walk.register("Mama Chai Kiosk", "chai-1", "A. Officer")
    for _ in range(2):
        walk.answer(0)
    walk.shoot("question")
    walk.press("Why is this asked?")
    walk.shoot("question-why")
    for _ in range(4):
        walk.answer(0)
    walk.press("Done: give the advice now")
    walk.shoot("result")
    result = page.url
    for link, name in (("Printable report", "report"), ("Handout for the owner", "handout")):
        page.get_by_role("link", name=link).click()
        walk.shoot(name)
        page.goto(result)
    page.get_by_role("link", name="New visit").last.click()
    page.get_by_role("button", name="Start the questions").click()
    for _ in range(6):
        walk.answer(-1)
    walk.press("Done: give the advice now")
    page.get_by_role("link", name="Compare with the visit before").click()
    walk.shoot("compare")
    page.goto(base + "/")
    walk.shoot("cases-with-visits")
    page.goto(base + "/compare?first=x")
    walk.shoot("error")
    walk.register("Baba Mandazi", "mandazi-1", "A. Officer")  # to the interview's stop
    for _ in range(40):
        if page.locator("legend").count() == 0:
            break
        walk.answer(0)
    walk.shoot("stopped")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where to write the PNG files")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"error: no Chromium at {CHROMIUM} (Debian: apt-get install chromium)",
              file=sys.stderr)
        return 2
    args.folder.mkdir(parents=True, exist_ok=True)
    for path in shoot_all(args.folder):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
