"""Iterative and deterministic information bottleneck on a joint table p(x, y).

Both algorithms compress the values of a discrete ``X`` into at most ``k``
clusters ``T`` that keep information about a discrete ``Y``:

* the iterative (soft) bottleneck of Tishby, Pereira and Bialek (1999)
  minimises ``I(X; T) - beta I(T; Y)`` over encoders ``q(t|x)``;
* the deterministic bottleneck of Strouse and Schwab (2017) minimises
  ``H(T) - beta I(T; Y)`` over hard assignments ``t(x)``; its converged
  clusters are refined by sequential single-value moves (Slonim et al. 2002).

Besides random starts, the deterministic bottleneck starts from the identity
``T = X`` merged down to ``k`` clusters, and the iterative one from the
deterministic solution (at large ``beta`` its soft updates stall far from
the hard optima otherwise).

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
from scipy.special import entr

from ..estimators._plugin import entropy_probabilities, mutual_info_joint_probabilities

__all__ = ["DiscreteIBResult", "discrete_ib", "discrete_ib_objective"]

_TINY = np.finfo(np.float64).tiny
#: Convergence tolerance at the intermediate betas of annealing.
_ANNEAL_TOL = 1e-5
#: Relative size of the perturbation that lets clusters split during annealing.
_PERTURBATION = 0.02
#: Annealing steps of the deterministic runs that start the soft bottleneck.
_HARD_ANNEAL = 10
#: Most values merged by the agglomerative start (its pair costs are a matrix).
_MAX_AGGLOMERATE = 256
#: Largest number of entries of one block of pair costs.
_DISTANCE_BLOCK = 1 << 20


class DiscreteIBResult:
    """Solution of a discrete bottleneck problem.

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
    """

    def __init__(self, encoder, pxy, beta, deterministic, n_iter, history):
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
    deterministic : bool
        Use ``H(T)`` instead of ``I(X;T)`` in the objective.

    Returns
    -------
    information_xt, information_ty, objective : float
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
    """``q(t)`` and ``log q(y|t)`` from an encoder."""
    pty = encoder.T @ pxy
    qt = pty.sum(axis=1)
    return qt, _log(pty) - _log(qt)[:, None]


def _update(encoder, pxy, py_given_x, beta, deterministic):
    """One encoder update given the marginal and decoder of ``encoder``."""
    qt, log_qy_t = _decoder(encoder, pxy)
    # -KL(p(y|x) || q(y|t)) up to a term constant in t
    fit = py_given_x @ log_qy_t.T
    if beta > 1.0:
        # logits / beta: beta times the decoder term overflows near the
        # largest float; the differences to the row maximum are then scaled
        # back, where overflow means a weight of zero
        logits = _log(qt)[None, :] / beta + fit
    else:
        logits = _log(qt)[None, :] + beta * fit
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


def _cluster_terms(rows, beta):
    """Per-cluster terms of ``H(T) - beta I(T;Y) + beta H(Y)``, over ``max(1, beta)``.

    With ``rows[t] = p(t, y)`` the objective of a hard clustering is
    ``(1 - beta) H(T) + beta H(T, Y) - beta H(Y)``, a sum over clusters of
    ``(1 - beta) eta(q(t)) + beta sum_y eta(p(t, y))``, ``eta(p) = -p ln p``.
    Only differences of these terms decide a move; the reported
    information always comes from the plug-in kernels. The division by
    ``max(1, beta)`` keeps them finite at every beta.
    """
    rows = np.maximum(np.asarray(rows, dtype=np.float64), 0.0)
    scale = max(beta, 1.0)
    weight_t, weight_ty = (1.0 - beta) / scale, beta / scale
    return weight_t * entr(rows.sum(axis=-1)) + weight_ty * entr(rows).sum(axis=-1)


def _refine_hard(encoder, pxy, beta, max_sweeps, history):
    """Move values and merge clusters while a change lowers the objective.

    The simultaneous update of every value can stop in a poor local optimum;
    the sequential moves of Slonim, Friedman and Tishby (2002) escape many of
    them, and merging two whole clusters escapes those where no single value
    can leave a pure cluster. Every accepted change strictly lowers the
    objective.
    """
    labels = np.argmax(encoder, axis=1)
    k = encoder.shape[1]
    rows = np.zeros((k, pxy.shape[1]))
    np.add.at(rows, labels, pxy)
    terms = _cluster_terms(rows, beta)
    for _ in range(max_sweeps):
        moved = False
        for x in range(pxy.shape[0]):
            a = labels[x]
            removed = _cluster_terms([rows[a] - pxy[x]], beta)[0]
            added = _cluster_terms(rows + pxy[x], beta)
            gain = added - terms + (removed - terms[a])
            gain[a] = 0.0
            t = int(np.argmin(gain))
            if gain[t] < -1e-12:
                rows[a] -= pxy[x]
                rows[t] += pxy[x]
                terms[a], terms[t] = removed, added[t]
                labels[x] = t
                moved = True
        if not moved:
            merged = _merge_two(rows, terms, labels, beta)
            if not merged:
                break
        encoder = np.eye(k)[labels]
        history.append(discrete_ib_objective(encoder, pxy, beta, True)[2])
    return np.eye(k)[labels]


def _merge_two(rows, terms, labels, beta):
    """Merge the pair of clusters that lowers the objective most, in place."""
    k = rows.shape[0]
    best, pair = -1e-12, None
    for a in range(k):
        for b in range(a + 1, k):
            gain = _cluster_terms([rows[a] + rows[b]], beta)[0] - terms[a] - terms[b]
            if gain < best:
                best, pair = gain, (a, b)
    if pair is None:
        return False
    a, b = pair
    rows[a] += rows[b]
    rows[b] = 0.0
    terms[a], terms[b] = terms[a] + terms[b] + best, 0.0
    labels[labels == b] = a
    return True


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


def _agglomerate(pxy, n_clusters, beta, max_sweeps):
    """The identity ``T = X`` merged down to ``n_clusters``, then refined.

    Starting from one cluster per value, the pair of clusters whose merge
    raises ``H(T) - beta I(T;Y)`` least is merged until ``n_clusters``
    remain (the agglomerative bottleneck of Slonim and Tishby, 1999); the
    sequential moves of :func:`_refine_hard` then polish the partition. With
    enough clusters this is the identity, refined.
    """
    n_x = pxy.shape[0]
    labels = np.arange(n_x)
    if n_x > n_clusters:
        labels = _merge_down(pxy, n_clusters, beta)
    encoder = np.eye(n_x if n_x <= n_clusters else n_clusters, n_clusters)[labels]
    return _refine_hard(encoder, pxy, beta, max_sweeps, [])


def _merge_down(pxy, n_clusters, beta):
    """Labels ``0..n_clusters-1`` of the greedy merges of :func:`_agglomerate`.

    The merge costs of all pairs are kept in a matrix (hence the cap
    ``_MAX_AGGLOMERATE`` on the number of values), with each row's minimum,
    so a step costs O(n_x) besides the rows whose minimum it changed.
    """
    n_x = pxy.shape[0]
    rows = pxy.copy()
    terms = _cluster_terms(rows, beta)
    alive = np.ones(n_x, dtype=bool)
    cost = np.empty((n_x, n_x))
    step = max(1, _DISTANCE_BLOCK // (n_x * rows.shape[1]))
    for start in range(0, n_x, step):
        block = slice(start, start + step)
        merged = _cluster_terms(rows[block, None, :] + rows[None, :, :], beta)
        cost[block] = merged - terms[block, None] - terms[None, :]
    np.fill_diagonal(cost, np.inf)
    best = cost.argmin(axis=1)
    lowest = cost[np.arange(n_x), best]
    labels = np.arange(n_x)
    for _ in range(n_x - n_clusters):
        a = int(np.argmin(lowest))
        b = int(best[a])
        rows[a] += rows[b]
        terms[a] = _cluster_terms(rows[a], beta)
        alive[b] = False
        labels[labels == b] = a
        row = _cluster_terms(rows[a] + rows, beta) - terms[a] - terms
        row[~alive] = np.inf
        row[a] = np.inf
        cost[a], cost[:, a] = row, row
        cost[b], cost[:, b] = np.inf, np.inf
        lowest[b] = np.inf
        # rows whose best partner was merged: recompute; others may prefer a
        stale = np.flatnonzero(alive & ((best == a) | (best == b)))
        best[stale] = cost[stale].argmin(axis=1)
        lowest[stale] = cost[stale, best[stale]]
        better = alive & (row < lowest)
        best[better], lowest[better] = a, row[better]
    return np.unique(labels, return_inverse=True)[1].reshape(-1)


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
        objective is returned. Besides these runs, one run starts from a hard
        partition (see `hard_start`): the identity ``T = X`` merged down to
        ``n_clusters`` (agglomerative bottleneck, up to 256 values) for the
        deterministic method, the deterministic solution at ``beta`` for the
        iterative one. So the iterative objective is never above the best
        hard partition found.
    n_anneal : int, default=0
        Number of intermediate betas visited by each run before ``beta``
        (see :func:`_schedule`); 0 means no annealing.
    max_iter : int, default=300
        Maximum number of iterations at each beta.
    tol : float, default=1e-8
        Stop when no entry of the encoder changes by more than ``tol``.
    rng : numpy.random.Generator
    init : ndarray of shape (n_x, n_clusters), default=None
        Starting encoder of the first run (e.g. a solution at a nearby beta).
    hard_start : bool, default=True
        Also run from the hard partition described under `n_init`.

    Returns
    -------
    result : DiscreteIBResult
    """
    py_given_x = pxy / pxy.sum(axis=1, keepdims=True)
    n_x = pxy.shape[0]
    best = None

    def finish(encoder, beta):
        nonlocal best
        encoder, n_iter, history = _iterate(
            encoder, pxy, py_given_x, beta, deterministic, max_iter, tol
        )
        if deterministic:
            encoder = _refine_hard(encoder, pxy, beta, max_iter, history)
        result = DiscreteIBResult(encoder, pxy, beta, deterministic, n_iter, history)
        if best is None or result.scaled_objective < best.scaled_objective - 1e-12:
            best = result

    if hard_start and deterministic:
        if n_x <= max(_MAX_AGGLOMERATE, n_clusters):
            finish(_agglomerate(pxy, n_clusters, beta, max_iter), beta)
    elif hard_start:
        # At large beta the soft updates stall in poor local optima far from
        # the hard solutions. For a hard encoder I(X;T) = H(T): the best hard
        # partition (the deterministic bottleneck, which includes the merged
        # identity) is a start from which the soft updates only improve. Its
        # own stream leaves the random runs as they are without it, so the
        # result is never worse than theirs.
        hard = discrete_ib(
            pxy,
            n_clusters,
            beta,
            deterministic=True,
            n_init=1,
            n_anneal=max(n_anneal, _HARD_ANNEAL),
            max_iter=max_iter,
            tol=tol,
            rng=rng.spawn(1)[0],
        )
        finish(hard.encoder, beta)
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
