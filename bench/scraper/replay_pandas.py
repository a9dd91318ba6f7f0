"""Baseline for bench/scraper: the replay -> raw Parquet work done the way most peers ship it.

Reads a saved GetPortfolioDay JSON body, converts B3's string values (pt-br or en-us), builds a
pandas DataFrame with the raw contract's columns and types, and writes it with pyarrow (snappy).
Lighter than our code path on purpose: no validation of sums or tickers, and the D-1 session is
the previous weekday (no holiday calendar), so the comparison favours the baseline.

usage: python3 replay_pandas.py BODY.json OUT.parquet
"""
import json
import re
import sys
from datetime import date, datetime, timedelta, timezone

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def number(text, lang, integer):
    # pt-br: 1.481.593.024 / 2,728; en-us: 1,243,177,587 / 2.663
    thousands, decimal = (".", ",") if lang == "pt-br" else (",", ".")
    clean = text.replace(thousands, "").replace(decimal, ".")
    return int(clean) if integer else float(clean)


def main(body_path, out_path):
    with open(body_path, encoding="utf-8") as f:
        body = json.load(f)
    header = body["header"]
    # The header's reductor has both separators; the last one is the decimal mark.
    lang = "en-us" if header["reductor"].rfind(".") > header["reductor"].rfind(",") else "pt-br"
    a, b, yy = header["date"].split("/")
    dd, mm = (b, a) if lang == "en-us" else (a, b)
    portfolio_date = date(2000 + int(yy), int(mm), int(dd))
    session_date = portfolio_date - timedelta(days=1)
    while session_date.weekday() >= 5:
        session_date -= timedelta(days=1)
    rows = body["results"]
    frame = pd.DataFrame(
        {
            "index_code": "IBOV",
            "portfolio_date": portfolio_date,
            "session_date": session_date,
            "ticker": [r["cod"] for r in rows],
            "asset": [r["asset"].strip() for r in rows],
            "share_type": [re.sub(r"\s+", " ", r["type"].strip()) for r in rows],
            "sector": [r["segment"] for r in rows],
            "theoretical_qty": [number(r["theoricalQty"], lang, True) for r in rows],
            "weight_pct": [number(r["part"], lang, False) for r in rows],
            "sector_weight_pct": [number(r["partAcum"], lang, False) for r in rows],
            "total_theoretical_qty": number(header["theoricalQty"], lang, True),
            "reductor": number(header["reductor"], lang, False),
            "source": "json-api",
            "ingested_at": pd.Timestamp(datetime.now(timezone.utc)).floor("ms"),
        }
    )
    schema = pa.schema(
        [
            ("index_code", pa.string()),
            ("portfolio_date", pa.date32()),
            ("session_date", pa.date32()),
            ("ticker", pa.string()),
            ("asset", pa.string()),
            ("share_type", pa.string()),
            ("sector", pa.string()),
            ("theoretical_qty", pa.int64()),
            ("weight_pct", pa.float64()),
            ("sector_weight_pct", pa.float64()),
            ("total_theoretical_qty", pa.int64()),
            ("reductor", pa.float64()),
            ("source", pa.string()),
            ("ingested_at", pa.timestamp("ms", tz="UTC")),
        ]
    )
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    pq.write_table(table, out_path, compression="snappy")
    print(f"IBOV portfolio_date={portfolio_date} session_date={session_date} rows={len(frame)} -> {out_path}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
