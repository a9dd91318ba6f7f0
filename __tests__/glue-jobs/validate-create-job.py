"""Validates a Glue CreateJob request (JSON on stdin) against botocore's service model.

Prints a JSON report: {"errors": "<botocore report or empty>", "patterns": [...]}.
ParamValidator checks required members, types, enums-as-strings, list and range limits;
it does not check regex patterns, so those are checked here from the same model.
"""
import json
import re
import sys

import botocore.session
from botocore.validate import ParamValidator

model = botocore.session.get_session().get_service_model("glue")
shape = model.operation_model("CreateJob").input_shape
params = json.load(sys.stdin)
report = ParamValidator().validate(params, shape)

pattern_errors = []


def walk(value, s, path):
    if s.type_name == "structure" and isinstance(value, dict):
        for name, member in s.members.items():
            if name in value:
                walk(value[name], member, f"{path}.{name}")
    elif s.type_name == "list" and isinstance(value, list):
        for i, item in enumerate(value):
            walk(item, s.member, f"{path}[{i}]")
    elif s.type_name == "map" and isinstance(value, dict):
        for k, v in value.items():
            walk(k, s.key, f"{path} key {k!r}")
            walk(v, s.value, f"{path}[{k!r}]")
    elif s.type_name == "string" and isinstance(value, str):
        pattern = s.metadata.get("pattern")
        # The model's patterns are Java regexes: a surrogate pair range means astral characters.
        if pattern:
            pattern = pattern.replace("\\uD800\\uDC00-\\uDBFF\\uDFFF", "\\U00010000-\\U0010FFFF")
        if pattern and not re.fullmatch(pattern, value):
            pattern_errors.append(f"{path} does not match {pattern}")
        enum = s.enum
        if enum and value not in enum:
            pattern_errors.append(f"{path} not one of {enum}")


walk(params, shape, "CreateJob")
print(json.dumps({"errors": report.generate_report() if report.has_errors() else "", "patterns": pattern_errors}))
