"""Baseline (b) as first written, kept to show what it cost: one COPY per session, each decimal
built as a 'digits.digits' string and cast, each written file read again to count its rows.
Same rows and types as duckdb_quotes.py (the bench checks). Usage: IN_DIR OUT_DIR"""
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
        whole = last - first + 1 - scale
        return f"(substr(line, {first}, {whole}) || '.' || substr(line, {first + whole}, {scale}))::DECIMAL({last - first + 1},{scale}) AS {name}"
    if kind == "text?":
        return f"nullif(rtrim({s}), '') AS {name}"
    return f"rtrim({s}) AS {name}"


def main(in_dir: str, out_dir: str) -> None:
    con = duckdb.connect()
    select = ", ".join(expression(*c) for c in COLUMNS)
    rows = 0
    files = sorted(f for f in os.listdir(in_dir) if f.startswith("COTAHIST_D") and f.endswith(".TXT"))
    for f in files:
        src = os.path.join(in_dir, f).replace("'", "''")
        d = f[10:18]
        session = f"{d[4:]}-{d[2:4]}-{d[:2]}"
        out = os.path.join(out_dir, "raw", "quotes", f"dt={session}", "cotahist.parquet")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        con.execute(
            f"""COPY (SELECT {select} FROM read_csv('{src}', columns = {{'line': 'VARCHAR'}}, header = false,
                      delim = '\\x01', quote = '', escape = '', encoding = 'latin-1') WHERE substr(line, 1, 2) = '01')
                TO '{out}' (FORMAT parquet, COMPRESSION snappy)"""
        )
        rows += con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()[0]
    print(json.dumps({"sessions": len(files), "rows": rows}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
