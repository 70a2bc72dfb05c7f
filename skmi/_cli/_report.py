"""Reports of the command line: the ranking as a table, CSV or JSON, and notes.

The scores and the discrete and ID-like flags are the library's: the
selector's ``scores_`` and ``discrete_features_``, and the rule of
:func:`skmi._columns.id_like` for identifiers.
"""

import csv
import io

import numpy as np

from .._columns import id_like
from .._inputs import id_like_advice
from .._mutual_info_selector import MutualInfoSelector
from ..estimators import KSG, PlugIn

__all__ = [
    "CSV_COLUMNS",
    "format_csv",
    "id_like_notes",
    "make_selector",
    "print_table",
    "ranking_table",
    "describe_test",
]


def make_selector(args, n_features, discrete_target="auto"):
    """The selector the options describe."""
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


def ranking_table(selector, names, id_like, dates):
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


def format_csv(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _csv_cell(value) for key, value in row.items()})
    return out.getvalue()


def describe_test(selector):
    if selector.pvalues_ is None:
        return None
    if selector.n_permutations > 0:
        return f"permutation test, {selector.n_permutations} permutations"
    return "G-test"


def print_table(report, k, out):
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


def id_like_notes(X, selector):
    """The ID-like columns of a fitted selector and one warning for each.

    A discrete column is ID-like by the library's rule
    (:func:`skmi._columns.id_like`: more distinct values than half the
    rows); the warning says what its score means with the selector's
    estimator and target.

    Returns
    -------
    names : list of str
        The ID-like columns, in the order of ``X``.
    notes : list of str
        One message per ID-like column.
    """
    n_samples = X.shape[0]
    advice = id_like_advice(selector.estimator_, selector.discrete_target_)
    names, notes = [], []
    for j in np.flatnonzero(selector.discrete_features_):
        n_levels = int(X.iloc[:, j].nunique())
        if id_like(n_levels, n_samples):
            name = str(X.columns[j])
            names.append(name)
            notes.append(
                f"ID-like column {name!r}: discrete with {n_levels} distinct "
                f"values in {n_samples} rows, it looks like an identifier or free "
                f"text. {advice}"
            )
    return names, notes
