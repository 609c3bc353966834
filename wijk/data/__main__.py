"""Command line: `python -m wijk.data build --from DIR` and `python -m wijk.data refresh ...`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wijk.core.i18n import DEFAULT_LANG, LANGUAGES, Message, t, text_of


def _parser() -> argparse.ArgumentParser:
    """The command line: build, refresh (with --check) and import."""
    parser = argparse.ArgumentParser(prog="python -m wijk.data", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    speaks = argparse.ArgumentParser(add_help=False)
    speaks.add_argument(
        "--lang", choices=LANGUAGES, default=DEFAULT_LANG, help=f"language of the messages (default: {DEFAULT_LANG})"
    )
    b = sub.add_parser("build", help="regenerate data/ from the source files")
    b.add_argument("--from", dest="source", required=True, type=Path, help="folder with the source files")
    b.add_argument("--out", type=Path, default=None, help="output folder (default: data/)")
    b.add_argument("--skip-extras", action="store_true", help="figures only: do not rebuild the map geometry")
    r = sub.add_parser("refresh", parents=[speaks], help="fetch KWB figures from CBS into the local store")
    r.add_argument("--gemeente", action="append", default=[], help="gemeente code, e.g. GM0014 (repeatable)")
    r.add_argument("--all-gemeenten", action="store_true", help="every gemeente (in batches)")
    r.add_argument("--year", type=int, action="append", default=[], help="KWB year (repeatable)")
    r.add_argument("--timeout", type=float, default=10.0, help="seconds per network call")
    r.add_argument("--deadline", type=float, default=None, help="seconds for the whole refresh (default: by size)")
    r.add_argument(
        "--check",
        action="store_true",
        help="online: verify every table id in data/cbs_tables.csv (title names the year; sets 'verified')",
    )
    r.add_argument(
        "--record",
        type=Path,
        default=None,
        help="with --check: write fresh recorded fixtures (TableInfos, DataProperties) to this folder",
    )
    i = sub.add_parser(
        "import",
        parents=[speaks],
        help="import a hand download: StatLine CSV export, kwb-YYYY.xlsx or wijk- en buurtkaart table",
    )
    i.add_argument("file", type=Path)
    i.add_argument("--year", type=int, required=True)
    i.add_argument("--table", default="", help="CBS table id, e.g. 85984NED")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)

    if args.command == "build":
        from wijk.data.build import build

        if not args.source.is_dir():
            print(f"No such folder: {args.source}", file=sys.stderr)
            return 2
        built = build(args.source, args.out, extras=not args.skip_extras)
        print(", ".join(f"{k}: {v}" for k, v in built.items()))
        return 0
    from wijk.data import imports, refresh, table_check

    lang = args.lang

    def say(message: Message) -> None:
        print(message.text(lang), flush=True)

    try:
        if args.command == "refresh" and args.check:
            for line in table_check.check_tables(args.record, timeout=args.timeout):
                say(line)
            return 0
        if args.command == "refresh":
            summary = refresh.refresh(
                args.gemeente,
                args.all_gemeenten,
                args.year,
                timeout=args.timeout,
                deadline=args.deadline,
                progress=say,
            )
            not_written = table_check.record_verified(summary.pop("verified", {}))
            if not_written is not None:
                print(t("refresh_cli_check", lang, problem=text_of(not_written, lang)))
        else:
            summary = imports.import_file(args.file, args.year, args.table)
            print(text_of(summary.pop("partial"), lang))
        for problem in summary.pop("problems", []):
            print(t("refresh_cli_check", lang, problem=text_of(problem, lang)))
    except refresh.RefreshError as exc:
        print(exc.message.text(lang), file=sys.stderr)
        return 1
    print(", ".join(f"{k}: {text_of(v, lang)}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
