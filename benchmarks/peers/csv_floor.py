"""Peer: the floor. Read the table's CSV with the Arrow reader energy-ties uses, with its options (one
thread, 4 MiB blocks, every cell text, ragged rows handed to a callback, a Python file object), and do
nothing else: no validator can be faster than reading its input.

    python benchmarks/peers/csv_floor.py DATAPACKAGE.json
"""

import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv


def main() -> None:
    descriptor = Path(sys.argv[1])
    items = json.loads(descriptor.read_text())["resources"][0]
    names = [f"c{i}" for i in range(len(items["schema"]["fields"]))]
    rows = 0
    with open(descriptor.parent / items["path"], "rb") as raw:
        reader = pacsv.open_csv(
            raw,
            read_options=pacsv.ReadOptions(use_threads=False, block_size=4 << 20, column_names=names),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=lambda row: "skip"
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        for batch in reader:
            rows += batch.num_rows
    print(json.dumps({"rows": rows - 1}))


if __name__ == "__main__":
    main()
