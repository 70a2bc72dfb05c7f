"""The Gaussian-copula estimator against closed forms and brute force."""

import warnings

import numpy as np
import pytest
from scipy import sparse
from scipy.special import digamma, ndtri
from scipy.stats import rankdata
from sklearn.base import clone

from skmi import ConditionalMutualInfoSelector, MutualInfoSelector
from skmi.estimators import GaussianCopula, _gaussian_copula


def gaussian_mi(cov, dx):
    """0.5 (log det S_X + log det S_Y - log det S), written here independently."""
    det = np.linalg.det
    return 0.5 * np.log(det(cov[:dx, :dx]) * det(cov[dx:, dx:]) / det(cov))


def scores(a):
    """Normal scores of each column, written here independently."""
    a = np.atleast_2d(a.T).T
    ranks = np.column_stack([rankdata(c) for c in a.T])
    return ndtri(ranks / (a.shape[0] + 1.0))


def brute_entropy(a, bias):
    """Gaussian entropy with Ince et al.'s correction, by the formulas of the paper."""
    n, d = a.shape
    cov = np.atleast_2d(np.cov(a, rowvar=False))
    h = 0.5 * np.log(np.linalg.det(2 * np.pi * np.e * cov))
    if bias:
        h -= d / 2 * (np.log(2) - np.log(n - 1))
        h -= sum(digamma((n - i) / 2) / 2 for i in range(1, d + 1))
    return h


@pytest.mark.parametrize(
    "rho, truth", [(0.1, 0.0050251679), (0.6, 0.2231435513), (0.9, 0.8303656034)]
)
def test_bivariate_gaussian_oracle(rho, truth):
    rng = np.random.default_rng(1)
    n = 20000
    x = rng.standard_normal(n)
    y = rho * x + np.sqrt(1 - rho**2) * rng.standard_normal(n)
    estimates = [GaussianCopula().mutual_info(x, y)]
    assert abs(estimates[0] - truth) < 0.012


@pytest.mark.parametrize("d, truth", [(2, 0.2938933325), (3, 0.4133392866)])
def test_multivariate_gaussian_oracle(d, truth):
    cov = np.eye(2 * d) / 2 + np.ones((2 * d, 2 * d)) / 2
    assert gaussian_mi(cov, d) == pytest.approx(truth, abs=1e-9)
    rng = np.random.default_rng(2)
    sample = rng.multivariate_normal(np.zeros(2 * d), cov, size=20000)
    est = GaussianCopula().mutual_info(sample[:, :d], sample[:, d:])
    assert abs(est - truth) < 0.015


@pytest.mark.parametrize(
    "rhos, truth",
    [((0.6, 0.5, 0.4), 0.1464935623), ((0.0, 0.5, 0.5), 0.0588915178)],
)
def test_conditional_gaussian_oracle(rhos, truth):
    rxy, rxz, ryz = rhos
    cov = np.array([[1, rxy, rxz], [rxy, 1, ryz], [rxz, ryz, 1]])
    rng = np.random.default_rng(3)
    s = rng.multivariate_normal(np.zeros(3), cov, size=20000)
    est = GaussianCopula().conditional_mutual_info(s[:, 0], s[:, 1], s[:, 2])
    assert abs(est - truth) < 0.012


def test_invariant_under_increasing_maps():
    rng = np.random.default_rng(4)
    s = rng.multivariate_normal(
        np.zeros(3), [[1, 0.5, 0.3], [0.5, 1, 0.2], [0.3, 0.2, 1]], 500
    )
    est = GaussianCopula()
    warped = np.column_stack([np.exp(s[:, 0]), s[:, 1] ** 3, np.arctan(s[:, 2])])
    assert est.mutual_info(warped[:, 0], warped[:, 1:]) == pytest.approx(
        est.mutual_info(s[:, 0], s[:, 1:]), abs=1e-12
    )
    assert est.conditional_mutual_info(*warped.T) == pytest.approx(
        est.conditional_mutual_info(*s.T), abs=1e-12
    )


def test_equals_brute_force_of_normal_scores():
    rng = np.random.default_rng(5)
    x = rng.standard_t(3, size=(200, 2))
    y = x[:, :1] + rng.standard_normal((200, 1))
    for bias in (True, False):
        est = GaussianCopula(bias_correction=bias)
        sx, sy = scores(x), scores(y)
        h = [brute_entropy(a, bias) for a in (sx, sy, np.hstack([sx, sy]))]
        assert est.mutual_info(x, y) == pytest.approx(h[0] + h[1] - h[2], abs=1e-8)


def test_discrete_target_is_within_class_model():
    # Ince et al.: I(X; Y) = H(X) - sum_y p(y) H(X | Y = y), X copula-normalised
    rng = np.random.default_rng(6)
    y = rng.integers(0, 3, 300)
    x = np.column_stack([y + rng.standard_normal(300), rng.standard_normal(300)])
    sx = scores(x)
    expected = brute_entropy(sx, True) - sum(
        np.mean(y == k) * brute_entropy(sx[y == k], True) for k in range(3)
    )
    got = GaussianCopula().mutual_info(x, y, y_discrete=True)
    assert got == pytest.approx(expected, abs=1e-10)
    # symmetric: the discrete variable may come first
    assert GaussianCopula().mutual_info(y, x, x_discrete=True) == pytest.approx(got)


def test_per_class_conditional_oracle():
    # (X, Z) | y ~ N(0, [[1, r_y], [r_y, 1]]), r = (0.8, 0.2): I(X; Z | Y) = 0.2656
    rng = np.random.default_rng(7)
    n = 40000
    y = rng.integers(0, 2, n)
    r = np.where(y == 0, 0.8, 0.2)
    x = rng.standard_normal(n)
    z = r * x + np.sqrt(1 - r**2) * rng.standard_normal(n)
    est = GaussianCopula().conditional_mutual_info(x, z, y, z_discrete=True)
    assert abs(est - 0.2656183105) < 0.012


def test_mixture_lower_bound():
    # y ~ Bernoulli(1/2), x | y ~ N(+-1, 1): I = 0.3368; a lower bound, close
    rng = np.random.default_rng(8)
    y = rng.integers(0, 2, 20000)
    x = 2.0 * y - 1 + rng.standard_normal(20000)
    est = GaussianCopula().mutual_info(x, y, y_discrete=True)
    assert 0.25 < est < 0.3368308203 + 0.01


def test_bias_correction_lowers_bias_at_small_n():
    rho, n, d = 0.6, 20, 3
    cov = np.eye(2 * d)
    for i in range(d):
        cov[i, d + i] = cov[d + i, i] = rho
    truth = gaussian_mi(cov, d)
    means = {}
    for bias in (True, False):
        est = GaussianCopula(bias_correction=bias)
        values = []
        for seed in range(200):
            s = np.random.default_rng(seed).multivariate_normal(np.zeros(2 * d), cov, n)
            values.append(est.mutual_info(s[:, :d], s[:, d:]))
        means[bias] = np.mean(values)
    assert abs(means[True] - truth) < abs(means[False] - truth) - 0.1


def test_entropy_is_gaussian_entropy_of_values():
    rng = np.random.default_rng(9)
    x = 3.0 * rng.standard_normal(50000)
    truth = 0.5 * np.log(2 * np.pi * np.e * 9.0)
    assert GaussianCopula().entropy(x) == pytest.approx(truth, abs=0.01)
    labels = np.array([0, 1] * 50)
    assert GaussianCopula().entropy(labels, discrete=True) == pytest.approx(np.log(2))


def test_constant_and_duplicate_columns():
    rng = np.random.default_rng(10)
    x = rng.standard_normal(100)
    est = GaussianCopula()
    assert est.mutual_info(np.ones(100), x) == 0.0
    assert est.mutual_info(x, x) > 5  # collinear: large and finite
    assert abs(est.conditional_mutual_info(x, rng.standard_normal(100), x)) < 0.1


def test_all_discrete_is_counted():
    ids = np.arange(40)
    y = np.array([0, 1] * 20)
    assert GaussianCopula()._table_counting() == "chance"
    est = GaussianCopula()
    assert est.mutual_info(ids, y, x_discrete=True, y_discrete=True) == pytest.approx(
        0.0, abs=1e-12
    )
    raw = GaussianCopula(adjust=None)
    assert raw._table_counting() == "raw"
    value = raw.mutual_info(ids, y, x_discrete=True, y_discrete=True)
    assert value == pytest.approx(np.log(2))


def test_selectors_fit():
    rng = np.random.default_rng(11)
    X = rng.standard_normal((300, 6))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    sel = MutualInfoSelector(estimator=GaussianCopula(), k=2).fit(X, y)
    assert set(np.flatnonzero(sel.get_support())) == {0, 1}
    target = X[:, 0] + X[:, 1] + 0.3 * rng.standard_normal(300)
    cmi = ConditionalMutualInfoSelector(
        estimator=GaussianCopula(), criterion="cmi", n_features_to_select=2
    ).fit(X, target)
    assert set(np.flatnonzero(cmi.get_support())) == {0, 1}


def test_params_clone_and_validation():
    est = GaussianCopula(bias_correction=False, adjust=None)
    assert est.get_params() == {"bias_correction": False, "adjust": None}
    assert clone(est).get_params() == est.get_params()
    with pytest.raises(ValueError, match="bias_correction"):
        GaussianCopula(bias_correction="yes").mutual_info(
            np.arange(9.0), np.arange(9.0)
        )
    with pytest.raises(ValueError, match="adjust"):
        GaussianCopula(adjust="raw").mutual_info(np.arange(9.0), np.arange(9.0))


def test_small_levels_use_all_samples():
    # a level with n_k <= d + 1 samples takes the covariance of all samples
    rng = np.random.default_rng(12)
    x = rng.standard_normal((50, 2))
    y = np.arange(50)
    value = GaussianCopula().mutual_info(x, y, y_discrete=True)
    assert value == pytest.approx(0.0, abs=1e-12)
    whole = _gaussian_copula.gaussian_entropy(scores(x))
    assert whole == pytest.approx(brute_entropy(scores(x), True))


@pytest.mark.parametrize(
    "selector",
    [
        MutualInfoSelector(k=2, estimator=GaussianCopula()),
        ConditionalMutualInfoSelector(criterion="cmi", estimator=GaussianCopula()),
    ],
    ids=["mi", "cmi"],
)
def test_selectors_pass_check_estimator(selector):
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(selector)


def test_permutation_test_and_sparse_input():
    rng = np.random.default_rng(13)
    X = rng.standard_normal((300, 6))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    sel = MutualInfoSelector(
        estimator=GaussianCopula(), n_permutations=99, alpha=0.05, random_state=0
    ).fit(X, y)
    assert set(np.flatnonzero(sel.get_support())) == {0, 1}
    dense = X * (rng.random(X.shape) < 0.5)
    a = MutualInfoSelector(estimator=GaussianCopula(), k=2).fit(dense, y)
    b = MutualInfoSelector(estimator=GaussianCopula(), k=2).fit(
        sparse.csr_matrix(dense), y
    )
    np.testing.assert_allclose(a.scores_, b.scores_, atol=1e-8)
