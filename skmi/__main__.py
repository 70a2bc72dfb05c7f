"""Command line: rank features by their mutual information with a target.

``python -m skmi`` ranks the features of scikit-learn's breast-cancer data;
``python -m skmi rank data.csv --target COLUMN`` ranks the columns of a CSV
file (numeric and categorical columns; reading CSV files needs pandas, the
``cli`` extra). Run ``python -m skmi --help`` for the options.
"""

import argparse
import json
import sys
import time

from . import __version__
from ._selectors import MutualInfoSelector
from .estimators import KSG, PlugIn

__all__ = ["main"]


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


#: The options shared by the demo and ``rank``: (flag, default, keywords).
_SELECTION_OPTIONS = [
    ("--k", 10, dict(
        type=_k, metavar="K",
        help="number of top features to print and mark as selected, or 'all' "
        "(default: 10)",
    )),
    ("--estimator", "ksg", dict(
        choices=["ksg", "plugin"],
        help="information estimator: k-nearest neighbours (ksg) or counts on "
        "quantile bins (plugin, which also gives G-test p-values) (default: ksg)",
    )),
    ("--n-neighbors", 3, dict(
        type=int, metavar="N", help="neighbours of the ksg estimator (default: 3)"
    )),
    ("--n-bins", "auto", dict(
        type=_n_bins, metavar="N",
        help="bins per continuous column of the plugin estimator, or 'auto' to "
        "follow the number of samples (default: auto)",
    )),
    ("--permutations", 0, dict(
        type=_non_negative, metavar="N",
        help="permutations of the target for permutation p-values (default: 0, "
        "no permutation test)",
    )),
    ("--random-state", 0, dict(
        type=int, metavar="SEED",
        help="seed of the tie-breaking noise and the permutations (default: 0)",
    )),
    ("--n-jobs", None, dict(
        type=int, metavar="N",
        help="parallel jobs; results do not depend on it (default: 1)",
    )),
    ("--json", None, dict(
        metavar="PATH",
        help="also write the full ranking and settings to this JSON file",
    )),
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
    )
    parser.add_argument("--version", action="version", version=f"skmi {__version__}")
    _add_selection_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    rank = commands.add_parser(
        "rank",
        help="rank the columns of a CSV file",
        description="Rank the columns of a CSV file by their mutual information "
        "with the target column. Numeric columns with few integer values and "
        "text or boolean columns are treated as discrete. Needs pandas.",
    )
    rank.add_argument("csv", help="path of the CSV file (with a header row)")
    rank.add_argument(
        "--target", required=True, metavar="COLUMN", help="name of the target column"
    )
    rank.add_argument(
        "--target-kind", choices=["auto", "discrete", "continuous"], default="auto",
        help="whether the target holds classes or numbers (default: auto, from "
        "its values)",
    )
    rank.add_argument(
        "--dropna", action="store_true",
        help="drop the rows with missing values instead of failing",
    )
    _add_selection_options(rank, defaults=False)
    return parser


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


def _load_breast_cancer():
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    return data.data, data.target, list(data.feature_names), "diagnosis"


def _load_csv(path, target, dropna):
    try:
        import pandas as pd
    except ImportError:
        raise RuntimeError(
            "reading CSV files needs pandas: pip install 'skmi[cli]'"
        ) from None
    frame = pd.read_csv(path)
    if target not in frame.columns:
        raise ValueError(
            f"no column {target!r} in {path}; the columns are "
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
    y = frame[target].to_numpy()
    X = frame.drop(columns=[target])
    X.columns = [str(c) for c in X.columns]
    if X.shape[1] == 0:
        raise ValueError(f"{path} has no column besides the target {target!r}")
    return X, y, list(X.columns), target


def _ranking_table(selector, names):
    """Rows (rank, name, score, p-value, discrete, selected), best first."""
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
            "selected": bool(support[j]),
        }
        for rank, j in enumerate(order, start=1)
    ]


def _format_table(rows, n_rows, test):
    width = max([len("feature")] + [len(r["feature"]) for r in rows[:n_rows]])
    header = f"{'rank':>4}  {'feature':<{width}}  {'MI (nats)':>9}"
    if test:
        header += f"  {'p-value':>8}"
    lines = [header, "-" * len(header)]
    for row in rows[:n_rows]:
        line = f"{row['rank']:>4}  {row['feature']:<{width}}  {row['mi_nats']:>9.4f}"
        if test:
            line += f"  {row['pvalue']:>8.4f}"
        lines.append(line)
    return "\n".join(lines)


def _test_name(selector):
    if selector.pvalues_ is None:
        return None
    if selector.n_permutations > 0:
        return f"permutation test, {selector.n_permutations} permutations"
    return "G-test"


def _run(args, out):
    if args.command == "rank":
        X, y, names, target = _load_csv(args.csv, args.target, args.dropna)
        source = args.csv
        kind = {"auto": "auto", "discrete": True, "continuous": False}
        discrete_target = kind[args.target_kind]
    else:
        X, y, names, target = _load_breast_cancer()
        source = "scikit-learn's breast-cancer data"
        discrete_target = "auto"
    selector = _selector(args, X.shape[1], discrete_target)
    start = time.perf_counter()
    selector.fit(X, y)
    seconds = time.perf_counter() - start
    rows = _ranking_table(selector, names)
    n_rows = len(rows) if args.k == "all" else min(args.k, len(rows))
    test = _test_name(selector)
    kind = "discrete" if selector.discrete_target_ else "continuous"
    print(
        f"Mutual information with the {kind} target {target!r} "
        f"({source}, {X.shape[0]} samples, {X.shape[1]} features)",
        file=out,
    )
    print(f"estimator: {selector.estimator_!r}", file=out)
    if test:
        print(f"p-values: {test}", file=out)
    print(file=out)
    print(_format_table(rows, n_rows, test), file=out)
    if n_rows < len(rows):
        print(f"({len(rows) - n_rows} more; --k all shows every feature)", file=out)
    print(f"\nRanked {X.shape[1]} features in {seconds:.2f} s.", file=out)
    if args.json:
        report = {
            "source": source,
            "target": target,
            "target_discrete": bool(selector.discrete_target_),
            "n_samples": int(X.shape[0]),
            "n_features": int(X.shape[1]),
            "estimator": repr(selector.estimator_),
            "k": args.k,
            "test": test,
            "random_state": args.random_state,
            "seconds": seconds,
            "features": rows,
        }
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2)
        print(f"Wrote {args.json}.", file=out)


def main(argv=None) -> int:
    """Run the command line with the arguments ``argv`` (default: sys.argv).

    Parameters
    ----------
    argv : list of str, default=None
        The arguments, without the program name.

    Returns
    -------
    int
        The exit code: 0 on success, 1 when the data cannot be ranked.
        Invalid arguments exit with code 2 through :mod:`argparse`.

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
        _run(args, sys.stdout)
    except (ValueError, RuntimeError, OSError) as exc:
        print(f"skmi: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
