"""Runs one CustomCode body the way a Glue Studio script runs it, against small stand-ins.

Reads a JSON case on stdin: {"class_name", "code", "parent_key", "columns", "rows", "date_columns"}.
Builds the script Glue Studio generates around a CustomCode node (its imports, the
`def <ClassName>(glueContext, dfc) -> DynamicFrameCollection:` wrapper with the body indented
under it, and the call with a one-frame collection of the parent), parses it with Python's own
parser, executes it, and prints what the body did as JSON: purge_s3_path calls, Parquet paths
read, empty frames created, and what it returned.
"""
import ast
import datetime
import json
import sys
import types

calls = {"purged": [], "read_paths": [], "read_schema": None, "created_empty": None}


class Row(dict):
    pass


class DataFrame:
    def __init__(self, columns, rows):
        self.columns = list(columns)
        self._rows = rows

    def select(self, *cols):
        for c in cols:
            if c not in self.columns:
                raise Exception(f"AnalysisException: cannot resolve '{c}' given input columns {self.columns}")
        return DataFrame(cols, [Row({c: r[c] for c in cols}) for r in self._rows])

    def distinct(self):
        seen, out = set(), []
        for r in self._rows:
            key = tuple(sorted(r.items()))
            if key not in seen:
                seen.add(key)
                out.append(r)
        return DataFrame(self.columns, out)

    def collect(self):
        return list(self._rows)


class DynamicFrame:
    def __init__(self, df, name):
        self._df = df
        self.name = name

    def toDF(self):
        return self._df

    @staticmethod
    def fromDF(df, glue_context, name):
        return DynamicFrame(df, name)


class DynamicFrameCollection:
    def __init__(self, frames, glue_context):
        self._frames = dict(frames)

    def keys(self):
        return self._frames.keys()

    def select(self, key):
        return self._frames[key]


class Reader:
    def __init__(self):
        self._schema = None

    def schema(self, schema):
        self._schema = schema
        return self

    def parquet(self, *paths):
        calls["read_paths"].extend(paths)
        calls["read_schema"] = [f.name for f in self._schema.fields] if self._schema else None
        return DataFrame(calls["read_schema"] or [], [])


class Session:
    @property
    def read(self):
        return Reader()

    def createDataFrame(self, data, schema):
        calls["created_empty"] = {"rows": len(data), "fields": [[f.name, type(f.dataType).__name__, f.nullable] for f in schema.fields]}
        return DataFrame([f.name for f in schema.fields], [])


class GlueContext:
    spark_session = Session()

    def purge_s3_path(self, path, options):
        calls["purged"].append([path, options])


def install_stand_in_modules():
    sql_types = types.ModuleType("pyspark.sql.types")

    class DataType:
        def __init__(self):
            pass

    for name in ["StringType", "DateType", "LongType", "DoubleType", "TimestampType", "IntegerType"]:
        setattr(sql_types, name, type(name, (DataType,), {}))

    class DecimalType(DataType):
        # pyspark's signature: DecimalType(precision=10, scale=0)
        def __init__(self, precision=10, scale=0):
            self.precision, self.scale = precision, scale

    sql_types.DecimalType = DecimalType

    class StructField:
        def __init__(self, name, data_type, nullable=True):
            self.name, self.dataType, self.nullable = name, data_type, nullable

    class StructType:
        def __init__(self, fields):
            self.fields = list(fields)

    sql_types.StructField, sql_types.StructType = StructField, StructType
    dynamicframe = types.ModuleType("awsglue.dynamicframe")
    dynamicframe.DynamicFrame, dynamicframe.DynamicFrameCollection = DynamicFrame, DynamicFrameCollection
    for name, module in {
        "pyspark": types.ModuleType("pyspark"),
        "pyspark.sql": types.ModuleType("pyspark.sql"),
        "pyspark.sql.types": sql_types,
        "awsglue": types.ModuleType("awsglue"),
        "awsglue.dynamicframe": dynamicframe,
    }.items():
        sys.modules[name] = module


def main():
    case = json.load(sys.stdin)
    install_stand_in_modules()
    body = "\n".join(("    " + line) if line.strip() else "" for line in case["code"].rstrip("\n").split("\n"))
    script = (
        "from awsglue.dynamicframe import DynamicFrameCollection\n"
        "from awsglue.dynamicframe import DynamicFrame\n\n"
        f"def {case['class_name']}(glueContext, dfc) -> DynamicFrameCollection:\n{body}\n\n"
        f"result = {case['class_name']}(glueContext, DynamicFrameCollection({{{json.dumps(case['parent_key'])}: parent}}, glueContext))\n"
    )
    ast.parse(script)  # a SyntaxError fails the case before anything runs
    rows = []
    for r in case["rows"]:
        row = Row(r)
        for c in case.get("date_columns", []):
            row[c] = datetime.date.fromisoformat(r[c])
        rows.append(row)
    parent = DynamicFrame(DataFrame(case["columns"], rows), case["parent_key"])
    scope = {"glueContext": GlueContext(), "parent": parent}
    exec(compile(script, f"<glue studio script for {case['class_name']}>", "exec"), scope)
    result = scope["result"]
    out = dict(calls)
    out["returned"] = type(result).__name__
    if isinstance(result, DynamicFrameCollection):
        out["keys"] = list(result.keys())
        first = result.select(list(result.keys())[0])
        out["first_is_parent"] = first is parent
        out["first_columns"] = first.toDF().columns
    print(json.dumps(out))


main()
