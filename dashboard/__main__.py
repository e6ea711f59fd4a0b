"""The command line: `python -m dashboard COMMAND` (also installed as `atlas`).

Every command prints one line per problem and exits 1 on bad input, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from dashboard.errors import AtlasError, InvalidFile
from dashboard.formats import FORMATS
from dashboard.formats.writers import WRITE_FORMATS


def _add_filter_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filters (repeat an option or separate values by commas)")
    for name, help in (
        ("actor", "actor or umbrella group, e.g. 'Kataib Hezbollah'"),
        ("side", "actor side, e.g. 'Iran-aligned militia'"),
        ("type", "event type, e.g. attack, airstrike"),
        ("weapon", "weapon, e.g. drone"),
        ("country", "ISO2 country code, e.g. IQ"),
        ("site", "gazetteer site id, e.g. ain-al-asad"),
    ):
        group.add_argument(f"--{name}", action="append", default=[], help=help)
    group.add_argument("--start", help="first day, YYYY-MM-DD")
    group.add_argument("--end", help="last day, YYYY-MM-DD")


def _add_progress_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--progress",
        choices=("auto", "always", "never"),
        default="auto",
        help="a progress line on stderr while reading and validating (auto: when stderr is a "
        "terminal)",
    )


class ProgressLine:
    """progress(stage, done, total) as one line on stderr, rewritten in place."""

    def __init__(self, name: str, enabled: bool):
        self.name, self.enabled, self.shown, self.last = name, enabled, False, 0.0

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.2 and done != total):
            return
        self.last = now
        amount = f"{100 * done // total}%" if total else f"{done:,}"
        sys.stderr.write(f"\r{self.name}: {stage} {amount}\033[K")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _progress(args: argparse.Namespace) -> ProgressLine:
    enabled = args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty())
    return ProgressLine(str(args.file), enabled)


def _read(args: argparse.Namespace):
    from dashboard.formats import read_incidents

    progress = _progress(args)
    try:
        return read_incidents(args.file, format=args.format, progress=progress)
    finally:
        progress.close()


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
    _add_progress_option(validate)

    imp = commands.add_parser(
        "import",
        help="import a file into the store as one batch (all or nothing)",
        description="Validate a file and import it into the store as one batch. If anything "
        "is wrong nothing is imported.",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--format", choices=FORMATS, default="auto")
    imp.add_argument("--db", help="SQLAlchemy URL of the store (default: the local SQLite store)")
    _add_progress_option(imp)

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
        "--no-formula-escape",
        dest="formula_escape",
        action="store_false",
        help="CSV: write text exactly as stored. By default text cells starting with =, +, -, "
        "@, tab or CR get a leading ' so a spreadsheet does not run them as formulas; use this "
        "for files you will import back into Incident Atlas",
    )
    export.add_argument("--db", help="SQLAlchemy URL of the store (default: the local store)")
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
        incidents = _read(args)
        print(f"{args.file}: valid, {len(incidents)} incident{'s' if len(incidents) != 1 else ''}")
        return 0
    if args.command == "import":
        from dashboard.store import Store

        # The file is read and validated before the store is opened: a bad file leaves the
        # store untouched, byte for byte.
        incidents = _read(args)
        store = Store(args.db)
        store.ensure_seeded()
        batch = store.import_incidents(
            incidents, name=args.file.name, source_file=str(args.file), format=args.format
        )
        print(f"imported {batch.rows} incidents from {args.file} as batch {batch.batch_id}")
        return 0
    if args.command == "export":
        from dashboard.filters import Filters
        from dashboard.formats.writers import write_incidents
        from dashboard.store import Store

        query = {
            k: getattr(args, k)
            for k in ("actor", "side", "type", "weapon", "country", "site", "start", "end")
        }
        filters = Filters.from_query({k: v for k, v in query.items() if v})
        store = Store(args.db)
        store.ensure_seeded()
        selected = filters.apply(store.incidents())
        write_incidents(selected, args.output, args.format, formula_escape=args.formula_escape)
        print(f"wrote {filters.describe(selected)} to {args.output}")
        return 0
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
    except OSError as error:
        print(f"{error.filename or args.command}: {error.strerror or error}", file=sys.stderr)
        return 1
    except MemoryError:
        print(
            f"atlas {args.command}: out of memory; lower ATLAS_MAX_ROWS or split the file",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print(f"atlas {args.command}: interrupted; nothing was changed", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the promise is one line, never a traceback
        print(
            f"atlas {args.command}: unexpected {type(error).__name__}: {error}. This is a bug in "
            "Incident Atlas: please report it with the command and the file",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
