"""Command line: `python -m wijk.data build --from DIR` and `python -m wijk.data refresh ...`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wijk.data", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="regenerate data/ from the source files")
    b.add_argument("--from", dest="source", required=True, type=Path, help="folder with the source files")
    b.add_argument("--out", type=Path, default=None, help="output folder (default: data/)")
    b.add_argument("--skip-extras", action="store_true", help="figures only: do not rebuild the map geometry")
    r = sub.add_parser("refresh", help="fetch KWB figures from CBS into the local store")
    r.add_argument("--gemeente", action="append", default=[], help="gemeente code, e.g. GM0014 (repeatable)")
    r.add_argument("--all-gemeenten", action="store_true", help="every gemeente (in batches)")
    r.add_argument("--year", type=int, action="append", default=[], help="KWB year (repeatable)")
    r.add_argument("--timeout", type=float, default=10.0, help="seconds per network call")
    i = sub.add_parser("import", help="import a StatLine CSV export or wijk- en buurtkaart table downloaded by hand")
    i.add_argument("file", type=Path)
    i.add_argument("--year", type=int, required=True)
    i.add_argument("--table", default="", help="CBS table id, e.g. 85984NED")
    args = parser.parse_args(argv)

    if args.command == "build":
        from wijk.data.build import build
        if not args.source.is_dir():
            print(f"No such folder: {args.source}", file=sys.stderr)
            return 2
        summary = build(args.source, args.out, extras=not args.skip_extras)
        print(", ".join(f"{k}: {v}" for k, v in summary.items()))
        return 0
    from wijk.data import refresh
    try:
        if args.command == "refresh":
            summary = refresh.refresh(args.gemeente, args.all_gemeenten, args.year, timeout=args.timeout,
                                      progress=lambda msg: print(msg, flush=True))
        else:
            summary = refresh.import_file(args.file, args.year, args.table)
    except refresh.RefreshError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(", ".join(f"{k}: {v}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
