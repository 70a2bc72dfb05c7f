"""Iterative and deterministic information bottleneck on a joint table p(x, y).

Both algorithms compress the values of a discrete ``X`` into at most ``k``
clusters ``T`` that keep information about a discrete ``Y``:

* the iterative (soft) bottleneck of Tishby, Pereira and Bialek (1999)
  minimises ``I(X; T) - beta I(T; Y)`` over encoders ``q(t|x)``;
* the deterministic bottleneck of Strouse and Schwab (2017) minimises
  ``H(T) - beta I(T; Y)`` over hard assignments ``t(x)``; its converged
  clusters are refined by sequential moves of values and clusters
  (:mod:`._hard`, after Slonim et al. 2002).

Besides random starts, both start from the best partition on the
agglomerative path from the identity ``T = X``, and the iterative one also
from ``T = X`` itself and from a deterministic solution (at large ``beta``
its soft updates stall far from the hard optima otherwise).

Each iteration updates the encoder given the marginal ``q(t)`` and decoder
``q(y|t)``, then recomputes both from the encoder. Both steps minimise the
same functional, so the objective never increases. Information quantities
are computed by the plug-in kernels of :mod:`skmi.estimators._plugin`, in
nats. Every function takes clean arrays and a ``numpy.random.Generator``; no
validation happens here.

References
----------
.. [1] N. Tishby, F. C. Pereira and W. Bialek, "The information bottleneck
   method", Proc. 37th Allerton Conference, 1999.
.. [2] D. J. Strouse and D. J. Schwab, "The deterministic information
   bottleneck", Neural Computation 29(6), 2017.
.. [3] N. Slonim, N. Friedman and N. Tishby, "Unsupervised document
   classification using sequential information maximization", SIGIR 2002.
"""

import numpy as np

from ..estimators._plugin import entropy_probabilities, mutual_info_joint_probabilities
from ._hard import (
    MAX_CONSECUTIVE,
    MAX_PAIRWISE,
    agglomerate,
    best_consecutive,
    refine_hard,
)

__all__ = ["DiscreteIBResult", "discrete_ib", "discrete_ib_objective"]

_TINY = np.finfo(np.float64).tiny
#: Convergence tolerance at the intermediate betas of annealing.
_ANNEAL_TOL = 1e-5
#: Relative size of the perturbation that lets clusters split during annealing.
_PERTURBATION = 0.02
#: Annealing steps of the deterministic runs that start the soft bottleneck.
_HARD_ANNEAL = 10


class DiscreteIBResult:
    """Solution of a discrete bottleneck problem.

    Parameters
    ----------
    encoder : ndarray of shape (n_x, k)
        ``q(t|x)``.
    pxy : ndarray of shape (n_x, n_y)
        Joint probabilities of ``X`` and ``Y``.
    beta : float
        Trade-off parameter.
    deterministic : bool
        Whether the objective is the deterministic one.
    n_iter : int
        Iterations of the final run.
    history : list of float
        Objective after each iteration of the final run.

    Attributes
    ----------
    encoder : ndarray of shape (n_x, k)
        ``q(t|x)``; one-hot rows for the deterministic method.
    marginal : ndarray of shape (k,)
        ``q(t)``.
    information_xt, information_ty : float
        ``I(X; T)`` and ``I(T; Y)`` in nats.
    objective : float
        ``I(X;T) - beta I(T;Y)`` (iterative) or ``H(T) - beta I(T;Y)``
        (deterministic); ``-inf`` when ``beta I(T;Y)`` exceeds the float range.
    compression : float
        ``I(X;T)`` (iterative) or ``H(T)`` (deterministic).
    scaled_objective : float
        The objective divided by ``max(1, beta)``, finite at every beta: the
        key by which solutions at one beta are compared.
    n_iter : int
        Iterations of the final run at the target ``beta``.
    history : list of float
        Objective after each iteration of the final run.

    Examples
    --------
    >>> import numpy as np
    >>> from skmi.bottleneck import discrete_ib
    >>> pxy = np.array([[0.3, 0.05], [0.25, 0.05], [0.05, 0.3]])
    >>> result = discrete_ib(pxy, 2, 10.0, rng=np.random.default_rng(0))
    >>> result.marginal.round(2)
    array([0.6, 0.4])
    """

    def __init__(
        self,
        encoder: np.ndarray,
        pxy: np.ndarray,
        beta: float,
        deterministic: bool,
        n_iter: int,
        history: list[float],
    ) -> None:
        self.encoder = encoder
        self.marginal = pxy.sum(axis=1) @ encoder
        xt, ty, self.objective = discrete_ib_objective(
            encoder, pxy, beta, deterministic
        )
        self.compression = entropy_probabilities(self.marginal) if deterministic else xt
        self.scaled_objective = scaled_objective(self.compression, ty, beta)
        # plug-in values of exact zeros may round to -1e-16
        self.information_xt, self.information_ty = max(xt, 0.0), max(ty, 0.0)
        self.n_iter = n_iter
        self.history = history


def discrete_ib_objective(
    encoder: np.ndarray, pxy: np.ndarray, beta: float, deterministic: bool = False
) -> tuple[float, float, float]:
    """``I(X;T)``, ``I(T;Y)`` and the bottleneck objective of an encoder.

    Parameters
    ----------
    encoder : ndarray of shape (n_x, k)
        ``q(t|x)``, rows summing to one.
    pxy : ndarray of shape (n_x, n_y)
        Joint probabilities, summing to one.
    beta : float
        Trade-off parameter.
    deterministic : bool
        Use ``H(T)`` instead of ``I(X;T)`` in the objective.

    Returns
    -------
    information_xt, information_ty, objective : float
        Plug-in ``I(X;T)`` and ``I(T;Y)`` in nats, and the objective.

    Examples
    --------
    >>> import numpy as np
    >>> from skmi.bottleneck import discrete_ib_objective
    >>> pxy = np.array([[0.3, 0.05], [0.25, 0.05], [0.05, 0.3]])
    >>> encoder = np.eye(2)[[0, 0, 1]]  # the first two values merged
    >>> [round(v, 3) for v in discrete_ib_objective(encoder, pxy, 10.0)]
    [0.647, 0.25, -1.857]
    """
    px = pxy.sum(axis=1)
    pxt = px[:, None] * encoder
    information_xt = mutual_info_joint_probabilities(pxt)
    information_ty = mutual_info_joint_probabilities(encoder.T @ pxy)
    compression = (
        entropy_probabilities(pxt.sum(axis=0)) if deterministic else (information_xt)
    )
    return information_xt, information_ty, compression - beta * information_ty


def scaled_objective(compression, information_ty, beta):
    """``(compression - beta I(T;Y)) / max(1, beta)``, finite at every beta.

    Dividing by a positive constant keeps the order of solutions at one beta;
    ``beta I(T;Y)`` itself overflows near the largest float.
    """
    if beta > 1.0:
        return compression / beta - information_ty
    return compression - beta * information_ty


def _log(a):
    return np.log(np.maximum(a, _TINY))


def _decoder(encoder, pxy):
    """``q(t)`` and ``log q(y|t)`` from an encoder.

    An empty cluster (``q(t) = 0``) has no decoder; its rows are zero and
    :func:`_update` gives it no weight.
    """
    pty = encoder.T @ pxy
    qt = pty.sum(axis=1)
    used = qt > 0
    qy_t = np.zeros_like(pty)
    qy_t[used] = pty[used] / qt[used, None]
    return qt, _log(qy_t)


def _update(encoder, pxy, py_given_x, beta, deterministic):
    """One encoder update given the marginal and decoder of ``encoder``.

    ``q(t|x)`` is proportional to ``q(t) exp(-beta KL(p(y|x) || q(y|t)))``,
    so a cluster with ``q(t) = 0`` stays empty: its weight is exactly zero
    (a clipped decoder of an empty cluster would look better than every
    real one and draw every value into it).
    """
    qt, log_qy_t = _decoder(encoder, pxy)
    with np.errstate(divide="ignore"):
        log_qt = np.log(qt)  # -inf for an empty cluster
    # -KL(p(y|x) || q(y|t)) up to a term constant in t
    fit = py_given_x @ log_qy_t.T
    if beta > 1.0:
        # logits / beta: beta times the decoder term overflows near the
        # largest float; the differences to the row maximum are then scaled
        # back, where overflow means a weight of zero
        logits = log_qt[None, :] / beta + fit
    else:
        logits = log_qt[None, :] + beta * fit
    if deterministic:
        new = np.zeros_like(encoder)
        new[np.arange(encoder.shape[0]), np.argmax(logits, axis=1)] = 1.0
        return new
    logits -= logits.max(axis=1, keepdims=True)
    if beta > 1.0:
        with np.errstate(over="ignore"):
            logits *= beta
    new = np.exp(logits)
    return new / new.sum(axis=1, keepdims=True)


def _iterate(encoder, pxy, py_given_x, beta, deterministic, max_iter, tol, track=True):
    """Update until no entry of the encoder moves by more than ``tol``.

    With ``track`` the objective after every iteration is recorded.
    """
    history = (
        [discrete_ib_objective(encoder, pxy, beta, deterministic)[2]] if track else []
    )
    n_iter = 0
    while n_iter < max_iter:
        new = _update(encoder, pxy, py_given_x, beta, deterministic)
        change = np.max(np.abs(new - encoder))
        encoder = new
        n_iter += 1
        if track:
            history.append(discrete_ib_objective(encoder, pxy, beta, deterministic)[2])
        if change <= tol:
            break
    return encoder, n_iter, history


def _random_encoder(rng, n_x, k, deterministic):
    if deterministic:
        encoder = np.zeros((n_x, k))
        encoder[np.arange(n_x), rng.integers(k, size=n_x)] = 1.0
        return encoder
    encoder = rng.random((n_x, k)) + 1e-3
    return encoder / encoder.sum(axis=1, keepdims=True)


def _perturb(encoder, rng):
    noisy = encoder * (1.0 + _PERTURBATION * rng.uniform(-1.0, 1.0, encoder.shape))
    return noisy / noisy.sum(axis=1, keepdims=True)


def _schedule(beta, n_steps, deterministic):
    """Betas visited before ``beta`` when annealing.

    The soft bottleneck starts from the trivial solution at ``beta = 1`` and
    raises ``beta`` so clusters split at their critical values; the
    deterministic one starts at ``4 beta`` with every cluster in use and
    lowers ``beta`` so clusters merge.
    """
    if n_steps <= 0:
        return np.empty(0)
    if deterministic:
        # 4 beta capped at the largest float, in logs so no step overflows
        top = min(np.log(4.0) + np.log(beta), np.log(np.finfo(np.float64).max))
        return np.exp(np.linspace(top, np.log(beta), n_steps + 1)[:-1])
    if beta <= 1.0:
        return np.empty(0)
    return np.geomspace(1.0, beta, n_steps + 1)[:-1]


def _hard_starts(pxy, n_clusters, beta, deterministic, rng, **opts):
    """Hard encoders from which :func:`discrete_ib` runs besides its random starts.

    The best partition of the agglomerative path (up to ``MAX_PAIRWISE``
    values) for both methods, and for a binary ``Y`` the best partition of
    all (:func:`best_consecutive`, up to ``MAX_CONSECUTIVE`` values). For
    the iterative method also the identity ``T = X`` (when ``n_clusters``
    allows it) and one annealed run of the deterministic method: at large
    ``beta`` the soft updates stall far from the hard optima, and for a hard
    encoder ``I(X;T) = H(T)``, so from any of these starts the soft
    objective ends at most at theirs. That run has its own random stream,
    which leaves the random runs as they are without it.
    """
    n_x = pxy.shape[0]
    starts = []
    if not deterministic and n_x <= n_clusters:
        starts.append(np.eye(n_x, n_clusters))
    if n_x <= max(MAX_PAIRWISE, n_clusters):
        starts.append(agglomerate(pxy, n_clusters, beta, opts["max_iter"]))
    if pxy.shape[1] == 2 and n_x <= MAX_CONSECUTIVE:
        starts.append(np.eye(n_clusters)[best_consecutive(pxy, n_clusters, beta)])
    if not deterministic:
        hard = discrete_ib(
            pxy,
            n_clusters,
            beta,
            deterministic=True,
            n_init=1,
            n_anneal=max(opts["n_anneal"], _HARD_ANNEAL),
            max_iter=opts["max_iter"],
            tol=opts["tol"],
            rng=rng.spawn(1)[0],
            hard_start=False,
        )
        starts.append(hard.encoder)
    return starts


def discrete_ib(
    pxy: np.ndarray,
    n_clusters: int,
    beta: float,
    *,
    deterministic: bool = False,
    n_init: int = 1,
    n_anneal: int = 0,
    max_iter: int = 300,
    tol: float = 1e-8,
    rng: np.random.Generator,
    init: np.ndarray | None = None,
    hard_start: bool = True,
) -> "DiscreteIBResult":
    """Solve the iterative or deterministic bottleneck of ``pxy``.

    Parameters
    ----------
    pxy : ndarray of shape (n_x, n_y)
        Joint probabilities of ``X`` and ``Y``; every row has positive mass.
    n_clusters : int
        Maximum number of clusters ``k``.
    beta : float
        Trade-off parameter (positive).
    deterministic : bool, default=False
        Hard clusters minimising ``H(T) - beta I(T;Y)``.
    n_init : int, default=1
        Number of runs from different random starts; the run with the lowest
        objective is returned. Besides these runs, some start from hard
        partitions (see `hard_start`): the best
        partition on the agglomerative path from ``T = X`` (up to 256
        values), and for the iterative method also ``T = X`` itself and the
        solution of one deterministic run. So the iterative objective is
        never above the identity (when ``n_clusters`` allows it) nor above
        the best hard partition found.
    n_anneal : int, default=0
        Number of intermediate betas visited by each run before ``beta``
        (upwards from 1 for the iterative method, downwards from
        ``4 beta`` for the deterministic one); 0 means no annealing.
    max_iter : int, default=300
        Maximum number of iterations at each beta.
    tol : float, default=1e-8
        Stop when no entry of the encoder changes by more than ``tol``.
    rng : numpy.random.Generator
        Source of the random starts and perturbations.
    init : ndarray of shape (n_x, n_clusters), default=None
        Starting encoder of the first run (e.g. a solution at a nearby beta).
    hard_start : bool, default=True
        Also run from the hard partitions described under `n_init`.

    Returns
    -------
    result : DiscreteIBResult
        The run with the lowest objective.

    Examples
    --------
    >>> import numpy as np
    >>> from skmi.bottleneck import discrete_ib
    >>> pxy = np.array([[0.3, 0.05], [0.25, 0.05], [0.05, 0.3]])
    >>> result = discrete_ib(
    ...     pxy, 2, 10.0, deterministic=True, rng=np.random.default_rng(0)
    ... )
    >>> result.encoder.argmax(axis=1)
    array([0, 0, 1])
    >>> round(result.information_ty, 3)
    0.25
    """
    py_given_x = pxy / pxy.sum(axis=1, keepdims=True)
    n_x = pxy.shape[0]
    best = None
    opts = {"n_anneal": n_anneal, "max_iter": max_iter, "tol": tol}

    def finish(encoder, beta):
        nonlocal best
        encoder, n_iter, history = _iterate(
            encoder, pxy, py_given_x, beta, deterministic, max_iter, tol
        )
        if deterministic:

            def record(encoder):
                history.append(discrete_ib_objective(encoder, pxy, beta, True)[2])

            encoder = refine_hard(encoder, pxy, beta, max_iter, record)
        result = DiscreteIBResult(encoder, pxy, beta, deterministic, n_iter, history)
        if best is None or result.scaled_objective < best.scaled_objective - 1e-12:
            best = result

    if hard_start:
        for encoder in _hard_starts(pxy, n_clusters, beta, deterministic, rng, **opts):
            finish(encoder, beta)
    for run in range(n_init):
        if run == 0 and init is not None:
            encoder = init
        elif not deterministic and n_anneal > 0 and beta > 1.0:
            # the trivial solution, from which annealing splits clusters
            encoder = _perturb(np.full((n_x, n_clusters), 1.0 / n_clusters), rng)
        else:
            encoder = _random_encoder(rng, n_x, n_clusters, deterministic)
        for step_beta in _schedule(beta, n_anneal, deterministic):
            if not deterministic:
                encoder = _perturb(encoder, rng)
            # intermediate betas only guide the start: no tracking, looser tol
            encoder = _iterate(
                encoder,
                pxy,
                py_given_x,
                step_beta,
                deterministic,
                max_iter,
                max(tol, _ANNEAL_TOL),
                track=False,
            )[0]
        if not deterministic:
            encoder = _perturb(encoder, rng)
        finish(encoder, beta)
    return best
