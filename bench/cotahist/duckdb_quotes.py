"""Baseline (b): DuckDB SQL, substr over a one-column read_csv of the session texts, written as one
snappy Parquet per session with the same columns and types as ours. Usage: IN_DIR OUT_DIR

One statement reads every session (a glob) and writes a partition per session (PARTITION_BY), as
DuckDB is used at its best; each partition's one file is then renamed to cotahist.parquet. Decimals
are cast from the integer of their digits (exact: BIGINT -> DECIMAL(18,0) times 10^-scale), not by
building a 'digits.digits' string per value: that text round trip, a re-read of each file to count
its rows and one COPY per file made the earlier baseline about twice as slow (bench/cotahist/README.md)."""
import json
import os
import sys

import duckdb

from quotes_layout import COLUMNS


def expression(name: str, first: int, last: int, kind: str, scale: int) -> str:
    s = f"substr(line, {first}, {last - first + 1})"
    if kind == "date":
        return f"strptime({s}, '%Y%m%d')::DATE AS {name}"
    if kind == "int":
        return f"{s}::INTEGER AS {name}"
    if kind == "bigint":
        return f"{s}::BIGINT AS {name}"
    if kind == "decimal":
        return f"({s}::BIGINT::DECIMAL(18, 0) * {10 ** -scale:.{scale}f})::DECIMAL({last - first + 1},{scale}) AS {name}"
    if kind == "text?":
        return f"nullif(rtrim({s}), '') AS {name}"
    return f"rtrim({s}) AS {name}"


def main(in_dir: str, out_dir: str) -> None:
    con = duckdb.connect()
    select = ", ".join(expression(*c) for c in COLUMNS)
    sessions = sorted(f for f in os.listdir(in_dir) if f.startswith("COTAHIST_D") and f.endswith(".TXT"))
    texts = os.path.join(in_dir, "COTAHIST_D*.TXT").replace("'", "''")
    staged = os.path.join(out_dir, "staged")
    os.makedirs(out_dir, exist_ok=True)
    (rows,) = con.execute(
        f"""COPY (SELECT {select}, strftime(session_date, '%Y-%m-%d') AS dt
                  FROM read_csv('{texts}', columns = {{'line': 'VARCHAR'}}, header = false,
                                delim = '\\x01', quote = '', escape = '', encoding = 'latin-1')
                  WHERE substr(line, 1, 2) = '01')
            TO '{staged}' (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (dt))"""
    ).fetchone()
    partitions = sorted(os.listdir(staged))
    if len(partitions) != len(sessions):
        raise SystemExit(f"bench: DuckDB wrote {len(partitions)} partitions, got {len(sessions)} sessions")
    for partition in partitions:
        files = os.listdir(os.path.join(staged, partition))
        if len(files) != 1:
            raise SystemExit(f"bench: one file per session, got {files} in {partition}")
        out = os.path.join(out_dir, "raw", "quotes", partition, "cotahist.parquet")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        os.rename(os.path.join(staged, partition, files[0]), out)
        os.rmdir(os.path.join(staged, partition))
    os.rmdir(staged)
    print(json.dumps({"sessions": len(sessions), "rows": rows}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
