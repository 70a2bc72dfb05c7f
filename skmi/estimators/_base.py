"""The small interface every mutual-information estimator implements."""

from abc import ABCMeta, abstractmethod
from functools import partial

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state

from ._preprocess import as_variable_array, column_blocks, make_discrete_mask
from ._sparse import SparseColumns
from ._threads import n_threads, thread_map
from ._variables import Variable

__all__ = ["BaseMIEstimator"]


#: columns read together into a thread's buffer (16 x n values)
_CODE_BLOCK = 16


def _discrete_columns(X, columns):
    """Discrete variables of the ``columns`` of dense ``X``.

    The columns are read a block at a time into one buffer (see
    :func:`~skmi.estimators._preprocess.column_blocks`), which each thread reuses.
    """
    out = []
    for _, part in column_blocks(X, columns, block=_CODE_BLOCK):
        out.extend(Variable.from_discrete(values) for values in part)
    return out


class BaseMIEstimator(BaseEstimator, metaclass=ABCMeta):
    """Base class of the information estimators of :mod:`skmi.estimators`.

    An estimator is a holder of hyper-parameters with three public methods
    (:meth:`entropy`, :meth:`mutual_info`, :meth:`conditional_mutual_info`)
    that validate their arguments, prepare them (:meth:`prepare`) and call a
    numerical kernel. The selection layer calls :meth:`prepare` once per fit
    and then the ``*_prepared`` methods on the prepared variables.

    Subclasses implement the preparation of continuous columns
    (``_prepare_continuous``), :meth:`entropy_prepared` and
    :meth:`conditional_mutual_info_prepared`.

    See Also
    --------
    KSG : K-nearest-neighbour estimators.
    PlugIn : Counting estimators with bias corrections.

    Examples
    --------
    The selection layer prepares the columns once, then asks for many
    quantities of the prepared variables:

    >>> import numpy as np
    >>> from skmi.estimators import PlugIn
    >>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]] * 25)
    >>> y = X[:, 0] ^ X[:, 1]
    >>> est = PlugIn()
    >>> x1, x2, target = est.prepare(
    ...     np.column_stack([X, y]), np.array([True, True, True])
    ... )
    >>> round(est.mutual_info_prepared(x1, target), 6)  # XOR: nothing alone
    0.0
    >>> bits = est.conditional_mutual_info_prepared(x1, target, x2) / np.log(2)
    >>> round(float(bits), 6)
    1.0
    """

    _parameter_constraints: dict = {}

    #: smallest number of samples the estimator accepts
    def _min_samples(self):
        return 1

    # -- what the selection layer asks (it never checks a class) ------------
    def _too_few_samples(self, n_samples):
        """The error message for ``n_samples`` samples, or None when enough.

        Parameters
        ----------
        n_samples : int

        Returns
        -------
        str or None
        """
        if n_samples >= self._min_samples():
            return None
        return (
            f"{type(self).__name__} requires at least {self._min_samples()} "
            f"samples; got n_samples={n_samples}."
        )

    def _table_counting(self):
        """Whether the estimates of discrete variables are plug-in counts.

        Returns
        -------
        {"raw", "chance"} or None
            "raw": the estimate of discrete variables is the plug-in
            information of their count table; "chance": the same less its
            expectation under independence given the margins; None: neither
            (e.g. a bias correction), so counting cannot stand in for the
            estimator.
        """
        return None

    def _step_structure(self, target, z):
        """Structures of ``target`` and ``z`` shared by every candidate of a step.

        Parameters
        ----------
        target, z : Variable
            The prepared target and conditioning set of a step.

        Returns
        -------
        object or None
            An object whose ``conditional_mutual_info(x)`` gives the
            estimator's ``I(X; Y | Z)`` (or None where it does not apply),
            or None when the estimator has no such structures.
        """
        return None

    def _chance(self):
        """Whether plug-in counts of discrete variables are adjusted for chance."""
        return False

    def _g_test_estimator(self):
        """An estimator whose estimates are raw plug-in counts, or None.

        The G-test reads ``G = 2 N I`` from uncorrected, unadjusted plug-in
        estimates of the same prepared columns; estimators that cannot give
        them return None.
        """
        return None

    # -- preparation -------------------------------------------------------
    def prepare(
        self,
        X: np.ndarray | sparse.spmatrix | sparse.sparray,
        discrete_mask: np.ndarray,
        random_state: int | np.random.RandomState | None = None,
        *,
        scale: bool = True,
        center: bool = False,
        n_jobs: int | None = None,
    ) -> list[Variable]:
        """Prepare the columns of ``X`` for the kernels.

        Discrete columns become dense integer codes; the continuous ones are
        prepared together by the estimator (scaled and jittered for k-NN,
        binned for plug-in).

        Parameters
        ----------
        X : ndarray or sparse matrix of shape (n_samples, n_columns)
            Validated samples.
        discrete_mask : ndarray of shape (n_columns,), bool
            Which columns are discrete.
        random_state : None, int or numpy.random.RandomState
            Source of the tie-breaking noise, if the estimator uses any.
        scale : bool, default=True
            Whether continuous columns are scaled to unit variance.
        center : bool, default=False
            Whether continuous columns are also centred (the drop-in
            functions and the selectors scale without centring, as
            scikit-learn does; the estimator's own methods centre).
        n_jobs : int or None, default=None
            Threads that code the discrete columns of dense ``X``, a
            contiguous share of them each (see
            :mod:`skmi.estimators._threads`); the result does not depend on it.

        Returns
        -------
        columns : list of Variable or SparseColumns
            One prepared variable per column; for sparse ``X`` with only
            discrete columns, a :class:`SparseColumns` sequence that builds
            each column's variable on demand and counts from the stored
            entries.
        """
        if sparse.issparse(X):
            return self._prepare_sparse(
                X, np.asarray(discrete_mask, dtype=bool), random_state, scale, center
            )
        columns = [None] * X.shape[1]
        continuous = np.flatnonzero(~np.asarray(discrete_mask, dtype=bool))
        if continuous.size:
            prepared = self._prepare_continuous(
                X, continuous, check_random_state(random_state), scale, center
            )
            for j, variable in zip(continuous, prepared, strict=True):
                columns[j] = variable
        discrete = np.flatnonzero(discrete_mask)
        # one contiguous share of the columns per thread
        shares = np.array_split(discrete, n_threads(n_jobs)) if discrete.size else []
        coded = thread_map(partial(_discrete_columns, X), shares, n_jobs)
        for share, variables in zip(shares, coded, strict=True):
            for j, variable in zip(share, variables, strict=True):
                columns[j] = variable
        return columns

    def _prepare_sparse(self, X, discrete_mask, random_state, scale, center):
        """Sparse columns, prepared one at a time when they are used.

        Discrete columns are counted from their stored entries; each
        continuous column gets its own seed for the tie-breaking noise (drawn
        here, before any parallel work) and is prepared by
        :meth:`_prepare_sparse_column` from its stored entries.
        """
        X = sparse.csc_array(X)
        if discrete_mask.all():
            return SparseColumns(X)
        rng = check_random_state(random_state)
        continuous = ~discrete_mask
        seeds = np.zeros(X.shape[1], dtype=np.int64)
        seeds[continuous] = rng.randint(
            np.iinfo(np.int32).max, size=int(continuous.sum())
        )
        return SparseColumns(
            X,
            continuous,
            partial(self._prepare_sparse_column, scale=scale, center=center),
            seeds,
        )

    def _prepare_sparse_column(self, data, rows, n_samples, seed, *, scale, center):
        """The prepared variable of one continuous sparse column."""
        values = np.zeros((n_samples, 1))
        values[rows, 0] = data
        return self._prepare_continuous(
            values, np.array([0]), np.random.RandomState(seed), scale, center
        )[0]

    def prepare_target(
        self,
        y: np.ndarray,
        discrete: bool,
        random_state: int | np.random.RandomState | None = None,
    ) -> Variable:
        """Prepare a 1-D target, with its cached structures computed.

        Parameters
        ----------
        y : ndarray of shape (n_samples,)
            Validated target.
        discrete : bool
            Whether the target is discrete.
        random_state : None, int or numpy.random.RandomState
            Source of the tie-breaking noise; it is drawn after that of the
            features, in scikit-learn's order.

        Returns
        -------
        Variable
            The prepared target.
        """
        y = np.asarray(y)
        mask = np.array([bool(discrete)])
        return self.prepare(y.reshape(-1, 1), mask, random_state)[0].precompute()

    @abstractmethod
    def _prepare_continuous(self, X, columns, rng, scale, center):
        """Prepared variables of the continuous ``columns`` of ``X``, in order."""

    # -- kernels ------------------------------------------------------------
    @abstractmethod
    def entropy_prepared(self, x: Variable) -> float:
        """Entropy of a prepared variable, in nats.

        Parameters
        ----------
        x : Variable
            A variable returned by :meth:`prepare` (or a join of several).

        Returns
        -------
        float
            The estimate in nats.
        """

    @abstractmethod
    def conditional_mutual_info_prepared(
        self, x: Variable, y: Variable, z: Variable | None = None
    ) -> float:
        """Conditional mutual information ``I(X; Y | Z)`` of prepared variables.

        Parameters
        ----------
        x, y : Variable
            Variables returned by :meth:`prepare` (or joins of several).
        z : Variable or None, default=None
            The conditioning variable; None gives ``I(X; Y)``.

        Returns
        -------
        float
            The estimate in nats, not clipped at zero.
        """

    def mutual_info_prepared(self, x: Variable, y: Variable) -> float:
        """Mutual information ``I(X; Y)`` of prepared variables.

        Parameters
        ----------
        x, y : Variable
            Variables returned by :meth:`prepare` (or joins of several).

        Returns
        -------
        float
            The estimate in nats, not clipped at zero.
        """
        return self.conditional_mutual_info_prepared(x, y, None)

    # -- public methods ----------------------------------------------------
    def _variables(self, arrays, *, scale=True, return_arrays=False):
        """Validate and prepare ``[(name, array, discrete), ...]``."""
        self._validate_params()
        rng = check_random_state(getattr(self, "random_state", None))
        n_samples = None
        prepared = []
        validated = []
        for name, a, discrete in arrays:
            a = as_variable_array(
                a,
                name,
                discrete=bool(discrete),
                n_samples=n_samples,
                min_samples=1 if discrete else self._min_samples(),
            )
            n_samples = a.shape[0]
            mask = make_discrete_mask(bool(discrete), a.shape[1])
            columns = self.prepare(a, mask, rng, scale=scale, center=True)
            prepared.append(Variable.join(*columns))
            validated.append(a)
        return (prepared, validated) if return_arrays else prepared

    def entropy(self, x: ArrayLike, *, discrete: bool = False) -> float:
        """Estimate the entropy of ``x``, in nats.

        Parameters
        ----------
        x : array-like of shape (n_samples,) or (n_samples, n_dims)
            Samples of the variable.
        discrete : bool, default=False
            Whether ``x`` is discrete (Shannon entropy). For a continuous
            ``x``, :class:`KSG` estimates the differential entropy (minus
            infinity for a constant) and :class:`PlugIn` the Shannon entropy
            of the binned values.

        Returns
        -------
        float
            The estimate in nats.
        """
        (xv,) = self._variables([("x", x, discrete)], scale=False)
        return float(self.entropy_prepared(xv))

    def mutual_info(
        self,
        x: ArrayLike,
        y: ArrayLike,
        *,
        x_discrete: bool = False,
        y_discrete: bool = False,
    ) -> float:
        """Estimate the mutual information ``I(X; Y)``, in nats.

        Parameters
        ----------
        x, y : array-like of shape (n_samples,) or (n_samples, n_dims)
            Samples of the two variables.
        x_discrete, y_discrete : bool, default=False
            Whether each variable is discrete.

        Returns
        -------
        float
            The estimate in nats, not clipped at zero.
        """
        xv, yv = self._variables([("x", x, x_discrete), ("y", y, y_discrete)])
        return float(self.conditional_mutual_info_prepared(xv, yv, None))

    def conditional_mutual_info(
        self,
        x: ArrayLike,
        y: ArrayLike,
        z: ArrayLike,
        *,
        x_discrete: bool = False,
        y_discrete: bool = False,
        z_discrete: bool = False,
    ) -> float:
        """Estimate the conditional mutual information ``I(X; Y | Z)``, in nats.

        Parameters
        ----------
        x, y, z : array-like of shape (n_samples,) or (n_samples, n_dims)
            Samples of the three variables.
        x_discrete, y_discrete, z_discrete : bool, default=False
            Whether each variable is discrete.

        Returns
        -------
        float
            The estimate in nats, not clipped at zero.
        """
        xv, yv, zv = self._variables(
            [("x", x, x_discrete), ("y", y, y_discrete), ("z", z, z_discrete)]
        )
        return float(self.conditional_mutual_info_prepared(xv, yv, zv))
