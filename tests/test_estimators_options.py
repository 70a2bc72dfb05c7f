"""KSG's options: normal-score (copula) transform and per-variable Euclidean norms.

* ``metric="euclidean"`` against an O(n^2) brute force written here from
  Kraskov et al. (2004), eq. 8 and section II.A: the joint distance is the
  larger of the Euclidean distances within each variable, and the counts
  are strict; Frenzel-Pompe likewise for conditional information.
* ``transform="copula"``: MI is invariant under increasing maps of each
  coordinate, and the transformed estimate depends on the ranks only, so it
  is exactly the same after any such map; Gaussian truths in closed form.
"""

import numpy as np
import pytest
from scipy.special import digamma

from skmi.estimators import KSG
from skmi.estimators._euclidean import ksg_cmi_euclidean, ksg_mi_euclidean

TOL = 1e-10


def euclidean(a):
    a = a.reshape(a.shape[0], -1)
    return np.sqrt(np.sum((a[:, None, :] - a[None, :, :]) ** 2, axis=2))


def brute_ksg_euclidean(x, y, k):
    dx, dy = euclidean(x), euclidean(y)
    eps = np.sort(np.maximum(dx, dy), axis=1)[:, k]  # column 0: the sample itself
    nx = np.sum(dx < eps[:, None], axis=1) - 1
    ny = np.sum(dy < eps[:, None], axis=1) - 1
    n = x.shape[0]
    return digamma(k) + digamma(n) - np.mean(digamma(nx + 1) + digamma(ny + 1))


def brute_fp_euclidean(x, y, z, k):
    dx, dy, dz = euclidean(x), euclidean(y), euclidean(z)
    eps = np.sort(np.maximum(np.maximum(dx, dy), dz), axis=1)[:, k][:, None]
    nxz = np.sum(np.maximum(dx, dz) < eps, axis=1)
    nyz = np.sum(np.maximum(dy, dz) < eps, axis=1)
    nz = np.sum(dz < eps, axis=1)
    return digamma(k) - np.mean(digamma(nxz) + digamma(nyz) - digamma(nz))


def correlated(seed, n, dx, dy, dz=0):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, max(dz, 1)))
    x = rng.standard_normal((n, dx)) + z[:, :1]
    y = x[:, :1] @ np.ones((1, dy)) + 0.8 * rng.standard_normal((n, dy)) + z[:, :1]
    return x, y, z[:, :dz]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("k", [1, 3, 6])
@pytest.mark.parametrize("dims", [(1, 1), (2, 3), (4, 4)])
def test_euclidean_ksg_equals_brute_force(seed, k, dims):
    x, y, _ = correlated(seed, 300, *dims)
    assert ksg_mi_euclidean(x, y, k) == pytest.approx(
        brute_ksg_euclidean(x, y, k), abs=TOL
    )


def test_the_brute_force_on_a_hand_example():
    # x = (0, 0), (3, 4), (6, 8); y = 0, 1, 3; k = 1. Euclidean x-distances
    # 5, 10, 5; the joint eps is 5 for all three samples. Within 5, strictly:
    # in x, nobody else; in y, the others of the first two (|0 - 1| = 1) and,
    # for the third, y = 1 (|3 - 1| = 2 < 5) and y = 0 (3 < 5).
    x = np.array([[0.0, 0.0], [3.0, 4.0], [6.0, 8.0]])
    y = np.array([0.0, 1.0, 3.0])
    ny = np.array([2, 2, 2])  # every other y lies within 5
    expected = digamma(1) + digamma(3) - np.mean(digamma(1) + digamma(ny + 1))
    assert brute_ksg_euclidean(x, y, 1) == pytest.approx(expected, abs=1e-14)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("k", [2, 5])
def test_euclidean_frenzel_pompe_equals_brute_force(seed, k):
    x, y, z = correlated(seed, 250, 2, 2, dz=3)
    assert ksg_cmi_euclidean(x, y, z, k) == pytest.approx(
        brute_fp_euclidean(x, y, z, k), abs=TOL
    )


def test_euclidean_is_the_maximum_norm_in_one_dimension():
    x, y, _ = correlated(0, 500, 1, 1)
    a = KSG(metric="euclidean", random_state=0).mutual_info(x, y)
    b = KSG(random_state=0).mutual_info(x, y)
    assert a == pytest.approx(b, abs=TOL)


def test_euclidean_path_runs_through_the_estimator():
    x, y, z = correlated(1, 400, 3, 2, dz=2)
    est = KSG(metric="euclidean", random_state=0)
    scaled = [(a - a.mean(0)) / a.std(0) for a in (x, y, z)]
    # the estimator scales each column to unit variance, then jitters by 1e-10
    assert est.mutual_info(x, y) == pytest.approx(
        brute_ksg_euclidean(scaled[0], scaled[1], 3), abs=1e-6
    )
    assert est.conditional_mutual_info(x, y, z) == pytest.approx(
        brute_fp_euclidean(*scaled, 3), abs=1e-6
    )
    assert est.mutual_info(x, y) != KSG(random_state=0).mutual_info(x, y)


def gaussian_pair(seed, n, d, c=0.5):
    rng = np.random.default_rng(seed)
    cov = np.full((2 * d, 2 * d), c) + (1 - c) * np.eye(2 * d)
    xy = rng.multivariate_normal(np.zeros(2 * d), cov, n)
    truth = 0.5 * (2 * np.linalg.slogdet(cov[:d, :d])[1] - np.linalg.slogdet(cov)[1])
    return xy[:, :d], xy[:, d:], truth


@pytest.mark.parametrize(
    "params", [{"metric": "euclidean"}, {"transform": "copula"}, {}]
)
def test_gaussian_truth(params):
    # dense 3 x 3 Gaussian, every correlation 0.5: I = 0.4133 nats
    values = []
    for seed in range(4):
        x, y, truth = gaussian_pair(seed, 2000, 3)
        values.append(KSG(random_state=seed, **params).mutual_info(x, y))
    assert truth == pytest.approx(0.4133, abs=1e-4)
    assert np.mean(values) == pytest.approx(truth, abs=0.05)


def test_copula_is_invariant_under_increasing_maps():
    x, y, _ = gaussian_pair(0, 1000, 2)
    est = KSG(transform="copula", random_state=3)
    base = est.mutual_info(x, y)
    warped_x = np.column_stack([np.exp(x[:, 0]), x[:, 1] ** 3])
    warped_y = np.column_stack([np.arcsinh(5 * y[:, 0]), y[:, 1] * np.abs(y[:, 1])])
    assert est.mutual_info(warped_x, warped_y) == base
    assert est.conditional_mutual_info(
        warped_x[:, :1], warped_y, np.exp(x[:, 1])
    ) == est.conditional_mutual_info(x[:, :1], y, x[:, 1])
    # without the transform the warp moves the estimate
    plain = KSG(random_state=3)
    assert abs(plain.mutual_info(warped_x, warped_y) - plain.mutual_info(x, y)) > 0.01


def test_copula_keeps_ties_as_atoms():
    rng = np.random.default_rng(0)
    x = rng.poisson(3, 600).astype(float)
    y = x + rng.poisson(2, 600)
    est = KSG(transform="copula", ties="mixed")
    assert est.mutual_info(x, y) == est.mutual_info(np.exp(x / 3), y**2)


def student_t(seed, n, d, nu):
    rng = np.random.default_rng(seed)
    xy = rng.standard_normal((n, 2 * d)) / np.sqrt(rng.chisquare(nu, (n, 1)) / nu)
    return xy[:, :d], xy[:, d:]


def test_copula_removes_the_heavy_tail_bias():
    # Student-t 2 x 2 with one degree of freedom and identity dispersion:
    # I = 2 h(2) - h(4) of the standard Student-t entropies, 0.4319 nats
    truth = 0.4319
    plain, copula = [], []
    for seed in range(3):
        x, y = student_t(seed, 3000, 2, 1)
        plain.append(KSG(random_state=0).mutual_info(x, y))
        copula.append(KSG(transform="copula", random_state=0).mutual_info(x, y))
    assert np.mean(plain) < truth - 0.15
    assert np.mean(copula) == pytest.approx(truth, abs=0.08)


def test_copula_leaves_entropy_alone():
    rng = np.random.default_rng(0)
    x = rng.exponential(size=(500, 2))
    a = KSG(transform="copula", random_state=0).entropy(x)
    assert a == KSG(random_state=0).entropy(x)


def test_euclidean_conditional_terms_of_a_search_step_use_the_euclidean_norm():
    from skmi.selection._terms import EstimatorTerms

    x, y, z = correlated(4, 300, 1, 1, dz=3)
    est = KSG(3, metric="euclidean", random_state=0)
    columns = est.prepare(np.hstack([x, z]), np.zeros(4, dtype=bool), 0)
    target = est.prepare_target(y[:, 0], False, 1)
    runner = EstimatorTerms(est, columns, target, None)
    conditioning = runner.conditioning([1, 2, 3])
    # no maximum-norm Frenzel-Pompe structure stands in for the estimator
    assert conditioning[1] is None
    value = runner.terms([0], conditioning, ("crel",))["crel"][0]
    zc = np.hstack([c.continuous for c in columns[1:]])
    expected = brute_fp_euclidean(columns[0].continuous, target.continuous, zc, 3)
    assert value == pytest.approx(expected, abs=TOL)
    assert value != pytest.approx(
        KSG(3, random_state=0).conditional_mutual_info_prepared(
            columns[0], target, conditioning[0]
        ),
        abs=1e-6,
    )
