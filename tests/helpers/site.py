"""For the site's tests: a known pair of small packages to diff, and headless Chromium driven by Selenium.

Selenium with Debian's chromedriver: the driver is built from the same source as the chromium package, so
the two always match, and nothing is downloaded (Playwright pins a browser build of its own and ships a
Node.js driver). The browser tests skip, naming what is missing, only when chromium or chromedriver is
absent; .ci/run installs both.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from . import diffpkg

CHROMIUM = ("chromium", "/usr/bin/chromium")
CHROMEDRIVER = ("chromedriver", "/usr/bin/chromedriver")


def _find(names: tuple[str, ...]) -> str | None:
    return next((p for n in names if (p := shutil.which(n))), None)


def browser(width: int = 1200, height: int = 900):
    """A headless Chromium with its console kept (``get_log("browser")``), or the test skipped."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("the selenium package is missing: pip install -e '.[test]'")
    chromium, driver = _find(CHROMIUM), _find(CHROMEDRIVER)
    if chromium is None or driver is None:
        missing = "Chromium (chromium)" if chromium is None else "ChromeDriver (chromedriver)"
        pytest.skip(f"{missing} is not installed: apt-get install -y chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}", "--disable-extensions", "--no-first-run"):  # fmt: skip
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=options)


def _version(descriptor: Path, version: str) -> Path:
    d = json.loads(descriptor.read_text())
    d["version"] = version
    descriptor.write_text(json.dumps(d))
    return descriptor


def known_pair(folder: Path) -> tuple[Path, Path]:
    """Two versions of a small package: in items, id 2 renamed and re-dated, id 3's amount emptied, id 4
    removed, id 9 added; in notes (no key), one row replaced."""
    old_items = {
        1: {"name": "alpha", "amount": 1.5, "day": "2024-01-02", "kind": "a"},
        2: {"name": "beta", "amount": 2.0, "day": "2024-02-03", "kind": "b"},
        3: {"name": "gamma", "amount": 3.25, "day": None, "kind": "c"},
        4: {"name": "delta", "amount": None, "day": "2024-04-05", "kind": "a"},
    }
    new_items = {
        1: dict(old_items[1]),
        2: {"name": "beta <b>", "amount": 2.0, "day": "2024-02-04", "kind": "b"},
        3: {"name": "gamma", "amount": None, "day": None, "kind": "c"},
        9: {"name": "iota", "amount": 9.0, "day": None, "kind": "c"},
    }
    a = _version(diffpkg.write(folder / "a", old_items, [("x", 1), ("y", 2)]), "1.0.0")
    b = _version(diffpkg.write(folder / "b", new_items, [("x", 1), ("z", 3)]), "1.1.0")
    return a, b
