"""The public estimators: thin parameter holders over the kernels."""

from numbers import Integral
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import clone

from .._validation import Interval, StrOptions
from ._base import BaseMIEstimator
from ._codes import bin_quantile, bin_uniform
from ._conditioning import step_conditioning
from ._euclidean import euclidean_mutual_info, normal_scores
from ._ksg import knn_conditional_mutual_info, knn_entropy
from ._lnc import lnc_prepared
from ._plugin import (
    adjusted_mutual_info_counts,
    conditional_mutual_info_counts,
    entropy_counts,
    mutual_info_counts,
)
from ._preprocess import (
    JITTER,
    add_jitter,
    column,
    column_scales,
    constant_columns,
    scale_columns,
)
from ._variables import Variable

__all__ = ["KSG", "PlugIn"]


class KSG(BaseMIEstimator):
    """K-nearest-neighbour estimators of entropy and (conditional) MI.

    The member of the family is chosen from the kinds of the variables:
    Kraskov-Stögbauer-Grassberger (algorithm 1, maximum norm, strict counts)
    for two continuous variables, Ross for a continuous and a discrete one,
    Frenzel-Pompe for a continuous conditioning variable (with the neighbours
    taken within each class when the other variable is discrete), the exact
    ``p(z)``-weighted average for a discrete conditioning variable, plug-in
    counts (adjusted for chance by default) when everything is discrete, and
    Kozachenko-Leonenko for entropy.

    Read more in the :ref:`User Guide <estimators>`.

    Parameters
    ----------
    n_neighbors : int, default=3
        Number of neighbours ``k``. Larger values lower the variance and raise
        the bias (towards zero) of the estimates.
    ties : {"jitter", "mixed"}, default="jitter"
        How exact repeats of continuous values are handled. "jitter" adds
        seeded Gaussian noise of relative size 1e-10 to each continuous column
        (after scaling it to unit variance) so the k-NN estimators see no
        ties. "mixed" adds no noise and treats repeated values as atoms with
        the estimator of Gao et al. (2017) for variables that mix discrete and
        continuous values, as in the authors' reference code. On tie-free
        data it equals KSG (or Ross) up to ``log N - psi(N)``, about
        ``1 / 2N``; near atoms it is biased at finite ``N`` (measured at
        ``N = 2000``, ``k = 5``: +0.05 nats on a continuous column with 30%
        zeros against an independent one, -0.2 on the authors' mixture of a
        Gaussian and a binary channel, whose truth is 1.29).
    adjust : {"chance"} or None, default="chance"
        Adjustment of the plug-in counts used when both variables (and the
        conditioning variable) are discrete. "chance" subtracts the exact
        expectation of the plug-in information under independence with the
        observed margins (see :class:`PlugIn`), so a discrete column with
        one level per sample, such as an identifier, scores zero instead of
        ``H(Y)``; None keeps the raw plug-in counts (as scikit-learn's
        ``mutual_info_classif`` does). The k-NN members of the family need
        no such adjustment: their estimates are already centred near zero
        under independence.
    transform : {"copula"} or None, default=None
        Transform of each continuous column before the k-NN estimate.
        "copula" replaces the values by their normal scores,
        ``Phi^-1(rank / (n + 1))`` (equal values keep equal scores): mutual
        information is invariant under increasing maps of each coordinate,
        and after the transform every marginal is Gaussian, which removes
        the bias of heavy tails (Student-t) and warped marginals. It applies
        to mutual and conditional information; :meth:`entropy`, which is
        not invariant, is computed on the original values. Sparse continuous
        columns are not transformed.
    metric : {"chebyshev", "euclidean"}, default="chebyshev"
        Norm within each multivariate continuous variable; the distance in a
        joint space is the largest of the variables' distances (Kraskov et
        al., section II.A). "euclidean" uses round balls within each
        variable (as the KSG of the "Beyond Normal" benchmark does), which
        is less biased in several dimensions; it costs ``O(n^2 d)`` (no
        tree) and applies to KSG and Frenzel-Pompe terms of continuous
        variables with ``ties="jitter"``; the other members of the family
        keep the maximum norm. Both are the same for one-dimensional
        variables.
    correction : {"lnc"} or None, default=None
        Correction of the mutual information of two continuous variables.
        "lnc" is the local non-uniformity correction of Gao, Ver Steeg and
        Galstyan [5]_ for strongly dependent variables: where the ``k``
        nearest neighbours of a sample lie in a thin region (their box
        along the principal axes is below a fraction ``alpha`` of the
        maximum-norm box), the log-ratio of the two volumes is added to
        the estimate, which then exceeds the ``log N`` ceiling of plain
        KSG. Its base is KSG's second algorithm (rectangles), as in the
        authors' code; ``alpha`` is the 0.5% quantile of the ratio for a
        locally uniform density (about 0.1 for two one-dimensional
        variables and ``k = 3``). It applies to the information between two
        continuous variables of joint dimension below ``n_neighbors``
        (other pairs get the second algorithm without correction);
        conditional information keeps Frenzel-Pompe. It requires
        ``ties="jitter"``, ``metric="chebyshev"`` and ``transform=None``
        (normal scores of ranks put a strongly dependent pair on a lattice,
        whose flat neighbourhoods measure only the tie-breaking noise).
    random_state : int, RandomState instance or None, default=None
        Determines the random numbers used for the tie-breaking noise.
        Pass an int for reproducible results across multiple calls.
        See :term:`Glossary <random_state>`.

    See Also
    --------
    PlugIn : Counting estimators with bias corrections.

    Notes
    -----
    Continuous variables are centred and scaled to unit variance before
    information is estimated (the estimate is not invariant to rescaling one
    variable relative to another); an entropy is estimated on the scaled
    values and shifted back by the log of the scales. A constant variable
    carries exactly zero information and has differential entropy minus
    infinity. Results are in nats and are not clipped: small negative values
    are estimates of zero.

    References
    ----------
    .. [1] A. Kraskov, H. Stögbauer and P. Grassberger, "Estimating mutual
       information", Phys. Rev. E 69, 2004.
    .. [2] B. C. Ross, "Mutual information between discrete and continuous
       data sets", PLoS ONE 9(2), 2014.
    .. [3] S. Frenzel and B. Pompe, "Partial mutual information for coupling
       analysis of multivariate time series", Phys. Rev. Lett. 99, 2007.
    .. [4] W. Gao, S. Kannan, S. Oh and P. Viswanath, "Estimating mutual
       information for discrete-continuous mixtures", NeurIPS 2017.
    .. [5] S. Gao, G. Ver Steeg and A. Galstyan, "Efficient estimation of
       mutual information for strongly dependent variables", AISTATS 2015.

    Examples
    --------
    >>> import numpy as np
    >>> from skmi.estimators import KSG
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(2000)
    >>> y = 0.8 * x + 0.6 * rng.standard_normal(2000)  # rho = 0.8
    >>> est = KSG(n_neighbors=3, random_state=0)
    >>> round(est.mutual_info(x, y), 1)  # true value 0.511 nats
    0.5
    >>> labels = (x > 0).astype(int)
    >>> est.mutual_info(x, labels, y_discrete=True) > 0.5
    True

    A strongly dependent pair (the true information is 9.2 nats) is beyond
    the reach of plain KSG at 2,000 samples; the correction recovers it:

    >>> y = x + 1e-4 * rng.standard_normal(2000)
    >>> round(est.mutual_info(x, y), 1)
    6.3
    >>> round(KSG(correction="lnc", random_state=0).mutual_info(x, y), 1)
    9.0
    """

    _parameter_constraints: dict = {
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "ties": [StrOptions({"jitter", "mixed"})],
        "adjust": [None, StrOptions({"chance"})],
        "transform": [None, StrOptions({"copula"})],
        "metric": [StrOptions({"chebyshev", "euclidean"})],
        "correction": [None, StrOptions({"lnc"})],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_neighbors: int = 3,
        *,
        ties: Literal["jitter", "mixed"] = "jitter",
        adjust: Literal["chance"] | None = "chance",
        transform: Literal["copula"] | None = None,
        metric: Literal["chebyshev", "euclidean"] = "chebyshev",
        correction: Literal["lnc"] | None = None,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        self.n_neighbors = n_neighbors
        self.ties = ties
        self.adjust = adjust
        self.transform = transform
        self.metric = metric
        self.correction = correction
        self.random_state = random_state

    def _validate_params(self):
        super()._validate_params()
        if self.correction is None:
            return
        # the correction reads the local geometry of tie-free samples in the
        # maximum norm; normal scores of ranks put strongly dependent pairs
        # on a lattice whose thin boxes measure the tie-breaking noise
        needs = (("ties", "jitter"), ("metric", "chebyshev"), ("transform", None))
        for name, needed in needs:
            if getattr(self, name) != needed:
                raise ValueError(
                    f"correction={self.correction!r} corrects the maximum-norm "
                    "KSG estimate of tie-free samples in their own geometry: "
                    f"it requires {name}={needed!r}; got "
                    f"{name}={getattr(self, name)!r}. Set {name}={needed!r} or "
                    "correction=None."
                )

    def _min_samples(self):
        return self.n_neighbors + 1

    def _too_few_samples(self, n_samples):
        if n_samples >= self._min_samples():
            return None
        k = self.n_neighbors
        return (
            f"n_neighbors={k} requires at least n_neighbors + 1 = {k + 1} "
            f"samples; got n_samples={n_samples}. Lower the estimator's "
            "n_neighbors or give more samples."
        )

    def _chance(self):
        return self.adjust == "chance"

    def _table_counting(self):
        # all-discrete variables are counted, adjusted for chance or not
        return "chance" if self._chance() else "raw"

    def _step_structure(self, target, z):
        # Frenzel-Pompe structures for a continuous target, within-class
        # ones for a discrete target (see :mod:`._conditioning`)
        if self.ties != "jitter" or self.metric != "chebyshev":
            # (the Euclidean terms take the general path)
            return None
        return step_conditioning(target, z, self.n_neighbors)

    def _prepare_continuous(self, X, columns, rng, scale, center):
        # one copy of the continuous columns, filled column by column
        block = np.empty((X.shape[0], columns.size), order="F")
        for i, j in enumerate(columns):
            block[:, i] = column(X, j)
        constant = constant_columns(block)
        if self.transform == "copula":
            for i in np.flatnonzero(~constant):
                block[:, i] = normal_scores(block[:, i])
        if scale:
            scale_columns(block, center=center)
        if self.ties == "jitter":
            add_jitter(block, rng)
        return [
            Variable(block[:, i : i + 1], constant=constant[i])
            for i in range(columns.size)
        ]

    def _prepare_sparse_column(self, data, rows, n_samples, seed, *, scale, center):
        # A continuous sparse column (TF-IDF, scaled values) is a mass at zero
        # plus a continuous part: the indicator of a stored value and, on
        # those rows, the value. The chain rule of the estimator then gives
        # I(1[x != 0]; Y) + P(x != 0) I(X; Y | x != 0), the zeros adding no
        # noise of their own; only the stored values are jittered.
        if self.ties != "jitter":
            return super()._prepare_sparse_column(
                data, rows, n_samples, seed, scale=scale, center=center
            )
        stored = data != 0
        rows = rows[stored]
        values = data[stored].astype(np.float64)
        constant = values.size == 0 or (
            values.size == n_samples and np.all(values == values[0])
        )
        if values.size:
            spread = float(np.max(np.abs(values)))
            values = values / spread  # a common scale: the estimates are unchanged
        if values.size and np.ptp(values) > 0:
            # (stored values that are all equal stay so: the part is constant)
            noise = np.random.RandomState(seed).standard_normal(values.size)
            values += JITTER * max(1.0, float(np.mean(np.abs(values)))) * noise
        continuous = np.zeros((n_samples, 1))
        continuous[rows, 0] = values
        indicator = np.zeros(n_samples, dtype=np.int64)
        indicator[rows] = 1
        return Variable(continuous, indicator, constant=constant)

    def entropy(self, x: ArrayLike, *, discrete: bool = False) -> float:
        if self.transform is not None:
            # an entropy is not invariant under the transform: the values' own
            return clone(self).set_params(transform=None).entropy(x, discrete=discrete)
        (xv,), (a,) = self._variables(
            [("x", x, discrete)], scale=True, return_arrays=True
        )
        h = float(self.entropy_prepared(xv))
        if not discrete and np.isfinite(h):
            # estimated on unit-variance columns: H(x) = H(x / s) + sum log s
            h += float(np.sum(np.log(column_scales(a))))
        return h

    entropy.__doc__ = BaseMIEstimator.entropy.__doc__

    def entropy_prepared(self, x: Variable) -> float:
        return knn_entropy(x, self.n_neighbors)

    def conditional_mutual_info_prepared(
        self, x: Variable, y: Variable, z: Variable | None = None
    ) -> float:
        if self.correction == "lnc":
            value = lnc_prepared(x, y, z, self.n_neighbors)
            if value is not None:
                return value
        if self.metric == "euclidean" and self.ties == "jitter":
            value = euclidean_mutual_info(x, y, z, self.n_neighbors)
            if value is not None:
                return value
        return knn_conditional_mutual_info(
            x,
            y,
            z,
            self.n_neighbors,
            mixed=self.ties == "mixed",
            chance=self._chance(),
        )


class PlugIn(BaseMIEstimator):
    """Plug-in (counting) estimators of entropy and (conditional) MI.

    Continuous variables are discretised column by column (equal-frequency
    bins by default); the joint values of several columns get one integer code
    and every quantity is computed from ``np.bincount`` of codes, as
    ``I(X; Y) = H(X) + H(Y) - H(X, Y)`` and
    ``I(X; Y | Z) = H(X, Z) + H(Y, Z) - H(X, Y, Z) - H(Z)``.

    Read more in the :ref:`User Guide <estimators>`.

    Parameters
    ----------
    n_bins : int or "auto", default="auto"
        Number of bins for each continuous column. "auto" follows the number
        of samples ``n``: the largest ``b`` with ``5 b**3 <= n`` (at least
        2), so that a three-way table of binned columns, such as the table
        of ``I(X_k; Y | X_j)`` in forward selection, holds at least five
        samples per cell on average (see Notes).
    strategy : {"quantile", "uniform"}, default="quantile"
        Equal-frequency bins (invariant to strictly increasing transforms)
        or equal-width bins over the range of the column.
    correction : {None, "miller-madow", "chao-shen", "shrinkage"}, default=None
        Bias correction applied to every entropy: Miller-Madow
        (``+ (m - 1) / 2N``), Chao-Shen (coverage-adjusted) or James-Stein
        shrinkage towards the uniform distribution (Hausser and Strimmer's
        entropy estimator). Without correction the estimates satisfy the
        identities of information theory exactly and ``2N I`` is the G-test
        statistic. With "shrinkage" the information is
        ``H(X) + H(Y) - H(X, Y)`` of three separately shrunk distributions
        (each with its own shrinkage intensity): it is not Hausser and
        Strimmer's ``mi.shrink``, which shrinks the joint table once and
        takes the information of that table (never negative, and with
        marginals that are those of the shrunk table).
    adjust : {"auto", "chance"} or None, default="auto"
        "auto" is "chance" when ``correction=None`` and None otherwise.
        "chance" subtracts from every (conditional) mutual information its
        exact expectation under independence with the observed margins (the
        hypergeometric expectation behind the adjusted mutual information of
        Vinh et al.; within each level of the conditioning variable for
        conditional information): information adjusted for chance, in nats,
        zero on average under independence and exactly zero for a variable
        with one level per sample (an identifier). Entropies are unchanged.
        None keeps the raw plug-in counts (``2 N I`` is then the G
        statistic). "chance" requires ``correction=None``. The G-tests of
        the selectors read the raw counts whatever ``adjust`` is.

    See Also
    --------
    KSG : K-nearest-neighbour estimators for continuous data.

    Notes
    -----
    The plug-in MI is biased upwards: under independence its expectation is
    about ``(Kx - 1)(Ky - 1) / 2N``. Corrections trade this bias for variance;
    as every quantity is computed from the corrected entropies, the
    identities between entropies and information still hold, but corrected
    estimates can be negative. ``adjust="chance"`` removes the bias under
    independence exactly instead: the expectation of the plug-in
    information over all tables with the observed margins [1]_ grows with the
    numbers of levels and reaches ``H(Y)`` for a variable with one level per
    sample, so the adjusted estimate ranks such variables last rather than
    first. Adjusted estimates can be negative.

    Fine bins lose less information but leave the cells of the joint tables
    nearly empty, which inflates the bias above and drowns the differences
    between features. The "auto" number of bins extends the rule of
    Cellucci et al. [2]_, five expected samples per cell of the
    ``b x b`` table of one pair, ``b = (n / 5)^(1/2)``, to the three-way
    tables of forward selection: ``b = floor((n / 5)^(1/3))``, e.g. 3 bins
    for 150 samples, 5 for 1,000, 12 for 10,000 and 27 for 100,000.

    References
    ----------
    .. [1] N. X. Vinh, J. Epps and J. Bailey, "Information theoretic measures
       for clusterings comparison: variants, properties, normalization and
       correction for chance", JMLR 11, 2010.
    .. [2] C. J. Cellucci, A. M. Albano and P. E. Rapp, "Statistical
       validation of mutual information calculations: comparison of
       alternative numerical algorithms", Phys. Rev. E 71, 066208, 2005.

    Examples
    --------
    >>> import numpy as np
    >>> from skmi.estimators import PlugIn
    >>> x = np.array([0, 0, 1, 1, 0, 1, 0, 1])
    >>> y = np.array([0, 0, 1, 1, 0, 1, 1, 0])
    >>> raw = PlugIn(adjust=None)
    >>> round(raw.mutual_info(x, y, x_discrete=True, y_discrete=True), 4)
    0.1308
    >>> round(raw.entropy(x, discrete=True), 4)  # ln 2
    0.6931

    An identifier (one level per sample) is fully "informative" by counting,
    and carries nothing once adjusted for chance (the default):

    >>> ids = np.arange(8)
    >>> round(raw.mutual_info(ids, y, x_discrete=True, y_discrete=True), 4)
    0.6931
    >>> est = PlugIn()
    >>> round(abs(est.mutual_info(ids, y, x_discrete=True, y_discrete=True)), 4)
    0.0
    """

    _parameter_constraints: dict = {
        "n_bins": [Interval(Integral, 2, None, closed="left"), StrOptions({"auto"})],
        "strategy": [StrOptions({"quantile", "uniform"})],
        "correction": [None, StrOptions({"miller-madow", "chao-shen", "shrinkage"})],
        "adjust": [None, StrOptions({"auto", "chance"})],
    }

    def __init__(
        self,
        n_bins: int | Literal["auto"] = "auto",
        *,
        strategy: Literal["quantile", "uniform"] = "quantile",
        correction: Literal["miller-madow", "chao-shen", "shrinkage"] | None = None,
        adjust: Literal["auto", "chance"] | None = "auto",
    ) -> None:
        self.n_bins = n_bins
        self.strategy = strategy
        self.correction = correction
        self.adjust = adjust

    def _table_counting(self):
        if self.correction is not None:
            return None
        return "chance" if self._chance() else "raw"

    def _validate_params(self):
        super()._validate_params()
        if self.adjust == "chance" and self.correction is not None:
            raise ValueError(
                f"adjust={self.adjust!r} subtracts the expectation of the "
                "uncorrected plug-in information: it requires correction=None; "
                f"got correction={self.correction!r}."
            )

    def _chance(self):
        """Whether the counts are adjusted for chance (``adjust`` resolved)."""
        if self.adjust == "auto":
            return self.correction is None
        return self.adjust == "chance"

    def _g_test_estimator(self):
        if self.correction is not None:
            return None
        if not self._chance():
            return self
        return PlugIn(n_bins=self.n_bins, strategy=self.strategy, adjust=None)

    #: smallest average number of samples per cell of a three-way table
    _SAMPLES_PER_CELL = 5

    def _n_bins(self, n_samples):
        """The number of bins for ``n_samples`` samples (see `n_bins`)."""
        if self.n_bins != "auto":
            return self.n_bins
        # the largest b with 5 b^3 <= n, in integers
        b = int(round((n_samples / self._SAMPLES_PER_CELL) ** (1 / 3)))
        while b > 2 and self._SAMPLES_PER_CELL * b**3 > n_samples:
            b -= 1
        while self._SAMPLES_PER_CELL * (b + 1) ** 3 <= n_samples:
            b += 1
        return max(2, b)

    def _prepare_continuous(self, X, columns, rng, scale, center):
        binner = bin_quantile if self.strategy == "quantile" else bin_uniform
        n_bins = self._n_bins(X.shape[0])
        prepared = []
        for j in columns:
            codes, n_levels = binner(np.asarray(column(X, j), np.float64), n_bins)
            prepared.append(Variable(codes=codes, n_levels=n_levels))
        return prepared

    def entropy_prepared(self, x: Variable) -> float:
        if x.is_empty:
            return 0.0
        return entropy_counts(x.codes, x.n_levels, self.correction)

    def conditional_mutual_info_prepared(
        self, x: Variable, y: Variable, z: Variable | None = None
    ) -> float:
        if x.is_empty or y.is_empty:
            return 0.0
        if x.n_levels == 1 or y.n_levels == 1:
            # a constant carries no information (exactly, whatever the rounding)
            return 0.0
        if self._chance():
            zc, kz = (None, 1) if z is None or z.is_empty else (z.codes, z.n_levels)
            return adjusted_mutual_info_counts(
                x.codes, x.n_levels, y.codes, y.n_levels, zc, kz
            )
        if z is None or z.is_empty:
            return mutual_info_counts(
                x.codes, x.n_levels, y.codes, y.n_levels, self.correction
            )
        return conditional_mutual_info_counts(
            x.codes,
            x.n_levels,
            y.codes,
            y.n_levels,
            z.codes,
            z.n_levels,
            self.correction,
        )
