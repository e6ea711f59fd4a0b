"""The command line: `python -m dashboard COMMAND` (also installed as `atlas`).

Every command prints one line per problem and exits 1 on bad input, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.errors import AtlasError, InvalidFile
from dashboard.formats import FORMATS
from dashboard.formats.writers import WRITE_FORMATS


def _add_filter_options(parser: argparse.ArgumentParser) -> None:
    """One option per filter URL key, generated from the filter registry (so the CLI, the
    sidebar and shared links accept the same values)."""
    from dashboard.filters import REGISTRY

    group = parser.add_argument_group(
        "filters (the same values as the dashboard's URL; repeat an option or separate values "
        "by commas)"
    )
    for spec in REGISTRY:
        keys = spec.keys or (spec.name,)
        for index, key in enumerate(keys):
            flag = spec.name if len(keys) == 1 else key
            help_text = spec.help if index == 0 else "attacker (default), target or either"
            group.add_argument(
                f"--{flag.replace('_', '-')}", dest=f"filter_{key}", action="append",
                default=[], metavar=key.upper(), help=help_text,
            )  # fmt: skip


def _filters_from_args(args: argparse.Namespace, vocabulary):
    from dashboard.filters import Filters

    params = {
        name.removeprefix("filter_"): value
        for name, value in vars(args).items()
        if name.startswith("filter_") and value
    }
    return Filters.parse(params, vocabulary)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="atlas", description="Incident Atlas: validate, import, export and geocode incidents."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check a file and report every problem",
        description="Check a file. Prints 'FILE: row N, column C: what is wrong' for every "
        "problem (row 1 is the header); exits 0 when valid, 1 when not.",
    )
    validate.add_argument("file", type=Path)
    validate.add_argument("--format", choices=FORMATS, default="auto")

    imp = commands.add_parser(
        "import",
        help="import a file into the store as one batch (all or nothing)",
        description="Validate a file and import it into the store as one batch. If anything "
        "is wrong nothing is imported.",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--format", choices=FORMATS, default="auto")
    imp.add_argument("--db", help="SQLAlchemy URL of the store (default: the local SQLite store)")

    export = commands.add_parser(
        "export",
        help="write the stored incidents (filtered) as CSV, GeoJSON or KML",
        description="Export stored incidents, optionally filtered, as CSV, GeoJSON or KML.",
    )
    export.add_argument(
        "--format",
        choices=WRITE_FORMATS,
        default=None,
        help="default: from the output file's extension",
    )
    export.add_argument("-o", "--output", type=Path, required=True)
    export.add_argument(
        "--db", help="SQLAlchemy URL of a store (default: ATLAS_DATA, else the local store)"
    )
    _add_filter_options(export)

    batches = commands.add_parser("batches", help="list or remove imported batches")
    batches.add_argument("action", choices=("list", "remove"))
    batches.add_argument("batch_id", nargs="?", type=int)
    batches.add_argument("--db", help="SQLAlchemy URL of the store (default: the local store)")

    geocode = commands.add_parser(
        "geocode",
        help="geocode a CSV of place names offline",
        description="INPUT has a 'name' column and optionally 'country' (ISO2). OUTPUT repeats "
        "them and adds latitude, longitude, geo_precision, geo_source, matched_name. Names "
        "that cannot be resolved keep empty coordinates; the command still exits 0.",
    )
    geocode.add_argument("input", type=Path)
    geocode.add_argument("-o", "--output", type=Path, required=True)

    extract = commands.add_parser(
        "extract",
        help="turn a news article into candidate incidents",
        description="Read an article (.txt or .html) and write candidate incidents in the "
        "canonical schema plus 'evidence' (the sentence each came from) and 'confidence'. "
        "Relative dates ('on Monday', 'the following day') are resolved against --published, "
        "or the publication date read from the article.",
    )
    extract.add_argument("article", type=Path)
    extract.add_argument("--published", help="publication date, YYYY-MM-DD")
    extract.add_argument("-o", "--output", type=Path, required=True)
    return parser


def run(args: argparse.Namespace) -> int:
    if args.command == "validate":
        from dashboard.formats import read_incidents

        incidents = read_incidents(args.file, format=args.format)
        print(f"{args.file}: valid, {len(incidents)} incident{'s' if len(incidents) != 1 else ''}")
        return 0
    if args.command == "import":
        from dashboard.store import Store

        store = Store(args.db)
        store.ensure_seeded()
        batch = store.import_file(args.file, format=args.format)
        print(f"imported {batch.rows} incidents from {args.file} as batch {batch.batch_id}")
        return 0
    if args.command == "export":
        return _export(args)
    if args.command == "batches":
        from dashboard.store import Store

        store = Store(args.db)
        store.ensure_seeded()
        if args.action == "list":
            print(store.batches().to_string(index=False))
            return 0
        if args.batch_id is None:
            print("atlas batches remove: give the batch id (see: atlas batches list)")
            return 1
        removed = store.remove_batch(args.batch_id)
        print(f"removed batch {args.batch_id} ({removed} incidents)")
        return 0
    if args.command == "geocode":
        from dashboard.geocoding import geocode_csv

        summary = geocode_csv(args.input, args.output)
        print(summary)
        return 0
    if args.command == "extract":
        from dashboard.ingest import extract_file

        count = extract_file(args.article, args.output, published=args.published)
        print(f"wrote {count} candidate incidents to {args.output}")
        return 0
    raise AssertionError(args.command)


def _export(args: argparse.Namespace) -> int:
    from dashboard.datasource import DataSource
    from dashboard.formats.writers import write_incidents

    engine = (DataSource(args.db) if args.db else DataSource.configured()).engine(server=False)
    filters, problems = _filters_from_args(args, engine.vocabulary)
    if problems:
        for problem in problems:
            print(f"atlas export: --{problem.key.replace('_', '-')} {problem.describe()}",
                  file=sys.stderr)  # fmt: skip
        return 1
    selected = engine.frame(filters)
    write_incidents(selected, args.output, args.format)
    span = engine.span(filters)
    words = filters.describe(count=len(selected), span=span, vocab=engine.vocabulary)
    print(f"wrote {words} to {args.output}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except InvalidFile as error:
        for line in error.lines():
            print(line, file=sys.stderr)
        print(error, file=sys.stderr)
        return 1
    except AtlasError as error:
        print(error, file=sys.stderr)
        return 1
    except FileNotFoundError as error:
        print(f"{error.filename}: no such file", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
