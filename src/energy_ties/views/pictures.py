"""Two pictures of the story, drawn from the views: a timeline of every event, and who met or dealt with whom.

Rendered to SVG by matplotlib (the ``plot`` extra), offline and
deterministically: fonts are the DejaVu Sans matplotlib ships, text stays text
(``svg.fonttype = none``, so labels can be searched), ids are salted with a
fixed string and the metadata carries no date, so the same tables give the same
bytes. ``energy-ties pictures --write`` writes them; ``energy-ties pictures``
checks that the committed ones are current, as ``docs`` checks the dictionary.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from ..dataset.profile import PICTURES as RELEASED
from ..errors import require_extra
from .base import Tables, names, text
from .records import events
from .story import network

#: The pictures, by file name: those the dataset profile names, which a release carries.
PICTURES = tuple(path.removeprefix("pictures/") for path in RELEASED)
_STYLE = {
    "svg.hashsalt": "energy-ties",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.unicode_minus": False,
}
_TIERS = {
    "0": "year known",
    "1": "month and day given, year not given",
    "2": "placed relative to the article's publication (its date is not known)",
    "3": "no date given",
}
_SOURCE_COLOURS = ["#1b6ca8", "#c0392b", "#27864a", "#7d3c98", "#b9770e"]
_MARKERS = {"occurred": "o", "planned": "^", "reported-as-planned": "v", "contested": "X", "unspecified": "s"}
_KIND_COLOURS = {"person": "#1b6ca8", "country": "#c0392b", "organisation": "#27864a", "company": "#b9770e"}


def _figure(width: float, height: float) -> Any:
    mpl = require_extra("matplotlib", "plot")
    from matplotlib.figure import Figure

    _bundled_font(mpl)
    mpl.rcParams.update(_STYLE)
    return Figure(figsize=(width, height))


def _bundled_font(mpl: Any) -> None:
    """Make "DejaVu Sans" mean the copy matplotlib ships: a system copy of another version would measure
    text differently, and the same data would no longer give the same bytes on another machine."""
    from matplotlib import font_manager as fm

    data = Path(mpl.get_data_path()).resolve()
    fonts = fm.fontManager.ttflist
    kept = [f for f in fonts if f.name != "DejaVu Sans" or data in Path(f.fname).resolve().parents]
    if len(kept) != len(fonts):
        fm.fontManager.ttflist = kept
        cached = getattr(fm.fontManager, "_findfont_cached", None)  # lookups made before name other files
        if cached is not None:
            cached.cache_clear()


def _svg(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "energy-ties"})
    return buffer.getvalue()


def _when(row: Any) -> str:
    """The date column of the timeline: the date as given, its anchor, or nothing."""
    if isinstance(row.start, str):
        shown = row.start.replace("XXXX", "year ?")
        return shown + (f" ({row.start_anchor})" if isinstance(row.start_anchor, str) else "")
    return row.start_anchor if isinstance(row.start_anchor, str) else ""


def timeline_svg(t: Tables) -> bytes:
    """Every event, one line each in timeline order, banded by how much of its date is known; the marker's
    colour is the article dating it (or evidencing it, if undated), its shape the event's status."""
    ev = events(t).sort_values(["sort_key", "event"], kind="stable").reset_index(drop=True)
    sources = sorted(set(text(t["sources"]["id"])))
    colour = {s: _SOURCE_COLOURS[i % len(_SOURCE_COLOURS)] for i, s in enumerate(sources)}
    fig = _figure(13, 1.2 + 0.3 * (len(ev) + 2 * len(_TIERS)))
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.93))
    ax.set_axis_off()
    y, tier = 0.0, None
    for row in ev.itertuples():
        if row.sort_key[0] != tier:
            tier = row.sort_key[0]
            y -= 1.4
            ax.text(0, y, _TIERS[tier], fontsize=10, fontweight="bold", va="center")
            y -= 1.0
        source = row.start_source if isinstance(row.start_source, str) else str(row.sources).split("; ")[0]
        ax.scatter([0.3], [y], s=40, marker=_MARKERS.get(str(row.status), "D"), color=colour.get(source, "#555555"))
        ax.text(0.6, y, _when(row), va="center", fontsize=8, color="#444444")
        status = "" if str(row.status) == "occurred" else f"  [{row.status}]"
        ax.text(3.4, y, f"{row.label}{status}", va="center")
        y -= 1.0
    ax.set_xlim(0, 14)
    ax.set_ylim(y - 0.5, 0.5)
    handles = [ax.scatter([], [], color=colour[s], marker="o", label=s.removeprefix("source:")) for s in sources]
    handles += [ax.scatter([], [], color="#555555", marker=m, label=f"status {k}") for k, m in _MARKERS.items()]
    ax.legend(handles=handles, loc="upper right", fontsize=8, frameon=False, ncol=2)
    fig.suptitle(
        "Energy ties: every event the three articles report, in the order their dates allow", x=0.01, ha="left"
    )
    return _svg(fig)


def _circle_order(pairs: pd.DataFrame, event_sources: dict[str, str]) -> list[str]:
    """Entities around the circle, each story together: grouped by the article that evidences most of their
    events, and within a group by how connected they are (then by id)."""
    seen: dict[str, list[str]] = {}
    for a, b, ids in zip(pairs["entity_a"], pairs["entity_b"], pairs["event_ids"]):
        for e in (a, b):
            seen.setdefault(e, []).extend(str(ids).split("; "))
    story: dict[str, str] = {}
    for e, ids in seen.items():
        counts = Counter(str(event_sources.get(i, "")).split("; ")[0] for i in set(ids))
        story[e] = min(counts, key=lambda s: (-counts[s], s))
    return sorted(seen, key=lambda e: (story[e], -len(set(seen[e])), e))


def network_svg(t: Tables) -> bytes:
    """Who met or dealt with whom: entities on a circle (colour by kind), a line for each pair that took part
    in the same events, as thick as the number of those events."""
    pairs = network(t)
    ev = events(t)
    order = _circle_order(pairs, dict(zip(ev["event"], ev["sources"].fillna(""))))
    at = {
        e: (math.cos(2 * math.pi * i / len(order)), math.sin(2 * math.pi * i / len(order))) for i, e in enumerate(order)
    }
    kinds = dict(zip(text(t["entities"]["id"]), text(t["entities"]["kind"])))
    fig = _figure(12, 12)
    ax = fig.add_axes((0.12, 0.1, 0.76, 0.8))
    ax.set_axis_off()
    ax.set_aspect("equal")
    for row in pairs.itertuples():
        (xa, ya), (xb, yb) = at[row.entity_a], at[row.entity_b]
        ax.plot([xa, xb], [ya, yb], color="#888888", linewidth=0.8 * int(row.events), alpha=0.6, zorder=1)
    by_name = names(t)
    for e, (x, y) in at.items():
        ax.scatter([x], [y], s=120, color=_KIND_COLOURS.get(kinds.get(e, ""), "#555555"), zorder=2)
        angle = math.degrees(math.atan2(y, x))
        flip = 90 < angle % 360 < 270
        ax.text(
            1.08 * x, 1.08 * y, by_name.get(e, e), rotation=angle + (180 if flip else 0), rotation_mode="anchor",
            ha="right" if flip else "left", va="center", fontsize=9,
        )  # fmt: skip
    handles = [ax.scatter([], [], color=c, label=k) for k, c in _KIND_COLOURS.items()]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(-0.15, -0.12), frameon=False)
    ax.set_xlim(-1.6, 1.6)
    ax.set_ylim(-1.6, 1.6)
    fig.suptitle("Who met or dealt with whom: a line joins two parties to the same events (thicker: more events)")
    return _svg(fig)


def pictures(t: Tables) -> dict[str, bytes]:
    """Both pictures, by file name."""
    return {"timeline.svg": timeline_svg(t), "network.svg": network_svg(t)}
