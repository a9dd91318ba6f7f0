"""Baseline (a): the peers' shape. pandas read_fwf over each session's text, pyarrow types, one
snappy Parquet per session with the same columns and types as ours. Usage: IN_DIR OUT_DIR"""
import json
import os
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from quotes_layout import COLUMNS


def decimal_array(digits: pd.Series, precision: int, scale: int) -> pa.Array:
    # The digits are the unscaled value: lay them out as little-endian int128 (non-negative).
    unscaled = digits.astype("int64").to_numpy()
    words = np.zeros((len(unscaled), 2), dtype="<i8")
    words[:, 0] = unscaled
    return pa.Array.from_buffers(pa.decimal128(precision, scale), len(unscaled), [None, pa.py_buffer(words.tobytes())])


def to_arrow(df: pd.DataFrame) -> pa.Table:
    arrays = []
    for name, first, last, kind, scale in COLUMNS:
        col = df[name]
        if kind == "date":
            arrays.append(pc.strptime(pa.array(col), format="%Y%m%d", unit="s").cast(pa.date32()))
        elif kind == "int":
            arrays.append(pa.array(col.astype("int32")))
        elif kind == "bigint":
            arrays.append(pa.array(col.astype("int64")))
        elif kind == "decimal":
            arrays.append(decimal_array(col, last - first + 1, scale))
        else:
            stripped = col.fillna("").str.rstrip()
            arrays.append(pa.array(stripped.where(stripped != "", None) if kind == "text?" else stripped, pa.string()))
    return pa.Table.from_arrays(arrays, names=[c[0] for c in COLUMNS])


def main(in_dir: str, out_dir: str) -> None:
    colspecs = [(0, 2)] + [(first - 1, last) for _, first, last, _, _ in COLUMNS]
    names = ["tipreg"] + [c[0] for c in COLUMNS]
    rows = 0
    files = sorted(f for f in os.listdir(in_dir) if f.startswith("COTAHIST_D") and f.endswith(".TXT"))
    for f in files:
        df = pd.read_fwf(os.path.join(in_dir, f), colspecs=colspecs, names=names, dtype=str, header=None, encoding="latin-1", delimiter="\0")
        df = df[df["tipreg"] == "01"]
        table = to_arrow(df)
        session = table.column("session_date")[0].as_py().isoformat()
        out = os.path.join(out_dir, "raw", "quotes", f"dt={session}", "cotahist.parquet")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        pq.write_table(table, out, compression="snappy")
        rows += table.num_rows
    print(json.dumps({"sessions": len(files), "rows": rows}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
