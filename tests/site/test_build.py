"""The site as files: deterministic, free of the articles' text unless --texts is given, every row in the
HTML (readable without the script), every value escaped, and the folder it replaces only a site of its own."""

from __future__ import annotations

import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

import energy_ties
from energy_ties.site import Release, build_site, releases_from
from helpers import CURRENT, ROOT, TEXTS, csv_text, files, write_package
from helpers.cli import run

WINDOW = 32  # a passage of the articles this long or longer counts as their text


def _site(tmp_path: Path, name: str, *extra: str) -> Path:
    out = tmp_path / name
    r = run("site", str(out), "--from", str(ROOT), *extra)
    assert r.returncode == 0, r.stderr
    return out


def _article_windows() -> list[str]:
    """Every WINDOW-long passage of the articles (stride WINDOW / 2: any copied passage of 1.5 WINDOW holds one)."""
    out = []
    for p in sorted(TEXTS.iterdir()):
        text = p.read_text(encoding="utf-8")
        out += [text[i : i + WINDOW] for i in range(0, max(1, len(text) - WINDOW), WINDOW // 2)]
    return out


def _published() -> str:
    """Every cell of the package: what the data itself publishes (the quotations are verbatim, by design)."""
    return "\n".join(str(v) for frame in energy_ties.load().values() for col in frame.columns for v in frame[col])


def _article_text_in(site: Path) -> set[str]:
    """The passages of the articles that the site shows and the package's own cells do not hold."""
    windows = [w for w in _article_windows() if w.strip()]
    options = re2.Options()
    options.max_mem = 256 << 20
    pattern = re2.compile("|".join(re.escape(w) for w in windows), options)
    found = set()
    for page in sorted(site.rglob("*.html")):
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
        found |= {m.group(0) for m in pattern.finditer(text)}
    published = _published()
    return {w for w in found if w not in published}


@pytest.mark.skipif(not TEXTS.is_dir(), reason=f"the source texts are not at {TEXTS}")
def test_without_texts_the_site_holds_no_article_text_and_with_them_it_does(tmp_path, built_site):
    assert _article_text_in(built_site) == set()
    assert len(_article_text_in(_site(tmp_path, "texts", "--texts", str(TEXTS)))) > 50  # the check can see text


def test_two_builds_are_the_same_bytes(tmp_path, built_site):
    assert files(built_site) == files(_site(tmp_path, "two"))


def test_a_build_replaces_its_own_site_and_refuses_any_other_folder(tmp_path, built_site):
    out = Path(shutil.copytree(built_site, tmp_path / "site"))
    (out / "stale.html").write_text("old")
    assert not (_site(tmp_path, "site") / "stale.html").exists()
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    r = run("site", str(other), "--from", str(ROOT))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "not a site built by energy-ties site" in r.stderr
    assert (other / "keep.txt").read_text() == "mine"


class Cells(HTMLParser):
    """The text of every body cell of the tables marked data-table, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.depth = 0
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("data-table", None) in attrs:
            self.depth = 1
        elif self.depth and tag == "tbody":
            self.depth = 2
        elif self.depth == 2 and tag == "tr":
            self.rows.append([])
        elif self.depth == 2 and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell))
            self.cell = None
        elif tag == "table":
            self.depth = 0

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def cells(page: Path) -> list[list[str]]:
    p = Cells()
    p.feed(page.read_text(encoding="utf-8"))
    return p.rows


def test_every_row_of_every_resource_is_in_its_page_without_the_script(built_site):
    out = built_site
    for name, frame in energy_ties.load().items():
        rows = cells(out / CURRENT / "data" / f"{name}.html")
        assert len(rows) == len(frame), name
        assert [r[0] for r in rows] == [str(v) for v in frame.iloc[:, 0]], name


def test_a_package_without_the_dataset_profile_gets_tables_but_no_record_pages(tmp_path):
    pkg = write_package(tmp_path / "p", {"t": ({"fields": [{"name": "id", "type": "string"}]}, "id\nentity:x\n")})
    summary = build_site(tmp_path / "site", releases_from(pkg))
    assert summary.releases == 1
    names = {p.relative_to(summary.out).as_posix() for p in summary.out.rglob("*.html")}
    assert names == {"index.html", "unversioned/index.html", "unversioned/data/t.html"}


text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12).map(str.strip)


@settings(max_examples=20)
@given(st.lists(text, min_size=1, max_size=5), text)
def test_every_value_is_escaped_and_reads_back_as_it_was(scratch, values, title):
    schema = {"fields": [{"name": "v", "type": "string"}]}
    pkg = write_package(scratch / "p", {"t": (schema, csv_text(["v"], [[v] for v in values]))}, title=title or "x")
    out = build_site(scratch / "site", [Release("1.0.0", pkg)]).out
    page = out / "1.0.0" / "data" / "t.html"
    assert [r[0] for r in cells(page)] == [v or "" for v in values]
    if title:
        home = (out / "index.html").read_text(encoding="utf-8")
        assert html.unescape(re.search(r"<h1>(.*?)</h1>", home, re.S).group(1)) == title


def _with_pictures(tmp_path: Path) -> Path:
    """A small package shipping two SVG pictures, and a link among them that leads out of the package."""
    pkg = write_package(tmp_path / "p", {"t": ({"fields": [{"name": "id", "type": "string"}]}, "id\nx\n")})
    (pkg.parent / "pictures").mkdir()
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="{}" height="20"/></svg>'
    for name, w in (("b-second.svg", 10), ("a-first.svg", 30)):
        (pkg.parent / "pictures" / name).write_text(svg.format(w), encoding="utf-8")
    (tmp_path / "secret.svg").write_text("<svg>outside</svg>", encoding="utf-8")
    (pkg.parent / "pictures" / "c-link.svg").symlink_to(tmp_path / "secret.svg")
    return pkg


def test_a_packages_pictures_are_copied_byte_for_byte_and_shown_on_home_and_release_pages(tmp_path):
    pkg = _with_pictures(tmp_path)
    out = build_site(tmp_path / "site", [Release("1.0.0", pkg)]).out
    shipped = sorted((out / "1.0.0" / "pictures").iterdir())
    assert [p.name for p in shipped] == ["a-first.svg", "b-second.svg"]  # the link out of the package is not
    for p in shipped:
        assert p.read_bytes() == (pkg.parent / "pictures" / p.name).read_bytes()
    home = (out / "index.html").read_text(encoding="utf-8")
    release = (out / "1.0.0" / "index.html").read_text(encoding="utf-8")
    shown = ["1.0.0/pictures/a-first.svg", "1.0.0/pictures/b-second.svg"]
    assert re.findall(r'<img src="([^"]+)"', home) == shown
    assert re.findall(r'<img src="([^"]+)"', release) == ["../" + p for p in shown]
    written = [p.read_text(encoding="utf-8") for p in out.rglob("*.*") if p.suffix in {".html", ".svg"}]
    assert not any("outside" in text for text in written)


def test_a_package_without_pictures_gets_no_pictures_section(tmp_path):
    pkg = write_package(tmp_path / "p", {"t": ({"fields": [{"name": "id", "type": "string"}]}, "id\nx\n")})
    out = build_site(tmp_path / "site", [Release("1.0.0", pkg)]).out
    assert 'id="pictures"' not in (out / "index.html").read_text(encoding="utf-8")
    assert not (out / "1.0.0" / "pictures").exists()
