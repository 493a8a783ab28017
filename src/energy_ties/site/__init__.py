"""The release site: a static site of every release of a data package, its tables, its diffs and its records.

Generic: it reads any package the library reads. A dataset profile that also
offers ``pages(pkg, texts)`` (as the energy-ties profile does) adds its record
pages; the site never imports a profile.
"""

from .build import Release, build_site, releases_from

__all__ = ["Release", "build_site", "releases_from"]
