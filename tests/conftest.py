"""Shared fixtures: paths, a copy of the mini dataset to break, the CLI as a user runs it, and Chromium."""
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MINI = os.path.join(ROOT, "tests", "fixtures", "mini")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
QUIET_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]


def run_build(*args, cwd=ROOT):
    """Run `python build.py ARGS` as a user would; returns the CompletedProcess."""
    return subprocess.run([sys.executable, os.path.join(ROOT, "build.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture
def mini(tmp_path):
    """A writable copy of the small valid dataset in tests/fixtures/mini."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=QUIET_FLAGS)
        yield chromium
        chromium.close()


class Page:
    """A Chromium page that records console errors and every request that leaves the file."""

    def __init__(self, browser, timezone="UTC", width=1280, height=800, **context):
        self.context = browser.new_context(timezone_id=timezone, viewport={"width": width, "height": height},
                                           **context)
        self.page = self.context.new_page()
        self.errors, self.requests = [], []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url)
                     if not r.url.startswith(("file:", "data:", "about:")) else None)

    def open(self, path, hash=""):
        self.page.goto("file://" + str(path) + hash)
        self.page.wait_for_function("document.documentElement.classList.contains('atlas-ready')")
        return self.page

    def close(self):
        self.context.close()


@pytest.fixture
def open_page(browser):
    pages = []

    def factory(**kwargs):
        page = Page(browser, **kwargs)
        pages.append(page)
        return page
    yield factory
    for page in pages:
        page.close()
