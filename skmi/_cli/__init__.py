"""Command line: rank features by their mutual information with a target.

``python -m skmi`` ranks the features of scikit-learn's breast-cancer data;
``python -m skmi rank data.csv --target COLUMN`` ranks the columns of a local
CSV file (numeric, categorical and date columns; reading CSV files needs
pandas, the ``cli`` extra). Run ``python -m skmi --help`` for the options; the
documentation's command-line page describes them, the exit codes, the JSON
report and how columns are read.

The package holds the options (:mod:`._options`), the reading of CSV files
(:mod:`._reading`) and the reports (:mod:`._report`); this module runs them.
"""

import json
import sys
import time
import warnings

from .. import __version__
from .._columns import IdLikeColumnsWarning
from ._options import (
    EXIT_DATA,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    build_parser,
    resolve_options,
)
from ._reading import load_breast_cancer, load_csv
from ._report import (
    describe_test,
    format_csv,
    id_like_notes,
    make_selector,
    print_table,
    ranking_table,
)

__all__ = ["main"]


def _run(args, out, err):
    if args.command == "rank":
        X, y, target, read = load_csv(
            args.csv,
            args.target,
            dropna=args.dropna,
            sep=args.sep,
            encoding=args.encoding,
            decimal=args.decimal,
        )
        source = args.csv
        kind = {"auto": "auto", "discrete": True, "continuous": False}
        discrete_target = kind[args.target_kind]
        names = list(X.columns)
    else:
        X, y, names, target = load_breast_cancer()
        source = "scikit-learn's breast-cancer data"
        discrete_target = "auto"
        read = {"sep": None, "encoding": None, "decimal": None, "dates": []}
        read["warnings"] = []
    for message in read["warnings"]:
        print(f"skmi: warning: {message}", file=err)
    selector = make_selector(args, X.shape[1], discrete_target)
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        selector.fit(X, y)
    seconds = time.perf_counter() - start
    id_like, notes = id_like_notes(X, selector) if args.command == "rank" else ([], [])
    # the selector's warning about ID-like columns is replaced by one note
    # per column; its other warnings are shown as the command line's own
    for w in caught:
        if not issubclass(w.category, IdLikeColumnsWarning):
            notes.append(str(w.message))
    for message in notes:
        print(f"skmi: warning: {message}", file=err)
    rows = ranking_table(selector, names, set(id_like), set(read["dates"]))
    test = describe_test(selector)
    report = {
        "skmi_version": __version__,
        "source": source,
        "sep": read["sep"],
        "encoding": read["encoding"],
        "decimal": read["decimal"],
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
        out.write(format_csv(rows))
    else:
        print_table(report, args.k, out)
    if args.json is not None and args.json != "-":
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2)
        print(f"Wrote {args.json}.", file=out if args.format == "table" else err)


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
    args = build_parser().parse_args(argv)
    try:
        notices = resolve_options(args)
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
