"""Baseline (a'), for reference: the pandas idiom of the peers' scripts, every file read into one
DataFrame (pd.concat of read_fwf), typed once with pyarrow, then one snappy Parquet per session
(what write_to_dataset's partition_cols does, named as ours so the rows can be compared). Its
peak memory is the 584 MiB the issue measured for pandas; pandas_quotes.py, a file at a time, is
faster and is the goal's baseline. Usage: IN_DIR OUT_DIR"""
import json
import os
import sys

import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pandas_quotes import to_arrow
from quotes_layout import COLUMNS


def main(in_dir: str, out_dir: str) -> None:
    colspecs = [(0, 2)] + [(first - 1, last) for _, first, last, _, _ in COLUMNS]
    names = ["tipreg"] + [c[0] for c in COLUMNS]
    files = sorted(f for f in os.listdir(in_dir) if f.startswith("COTAHIST_D") and f.endswith(".TXT"))
    frames = [pd.read_fwf(os.path.join(in_dir, f), colspecs=colspecs, names=names, dtype=str, header=None, encoding="latin-1", delimiter="\0") for f in files]
    df = pd.concat(frames, ignore_index=True)
    del frames
    df = df[df["tipreg"] == "01"]
    table = to_arrow(df)
    for session in pc.unique(table.column("session_date")).to_pylist():
        out = os.path.join(out_dir, "raw", "quotes", f"dt={session.isoformat()}", "cotahist.parquet")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        pq.write_table(table.filter(pc.equal(table.column("session_date"), session)), out, compression="snappy")
    print(json.dumps({"sessions": len(files), "rows": table.num_rows}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
