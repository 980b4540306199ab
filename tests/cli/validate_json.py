#!/usr/bin/env python3
"""Validates the JSON outputs of tally against the schemas of docs/json/.

    validate_json.py SCHEMA_DIR RECORD_DIR      the records of a CLI test
    validate_json.py SCHEMA_DIR --schema NAME FILE...   files against one schema
    validate_json.py SCHEMA_DIR --check-schemas         the schemas themselves

A record is N.args (the arguments of one tally run, NUL-separated) and N.out
(its standard output). The command path (`invoice list`) is read from the
arguments once the global options are set aside, and names the schema:
docs/json/invoice-list.schema.json. A run whose command has no schema is a
failure, so that a new command cannot print JSON nobody described.
Prints one line per failure and exits 1 if there was any.
"""
import json
import os
import sys

import jsonschema

# The global options of CLI.md (accepted before or after the command): those
# that take a value, and the flags.
GLOBAL_VALUE = {"--db", "--as-of", "--format", "--grid", "--color", "-o", "--output"}
GLOBAL_FLAG = {"--dry-run", "-q", "--quiet", "--no-color", "--force"}
# Commands that print their document itself (not a JSON report) on standard
# output unless -o/--output/--dir names a file.
RAW_ON_STDOUT = {"export-fec", "export-journal", "completion"}
# `export json` prints the export document itself, whatever --format says;
# with -o FILE it prints the summary of the file written, as the other exports:
# the schema of that summary, by command.
FILE_SUMMARY = {"export-fec": "export-file", "export-journal": "export-file", "export-json": "export-json-file"}


def load_schemas(schema_dir):
    schemas = {}
    for name in sorted(os.listdir(schema_dir)):
        if name.endswith(".schema.json"):
            with open(os.path.join(schema_dir, name), encoding="utf-8") as f:
                schemas[name[: -len(".schema.json")]] = json.load(f)
    return schemas


def check_schemas(schemas):
    """Each schema is valid draft 2020-12, its $id names its file, and every
    $ref in it resolves. Returns the failures."""
    failures = []
    cls = jsonschema.Draft202012Validator
    by_id = {s.get("$id"): s for s in schemas.values()}
    for name, schema in sorted(schemas.items()):
        try:
            cls.check_schema(schema)
        except jsonschema.exceptions.SchemaError as e:
            failures.append("{}: not a valid schema: {}".format(name, e.message))
            continue
        if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
            failures.append("{}: $schema is not draft 2020-12".format(name))
        if not schema.get("$id", "").endswith("/" + name + ".schema.json"):
            failures.append("{}: $id does not name its file".format(name))
        refs = []

        def walk(node):
            if isinstance(node, dict):
                if isinstance(node.get("$ref"), str):
                    refs.append(node["$ref"])
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)

        walk(schema)
        resolver = jsonschema.RefResolver.from_schema(schema, store=by_id)
        for ref in refs:
            try:
                resolver.resolve(ref)
            except Exception as e:  # RefResolutionError, or a pointer that names nothing
                failures.append("{}: $ref {} does not resolve: {}".format(name, ref, e))
    return failures


def make_validator(schemas):
    """A function (schema name, document) -> list of error messages."""
    cls = jsonschema.Draft202012Validator
    by_id = {s["$id"]: s for s in schemas.values() if "$id" in s}
    try:  # jsonschema >= 4.18: the referencing registry
        from referencing import Registry, Resource

        registry = Registry().with_resources(
            (uri, Resource.from_contents(s)) for uri, s in by_id.items())

        def validator(schema):
            return cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)
    except ImportError:  # Debian 12's 4.10
        def validator(schema):
            resolver = jsonschema.RefResolver.from_schema(schema, store=by_id)
            return cls(schema, resolver=resolver, format_checker=cls.FORMAT_CHECKER)

    cache = {}

    def check(name, doc):
        if name not in cache:
            cls.check_schema(schemas[name])
            cache[name] = validator(schemas[name])
        errors = sorted(cache[name].iter_errors(doc), key=lambda e: list(e.absolute_path))
        return ["{}: {}".format("/".join(str(p) for p in e.absolute_path) or "(document)", e.message)
                for e in errors[:5]]

    return check


def command_of(args, schemas):
    """(schema name or None, the words of the command, whether output is a file summary)."""
    words, options = [], set()
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a in GLOBAL_VALUE:
            options.add(a)
            skip = True
            continue
        if a.startswith("-"):
            options.add(a.split("=", 1)[0])
            continue
        words.append(a)
    # The longest run of leading words that names a schema or a raw command.
    for n in range(min(len(words), 3), 0, -1):
        name = "-".join(words[:n])
        if name in schemas or name in RAW_ON_STDOUT or name in FILE_SUMMARY:
            return name, words[:n], options
    return None, words[:2], options


def main(argv):
    schema_dir = argv[1]
    schemas = load_schemas(schema_dir)
    check = make_validator(schemas)
    failures = []
    if len(argv) > 2 and argv[2] == "--check-schemas":
        import warnings
        warnings.simplefilter("ignore", DeprecationWarning)  # RefResolver, still in jsonschema 4.2x
        failures = check_schemas(schemas)
    elif len(argv) > 3 and argv[2] == "--schema":
        for path in argv[4:]:
            with open(path, encoding="utf-8") as f:
                try:
                    doc = json.load(f)
                except ValueError as e:
                    failures.append("{}: not one JSON document: {}".format(path, e))
                    continue
            failures += ["{} ({}): {}".format(path, argv[3], m) for m in check(argv[3], doc)]
    else:
        record_dir = argv[2]
        runs = sorted(int(n[: -len(".args")]) for n in os.listdir(record_dir) if n.endswith(".args"))
        for n in runs:
            with open(os.path.join(record_dir, "%d.args" % n), "rb") as f:
                args = [a.decode("utf-8", "replace") for a in f.read().split(b"\0")[:-1]]
            with open(os.path.join(record_dir, "%d.out" % n), "rb") as f:
                text = f.read().decode("utf-8", "replace")
            shown = "tally " + " ".join(args)
            if "--help" in args or "-h" in args or "--version" in args:
                continue
            name, words, options = command_of(args, schemas)
            to_file = bool(options & {"-o", "--output", "--dir"})
            if name in FILE_SUMMARY and to_file:
                name = FILE_SUMMARY[name]
            elif name in RAW_ON_STDOUT and not to_file:
                continue
            elif name == "export-json":
                name = "export"
            if name is None or name not in schemas:
                failures.append("{}: no schema docs/json/{}.schema.json for its JSON".format(
                    shown, name or "-".join(words)))
                continue
            try:
                doc = json.loads(text)
            except ValueError as e:
                failures.append("{}: not one JSON document: {}".format(shown, e))
                continue
            failures += ["{} ({}): {}".format(shown, name, m) for m in check(name, doc)]
            if os.environ.get("TALLY_JSON_COVERAGE"):  # which schemas the tests exercise
                with open(os.environ["TALLY_JSON_COVERAGE"], "a", encoding="utf-8") as f:
                    f.write(name + "\n")
    for f in failures:
        print(f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
