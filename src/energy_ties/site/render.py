"""Pages from templates: Jinja2 with autoescaping on for every template, so every value is escaped, and the
files of a site written into one folder (through :mod:`energy_ties.files`), each page with links relative to it.
"""

from __future__ import annotations

from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

from ..errors import EnergyTiesError
from ..files import write_bytes
from .diffpage import change_text
from .inputs import slug

#: The site's own files, copied as they are.
STATIC = ("site.css", "site.js")


def environment() -> Any:
    """The Jinja2 environment of the site's templates (shipped in the wheel beside this module)."""
    try:
        import jinja2
    except ImportError:  # a dependency; only a broken installation lacks it
        raise EnergyTiesError("energy-ties site needs Jinja2: pip install 'jinja2>=3.1'") from None
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("energy_ties.site", "templates"),
        autoescape=True,  # every template, whatever its name: nothing from a package reaches a page unescaped
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["slug"] = slug
    env.filters["json"] = change_text
    return env


class Site:
    """The folder a site is written into; remembers what it wrote (for the build's summary)."""

    def __init__(self, folder: Path, title: str) -> None:
        self.folder = folder
        self.title = title
        self.env = environment()
        self.files = 0
        self.bytes = 0

    def write(self, rel: str, data: bytes) -> None:
        write_bytes(self.folder / rel, data, root=self.folder)
        self.files += 1
        self.bytes += len(data)

    def page(self, rel: str, template: str, **context: Any) -> None:
        """Render ``template`` to the page ``rel`` (a path relative to the site, ``/``-separated)."""
        root = "../" * rel.count("/")
        text = self.env.get_template(template).render(root=root, site_title=self.title, **context)
        self.write(rel, text.encode("utf-8"))

    def static(self) -> None:
        here = importlib_resources.files("energy_ties.site") / "static"
        for name in STATIC:
            self.write(f"static/{name}", (here / name).read_bytes())
