"""Options of the command line: the parser, the defaults, the checks of paths.

Everything here runs before any data is read: an invalid combination of
arguments is a :class:`UsageError` (exit code 2) and nothing is computed or
written.
"""

import argparse
import codecs
import os
import re
from pathlib import Path

from .. import __version__

__all__ = [
    "EXIT_DATA",
    "EXIT_OK",
    "EXIT_USAGE",
    "UsageError",
    "build_parser",
    "resolve_options",
]

#: Exit codes: success, data that cannot be read or ranked, invalid usage.
EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2

#: Defaults of the estimator options, applied when the option is not given
#: (an option given for the other estimator earns a notice).
DEFAULT_N_NEIGHBORS = 3
DEFAULT_N_BINS = "auto"

#: ``scheme://`` or ``scheme:`` of a URL (one-letter schemes are Windows drives).
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+:")


class UsageError(Exception):
    """An invalid combination of arguments (exit code 2, nothing computed)."""


def _k(value):
    if value == "all":
        return value
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a positive integer or 'all', got {value!r}"
        ) from None
    if k < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {k}")
    return k


def _n_bins(value):
    if value == "auto":
        return value
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be an integer or 'auto', got {value!r}"
        ) from None


def _non_negative(value):
    n = int(value)
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {n}")
    return n


def _separator(value):
    """One character; ``\\t`` and ``tab`` mean a tab."""
    sep = "\t" if value in ("\\t", "tab") else value
    if len(sep) != 1 or sep in '\r\n"':
        raise argparse.ArgumentTypeError(
            f"must be one character (or '\\t' for a tab), got {value!r}"
        )
    return sep


def _decimal(value):
    """The decimal mark: a comma or a point."""
    if value not in (",", "."):
        raise argparse.ArgumentTypeError(f"must be ',' or '.', got {value!r}")
    return value


def _encoding(value):
    try:
        return codecs.lookup(value).name
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding {value!r}") from None


#: The options shared by the demo and ``rank``: (flag, default, keywords).
_SELECTION_OPTIONS = [
    (
        "--k",
        10,
        dict(
            type=_k,
            metavar="K",
            help="number of top features to print and mark as selected, or 'all' "
            "(default: 10)",
        ),
    ),
    (
        "--estimator",
        "ksg",
        dict(
            choices=["ksg", "plugin"],
            help="information estimator: k-nearest neighbours (ksg) or counts on "
            "quantile bins (plugin, which also gives G-test p-values) (default: ksg)",
        ),
    ),
    (
        "--n-neighbors",
        None,
        dict(
            type=int,
            metavar="N",
            help=f"neighbours of the ksg estimator (default: {DEFAULT_N_NEIGHBORS})",
        ),
    ),
    (
        "--n-bins",
        None,
        dict(
            type=_n_bins,
            metavar="N",
            help="bins per continuous column of the plugin estimator, or 'auto' to "
            f"follow the number of samples (default: {DEFAULT_N_BINS})",
        ),
    ),
    (
        "--permutations",
        0,
        dict(
            type=_non_negative,
            metavar="N",
            help="permutations of the target for permutation p-values (default: 0, "
            "no permutation test)",
        ),
    ),
    (
        "--random-state",
        0,
        dict(
            type=int,
            metavar="SEED",
            help="seed of the tie-breaking noise and the permutations (default: 0)",
        ),
    ),
    (
        "--n-jobs",
        None,
        dict(
            type=int,
            metavar="N",
            help="parallel jobs; results do not depend on it (default: 1)",
        ),
    ),
    (
        "--format",
        None,
        dict(
            choices=["table", "csv", "json"],
            help="what standard output shows: a table of the top K features, or "
            "every feature as CSV or as the JSON report (default: table, or json "
            "with '--json -')",
        ),
    ),
    (
        "--json",
        None,
        dict(
            metavar="PATH",
            help="also write the JSON report to this file; '-' writes it to "
            "standard output instead of the table",
        ),
    ),
]


def _add_selection_options(parser, defaults=True):
    """Add the options shared by the demo and ``rank``.

    With ``defaults=False`` (on the ``rank`` sub-command) an option not given
    keeps the value given before the command, or the main parser's default.
    """
    for flag, default, keywords in _SELECTION_OPTIONS:
        parser.add_argument(
            flag, default=default if defaults else argparse.SUPPRESS, **keywords
        )


def build_parser():
    """The parser of the command line and its ``rank`` command."""
    parser = argparse.ArgumentParser(
        prog="python -m skmi",
        description="Rank features by their estimated mutual information with a "
        "target (in nats). Without a command, rank the 30 features of "
        "scikit-learn's breast-cancer data against the diagnosis.",
        epilog="Exit codes: 0 success, 1 the data cannot be read or ranked, "
        "2 invalid arguments (nothing is computed or written).",
    )
    parser.add_argument("--version", action="version", version=f"skmi {__version__}")
    _add_selection_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    rank = commands.add_parser(
        "rank",
        help="rank the columns of a CSV file",
        description="Rank the columns of a local CSV file by their mutual "
        "information with the target column. Numeric columns with few integer "
        "values and text or boolean columns are treated as discrete; text "
        "columns holding dates become numbers, and so do text columns of numbers "
        "with a decimal comma when the separator is ';'; discrete columns with "
        "more than half as many values as rows are flagged as ID-like. Needs "
        "pandas.",
    )
    rank.add_argument(
        "csv", help="path of a local, uncompressed CSV file (with a header row)"
    )
    rank.add_argument(
        "--target", required=True, metavar="COLUMN", help="name of the target column"
    )
    rank.add_argument(
        "--target-kind",
        choices=["auto", "discrete", "continuous"],
        default="auto",
        help="whether the target holds classes or numbers (default: auto, from "
        "its values)",
    )
    rank.add_argument(
        "--sep",
        type=_separator,
        default=None,
        metavar="CHAR",
        help="column separator, one character ('\\t' for a tab) (default: "
        "guessed from the start of the file among , ; tab and |)",
    )
    rank.add_argument(
        "--decimal",
        type=_decimal,
        default=None,
        metavar="CHAR",
        help="decimal mark of the numbers, ',' or '.' (default: '.', and with "
        "the separator ';' columns of numbers written with a decimal comma are "
        "read as numbers)",
    )
    rank.add_argument(
        "--encoding",
        type=_encoding,
        default=None,
        metavar="NAME",
        help="text encoding of the file (default: UTF-8, with or without a "
        "byte-order mark)",
    )
    rank.add_argument(
        "--dropna",
        action="store_true",
        help="drop the rows with missing values instead of failing",
    )
    _add_selection_options(rank, defaults=False)
    return parser


# -- checks before any work ----------------------------------------------------


def _check_input_path(path):
    """Refuse what is not a local path (URLs, ``s3://``, ``file:``...)."""
    if _URL.match(path):
        raise UsageError(
            f"{path!r} looks like a URL; only local files are read (download it "
            "first; write ./ before a local name that holds a colon)"
        )


def _same_file(a, b):
    a, b = Path(a), Path(b)
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return a.resolve() == b.resolve()


def _check_output_path(path, input_path):
    """Refuse an output path that is the input or cannot be written."""
    if path == "-":
        return
    if _URL.match(path):
        raise UsageError(f"--json {path!r} looks like a URL; give a local path")
    if input_path is not None and _same_file(path, input_path):
        raise UsageError(f"--json {path!r} is the input file; refusing to overwrite it")
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"--json {path!r} is a directory")
    parent = target.parent
    if not parent.is_dir():
        raise UsageError(f"--json {path!r}: directory {str(parent)!r} does not exist")
    writable = (
        os.access(target, os.W_OK)
        if target.exists()
        else os.access(parent, os.W_OK | os.X_OK)
    )
    if not writable:
        raise UsageError(f"--json {path!r} is not writable")


def resolve_options(args):
    """Settle the defaults and the output, or raise a UsageError.

    Returns the notices for options that do not apply to the estimator.
    """
    notices = []
    if args.estimator == "ksg" and args.n_bins is not None:
        notices.append("--n-bins applies to --estimator plugin only; ignored")
    if args.estimator == "plugin" and args.n_neighbors is not None:
        notices.append("--n-neighbors applies to --estimator ksg only; ignored")
    if args.n_neighbors is None:
        args.n_neighbors = DEFAULT_N_NEIGHBORS
    if args.n_bins is None:
        args.n_bins = DEFAULT_N_BINS
    if args.json == "-":
        if args.format not in (None, "json"):
            raise UsageError(
                f"--json - and --format {args.format} both write to standard "
                "output; choose one"
            )
        args.format = "json"
    elif args.format is None:
        args.format = "table"
    input_path = args.csv if args.command == "rank" else None
    if input_path is not None and args.decimal is not None and args.decimal == args.sep:
        raise UsageError(
            f"--decimal {args.decimal!r} and --sep {args.sep!r} are the same "
            "character; give a different separator"
        )
    if input_path is not None:
        _check_input_path(input_path)
    if args.json is not None:
        _check_output_path(args.json, input_path)
    return notices
