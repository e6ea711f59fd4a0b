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

DUPLICATE_CHOICES = ("import", "attach")


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


def _add_progress_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--progress",
        choices=("auto", "always", "never"),
        default="auto",
        help="a progress line on stderr while reading and validating (auto: when stderr is a "
        "terminal)",
    )


def _progress(args: argparse.Namespace):
    from dashboard.progress import ProgressLine

    mode = getattr(args, "progress", "auto")
    # A progress line is for a person at a terminal; logs and pipes get it only when asked.
    return ProgressLine(enabled=mode == "always" or (mode == "auto" and sys.stderr.isatty()))


def _read(args: argparse.Namespace):
    from dashboard.formats import read_incidents

    progress = _progress(args)
    try:
        return read_incidents(args.file, format=args.format, progress=progress)
    finally:
        progress.finish()


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
        "is wrong nothing is imported. Progress goes to stderr. Works while the app is "
        "running on the same store. Rows that likely report incidents already stored (same "
        "site or within 5-10 km, same day within the time precision, compatible sides and "
        "types) are listed, one line each, before the closing line.",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--format", choices=FORMATS, default="auto")
    imp.add_argument("--db", help="SQLAlchemy URL of the store (default: the local SQLite store)")
    _add_progress_option(imp)
    imp.add_argument(
        "--duplicates",
        choices=DUPLICATE_CHOICES,
        default="import",
        help="what to do with likely duplicates of stored incidents: 'import' them as new "
        "incidents anyway (default: an unattended command never merges on a likely match), "
        "or 'attach' them as sources of the stored incidents they match",
    )

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
    export.add_argument(
        "--no-formula-escape",
        dest="formula_escape",
        action="store_false",
        help="CSV: write text exactly as stored. By default text cells starting with =, +, -, "
        "@, tab or CR get a leading ' so a spreadsheet does not run them as formulas; use this "
        "for files you will import back into Incident Atlas",
    )
    _add_filter_options(export)

    batches = commands.add_parser(
        "batches",
        help="list, remove, restore or purge imported batches; re-seed the curated set",
        description="list: the batches in the store, and those in the trash. "
        "remove ID: move a batch to the trash (asks for confirmation unless --yes); its "
        "incidents leave the dashboard until 'restore ID' brings them back. "
        "purge ID: delete a removed batch and its incidents for good (asks unless --yes). "
        "reseed: bring the curated incidents (data/incidents.csv) back if they are missing.",
    )
    batches.add_argument("action", choices=("list", "remove", "restore", "purge", "reseed"))
    batches.add_argument(
        "batch_id", nargs="?", type=int, help="the batch (see: atlas batches list)"
    )
    batches.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
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


def _validate(args: argparse.Namespace) -> int:
    incidents = _read(args)
    print(f"{args.file}: valid, {len(incidents)} incident{'s' if len(incidents) != 1 else ''}")
    return 0


def _refuse_when_read_only(action: str) -> None:
    from dashboard import settings
    from dashboard.errors import ReadOnlyDeployment

    if settings.read_only():
        raise ReadOnlyDeployment(action)


def _import(args: argparse.Namespace) -> int:
    from dashboard.datasource import DataSource
    from dashboard.dedupe import find_duplicates, split_duplicates
    from dashboard.store import open_store
    from dashboard.store.arrow import importable

    _refuse_when_read_only("import")
    # The file is read and validated before the store is opened: a bad file leaves the store
    # untouched, byte for byte.
    incidents = importable(_read(args))
    store = open_store(args.db)
    progress = _progress(args)
    try:
        progress("looking for incidents already stored", 0, None)
        duplicates = find_duplicates(incidents, DataSource(args.db or "").engine(server=False))
        new, attach = incidents, None
        if args.duplicates == "attach" and len(duplicates):
            new, attach = split_duplicates(incidents, duplicates)
        batch = store.import_incidents(
            new, name=args.file.name, source_file=str(args.file), format=args.format,
            progress=progress, attach=attach,
        )  # fmt: skip
    finally:
        progress.finish()
    for line in duplicates.lines(str(args.file)):
        print(line)
    words = batch.contents(separators=False)
    print(f"imported {words} from {args.file} as batch {batch.batch_id}")
    if len(duplicates) and args.duplicates == "import":
        print(
            f"{len(duplicates)} of them likely duplicate stored incidents (listed above); "
            f"to add them as sources instead: atlas batches remove {batch.batch_id}, then "
            f"atlas import {args.file} --duplicates attach"
        )
    return 0


def _geocode(args: argparse.Namespace) -> int:
    from dashboard.geocoding import geocode_csv

    print(geocode_csv(args.input, args.output))
    return 0


def _extract(args: argparse.Namespace) -> int:
    from dashboard.ingest import extract_file

    count = extract_file(args.article, args.output, published=args.published)
    print(f"wrote {count} candidate incidents to {args.output}")
    return 0


def _confirm(question: str, assume_yes: bool) -> bool:
    if assume_yes:
        return True
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    try:
        answer = input()
    except EOFError:  # no terminal and nothing piped in: no consent
        answer = ""
    return answer.strip().lower() in ("y", "yes")


def _format_batches(store) -> str:
    curated = store.curated_batch_id()
    lines = []
    for removed in (False, True):
        frame = store.batches(removed=removed)
        if removed and not frame.empty:
            lines.append(
                "In the trash (restore: atlas batches restore ID; delete for good: "
                "atlas batches purge ID):"
            )
        for row in frame.itertuples(index=False):
            when = f"removed {row.removed_at:%Y-%m-%d %H:%M}" if removed else ""
            mark = " (curated)" if row.batch_id == curated else ""
            lines.append(
                f"{row.batch_id:>6}  {row.rows:>10,} incidents{_attached(row)}  imported "
                f"{row.imported_at:%Y-%m-%d %H:%M} UTC  {row.name}{mark}  {when}".rstrip()
            )
    return "\n".join(lines) if lines else "No batches in the store."


def _attached(row) -> str:
    """' + 2 sources of stored incidents' for a batch that attached sources."""
    count = getattr(row, "attached", None)
    if count is None or count != count or not count:  # None, NaN (older batches) or 0
        return ""
    return f" + {int(count):,} source{'s' if count != 1 else ''} of stored incidents"


def _batches(args: argparse.Namespace) -> int:
    from dashboard.store import open_store

    if args.action != "list":
        _refuse_when_read_only(f"{args.action} batches")
    store = open_store(args.db)
    if args.action == "list":
        print(_format_batches(store))
        return 0
    if args.action == "reseed":
        outcome, batch = store.reseed()
        print(
            {
                "present": f"the curated incidents are already in the store: {batch.describe()}",
                "restored": f"restored the curated {batch.describe()} from the trash",
                "imported": f"imported the curated incidents as {batch.describe()}",
            }[outcome]
        )
        return 0
    if args.batch_id is None:
        print(f"atlas batches {args.action}: give the batch id (see: atlas batches list)")
        return 1
    return BATCH_ACTIONS[args.action](store, args)


def _remove(store, args: argparse.Namespace) -> int:
    batch = store.batch(args.batch_id)
    question = (
        f"Remove {batch.describe()}? Its incidents leave the dashboard; it stays in the trash "
        f"and 'atlas batches restore {batch.batch_id}' brings it back until it is purged."
    )
    if not _confirm(question, args.yes):
        print("nothing removed (answer y, or pass --yes)", file=sys.stderr)
        return 1
    store.remove_batch(batch.batch_id)
    print(f"removed {batch.describe()} to the trash; undo: atlas batches restore {batch.batch_id}")
    return 0


def _restore(store, args: argparse.Namespace) -> int:
    batch = store.batch(args.batch_id)
    store.restore_batch(batch.batch_id)
    print(f"restored {batch.describe()}")
    return 0


def _purge(store, args: argparse.Namespace) -> int:
    from dashboard.store.store import not_in_trash

    batch = store.batch(args.batch_id)
    if not batch.removed:  # say so before asking
        raise not_in_trash(batch)
    question = f"Delete {batch.describe()} for good? This cannot be undone."
    if not _confirm(question, args.yes):
        print("nothing purged (answer y, or pass --yes)", file=sys.stderr)
        return 1
    store.purge_batch(batch.batch_id)
    print(f"purged {batch.describe()}")
    return 0


BATCH_ACTIONS = {"remove": _remove, "restore": _restore, "purge": _purge}


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
    write_incidents(selected, args.output, args.format, formula_escape=args.formula_escape)
    span = engine.span(filters)
    words = filters.describe(count=len(selected), span=span, vocab=engine.vocabulary)
    print(f"wrote {words} to {args.output}")
    return 0


COMMANDS = {
    "validate": _validate,
    "import": _import,
    "batches": _batches,
    "export": _export,
    "geocode": _geocode,
    "extract": _extract,
}


def run(args: argparse.Namespace) -> int:
    return COMMANDS[args.command](args)


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
