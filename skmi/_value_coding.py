"""Integer codes of the values of X and y for the discrete bottleneck.

Continuous columns are binned as the plug-in estimator bins them; a row of X
not seen in ``fit`` is matched to its nearest seen values. Also the check
that refuses category columns to the Gaussian method, which needs numbers.
"""

import numpy as np
from scipy.spatial.distance import cdist

from .estimators._codes import bin_quantile, factorize


def _target_codes(y, categorical, n_bins):
    """Integer codes of a discrete (or discretised) target."""
    if categorical:
        return factorize(y)
    y = np.asarray(y, dtype=np.float64).reshape(y.shape[0], -1)
    columns = [bin_quantile(y[:, j], n_bins) for j in range(y.shape[1])]
    codes = np.column_stack([c for c, _ in columns])
    return factorize(codes)


#: Largest number of entries of one block of query-to-value distances.
_DISTANCE_BLOCK = 1 << 20


class _ValueCoder:
    """Map the rows of X to the values of a discrete variable.

    Discrete columns keep their values. Continuous ones are cut into the
    equal-frequency bins of the plug-in estimator (:func:`bin_quantile`); the
    smallest training value of each bin is kept as its lower edge, so a new
    value falls in the bin whose edges bracket it and every training value
    in its own bin. A row is one value of the joint variable.

    A row whose joint value was not seen in ``fit`` is matched to the nearest
    seen values: a continuous column adds ``|code difference| / (n_levels -
    1)``, a discrete one 1 when the values differ, so every column weighs at
    most 1.
    """

    def __init__(self, X, discrete_mask, n_bins):
        self.mask = discrete_mask
        self.levels = []
        codes = np.empty(X.shape, dtype=np.int64)
        for j in range(X.shape[1]):
            if discrete_mask[j]:
                self.levels.append(np.unique(X[:, j]))
                codes[:, j] = np.searchsorted(self.levels[j], X[:, j])
            else:
                codes[:, j], n_levels = bin_quantile(X[:, j], n_bins)
                lower = np.full(n_levels, np.inf)
                np.minimum.at(lower, codes[:, j], X[:, j])
                self.levels.append(lower[1:])
        self.values, index = np.unique(codes, axis=0, return_inverse=True)
        self.index = index.reshape(-1)
        self.counts = np.bincount(self.index, minlength=self.values.shape[0])
        # bins minus one per continuous column (1 for a discrete one)
        self._span = np.array(
            [
                1.0 if discrete_mask[j] else max(self.levels[j].size, 1)
                for j in range(X.shape[1])
            ]
        )

    def _column_codes(self, X):
        codes = np.empty(X.shape, dtype=np.int64)
        for j, levels in enumerate(self.levels):
            if self.mask[j]:
                pos = np.minimum(np.searchsorted(levels, X[:, j]), levels.size - 1)
                codes[:, j] = np.where(levels[pos] == X[:, j], pos, -1)
            else:
                codes[:, j] = np.searchsorted(levels, X[:, j], side="right")
        return codes

    def _index(self, codes):
        """Index of each row's value among ``values`` (-1 if not seen in fit)."""
        m = self.values.shape[0]
        _, inverse = np.unique(
            np.vstack([self.values, codes]), axis=0, return_inverse=True
        )
        inverse = inverse.reshape(-1)
        lookup = np.full(inverse.max() + 1, -1, dtype=np.int64)
        lookup[inverse[:m]] = np.arange(m)
        return lookup[inverse[m:]]

    def lookup(self, X, table):
        """Rows of ``table`` (one per seen value) for the rows of ``X``.

        An unseen value gets the average of the rows of its nearest seen
        values, weighted by their training frequencies.
        """
        codes = self._column_codes(X)
        index = self._index(codes)
        out = table[np.maximum(index, 0)]
        unseen = np.flatnonzero(index < 0)
        step = max(1, _DISTANCE_BLOCK // self.values.shape[0])
        for start in range(0, unseen.size, step):
            rows = unseen[start : start + step]
            distance = self._distances(codes[rows])
            nearest = distance <= distance.min(axis=1, keepdims=True) + 1e-9
            weights = nearest * self.counts
            out[rows] = (weights @ table) / weights.sum(axis=1, keepdims=True)
        return out

    def _distances(self, codes):
        mask = self.mask
        distance = np.zeros((codes.shape[0], self.values.shape[0]))
        if not mask.all():
            span = self._span[~mask]
            distance += cdist(
                codes[:, ~mask] / span, self.values[:, ~mask] / span, "cityblock"
            )
        if mask.any():
            # the fraction of differing values, times their number
            distance += mask.sum() * cdist(
                codes[:, mask], self.values[:, mask], "hamming"
            )
        return distance


def _refuse_categories(categories, names):
    """Raise a ValueError naming the first category column that is not boolean."""
    for j, seen in categories.items():
        if not all(isinstance(v, (bool, np.bool_)) for v in seen):
            name = repr(str(names[j])) if names is not None else str(j)
            raise ValueError(
                f"Column {name} holds categories (strings or a categorical), "
                "which method='gaussian' cannot use: it needs numbers. One-hot "
                "encode the column (sklearn.preprocessing.OneHotEncoder) or use "
                "method='iterative' or 'deterministic', which read categories."
            )
