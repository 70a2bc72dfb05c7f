"""Command line: rank features by their mutual information with a target.

``python -m skmi`` ranks the features of scikit-learn's breast-cancer data;
``python -m skmi rank data.csv --target COLUMN`` ranks the columns of a local
CSV file (numeric, categorical and date columns; reading CSV files needs
pandas, the ``cli`` extra). Run ``python -m skmi --help`` for the options; the
documentation's command-line page describes them, the exit codes, the JSON
report and how columns are read.
"""

import argparse
import codecs
import csv
import io
import json
import os
import re
import sys
import time
import warnings
from pathlib import Path

from . import __version__
from ._mutual_info_selector import MutualInfoSelector
from .estimators import KSG, PlugIn

__all__ = ["main"]

#: Exit codes: success, data that cannot be read or ranked, invalid usage.
EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2

#: Defaults of the estimator options, applied when the option is not given
#: (an option given for the other estimator earns a notice).
DEFAULT_N_NEIGHBORS = 3
DEFAULT_N_BINS = "auto"

#: Separators the sniffer chooses from, when ``--sep`` is not given.
SNIFFED_SEPARATORS = ",;\t|"

#: Bytes read to guess the separator.
SNIFF_BYTES = 64 * 1024

#: Leading bytes of compressed files and archives, which are refused.
_MAGIC = (
    (0, b"\x1f\x8b", "gzip"),
    (0, b"BZh", "bzip2"),
    (0, b"\xfd7zXZ\x00", "xz"),
    (0, b"\x28\xb5\x2f\xfd", "zstandard"),
    (0, b"PK\x03\x04", "zip"),
    (0, b"PK\x05\x06", "zip"),
    (0, b"7z\xbc\xaf\x27\x1c", "7z"),
    (257, b"ustar", "tar"),
)

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


def _parser():
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
        "columns holding dates become numbers; discrete columns with more than "
        "half as many values as rows are flagged as ID-like. Needs pandas.",
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


def _resolve_options(args):
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
    if input_path is not None:
        _check_input_path(input_path)
    if args.json is not None:
        _check_output_path(args.json, input_path)
    return notices


# -- reading a CSV file -------------------------------------------------------


def _refuse_compressed(path):
    """Raise a ValueError when the file starts like an archive or compressed file.

    Only plain-text CSV is read, detected by content rather than by name.
    """
    with open(path, "rb") as f:
        head = f.read(262)
    for offset, magic, kind in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            raise ValueError(
                f"{path} is a {kind} file; skmi reads plain-text CSV only: "
                "decompress or extract it first"
            )


def _sniff_separator(text):
    """The separator of a CSV sample, among :data:`SNIFFED_SEPARATORS`.

    A comma when the sample does not decide (for instance a single column).
    """
    if "\n" in text:
        text = text[: text.rindex("\n")]  # whole lines only
    try:
        return csv.Sniffer().sniff(text, delimiters=SNIFFED_SEPARATORS).delimiter
    except csv.Error:
        return ","


def _pandas():
    try:
        import pandas
    except ImportError:
        raise RuntimeError(
            "reading CSV files needs pandas: pip install 'skmi[cli]'"
        ) from None
    return pandas


def _read_csv(path, sep, encoding):
    """A local CSV file as a DataFrame, the separator and the encoding used.

    The file is opened here, so pandas reads a text stream and never a path
    it could resolve as a URL or decompress.
    """
    pd = _pandas()
    _refuse_compressed(path)
    encoding = encoding or "utf-8-sig"
    try:
        with open(path, encoding=encoding, newline="") as f:
            if sep is None:
                sep = _sniff_separator(f.read(SNIFF_BYTES))
                f.seek(0)
            frame = pd.read_csv(f, sep=sep)
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"{path} is not valid {exc.encoding} text ({exc.reason}); pass its "
            "encoding with --encoding, e.g. --encoding latin-1"
        ) from None
    except pd.errors.EmptyDataError:
        raise ValueError(f"{path} is empty") from None
    return frame, sep, encoding


def _date_format(values):
    """The one date format of a text column, or None.

    The format is guessed from the first value, month first and then day
    first; it must hold a year and a day, and every value must match it.
    """
    pd = _pandas()
    try:
        from pandas.tseries.api import guess_datetime_format
    except ImportError:  # pandas < 2.2
        from pandas._libs.tslibs.parsing import guess_datetime_format
    for dayfirst in (False, True):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas' notes on dayfirst
            fmt = guess_datetime_format(values.iloc[0], dayfirst=dayfirst)
        if fmt is None or "%d" not in fmt or not ("%Y" in fmt or "%y" in fmt):
            continue
        try:
            pd.to_datetime(values, format=fmt, utc=True)
        except (ValueError, OverflowError):
            continue
        return fmt
    return None


def parse_dates(frame):
    """Convert the text columns that hold dates into seconds since 1970 (UTC).

    A text column is a date column when all its values match one date format
    (with a year and a day) guessed from its first value, month first and
    then day first. Its values become float seconds since 1970-01-01 UTC
    (times with an offset are converted to UTC, times without one are taken
    as UTC), a continuous column.

    Parameters
    ----------
    frame : DataFrame
        The table as read.

    Returns
    -------
    frame : DataFrame
        A copy with the date columns converted.
    dates : list of str
        The names of the converted columns.
    """
    pd = _pandas()
    frame = frame.copy()
    dates = []
    for name in frame.columns:
        column = frame[name]
        if not (column.dtype == object or pd.api.types.is_string_dtype(column)):
            continue
        values = column.dropna()
        if values.empty or not all(isinstance(v, str) for v in values):
            continue
        fmt = _date_format(values)
        if fmt is None:
            continue
        parsed = pd.to_datetime(column, format=fmt, utc=True)
        epoch = pd.Timestamp("1970-01-01", tz="UTC")
        frame[name] = (parsed - epoch) / pd.Timedelta(seconds=1)
        dates.append(str(name))
    return frame, dates


def id_like_columns(frame, discrete):
    """The discrete columns with more than half as many distinct values as rows.

    Such a column (a customer number, a free-text comment) tells the rows
    apart rather than describe them: its plug-in information with any target
    approaches the target's entropy as the levels approach the rows.

    Parameters
    ----------
    frame : DataFrame of shape (n_samples, n_features)
        The features, as given to the selector.
    discrete : array-like of bool of shape (n_features,)
        Which columns are treated as discrete.

    Returns
    -------
    list of str
        The names of the ID-like columns, in the order of the frame.
    """
    n_samples = frame.shape[0]
    return [
        str(name)
        for name, is_discrete in zip(frame.columns, discrete, strict=True)
        if is_discrete and frame[name].nunique(dropna=True) > n_samples / 2
    ]


def _load_csv(path, target, dropna, sep, encoding):
    frame, sep, encoding = _read_csv(path, sep, encoding)
    if target not in frame.columns:
        raise ValueError(
            f"no column {target!r} in {path} (read with separator {sep!r}; "
            "--sep sets it); the columns are "
            + ", ".join(repr(str(c)) for c in frame.columns)
        )
    if dropna:
        frame = frame.dropna()
    elif frame.isna().any().any():
        missing = [str(c) for c in frame.columns[frame.isna().any()]]
        raise ValueError(
            f"missing values in column(s) {', '.join(missing)}; pass --dropna to "
            "drop those rows"
        )
    if frame.shape[0] == 0:
        raise ValueError(f"{path} has no rows to rank")
    frame, dates = parse_dates(frame)
    y = frame[target].to_numpy()
    X = frame.drop(columns=[target])
    X.columns = [str(c) for c in X.columns]
    if X.shape[1] == 0:
        raise ValueError(f"{path} has no column besides the target {target!r}")
    return X, y, target, {"sep": sep, "encoding": encoding, "dates": dates}


def _load_breast_cancer():
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    return data.data, data.target, list(data.feature_names), "diagnosis"


# -- ranking and output ----------------------------------------------------------


def _selector(args, n_features, discrete_target="auto"):
    # --k is also the number of rows printed: more than the features means all
    k = args.k if args.k == "all" or args.k <= n_features else "all"
    if args.estimator == "plugin":
        estimator = PlugIn(n_bins=args.n_bins)
    else:
        estimator = KSG(n_neighbors=args.n_neighbors)
    return MutualInfoSelector(
        k=k,
        estimator=estimator,
        discrete_target=discrete_target,
        n_permutations=args.permutations,
        n_jobs=args.n_jobs,
        random_state=args.random_state,
    )


def _ranking_table(selector, names, id_like, dates):
    """Rows of the report, best first."""
    order = selector._ranking()
    support = selector.get_support()
    pvalues = selector.pvalues_
    return [
        {
            "rank": rank,
            "feature": names[j],
            "mi_nats": float(selector.scores_[j]),
            "pvalue": None if pvalues is None else float(pvalues[j]),
            "discrete": bool(selector.discrete_features_[j]),
            "id_like": names[j] in id_like,
            "date": names[j] in dates,
            "selected": bool(support[j]),
        }
        for rank, j in enumerate(order, start=1)
    ]


def _note(row):
    return "ID-like" if row["id_like"] else "date" if row["date"] else ""


def _format_table(rows, n_rows, test):
    shown = rows[:n_rows]
    width = max([len("feature")] + [len(r["feature"]) for r in shown])
    header = f"{'rank':>4}  {'feature':<{width}}  {'MI (nats)':>9}"
    if test:
        header += f"  {'p-value':>8}"
    notes = any(_note(r) for r in shown)
    if notes:
        header += "  note"
    lines = [header, "-" * len(header)]
    for row in shown:
        line = f"{row['rank']:>4}  {row['feature']:<{width}}  {row['mi_nats']:>9.4f}"
        if test:
            line += f"  {row['pvalue']:>8.4f}"
        if notes and _note(row):
            line += f"  {_note(row)}"
        lines.append(line)
    return "\n".join(lines)


#: The columns of ``--format csv``: the keys of a row of the JSON report.
CSV_COLUMNS = (
    "rank",
    "feature",
    "mi_nats",
    "pvalue",
    "discrete",
    "id_like",
    "date",
    "selected",
)


def _csv_cell(value):
    """A report value as CSV text: floats in full, lower-case booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return value


def _format_csv(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _csv_cell(value) for key, value in row.items()})
    return out.getvalue()


def _test_name(selector):
    if selector.pvalues_ is None:
        return None
    if selector.n_permutations > 0:
        return f"permutation test, {selector.n_permutations} permutations"
    return "G-test"


def _run(args, out, err):
    if args.command == "rank":
        X, y, target, read = _load_csv(
            args.csv, args.target, args.dropna, args.sep, args.encoding
        )
        source = args.csv
        kind = {"auto": "auto", "discrete": True, "continuous": False}
        discrete_target = kind[args.target_kind]
        names = list(X.columns)
    else:
        X, y, names, target = _load_breast_cancer()
        source = "scikit-learn's breast-cancer data"
        discrete_target = "auto"
        read = {"sep": None, "encoding": None, "dates": []}
    selector = _selector(args, X.shape[1], discrete_target)
    start = time.perf_counter()
    selector.fit(X, y)
    seconds = time.perf_counter() - start
    id_like = (
        id_like_columns(X, selector.discrete_features_)
        if args.command == "rank"
        else []
    )
    if id_like:
        print(
            "skmi: warning: ID-like column(s) "
            + ", ".join(repr(c) for c in id_like)
            + ": discrete with more than half as many values as rows, so their "
            "scores reflect the number of values more than any relation with "
            "the target; consider dropping them",
            file=err,
        )
    rows = _ranking_table(selector, names, set(id_like), set(read["dates"]))
    test = _test_name(selector)
    report = {
        "skmi_version": __version__,
        "source": source,
        "sep": read["sep"],
        "encoding": read["encoding"],
        "target": target,
        "target_discrete": bool(selector.discrete_target_),
        "n_samples": int(X.shape[0]),
        "n_features": int(X.shape[1]),
        "estimator": repr(selector.estimator_),
        "k": args.k,
        "test": test,
        "random_state": args.random_state,
        "date_columns": read["dates"],
        "id_like_columns": id_like,
        "seconds": seconds,
        "features": rows,
    }
    if args.format == "json":
        json.dump(report, out, indent=2)
        print(file=out)
    elif args.format == "csv":
        out.write(_format_csv(rows))
    else:
        _print_table(report, args.k, out)
    if args.json is not None and args.json != "-":
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2)
        print(f"Wrote {args.json}.", file=out if args.format == "table" else err)


def _print_table(report, k, out):
    rows = report["features"]
    n_rows = len(rows) if k == "all" else min(k, len(rows))
    kind = "discrete" if report["target_discrete"] else "continuous"
    print(
        f"Mutual information with the {kind} target {report['target']!r} "
        f"({report['source']}, {report['n_samples']} samples, "
        f"{report['n_features']} features)",
        file=out,
    )
    print(f"estimator: {report['estimator']}", file=out)
    if report["test"]:
        print(f"p-values: {report['test']}", file=out)
    print(file=out)
    print(_format_table(rows, n_rows, report["test"]), file=out)
    if n_rows < len(rows):
        print(f"({len(rows) - n_rows} more; --k all shows every feature)", file=out)
    print(
        f"\nRanked {report['n_features']} features in {report['seconds']:.2f} s.",
        file=out,
    )


def main(argv=None) -> int:
    """Run the command line with the arguments ``argv`` (default: sys.argv).

    Parameters
    ----------
    argv : list of str, default=None
        The arguments, without the program name.

    Returns
    -------
    int
        The exit code: 0 on success, 1 when the data cannot be read or
        ranked, 2 for invalid arguments (through :mod:`argparse`, or an
        output path that is the input or cannot be written), in which case
        nothing is computed or written.

    Examples
    --------
    >>> from skmi.__main__ import main
    >>> main(["--k", "3"])  # doctest: +ELLIPSIS
    Mutual information with the discrete target 'diagnosis' (...)
    ...
       1  worst perimeter ...
    ...
    0
    """
    args = _parser().parse_args(argv)
    try:
        notices = _resolve_options(args)
    except UsageError as exc:
        print(f"skmi: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for notice in notices:
        print(f"skmi: notice: {notice}", file=sys.stderr)
    try:
        _run(args, sys.stdout, sys.stderr)
    except (ValueError, RuntimeError, OSError) as exc:
        print(f"skmi: error: {exc}", file=sys.stderr)
        return EXIT_DATA
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
