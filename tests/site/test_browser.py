"""The site in a real browser (headless Chromium, opened from disk): no console errors, the counts the data
has, sorting and filtering that give the right rows, keyboard use, narrow windows, links to record pages,
and a diff page that marks exactly the changed cells. Screenshots of the home and a diff page are written
to ENERGY_TIES_SITE_SHOTS (by default a folder of the test run's temporary files)."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

import energy_ties
from energy_ties.dataset.profile import PICTURES
from energy_ties.site import Release, build_site
from energy_ties.site.tables import display
from helpers import CURRENT, ROOT
from helpers.site import browser, known_pair


@pytest.fixture(scope="module")
def driver():
    d = browser()
    yield d
    d.quit()


@pytest.fixture(scope="module")
def site(built_site) -> Path:
    return built_site


@pytest.fixture(scope="module")
def pair_site(tmp_path_factory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("pair")
    a, b = known_pair(folder)
    out = build_site(folder / "site", [Release("1.0.0", a.parent), Release("1.1.0", b.parent)]).out
    return a, b, out


def shots() -> Path:
    folder = Path(os.environ.get("ENERGY_TIES_SITE_SHOTS") or Path(os.environ.get("TMPDIR", "/tmp")) / "site-shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_page(driver, page: Path) -> None:
    """Open a page and wait for its script to have set up its tables (a file: page may report loaded first)."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(page.as_uri())
    ready = "return document.URL === arguments[0] && document.documentElement.dataset.siteReady === 'true'"
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(ready, page.as_uri()))


def errors(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def csv_rows(name: str) -> list[dict[str, str]]:
    with open(ROOT / "data" / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def shown(driver, column: int | None = None) -> list[list[str]]:
    rows = driver.execute_script(
        "return Array.from(document.querySelector('table[data-table] tbody').rows)"
        ".map(r => Array.from(r.cells).map(c => c.textContent.trim()))"
    )
    return rows if column is None else [r[column] for r in rows]


def status(driver) -> dict:
    return driver.execute_script(
        "var s = document.querySelector('.status'); return {text: s.textContent,"
        " shown: +s.dataset.shown, matching: +s.dataset.matching}"
    )


def test_no_page_logs_a_console_error(driver, site, pair_site):
    pages = [site / "index.html", site / "1.0.0" / "index.html", site / CURRENT / "index.html"]
    pages += [pair_site[2] / "1.1.0" / "diff.html"]
    pages += sorted((site / CURRENT / "data").glob("*.html"))
    pages += [site / CURRENT / "entity" / "person~3aluis-videgaray.html"]
    driver.get_log("browser")
    for page in pages:
        open_page(driver, page)
        assert errors(driver) == [], page


def test_the_pictures_of_the_latest_release_render_on_the_home_page_with_their_sentences(driver, site):
    open_page(driver, site / "index.html")
    shown = driver.execute_script(
        "return Array.from(document.querySelectorAll('figure.picture img'))"
        ".map(i => [i.getAttribute('src'), i.complete && i.naturalWidth, i.alt])"
    )
    assert [(src, alt) for src, _, alt in shown] == [(f"{CURRENT}/{p}", say) for p, say in PICTURES.items()]
    assert all(width and width > 100 for _, width, _ in shown), shown  # decoded by the browser


def test_every_resource_shows_the_row_count_of_its_data(driver, site):
    for name, frame in energy_ties.load().items():
        open_page(driver, site / CURRENT / "data" / f"{name}.html")
        caption = driver.find_element("css selector", "table[data-table] caption .count").text
        s = status(driver)
        assert (int(caption), s["matching"]) == (len(frame), len(frame)), name
        assert s["text"].startswith(f"{len(frame)} rows") and s["shown"] == min(50, len(frame)), name


def test_sorting_a_numeric_column_orders_the_rows_and_again_reverses_them(driver, site):
    open_page(driver, site / CURRENT / "data" / "evidence.html")
    rows = csv_rows("evidence")
    header = driver.find_element("xpath", "//table[@data-table]//th[.//button[normalize-space()='start']]")
    header.find_element("tag name", "button").click()
    expected = sorted(rows, key=lambda r: int(r["start"]))  # stable: ties keep the file's order
    assert shown(driver, 0) == [r["id"] for r in expected[:50]]
    assert header.get_attribute("aria-sort") == "ascending"
    header.find_element("tag name", "button").click()
    assert shown(driver, 0) == [r["id"] for r in list(reversed(expected))[:50]]
    assert header.get_attribute("aria-sort") == "descending"


def test_filtering_by_a_word_keeps_the_rows_holding_it(driver, site):
    from selenium.webdriver.common.keys import Keys

    open_page(driver, site / CURRENT / "data" / "entities.html")
    body = driver.find_element("tag name", "body")
    for _ in range(20):  # the filter is reached with the keyboard alone
        body.send_keys(Keys.TAB) if _ == 0 else driver.switch_to.active_element.send_keys(Keys.TAB)
        if driver.switch_to.active_element.get_attribute("type") == "search":
            break
    driver.switch_to.active_element.send_keys("Mexico")
    expected = [r["id"] for r in csv_rows("entities") if any("mexico" in v.lower() for v in r.values())]
    assert 0 < len(expected) < len(csv_rows("entities"))
    assert shown(driver, 0) == expected
    assert status(driver)["matching"] == len(expected)


def test_a_narrow_window_scrolls_the_table_not_the_page(driver, site):
    driver.set_window_size(380, 800)
    try:
        for page in (site / "index.html", site / CURRENT / "data" / "claims.html"):
            open_page(driver, page)
            assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"), page
    finally:
        driver.set_window_size(1200, 900)


def test_an_entity_link_leads_to_its_page_with_its_events(driver, site):
    open_page(driver, site / CURRENT / "data" / "entities.html")
    driver.find_element("link text", "person:luis-videgaray").click()
    assert driver.find_element("tag name", "h1").text == "Luis Videgaray"
    section = driver.find_element("css selector", "table[data-section='Events']")
    ids = [e.text for e in section.find_elements("css selector", "tbody tr td:nth-child(2) code.id")]
    expected = [r["event"] for r in csv_rows("event_participants") if r["entity"] == "person:luis-videgaray"]
    assert ids == expected and expected
    section.find_element("link text", energy_ties.load("events").set_index("id").loc[expected[0], "label"]).click()
    assert driver.find_element("css selector", "p.kind code.id").text == expected[0]


def _expected_cells(a: Path, b: Path) -> dict:
    d = energy_ties.diff(a, b)
    out = {}
    for name, res in d.resources.items():
        for m in res.modified:
            for f, (old, new) in m.cells.items():
                key = json.dumps(json.loads(json.dumps(m.key, default=str)), sort_keys=True)
                shown_old = "(empty)" if old is None else display(old)
                out[(name, key, f)] = (shown_old, "(empty)" if new is None else display(new))
    return out


def test_the_diff_page_marks_exactly_the_changed_cells(driver, pair_site):
    a, b, out = pair_site
    open_page(driver, out / "1.1.0" / "diff.html")
    found = driver.execute_script(
        "return Array.from(document.querySelectorAll('td.changed')).map(td => [td.closest('section').dataset.resource,"
        " td.closest('tr').dataset.key, td.dataset.field, td.querySelector('del').textContent,"
        " td.querySelector('ins').textContent])"
    )
    assert {(r, k, f): (o, n) for r, k, f, o, n in found} == _expected_cells(a, b)
    assert len(found) == 3
    d = energy_ties.diff(a, b)
    assert driver.find_element("css selector", "p.bump strong").text == d.required_bump
    for name, res in d.resources.items():
        for kind in ("added", "removed"):
            rows = driver.find_elements("css selector", f"section[data-resource='{name}'] tr.{kind}")
            assert len(rows) == res.rows[kind], (name, kind)
    driver.save_screenshot(str(shots() / "diff.png"))


def test_screenshot_of_the_home_page(driver, site):
    open_page(driver, site / "index.html")
    path = shots() / "home.png"
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 0
