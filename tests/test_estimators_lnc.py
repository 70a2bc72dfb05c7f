"""KSG(correction="lnc"): the local non-uniformity correction.

* Against an O(n^2) brute force written here, sample by sample, from Gao,
  Ver Steeg and Galstyan (AISTATS 2015), eq. 8, on KSG's second algorithm
  (Kraskov et al. 2004, eq. 9): the ``k`` nearest neighbours in the joint
  maximum norm, their largest distance in each variable, inclusive counts,
  the principal axes of the neighbours' offsets (``numpy.linalg.eig``), the
  box along them, and the log-ratio of the volumes added where the ratio
  is below ``alpha``.
* The threshold against real neighbourhoods of uniform samples (a tree
  over a uniform cloud, not the simulation that sets it).
* A strongly dependent normal pair, where plain KSG saturates near
  ``log N``; independent pairs, where the correction must stay negligible.
"""

import warnings

import numpy as np
import pytest
from scipy.special import digamma

from skmi import ConditionalMutualInfoSelector, MutualInfoSelector
from skmi.estimators import KSG
from skmi.estimators._lnc import (
    LNC_QUANTILE,
    lnc_log_ratios,
    lnc_mutual_info,
    lnc_threshold,
)

TOL = 1e-9


def brute_lnc(x, y, k, alpha):
    """KSG algorithm 2 plus the LNC term, one sample at a time."""
    n, dx = x.shape
    xy = np.hstack([x, y])
    d = xy.shape[1]
    psi_x, psi_y, correction = 0.0, 0.0, 0.0
    for i in range(n):
        dist = np.max(np.abs(xy - xy[i]), axis=1)
        dist[i] = np.inf
        near = np.argsort(dist, kind="stable")[:k]
        eps_x = np.max(np.abs(x[near] - x[i]))
        eps_y = np.max(np.abs(y[near] - y[i]))
        others = np.arange(n) != i
        n_x = np.sum(np.max(np.abs(x - x[i]), axis=1)[others] <= eps_x)
        n_y = np.sum(np.max(np.abs(y - y[i]), axis=1)[others] <= eps_y)
        psi_x += digamma(n_x)
        psi_y += digamma(n_y)
        if alpha is None or k <= d:
            continue
        u = xy[near] - xy[i]
        _, axes = np.linalg.eig(u.T @ u / k)
        log_vbar = sum(np.log(np.max(np.abs(u @ axes[:, j]))) for j in range(d))
        log_v = dx * np.log(eps_x) + (d - dx) * np.log(eps_y)
        if log_vbar < log_v + np.log(alpha):
            correction += log_v - log_vbar
    base = digamma(k) - 1 / k + digamma(n) - (psi_x + psi_y) / n
    return base + correction / n


def dependent(seed, n, dx, dy, gap):
    """``Y = X[:, :1] + sqrt(gap) * noise`` in each coordinate."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, dx))
    y = x[:, :1] + np.sqrt(gap) * rng.standard_normal((n, dy))
    return x, y


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize(
    "dims, k", [((1, 1), 3), ((1, 1), 5), ((2, 1), 5), ((2, 2), 6), ((2, 2), 3)]
)
@pytest.mark.parametrize("alpha", [None, 0.1, 0.5, 1.0])
def test_lnc_equals_brute_force(seed, dims, k, alpha):
    x, y = dependent(seed, 150, *dims, gap=1e-3)
    expected = brute_lnc(x, y, k, alpha)
    assert lnc_mutual_info(x, y, k, alpha) == pytest.approx(expected, abs=TOL)


def test_brute_force_corrects_where_the_threshold_says():
    # the comparisons above are not all between uncorrected values
    x, y = dependent(0, 150, 1, 1, gap=1e-6)
    corrected = brute_lnc(x, y, 3, 0.5)
    assert corrected > brute_lnc(x, y, 3, None) + 1.0
    assert corrected == pytest.approx(lnc_mutual_info(x, y, 3, 0.5), abs=TOL)


def test_public_estimate_is_the_kernel_on_prepared_samples():
    x, y = dependent(1, 400, 1, 1, gap=1e-6)
    est = KSG(3, correction="lnc", random_state=0)
    px, py = est._variables([("x", x, False), ("y", y, False)])
    expected = brute_lnc(px.continuous, py.continuous, 3, lnc_threshold(3, 1, 1))
    assert est.mutual_info(x, y) == pytest.approx(expected, abs=TOL)
    assert expected > KSG(3, random_state=0).mutual_info(x, y) + 1.0


@pytest.mark.parametrize("k, dims", [(3, (1, 1)), (5, (1, 1)), (5, (2, 1))])
def test_threshold_corrects_the_quantile_share_of_uniform_neighbourhoods(k, dims):
    # uniform samples in a cube; neighbourhoods away from its faces only
    rng = np.random.default_rng(7)
    n, d = 40_000, sum(dims)
    points = rng.uniform(0, 1, (n, d))
    log_ratio, _, _ = lnc_log_ratios(points[:, : dims[0]], points[:, dims[0] :], k)
    inner = np.all(np.abs(points - 0.5) < 0.4, axis=1)
    share = np.mean(log_ratio[inner] < np.log(lnc_threshold(k, *dims)))
    assert 0.4 * LNC_QUANTILE < share < 2 * LNC_QUANTILE


def test_threshold_grows_with_k_and_is_a_constant():
    alphas = [lnc_threshold(k, 1, 1) for k in (3, 5, 10)]
    assert 0 < alphas[0] < alphas[1] < alphas[2] < 1
    lnc_threshold.cache_clear()
    assert lnc_threshold(3, 1, 1) == alphas[0]


@pytest.mark.parametrize("seed", range(3))
def test_strongly_dependent_normal_pair(seed):
    # I = -log(1 - rho^2) / 2 = 9.21 nats: beyond log N for plain KSG
    n, gap = 2000, 1e-8
    x, y = dependent(seed, n, 1, 1, gap)
    truth = -0.5 * np.log(gap / (1 + gap))
    plain = KSG(3, random_state=seed).mutual_info(x, y)
    corrected = KSG(3, correction="lnc", random_state=seed).mutual_info(x, y)
    assert plain < truth - 2.5
    assert corrected == pytest.approx(truth, abs=0.4)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("k", [3, 5])
def test_independent_pair_is_left_alone(seed, k):
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal((2000, 1)), rng.standard_normal((2000, 1))
    est = KSG(k, correction="lnc", random_state=seed)
    px, py = est._variables([("x", x, False), ("y", y, False)])
    uncorrected = lnc_mutual_info(px.continuous, py.continuous, k, None)
    corrected = est.mutual_info(x, y)
    assert 0 <= corrected - uncorrected < 0.03
    assert abs(corrected) < 0.05


def test_no_correction_where_the_neighbours_span_too_few_dimensions():
    x, y = dependent(0, 300, 2, 2, gap=1e-6)
    log_ratio, _, _ = lnc_log_ratios(x, y, 4)
    assert np.all(np.isneginf(log_ratio))
    est = KSG(4, correction="lnc", random_state=0)
    px, py = est._variables([("x", x, False), ("y", y, False)])
    assert est.mutual_info(x, y) == pytest.approx(
        brute_lnc(px.continuous, py.continuous, 4, None), abs=TOL
    )


def test_other_members_of_the_family_are_unchanged():
    rng = np.random.default_rng(3)
    x, z = rng.standard_normal((500, 1)), rng.standard_normal((500, 1))
    y = x + z + 0.1 * rng.standard_normal((500, 1))
    labels = (x[:, 0] > 0).astype(int)
    plain, lnc = KSG(3, random_state=0), KSG(3, correction="lnc", random_state=0)
    assert lnc.conditional_mutual_info(x, y, z) == plain.conditional_mutual_info(
        x, y, z
    )
    assert lnc.mutual_info(x, labels, y_discrete=True) == plain.mutual_info(
        x, labels, y_discrete=True
    )
    assert lnc.entropy(x) == plain.entropy(x)


@pytest.mark.parametrize(
    "params, name",
    [
        ({"ties": "mixed"}, "ties"),
        ({"metric": "euclidean"}, "metric"),
        ({"transform": "copula"}, "transform"),
    ],
)
def test_incompatible_options_are_refused(params, name):
    x = np.random.default_rng(0).standard_normal(50)
    with pytest.raises(ValueError, match=f"correction='lnc'.*requires {name}="):
        KSG(correction="lnc", **params).mutual_info(x, x)


def test_unknown_correction_is_refused():
    x = np.random.default_rng(0).standard_normal(50)
    with pytest.raises(ValueError, match="correction"):
        KSG(correction="gao").mutual_info(x, x)


def test_selector_scores_are_the_corrected_estimates():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((600, 3))
    y = X[:, 0] + 1e-4 * rng.standard_normal(600)
    est = KSG(3, correction="lnc", random_state=0)
    sel = MutualInfoSelector(k=1, estimator=est, random_state=0).fit(X, y)
    assert sel.get_support().tolist() == [True, False, False]
    # the selector scales without centring and draws its own noise: the
    # corrected score is far above the ceiling of plain KSG (~log N)
    plain = MutualInfoSelector(k=1, estimator=KSG(3), random_state=0).fit(X, y)
    assert sel.scores_[0] > plain.scores_[0] + 1.5
    assert sel.scores_[0] == pytest.approx(est.mutual_info(X[:, 0], y), abs=0.3)


@pytest.mark.parametrize(
    "selector",
    [
        MutualInfoSelector(k=2, estimator=KSG(3, correction="lnc")),
        ConditionalMutualInfoSelector(
            2, criterion="cmi", estimator=KSG(3, correction="lnc")
        ),
    ],
    ids=["marginal", "forward"],
)
def test_selectors_pass_check_estimator(selector):
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(selector)


def test_neighbours_exactly_on_a_line_are_left_uncorrected():
    # equal integer columns: every neighbourhood is flat, its ratio is zero
    x = np.arange(200.0)[:, None]
    log_ratio, _, _ = lnc_log_ratios(x, x, 3)
    assert np.isneginf(log_ratio).any()
    # (whether a side is exactly zero or a rounding error depends on the
    # eigensolver: the brute force, with another one, is not compared here)
    assert np.isfinite(lnc_mutual_info(x, x, 3, 0.5))
