"""Prepared random variables: the currency of the estimation kernels.

A :class:`Variable` holds the samples of one (possibly multivariate)
random variable after preparation: a block of continuous coordinates
(already scaled and, where needed, jittered) and/or one integer code for
its discrete coordinates (the joint code of all discrete columns). Either
part may be absent. Structures that depend only on the variable (its sort
order, its partition into levels) are computed once and cached, so a target
used against many features is sorted or partitioned once per fit.
"""

from functools import cached_property

import numpy as np

from ._codes import code_dtype, factorize, factorize_counted, joint_codes

__all__ = ["Variable"]


class Variable:
    """Samples of a random variable with continuous and/or discrete parts.

    Parameters
    ----------
    continuous : ndarray of shape (n, d), float64, or None
        Continuous coordinates.
    codes : ndarray of shape (n,), integer, or None
        Dense codes ``0..n_levels-1`` of the discrete coordinates; they are
        kept in the smallest unsigned integer type that holds them (one
        byte per sample for up to 256 levels), so arithmetic on them must
        widen them first (:func:`~skmi.estimators._codes.joint_codes`
        does).
    n_levels : int
        Number of distinct codes (1 when ``codes`` is None).
    constant : bool
        Whether the continuous part held a single value before the
        tie-breaking noise was added (the variable then carries no
        information, whatever the noise).
    """

    def __init__(self, continuous=None, codes=None, n_levels=None, constant=False):
        if continuous is not None:
            continuous = np.asarray(continuous, dtype=np.float64)
            if continuous.ndim == 1:
                continuous = continuous[:, None]
            if continuous.shape[1] == 0:
                continuous = None
        if codes is not None and n_levels is None:
            codes, n_levels = factorize(codes)
        if codes is not None:
            codes = np.asarray(codes)
            codes = codes.astype(code_dtype(int(n_levels)), copy=False)
        self.continuous = continuous
        self.codes = codes
        self.n_levels = 1 if codes is None else int(n_levels)
        self.constant = bool(constant) and continuous is not None

    @classmethod
    def from_discrete(cls, values):
        """A discrete variable from values of shape (n,) or (n, d)."""
        values = np.asarray(values)
        counted = factorize_counted(values) if values.ndim == 1 else None
        if counted is None:
            codes, n_levels = factorize(values)
            return cls(codes=codes, n_levels=n_levels)
        return cls.from_counted(*counted)

    @classmethod
    def from_counted(cls, codes, n_levels, level_counts):
        """A discrete variable from dense codes and the count of each code."""
        variable = cls(codes=codes, n_levels=n_levels)
        variable.__dict__["level_counts"] = level_counts  # the cached property
        return variable

    @property
    def n_samples(self):
        part = self.continuous if self.continuous is not None else self.codes
        return 0 if part is None else part.shape[0]

    @property
    def is_discrete(self):
        return self.continuous is None and self.codes is not None

    @property
    def is_continuous(self):
        return self.continuous is not None and self.codes is None

    @property
    def is_empty(self):
        return self.continuous is None and self.codes is None

    @property
    def is_constant(self):
        """Whether every sample has the same value (no information)."""
        if self.is_empty:
            return False
        continuous_constant = self.continuous is None or self.constant
        return continuous_constant and self.n_levels == 1

    @property
    def is_1d(self):
        return self.is_continuous and self.continuous.shape[1] == 1

    def discrete_part(self):
        return Variable(codes=self.codes, n_levels=self.n_levels)

    def continuous_part(self):
        return Variable(continuous=self.continuous, constant=self.constant)

    @cached_property
    def sort_order(self):
        """Sort permutation of a one-dimensional continuous variable."""
        return np.argsort(self.continuous[:, 0])

    @cached_property
    def level_indices(self):
        """Indices of the samples of each level, each in increasing order."""
        order = np.argsort(self.codes, kind="stable")
        counts = np.bincount(self.codes, minlength=self.n_levels)
        return np.split(order, np.cumsum(counts)[:-1])

    @cached_property
    def level_counts(self):
        return np.bincount(self.codes, minlength=self.n_levels)

    def precompute(self):
        """Compute the cached structures now (before parallel work)."""
        if self.is_1d:
            self.sort_order  # noqa: B018
        if self.codes is not None:
            self.level_indices  # noqa: B018
            self.level_counts  # noqa: B018
        return self

    def take(self, index):
        """The variable restricted to the samples ``index``."""
        continuous = None if self.continuous is None else self.continuous[index]
        codes = None
        n_levels = None
        if self.codes is not None:
            codes, n_levels = factorize(self.codes[index])
        # a continuous part that holds one value on these samples (the zeros of
        # a sparse column) carries no information there
        constant = self.constant or (
            continuous is not None
            and continuous.shape[0] > 0
            and bool(np.all(continuous == continuous[0]))
        )
        return Variable(continuous, codes, n_levels, constant=constant)

    @staticmethod
    def join(*variables):
        """The joint variable of several variables (on the same samples)."""
        variables = [v for v in variables if v is not None and not v.is_empty]
        if not variables:
            return Variable()
        with_blocks = [v for v in variables if v.continuous is not None]
        continuous = (
            np.hstack([v.continuous for v in with_blocks]) if with_blocks else None
        )
        constant = bool(with_blocks) and all(v.constant for v in with_blocks)
        discrete = [v for v in variables if v.codes is not None]
        codes = n_levels = None
        if discrete:
            codes, n_levels = joint_codes(
                [v.codes for v in discrete], [v.n_levels for v in discrete]
            )
            if len(discrete) > 1:
                codes, n_levels = factorize(codes)
        return Variable(continuous, codes, n_levels, constant=constant)

    def __repr__(self):
        d = 0 if self.continuous is None else self.continuous.shape[1]
        return (
            f"Variable(n_samples={self.n_samples}, continuous_dims={d}, "
            f"n_levels={self.n_levels if self.codes is not None else None})"
        )
