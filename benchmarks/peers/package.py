"""What the peer scripts read of a benchmark package's descriptor: the table, its lookup table, keys."""

import json
from pathlib import Path
from typing import NamedTuple


class Bench(NamedTuple):
    folder: Path
    items: dict
    parent: dict
    fields: list
    pk: list
    fk: dict


def read(descriptor: str) -> Bench:
    pkg = json.loads(Path(descriptor).read_text())
    items, parent = pkg["resources"]
    schema = items["schema"]
    return Bench(
        Path(descriptor).parent, items, parent, schema["fields"], schema["primaryKey"], schema["foreignKeys"][0]
    )
