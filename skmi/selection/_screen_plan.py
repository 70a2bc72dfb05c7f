"""What the interaction screen of ``interactions="auto"`` runs, chosen by cost.

The pair screen (:func:`~skmi.selection._interactions.screen_blocks`) costs,
per permutation of its test, one product of one-hot matrices over its rows
and the entropies of every block of the product: about
``ROW_COST * n_rows * L**2 + CELL_COST * (K_Y + 1) * L**2`` seconds, with
``L`` the total number of levels of the coarse copies of the columns (two or
three bins per continuous column, at most twice that per discrete one) and
``K_Y`` the target's levels. Its test draws up to ``B`` permutations (the
selector's ``n_permutations``, at least enough to reject at its level). A
plain fit estimates at least the relevance of every column and a few steps:
about ``FIT_PASSES`` passes over the ``n x p`` values at ``KNN_COST`` seconds
per value for k-nearest-neighbour estimates, ``COUNT_COST`` for counts. The
constants were measured on one core (CPU time of screens that drew all their
permutations, and of plain fits, at n = 500-2,000 and p = 50-400); only their
ratios matter, so the choice
depends on ``n``, ``p``, the columns' kinds and the target, never on the
machine or its load.

The screen tests at level ``SCREEN_SHARE * alpha`` (``alpha`` the
selector's): the step tests of ``n_features_to_select="auto"`` spend the
rest of ``alpha`` (see :mod:`skmi.selection._stopping`), so that pure noise
is selected, by a false block or a false step, with probability at most
``alpha``.

``"auto"`` screens every pair when the screen's cost is at most
``SHARE`` of the fit's (or at most ``SMALL`` seconds): as ``interactions=2``
does when that fits; else with only the permutations the level needs
(``n_permutations``, at least ``ceil(1 / level) - 1``, instead of at least
``MIN_PERMUTATIONS``); else also with two bins (coarser copies) on as many
rows as the budget pays for (a random subset, at least ``MIN_ROWS`` or all
rows when fewer). When even that is too dear, it does not screen, and its
note says so.
"""

from dataclasses import dataclass

import numpy as np

from ..estimators._sparse import SparseColumns
from . import _interactions
from ._interactions import level_permutations, resolve_interactions, screening_bins

__all__ = ["SCREEN_SHARE", "ScreenPlan", "plan_screen"]

#: seconds per row and per squared level of a permutation of the screen
ROW_COST = 1.2e-11
#: seconds per squared level and per target level of a permutation's entropies
CELL_COST = 7e-9
#: seconds per value of a k-nearest-neighbour estimate, of a counted one
KNN_COST = 2.7e-7
COUNT_COST = 1e-8
#: passes over the data of the cheapest plain fit
FIT_PASSES = 6
#: the screen of "auto" costs at most this share of the plain fit ...
SHARE = 0.3
#: ... or at most this many seconds
SMALL = 0.1
#: rows of the screen of "auto", at least (or every row when fewer)
MIN_ROWS = 500
#: share of the selector's ``alpha`` the screen's test spends; the step
#: tests of a tested search (``n_features_to_select="auto"``) spend the rest,
#: so that a fit selects noise with probability at most ``alpha``
SCREEN_SHARE = 0.5


@dataclass(frozen=True)
class ScreenPlan:
    """The screen a fit runs."""

    size: int  #: 1 (none), 2 (pairs) or 3 (pairs and triples)
    alpha: float = 0.0  #: family-wise level of the screen's test (0: no screen)
    max_rows: int | None = None  #: rows of the screen, at most (None: the default)
    coarse_bins: int | None = None  #: bins of continuous columns (None: by rows)
    #: see ``level_permutations`` (None: ``MIN_PERMUTATIONS``)
    min_permutations: int | None = None
    note: str = ""  #: what the screen does, in a sentence


def _levels(columns, kept, n_bins):
    """Total levels of the coarse copies of the ``kept`` columns (a bound)."""
    if isinstance(columns, SparseColumns):
        continuous = columns.continuous[kept]
        return int(n_bins * (continuous.sum() + 2 * (~continuous).sum()))
    # (a generator: no list as long as the columns)
    return sum(
        min(columns[k].n_levels, 2 * n_bins) if columns[k].is_discrete else n_bins
        for k in kept
    )


def _fit_cost(estimator, columns, target, n_kept):
    counted = (
        estimator._table_counting() is not None
        and target.is_discrete
        and (
            columns.all_discrete
            if isinstance(columns, SparseColumns)
            else all(c.is_discrete for c in columns)
        )
    )
    unit = COUNT_COST if counted else KNN_COST
    return FIT_PASSES * target.n_samples * n_kept * unit


def _rows_paid(budget, n_permutations, levels, ky):
    """Rows of a screen whose cost is at most ``budget`` seconds."""
    per_pass = budget / n_permutations - CELL_COST * (ky + 1) * levels**2
    return int(per_pass / (ROW_COST * levels**2)) if per_pass > 0 else 0


def plan_screen(
    interactions, estimator, columns, target, *, n_permutations, alpha, exclude=None
):
    """The screen of a fit: its size, rows, bins and permutations, and a note.

    Parameters
    ----------
    interactions : int or "auto"
        The selector's parameter: an int is screened as asked (1: none).
    estimator : BaseMIEstimator
    columns : list of Variable or SparseColumns
    target : Variable
    n_permutations : int
        The selector's largest number of permutations per test.
    alpha : float
        The selector's level: the screen tests at ``SCREEN_SHARE * alpha``.
    exclude : ndarray of shape (n_columns,), bool, or None
        Columns left out of the screen (constant columns).

    Returns
    -------
    ScreenPlan
    """
    n_columns = len(columns)
    kept = np.arange(n_columns)
    if exclude is not None:
        kept = kept[~np.asarray(exclude, dtype=bool)]
    p, n = kept.size, target.n_samples
    size = resolve_interactions(interactions, p)
    if size < 2:
        return ScreenPlan(1, note="no interaction screen")
    n_pairs = p * (p - 1) // 2
    level = SCREEN_SHARE * alpha
    if not isinstance(interactions, str):
        sets = "pairs and triples" if size == 3 else "pairs"
        return ScreenPlan(size, level, note=f"{sets} of {p} features screened")
    ky = min(target.n_levels, 20) if target.is_discrete else 3
    budget = max(SHARE * _fit_cost(estimator, columns, target, p), SMALL)
    most = min(n, _interactions.MAX_SCREEN_SAMPLES)
    # from the screen of interactions=2 down to fewer permutations, then
    # coarser copies on fewer rows
    for min_permutations, n_bins, fewest in [
        (None, 3, most),
        (0, 3, most),
        (0, 2, min(n, MIN_ROWS)),
    ]:
        n_perm = level_permutations(level, n_permutations, min_permutations)
        levels = _levels(columns, kept, n_bins)
        rows = min(most, _rows_paid(budget, n_perm, levels, ky))
        if rows < fewest:
            continue
        # (never more bins than the screen's own rule gives these rows)
        n_bins = min(n_bins, screening_bins(rows, ky))
        where = f"{rows:,} of {n:,} rows" if rows < n else f"all {n:,} rows"
        return ScreenPlan(
            2,
            level,
            max_rows=rows,
            coarse_bins=n_bins,
            min_permutations=min_permutations,
            note=f"{n_pairs:,} pairs of {p} features screened on {where}, "
            f"{n_bins} bins per continuous column, up to {n_perm} permutations",
        )
    return ScreenPlan(
        1,
        note=f"the interaction screen did not run: its {n_pairs:,} pairs would "
        f"cost more than {SHARE:.0%} of the search (interactions=2 screens them)",
    )
