"""Greedy forward-selection criteria of the Brown et al. (2012) family.

A criterion scores a candidate feature ``X_k`` against the target ``Y`` and
the set ``S`` of features selected so far. Every criterion below is built from
a few *pairwise terms* between the candidate and one selected feature
``X_j``; a search keeps running sums or minima of these terms, so that each
step evaluates the candidates against the newly selected feature only.

==========  ====================================================  ==============
criterion   score ``J(X_k)`` for ``S`` non-empty                    pairwise terms
==========  ====================================================  ==============
``mim``     ``I(X_k;Y)``                                            none
``mifs``    ``I(X_k;Y) - beta sum_j I(X_k;X_j)``                    red
``mrmr``    ``I(X_k;Y) - mean_j I(X_k;X_j)``                        red
``cife``    ``I(X_k;Y) - sum_j [I(X_k;X_j) - I(X_k;X_j|Y)]``        red, cred
``icap``    ``I(X_k;Y) - sum_j max(0, I(X_k;X_j) - I(X_k;X_j|Y))``  red, cred
``jmi``     ``mean_j [I(X_k,X_j;Y) - I(X_j;Y)]``                    joint
``jmim``    ``min_j I(X_k,X_j;Y)``                                  joint
``cmim``    ``min_j I(X_k;Y|X_j)``                                  crel
``disr``    ``mean_j I(X_k,X_j;Y) / H(X_k,X_j,Y)``                  joint, hjoint
``cmi``     ``I(X_k;Y|X_S)``, ``X_S`` the joint selected set        cmi
==========  ====================================================  ==============

Every score reduces to the relevance ``I(X_k;Y)`` when ``S`` is empty.
JMI is the sum ``sum_j I(X_k,X_j;Y)`` of Brown et al.; the form above
subtracts ``sum_j I(X_j;Y)`` (the same for every candidate) and divides by
``|S|``, which leaves the choice unchanged and puts the score on the scale of
an information gain: by the chain rule it is ``mean_j I(X_k;Y|X_j)``. DISR is
likewise the mean rather than the sum of Meyer et al.'s ratios.

The pairwise terms are

* ``red``: ``I(X_k;X_j)``, the redundancy;
* ``cred``: ``I(X_k;X_j|Y)``, the class-conditional redundancy;
* ``joint``: ``I(X_k,X_j;Y)``, the joint relevance;
* ``crel``: ``I(X_k;Y|X_j)``, the conditional relevance;
* ``hjoint``: ``H(X_k,X_j,Y)``, the joint entropy (DISR);
* ``cmi``: ``I(X_k;Y|Z)`` with ``Z`` the whole selected set.

They are computed either by the information estimator's ``*_prepared``
methods (:func:`pair_terms`) or, for discrete variables with uncorrected
plug-in estimates, by counting joint codes of many candidates with one
``np.bincount`` (:class:`CountTerms`), which gives the same plug-in values.

References
----------
.. [1] G. Brown, A. Pocock, M.-J. Zhao and M. Luján, "Conditional likelihood
   maximisation: a unifying framework for information theoretic feature
   selection", JMLR 13, 2012.
.. [2] M. Bennasar, Y. Hicks and R. Setchi, "Feature selection using joint
   mutual information maximisation", Expert Systems with Applications 42,
   2015.
.. [3] F. Fleuret, "Fast binary feature selection with conditional mutual
   information", JMLR 5, 2004.
.. [4] P. E. Meyer, C. Schretter and G. Bontempi, "Information-theoretic
   feature selection in microarray data using variable complementarity",
   IEEE J. Sel. Topics Signal Process. 2, 2008.
.. [5] H. Peng, F. Long and C. Ding, "Feature selection based on mutual
   information: criteria of max-dependency, max-relevance, and
   min-redundancy", IEEE TPAMI 27, 2005.
.. [6] R. Battiti, "Using mutual information for selecting features in
   supervised neural net learning", IEEE Trans. Neural Networks 5, 1994.
"""

from functools import cached_property

import numpy as np

from ..estimators._chance import (
    expected_mutual_info_row_batch,
    expected_mutual_info_shared_columns,
)
from ..estimators._count_tables import (
    count_tables,
    count_tables_masks,
    joint_entropies,
    level_masks,
    table_entropies,
    xlogx_table,
)
from ..estimators._threads import n_threads, thread_map
from ..estimators._variables import Variable

__all__ = [
    "CRITERIA",
    "Accumulator",
    "CountTerms",
    "pair_terms",
    "terms_needed",
]

#: pairwise terms each criterion needs
_NEEDS = {
    "mim": (),
    "mifs": ("red",),
    "mrmr": ("red",),
    "cife": ("red", "cred"),
    "icap": ("red", "cred"),
    "jmi": ("joint",),
    "jmim": ("joint",),
    "cmim": ("crel",),
    "disr": ("joint", "hjoint"),
    "cmi": ("cmi",),
}

CRITERIA = tuple(_NEEDS)


def terms_needed(criterion):
    """The pairwise terms a criterion is built from."""
    return _NEEDS[criterion]


# --------------------------------------------------------------------------
# pairwise terms through the information estimator
# --------------------------------------------------------------------------
def pair_terms(estimator, candidates, xj, target, needs, step=None):
    """Pairwise terms of each candidate with ``xj`` (the selected set for "cmi").

    Parameters
    ----------
    estimator : BaseMIEstimator
    candidates : list of Variable
    xj : Variable
        The newly selected feature (the joint selected set for ``"cmi"``).
    target : Variable
    needs : tuple of str
        Terms to compute (see the module docstring).
    step : FrenzelPompeStep or None, default=None
        Structures of ``target`` and ``xj`` shared by all candidates; its
        ``conditional_mutual_info(xk)`` gives ``I(X_k; Y | xj)`` (the
        estimator's own value) or None when the general path applies.

    Returns
    -------
    dict of str to ndarray of shape (n_candidates,)
    """
    out = {name: np.empty(len(candidates)) for name in needs}

    def conditional(xk):
        value = None if step is None else step.conditional_mutual_info(xk)
        if value is None:
            value = estimator.conditional_mutual_info_prepared(xk, target, xj)
        return value

    for i, xk in enumerate(candidates):
        if "red" in needs:
            out["red"][i] = estimator.mutual_info_prepared(xk, xj)
        if "cred" in needs:
            out["cred"][i] = estimator.conditional_mutual_info_prepared(xk, xj, target)
        if "joint" in needs:
            out["joint"][i] = estimator.mutual_info_prepared(
                Variable.join(xk, xj), target
            )
        if "hjoint" in needs:
            out["hjoint"][i] = estimator.entropy_prepared(Variable.join(xk, xj, target))
        for name in ("crel", "cmi"):
            if name in needs:
                out[name][i] = conditional(xk)
    return out


# --------------------------------------------------------------------------
# pairwise terms of discrete candidates by counting, vectorised
# --------------------------------------------------------------------------
class CountTerms:
    """Pairwise terms of discrete variables by vectorised plug-in counts.

    Built once per search from the codes of every column and of the target;
    the marginal entropies ``H(X_k)`` and ``H(X_k, Y)`` are computed once.
    Each step counts, for all candidates at once, the table of each
    candidate's levels against the levels of ``W = (Z, Y)`` (or of ``Z``
    alone when only redundancies are needed), and gets both ``H(X_k, Z, Y)``
    and (summing ``y`` out) ``H(X_k, Z)``.

    The tables are counted by ANDing per-level bitmasks of the samples and
    counting bits (``np.bitwise_count``, numpy >= 2) when the columns have
    few levels and ``W`` few values; by one ``np.bincount`` of the joint codes
    of a batch of candidates when the tables stay small; and otherwise by
    :func:`~skmi.estimators._count_tables.joint_entropies`, which sorts the codes
    whose range is too large to count.

    Parameters
    ----------
    codes : ndarray of shape (n_columns, n_samples) or sequence of ndarray
        Dense codes of each column (any unsigned or signed integer type; the
        smallest one that holds them keeps the memory at one byte per value
        for up to 256 levels). Given as a sequence of columns, they are
        stacked into one array only if the bitmasks cannot count them.
    n_levels : ndarray of shape (n_columns,)
        Number of levels of each column.
    target : Variable
        A discrete target.
    n_jobs : int or None, default=None
        Threads that build the bitmasks and count them, each for a share of
        the columns (see
        :mod:`skmi.estimators._threads`); the results do not depend on it.
    chance : bool, default=False
        Subtract from every information term its expectation under
        independence given the margins (information adjusted for chance,
        as ``KSG()`` and ``PlugIn(adjust="chance")`` compute it): the
        expectations of all candidates of a step come from their count
        tables in one batch
        (:func:`~skmi.estimators._chance.expected_mutual_info_shared_columns`).
    """

    #: largest ``K_max x K_w`` cells per candidate counted with bitmasks
    MASK_CELLS = 128
    #: largest number of levels of a column kept as bitmasks
    MASK_LEVELS = 16
    #: largest ``K_max x K_w`` cells per candidate counted as a table
    TABLE_CELLS = 1 << 16

    def __init__(self, codes, n_levels, target, n_jobs=None, chance=False):
        self.columns = codes
        self.chance = chance
        self.workers = n_threads(n_jobs)
        self.n_levels = np.asarray(n_levels, dtype=np.int64)
        self.k_max = int(self.n_levels.max()) if self.n_levels.size else 1
        self.y = np.asarray(target.codes, dtype=np.int64)
        self.ky = int(target.n_levels)
        self.n = self.y.shape[0]
        self.xlogx = xlogx_table(self.n)
        self.masks = None
        if hasattr(np, "bitwise_count") and self.k_max <= self.MASK_LEVELS:
            self._build_masks()
        self.h_y = self._single(self.y, self.ky)
        rows = np.arange(len(codes))
        zeros = np.zeros(self.n, dtype=np.int64)
        self.h_xy, self.h_x, tables = self._joint(rows, zeros, 1, True)
        self.expected_relevance = np.zeros(rows.size)
        if chance:
            self.expected_relevance = self._expected(rows, zeros, 1, tables, ("crel",))[
                "crel"
            ]

    @property
    def shares(self):
        """The cells of a step's expectations in one share per thread."""
        return self.workers, lambda f, items: thread_map(f, items, self.workers)

    @cached_property
    def codes(self):
        """The codes as one array of shape (n_columns, n_samples)."""
        if isinstance(self.columns, np.ndarray):
            return self.columns
        return np.stack(self.columns) if len(self.columns) else np.zeros((0, self.n))

    def _build_masks(self):
        """Bitmasks of the columns, ordered by their number of levels.

        Column ``j`` has the masks ``self.masks[self.mask_row[j]]``: the
        candidates of a step then form long runs of consecutive mask rows
        with the same number of levels, which the kernel reads in place.
        """
        m = self.n_levels.size
        order = np.argsort(self.n_levels, kind="stable")
        self.mask_row = np.empty(m, dtype=np.intp)
        self.mask_row[order] = np.arange(m)
        self.masks = np.zeros((m, self.k_max, (self.n + 63) // 64), dtype=np.uint64)
        bounds = np.linspace(0, m, self.workers + 1).astype(int)
        block = 64

        def build(i):
            for start in range(bounds[i], bounds[i + 1], block):
                rows = slice(start, min(start + block, bounds[i + 1]))
                codes = np.stack([self.columns[j] for j in order[rows]])
                level_masks(codes, self.k_max, out=self.masks[rows])

        thread_map(build, range(self.workers), self.workers)

    def _single(self, codes, size):
        """Entropy of one code array."""
        counts = np.bincount(codes, minlength=size)
        return float(table_entropies(counts[None, :], self.n, self.xlogx)[0])

    def _mask_tables(self, rows, levels, w, kw):
        """:func:`count_tables_masks` of the columns ``rows``, in threads.

        The rows are ordered by their mask rows and cut into one contiguous
        share per thread, of about equal work (their numbers of levels).
        """
        at = self.mask_row[rows]
        if self.workers == 1 or rows.size < 8:
            return count_tables_masks(self.masks, at, w, kw, levels)
        order = np.argsort(at, kind="stable")
        work = np.cumsum(levels[order])
        shares = work[-1] * np.arange(1, self.workers) / self.workers
        cuts = np.searchsorted(work, shares)
        parts = np.split(order, cuts)
        tables = thread_map(
            lambda part: count_tables_masks(self.masks, at[part], w, kw, levels[part]),
            parts,
            self.workers,
        )
        out = np.empty((rows.size, self.k_max, kw), dtype=np.int64)
        for part, table in zip(parts, tables, strict=True):
            out[part] = table
        return out

    def _tables(self, rows, levels, k_max, w, kw):
        """Count tables of ``codes[rows]`` against ``w``, or None when too large."""
        if self.masks is not None and k_max * kw <= self.MASK_CELLS:
            return self._mask_tables(rows, levels, w, kw)
        if k_max * kw <= self.TABLE_CELLS:
            return count_tables(self.codes, rows, k_max, w, kw)
        return None

    def _joint(self, rows, z, kz, with_y):
        """``H(X, Z, Y)``, ``H(X, Z)`` and the tables (``H(X, Z)``, None, tables).

        The tables of the rows, of shape (n_rows, k, kz, ky) (ky = 1 without
        ``y``), are None when the general kernel counted by sorting.
        """
        rows = np.asarray(rows, dtype=np.intp)
        levels = self.n_levels[rows]
        ky = self.ky if with_y else 1
        k_max = int(levels.max()) if levels.size else 1
        if self.masks is not None:
            k_max = self.k_max
        w = z * ky + self.y if with_y else z
        tables = self._tables(rows, levels, k_max, w, kz * ky)
        if tables is None:
            # many levels: the general kernel (sorting beyond its budget)
            y = self.y if with_y else None
            h, h_without_y = joint_entropies(
                self.codes, rows, levels, z, ky * levels * kz, self.xlogx, y=y, ky=ky
            )
            return (h, h_without_y, None) if with_y else (h, None, None)
        h = table_entropies(tables, self.n, self.xlogx)
        tables = tables.reshape(rows.size, k_max, kz, ky)
        if not with_y:
            return h, None, tables
        folded = tables.sum(axis=3)
        return h, table_entropies(folded, self.n, self.xlogx), tables

    def _expected(self, rows, z, kz, tables, needs):
        """Expectations under independence of the information terms ``needs``.

        From the tables (n_rows, k, kz, ky) of :meth:`_joint` (ky = 1 when
        only ``"red"`` is needed); without tables (many levels), from the
        codes of each row.
        """
        if tables is None:
            return self._expected_of_codes(rows, z, kz, needs)
        m, k = tables.shape[:2]
        if m == 0:
            return {name: np.zeros(0) for name in needs if name != "hjoint"}
        # each term's tables as the totals of their rows, (candidates,
        # strata, rows), and of their columns, the same for every candidate:
        # I(X; Z), I(X; Z | Y), I(X, Z; Y) and I(X; Y | Z) (also "cmi")
        xz, zy = tables.sum(axis=3), tables[0].sum(axis=0)
        margins = {
            "red": lambda: (xz.sum(axis=2)[:, None], zy.sum(axis=1)[None]),
            "cred": lambda: (tables.sum(axis=2).transpose(0, 2, 1), zy.T),
            "joint": lambda: (xz.reshape(m, 1, k * kz), zy.sum(axis=0)[None]),
            "crel": lambda: (xz.transpose(0, 2, 1), zy),
        }
        out = {}
        for name in needs:
            key = "crel" if name == "cmi" else name
            if key in margins and key not in out:
                out[key] = expected_mutual_info_shared_columns(
                    *margins[key](), shares=self.shares
                )
        return {
            name: out["crel" if name == "cmi" else name]
            for name in needs
            if name != "hjoint"
        }

    def _expected_of_codes(self, rows, z, kz, needs):
        """:meth:`_expected` from the codes (many levels): the totals of each
        row's levels within each stratum, counted one row at a time, and
        their expectations against the column totals all rows share, in one
        batch per term."""
        ky, y, n = self.ky, self.y, self.n
        # per term: the strata, the rows' codes as a function of x, their
        # number of levels, and the totals of the columns in each stratum
        terms = {
            "red": (None, lambda x: x, 1, np.bincount(z, minlength=kz)[None]),
            "cred": (y, lambda x: x, ky, np.bincount(y * kz + z, minlength=ky * kz)),
            "joint": (
                None,
                lambda x: x * kz + z,
                1,
                np.bincount(y, minlength=ky)[None],
            ),
            "crel": (z, lambda x: x, kz, np.bincount(z * ky + y, minlength=kz * ky)),
        }
        out = {}
        for name in dict.fromkeys("crel" if m == "cmi" else m for m in needs):
            if name not in terms:
                continue
            strata, level, n_strata, columns = terms[name]
            owner, stratum, totals = [], [], []
            for i, r in enumerate(rows):
                x = level(np.asarray(self.codes[r], dtype=np.int64))
                kx = int(self.n_levels[r]) * (kz if name == "joint" else 1)
                key = x if strata is None else strata * kx + x
                if n_strata * kx <= 4 * n:
                    counts = np.bincount(key, minlength=n_strata * kx)
                    occupied = np.flatnonzero(counts)
                    counts = counts[occupied]
                else:
                    occupied, counts = np.unique(key, return_counts=True)
                owner.append(np.full(occupied.size, i))
                stratum.append(occupied // kx)
                totals.append(counts)
            out[name] = expected_mutual_info_row_batch(
                *(np.concatenate(v) for v in (owner, stratum, totals)),
                rows.size,
                columns.reshape(n_strata, -1),
                shares=self.shares,
            )
        return {m: out["crel" if m == "cmi" else m] for m in needs if m != "hjoint"}

    def relevance(self, index):
        """``I(X_k; Y)`` for the columns ``index``."""
        observed = self.h_x[index] + self.h_y - self.h_xy[index]
        return observed - self.expected_relevance[index]

    def terms(self, index, z_codes, kz, needs):
        """Terms of the columns ``index`` with a discrete ``Z`` (codes ``0..kz-1``).

        ``Z`` is the newly selected column, or the joint selected set for
        ``"cmi"``.
        """
        rows = np.asarray(index, dtype=np.intp)
        h_x, h_xy = self.h_x[rows], self.h_xy[rows]
        kz, ky = int(kz), self.ky
        z = np.asarray(z_codes, dtype=np.int64)
        h_z = self._single(z, kz)
        if set(needs) == {"red"}:
            h_xz, _, tables = self._joint(rows, z, kz, False)
            out = {"red": h_x + h_z - h_xz}
            return self._adjusted(out, rows, z, kz, tables)
        h_zy = self._single(z * ky + self.y, kz * ky)
        h_xzy, h_xz, tables = self._joint(rows, z, kz, True)
        out = {}
        if "red" in needs:
            out["red"] = h_x + h_z - h_xz
        if "cred" in needs:
            out["cred"] = h_xy + h_zy - h_xzy - self.h_y
        if "joint" in needs:
            out["joint"] = h_xz + self.h_y - h_xzy
        if "hjoint" in needs:
            out["hjoint"] = h_xzy
        for name in ("crel", "cmi"):
            if name in needs:
                out[name] = h_xz + h_zy - h_xzy - h_z
        return self._adjusted(out, rows, z, kz, tables)

    def _adjusted(self, out, rows, z, kz, tables):
        """The information terms of ``out`` minus their expectations, if asked."""
        if not self.chance:
            return out
        expected = self._expected(rows, z, kz, tables, tuple(out))
        for name, value in expected.items():
            out[name] = out[name] - value
        return out


# --------------------------------------------------------------------------
# running sums and minima of the terms
# --------------------------------------------------------------------------
class Accumulator:
    """Running sums and minima of the pairwise terms of a set of candidates.

    Parameters
    ----------
    criterion : str
    relevance : ndarray of shape (n_candidates,)
        ``I(X_k; Y)`` of each candidate.
    beta : float
        MIFS redundancy weight.
    """

    def __init__(self, criterion, relevance, beta=1.0):
        self.criterion = criterion
        self.relevance = np.asarray(relevance, dtype=np.float64)
        self.beta = beta
        m = self.relevance.shape[0]
        self.total = np.zeros(m)
        self.minimum = np.full(m, np.inf)
        self.cmi = np.array(self.relevance)
        self.n_selected = 0
        self.selected_relevance = 0.0

    def add(self, terms, index=slice(None)):
        """Fold in the terms of the candidates ``index`` with one new feature."""
        c = self.criterion
        if c in ("mifs", "mrmr"):
            self.total[index] += terms["red"]
        elif c == "cife":
            self.total[index] += terms["red"] - terms["cred"]
        elif c == "icap":
            self.total[index] += np.maximum(0.0, terms["red"] - terms["cred"])
        elif c == "jmi":
            self.total[index] += terms["joint"]
        elif c == "jmim":
            self.minimum[index] = np.minimum(self.minimum[index], terms["joint"])
        elif c == "cmim":
            self.minimum[index] = np.minimum(self.minimum[index], terms["crel"])
        elif c == "disr":
            self.total[index] += terms["joint"] / terms["hjoint"]
        elif c == "cmi":
            self.cmi[index] = terms["cmi"]

    def step(self, relevance_j):
        """Record that one more feature (of relevance ``relevance_j``) was selected."""
        self.n_selected += 1
        self.selected_relevance += float(relevance_j)

    def scores(self, index=slice(None)):
        """Criterion scores of the candidates ``index`` (see the module table)."""
        c, s = self.criterion, self.n_selected
        rel = self.relevance[index]
        if s == 0 or c == "mim":
            return np.array(rel, dtype=np.float64)
        if c == "mifs":
            return rel - self.beta * self.total[index]
        if c == "mrmr":
            return rel - self.total[index] / s
        if c in ("cife", "icap"):
            return rel - self.total[index]
        if c == "jmi":
            return (self.total[index] - self.selected_relevance) / s
        if c in ("jmim", "cmim"):
            return np.array(self.minimum[index])
        if c == "disr":
            return self.total[index] / s
        return np.array(self.cmi[index])
