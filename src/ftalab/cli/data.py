"""``ftalab data list | info NAME | fetch NAME``."""

from __future__ import annotations

import argparse
from typing import Any

from ftalab.cli.output import print_json

__all__ = ["register"]


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``data`` command and its verbs."""
    data = subparsers.add_parser("data", help="list, describe and fetch datasets", parents=[common])
    verbs = data.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = verbs.add_parser("list", help="list registered datasets", parents=[common])
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_list)

    p = verbs.add_parser("info", help="describe one dataset", parents=[common])
    p.add_argument("name")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_info)

    p = verbs.add_parser(
        "fetch", help="get a dataset into the cache (mirror first, then network)", parents=[common]
    )
    p.add_argument("name", nargs="+", help="dataset name(s), or 'all'")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_fetch)


def _list(args: argparse.Namespace) -> int:
    from ftalab.data import dataset_names, get_dataset

    rows = [get_dataset(n) for n in dataset_names()]
    if args.json:
        print_json([{"name": d.name, "title": d.title, "user_supplied": d.user_supplied} for d in rows])
    else:
        width = max(len(d.name) for d in rows)
        for d in rows:
            tag = " (user download)" if d.user_supplied else ""
            print(f"{d.name:<{width}}  {d.title}{tag}")
    return 0


def _info(args: argparse.Namespace) -> int:
    from ftalab.data import get_dataset

    d = get_dataset(args.name)
    if args.json:
        print_json(d.to_dict())
        return 0
    print(f"{d.name}: {d.title}\n\n{d.description}\n")
    print(f"Citation: {d.citation}\nLicence:  {d.licence}\nHomepage: {d.homepage}")
    if d.instructions:
        print(f"How to get it: {d.instructions}")
    for c in d.caveats:
        print(f"Caveat: {c}")
    if d.files:
        print("\nFiles:")
        for f in d.files:
            where = f.url or f"(no direct download: {f.source})"
            print(f"  {f.path}\n    sha256 {f.sha256}\n    {where}")
    return 0


def _fetch(args: argparse.Namespace) -> int:
    from ftalab.data import data_dir, dataset_names, fetch, get_dataset

    names = args.name
    if names == ["all"]:
        names = [n for n in dataset_names() if not get_dataset(n).user_supplied]
    result: dict[str, dict[str, str]] = {}
    for name in names:
        files = fetch(name, progressbar=not args.json)
        result[name] = {k: str(v) for k, v in files.items()}
        if not args.json:
            print(f"{name}: {len(files)} file(s) verified in {data_dir() / name}")
    if args.json:
        print_json(result)
    return 0
