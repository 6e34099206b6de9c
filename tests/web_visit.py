"""A whole visit walked in a real browser: the officer's pages served in a thread on a free port,
the system's Chromium driven by Playwright. Shared by tests/test_web_browser.py and
scripts/screenshots.py.

Chromium is the Debian package at ``CHROMIUM`` (``executable_path``): this project never runs
``playwright install``, which would download a browser.

Must not: assert anything (the test does); leave a server or a browser running.
Entry points: ``served(app) -> base URL`` (context manager), ``chromium(playwright)``,
``Walk(page, base, shoot)``.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
SIZES = {"phone": (360, 740), "laptop": (1280, 800)}
NUMBER = "12"  # an answer every numeric question of the shipped knowledge base accepts


@contextmanager
def served(app):
    """The application served on 127.0.0.1 at a free port, in a thread; its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def chromium(playwright):
    """The system's Chromium, headless (no sandbox: CI runs as root)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])


# Every element with text of its own: (its text, its contrast ratio with the background it is
# drawn on, WCAG 2 relative luminance); every button, link-button, choice and summary: (its
# text, its height in CSS pixels).
MEASURE = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
    .reduce((acc, v, i) => acc + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = el => { for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3); } return [255, 255, 255]; };
  const texts = [...document.querySelectorAll('body *')].filter(el =>
      [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) &&
      el.getClientRects().length);
  const contrast = texts.map(el => { const a = lum(rgb(getComputedStyle(el).color)),
      b = lum(background(el)); return [el.textContent.trim().slice(0, 40),
      (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]; });
  const targets = [...document.querySelectorAll('button, a.button, label.choice, summary')]
      .map(el => [el.textContent.trim().slice(0, 40), el.getBoundingClientRect().height]);
  return {contrast, targets};
}"""
MIN_CONTRAST = 4.5  # WCAG 2 AA for body text: readable in bright light
MIN_TARGET_PX = 44  # WCAG 2.5.5 target size


def measure(page) -> dict:
    """The text contrasts and the touch targets of the page on screen (``MEASURE``)."""
    return page.evaluate(MEASURE)


class Walk:
    """One officer's way through the pages; ``shoot(name)`` is called on each new page (a
    screenshot, or nothing)."""

    def __init__(self, page, base: str, shoot=lambda name: None):
        self.page, self.base, self.shoot = page, base, shoot

    def question(self) -> str:
        return self.page.locator("legend").inner_text()

    def register(self, enterprise: str, case_id: str, officer: str) -> None:
        page = self.page
        page.goto(self.base + "/")
        self.shoot("cases")
        page.get_by_role("link", name="Start a new visit").click()
        page.locator("input[name=enterprise]").fill(enterprise)
        page.locator("input[name=id]").fill(case_id)
        page.locator("input[name=officer]").fill(officer)
        self.shoot("new-visit")
        page.get_by_role("button", name="Start the questions").click()

    def answer(self, pick: int = 0) -> str:
        """Answer the question on screen: choice ``pick`` (counted from the end when
        negative), yes/no likewise, or a number; the question answered."""
        page, asked = self.page, self.question()
        choices = page.locator("input[name=value][type=radio], input[name=value][type=checkbox]")
        if choices.count():
            choices.nth(pick % choices.count()).check()
        else:
            page.locator("input[name=value]").fill(NUMBER)
        page.get_by_role("button", name="Answer").click()
        return asked

    def press(self, button: str) -> None:
        self.page.get_by_role("button", name=button).click()
