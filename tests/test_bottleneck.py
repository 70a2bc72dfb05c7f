"""Information bottleneck: closed forms, iterative and deterministic solvers.

Truths come from /work/shared/ORACLES.md (Gaussian IB table, binary symmetric
channel) and from brute force written here: determinant formulas for the
information of a linear Gaussian channel, enumeration of every hard
partition, explicit sums over probability tables.
"""

import ast
import itertools
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import brentq
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline

from skmi import InformationBottleneck, information_curve
from skmi.bottleneck import (
    conditional_covariance,
    critical_betas,
    discrete_ib,
    discrete_ib_objective,
    gaussian_curve,
    gaussian_ib,
    gaussian_ib_information,
    gaussian_ib_scales,
)
from skmi.bottleneck._discrete import _merge_down
from skmi.estimators._codes import bin_quantile

# ORACLES.md: canonical correlations (0.9, 0.6, 0).
EIGENVALUES = np.array([0.19, 0.64, 1.0])
CRITICAL = np.array([1.2345679012, 2.7777777778])
INFORMATION_XY = 1.0535091547
TABLE = {
    1.5: (1, 0.3784314975, 0.2810594591),
    2.0: (1, 0.7250050878, 0.4837920131),
    3.0: (2, 1.1304701959, 0.6480440466),
    5.0: (2, 1.8236173764, 0.8303656034),
    10.0: (2, 2.6345475926, 0.9481486391),
}
BSC_CRITICAL = 1.5625  # 1 / (1 - 2p)^2 for p = 0.1
BSC_INFORMATION = 0.3680642072


def _mixing():
    rng = np.random.default_rng(123)
    return rng.standard_normal((3, 3)), rng.standard_normal((2, 2))


def _exact_covariances():
    """S_x, S_{x|y} of X = M z, Y = N w with corr(z_i, w_i) = (0.9, 0.6, 0)."""
    M, _ = _mixing()
    rho2 = np.array([0.81, 0.36, 0.0])
    return M @ M.T, M @ np.diag(1.0 - rho2) @ M.T


def _sample(n, seed):
    M, N = _mixing()
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, 3))
    rho = np.array([0.9, 0.6])
    w = z[:, :2] * rho + rng.standard_normal((n, 2)) * np.sqrt(1.0 - rho**2)
    return z @ M.T, w @ N.T


def _channel_information(A, cov_x, cov_x_given_y):
    """I(T;X), I(T;Y) of T = A X + N(0, I), by determinants."""
    k = A.shape[0]
    _, logdet_t = np.linalg.slogdet(A @ cov_x @ A.T + np.eye(k))
    _, logdet_t_given_y = np.linalg.slogdet(A @ cov_x_given_y @ A.T + np.eye(k))
    return 0.5 * logdet_t, 0.5 * (logdet_t - logdet_t_given_y)


def _optimal_projection(cov_x, cov_x_given_y, beta):
    eigenvalues, vectors = gaussian_ib(cov_x, cov_x_given_y)
    alpha = gaussian_ib_scales(eigenvalues, beta)
    return alpha[:, None] * vectors.T


# --------------------------------------------------------------------------
# Gaussian closed form on exact covariances


def test_gaussian_eigenvalues_and_critical_betas_exact():
    cov_x, cov_x_given_y = _exact_covariances()
    eigenvalues, vectors = gaussian_ib(cov_x, cov_x_given_y)
    np.testing.assert_allclose(eigenvalues, EIGENVALUES, atol=1e-8)
    np.testing.assert_allclose(critical_betas(eigenvalues)[:2], CRITICAL, atol=1e-8)
    assert np.isinf(critical_betas(np.array([1.0]))[0])
    # the generalised eigenproblem and the normalisation v^T S_x v = 1
    np.testing.assert_allclose(
        cov_x_given_y @ vectors, cov_x @ vectors * eigenvalues, atol=1e-8
    )
    np.testing.assert_allclose(vectors.T @ cov_x @ vectors, np.eye(3), atol=1e-8)


@pytest.mark.parametrize("beta", sorted(TABLE))
def test_gaussian_information_table_exact(beta):
    n_active, information_xt, information_ty = TABLE[beta]
    xt, ty = gaussian_ib_information(EIGENVALUES, beta)
    assert xt == pytest.approx(information_xt, abs=1e-8)
    assert ty == pytest.approx(information_ty, abs=1e-8)
    assert np.count_nonzero(gaussian_ib_scales(EIGENVALUES, beta)) == n_active


@pytest.mark.parametrize("beta", sorted(TABLE))
def test_gaussian_projection_attains_closed_form(beta):
    # the determinant formulas of the projection, independent of the closed form
    cov_x, cov_x_given_y = _exact_covariances()
    A = _optimal_projection(cov_x, cov_x_given_y, beta)
    xt, ty = _channel_information(A, cov_x, cov_x_given_y)
    assert xt == pytest.approx(TABLE[beta][1], abs=1e-8)
    assert ty == pytest.approx(TABLE[beta][2], abs=1e-8)


def _sample_covariances(X, Y):
    """S_x and S_{x|y} by the textbook formula, 1/N normalisation."""
    d = X.shape[1]
    full = np.cov(np.hstack([X, Y]).T, bias=True)
    sxx, sxy, syy = full[:d, :d], full[:d, d:], full[d:, d:]
    return sxx, sxx - sxy @ np.linalg.solve(syy, sxy.T)


def _matched_information_ty(B, target_xt, cov_x, cov_x_given_y):
    """I(T;Y) of the projection c B whose I(X;T) equals target_xt."""
    scale = brentq(
        lambda c: _channel_information(c * B, cov_x, cov_x_given_y)[0] - target_xt,
        1e-9,
        1e6,
    )
    return _channel_information(scale * B, cov_x, cov_x_given_y)[1]


@pytest.mark.parametrize("source", ["exact", "fitted"])
@pytest.mark.parametrize("beta", [1.5, 3.0, 10.0])
def test_gaussian_projection_is_optimal(beta, source):
    """No other projection with the same I(X;T) keeps more about Y."""
    if source == "exact":
        cov_x, cov_x_given_y = _exact_covariances()
        A = _optimal_projection(cov_x, cov_x_given_y, beta)
    else:
        X, Y = _sample(2000, seed=int(10 * beta))
        ib = InformationBottleneck(n_components=3, beta=beta).fit(X, Y)
        cov_x, cov_x_given_y = _sample_covariances(X, Y)
        A = ib.components_
        # the fitted projection attains the closed form on its covariances
        xt, ty = _channel_information(A, cov_x, cov_x_given_y)
        assert xt == pytest.approx(ib.information_xt_, abs=1e-8)
        assert ty == pytest.approx(ib.information_ty_, abs=1e-8)
    target_xt, best_ty = _channel_information(A, cov_x, cov_x_given_y)
    rng = np.random.default_rng(0)
    candidates = [rng.standard_normal((k, 3)) for k in (1, 2, 3) for _ in range(100)]
    # perturbations of the optimum probe its neighbourhood
    candidates += [A + 0.05 * rng.standard_normal(A.shape) for _ in range(100)]
    margins = [
        best_ty - _matched_information_ty(B, target_xt, cov_x, cov_x_given_y)
        for B in candidates
    ]
    assert min(margins) > -1e-9
    # the check has teeth: the projection on the second direction alone loses
    _, vectors = gaussian_ib(cov_x, cov_x_given_y)
    wrong = vectors[:, [1]].T
    assert (
        _matched_information_ty(wrong, target_xt, cov_x, cov_x_given_y) < best_ty - 0.01
    )


def test_conditional_covariance_brute_force():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((200, 3))
    Y = X[:, :2] @ rng.standard_normal((2, 2)) + rng.standard_normal((200, 2))
    cov_x, cov_x_given_y = conditional_covariance(X, Y)
    expected_x, expected_x_given_y = _sample_covariances(X, Y)
    np.testing.assert_allclose(cov_x, expected_x, atol=1e-12)
    np.testing.assert_allclose(cov_x_given_y, expected_x_given_y, atol=1e-12)


def test_one_hot_gives_pooled_within_class_covariance():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 3, size=300)
    X = rng.standard_normal((300, 4)) + y[:, None]
    within = (
        sum(
            (X[y == c] - X[y == c].mean(axis=0)).T
            @ (X[y == c] - X[y == c].mean(axis=0))
            for c in range(3)
        )
        / X.shape[0]
    )
    _, cov_x_given_y = conditional_covariance(X, np.eye(3)[y])
    np.testing.assert_allclose(cov_x_given_y, within, atol=1e-12)


# --------------------------------------------------------------------------
# Gaussian method on samples


@pytest.mark.slow
def test_gaussian_oracle_large_sample():
    X, Y = _sample(200_000, seed=0)
    ib = InformationBottleneck(n_components=3, beta=2.0).fit(X, Y)
    # standard deviations over seeds: 0.0007 and 0.01
    assert ib.critical_betas_[0] == pytest.approx(CRITICAL[0], abs=0.005)
    assert ib.critical_betas_[1] == pytest.approx(CRITICAL[1], abs=0.05)
    assert ib.critical_betas_[2] > 1000  # the zero canonical correlation
    for beta, (n_active, information_xt, information_ty) in TABLE.items():
        ib.set_params(beta=beta).fit(X, Y)
        # standard deviations over seeds: at most 0.0035 and 0.0018
        assert ib.information_xt_ == pytest.approx(information_xt, abs=0.02)
        assert ib.information_ty_ == pytest.approx(information_ty, abs=0.01)
        active = np.any(ib.components_ != 0, axis=1)
        assert active.tolist() == [True] * n_active + [False] * (3 - n_active)


def test_gaussian_transform_and_inactive_components():
    X, Y = _sample(5000, seed=1)
    ib = InformationBottleneck(n_components=3, beta=2.0).fit(X, Y)
    assert ib.components_.shape == (3, 3)
    Xt = ib.transform(X)
    np.testing.assert_allclose(Xt, (X - X.mean(axis=0)) @ ib.components_.T)
    # beta = 2 lies between the first two critical betas
    assert np.all(Xt[:, 1:] == 0) and np.std(Xt[:, 0]) > 0
    # the projected first column has the variance alpha^2 of the closed form
    alpha = gaussian_ib_scales(ib.eigenvalues_, 2.0)[0]
    assert np.var(Xt[:, 0]) == pytest.approx(alpha**2, rel=1e-8)
    assert ib.get_feature_names_out().tolist() == [
        "informationbottleneck0",
        "informationbottleneck1",
        "informationbottleneck2",
    ]


def test_gaussian_auto_beta_activates_every_kept_component():
    X, Y = _sample(5000, seed=2)
    ib = InformationBottleneck().fit(X, Y)  # n_components defaults to 2 outputs
    assert ib.n_components_ == 2
    assert ib.beta_ == pytest.approx(2.0 * ib.critical_betas_.max())
    assert np.all(np.any(ib.components_ != 0, axis=1))
    weakest = ib.eigenvalues_[-1:]
    assert gaussian_ib_information(weakest, ib.beta_)[0] == pytest.approx(
        0.5 * np.log((1 + weakest[0]) / weakest[0])
    )
    # nothing to predict: no finite critical beta, beta_ = 2 and zero output
    ib = InformationBottleneck().fit(X, np.ones(5000))
    assert ib.beta_ == 2.0 and np.all(ib.transform(X) == 0)
    assert ib.information_xt_ == 0.0 and ib.information_ty_ == 0.0


def test_gaussian_categorical_target_gives_lda_directions():
    X, y = load_wine(return_X_y=True)
    ib = InformationBottleneck(beta=100.0).fit(X, y)
    assert ib.n_components_ == 2  # classes minus one, as in LDA
    lda = LinearDiscriminantAnalysis(solver="eigen").fit(X, y)
    for i in range(2):
        u = ib.components_[i] / np.linalg.norm(ib.components_[i])
        v = lda.scalings_[:, i] / np.linalg.norm(lda.scalings_[:, i])
        assert abs(u @ v) == pytest.approx(1.0, abs=1e-6)
    # the same directions from the one-hot target treated as continuous
    ib_onehot = InformationBottleneck(n_components=2, beta=100.0)
    ib_onehot.fit(
        X,
        np.eye(3)[y],
    )
    np.testing.assert_allclose(ib_onehot.components_, ib.components_, rtol=1e-6)


def test_gaussian_discrete_target_override():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 4, size=400)
    X = rng.standard_normal((400, 3)) + y[:, None] * [1.0, 0.0, 0.0]
    # "auto" sees a multiclass target: three components; forced continuous: one
    assert InformationBottleneck().fit(X, y).n_components_ == 3
    assert InformationBottleneck(discrete_target=False).fit(X, y).n_components_ == 1


def test_shrinkage_with_more_features_than_samples():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((20, 50))
    y = X[:, 0] + 0.1 * rng.standard_normal(20)
    ib = InformationBottleneck(shrinkage=0.5, beta=50.0).fit(X, y)
    assert 0.0 < ib.eigenvalues_[0] < 1.0
    assert np.isfinite(ib.information_xt_) and np.isfinite(ib.transform(X)).all()
    # full shrinkage replaces X by isotropic noise: nothing is informative
    ib = InformationBottleneck(shrinkage=1.0).fit(X, y)
    np.testing.assert_allclose(ib.eigenvalues_, 1.0)


def test_gaussian_curve_monotone_and_limit():
    betas = np.geomspace(1.0, 1e6, 200)
    xt, ty = gaussian_curve(EIGENVALUES, betas)
    assert np.all(np.diff(xt) >= 0) and np.all(np.diff(ty) >= 0)
    assert np.all(ty <= xt + 1e-12) and np.all(ty <= INFORMATION_XY)
    assert ty[-1] == pytest.approx(INFORMATION_XY, abs=1e-5)
    # slope dI(T;Y)/dI(X;T) = 1/beta
    slope = np.diff(ty) / np.maximum(np.diff(xt), 1e-300)
    mid = np.sqrt(betas[1:] * betas[:-1])
    active = np.diff(xt) > 1e-6
    np.testing.assert_allclose(slope[active], 1.0 / mid[active], rtol=0.05)


def test_information_curve_gaussian_estimator():
    X, Y = _sample(20_000, seed=5)
    ixt, ity, betas = information_curve(InformationBottleneck(n_components=3), X, Y)
    assert np.all(np.diff(betas) > 0)
    assert np.all(np.diff(ixt) >= -1e-12) and np.all(np.diff(ity) >= -1e-12)
    ib = InformationBottleneck(n_components=3).fit(X, Y)
    for b in ib.critical_betas_[np.isfinite(ib.critical_betas_)]:
        assert b in betas
    i = np.searchsorted(betas, 5.0)
    ib.set_params(beta=betas[i]).fit(X, Y)
    assert ixt[i] == pytest.approx(ib.information_xt_)
    assert ity[i] == pytest.approx(ib.information_ty_)


def test_information_curve_rejects_bad_betas():
    X, Y = _sample(100, seed=6)
    with pytest.raises(ValueError, match="finite positive"):
        information_curve(InformationBottleneck(), X, Y, betas=[1.0, -2.0])
    with pytest.raises(ValueError, match="estimator"):
        information_curve("ib", X, Y)


# --------------------------------------------------------------------------
# Discrete methods


def _bsc_table(p=0.1):
    return np.array([[1 - p, p], [p, 1 - p]]) / 2.0


def _bsc_sample(p=0.1, n=1000):
    """A sample whose empirical joint table is exactly the channel's."""
    m = int(round(n * p / 2))
    x = np.repeat([0, 0, 1, 1], [n // 2 - m, m, m, n // 2 - m])
    y = np.repeat([0, 1, 0, 1], [n // 2 - m, m, m, n // 2 - m])
    return x.reshape(-1, 1), y


def _plugin_information(encoder, pxy):
    """I(X;T) and I(T;Y) by explicit sums."""
    px, py = pxy.sum(axis=1), pxy.sum(axis=0)
    pxt = px[:, None] * encoder
    pt = pxt.sum(axis=0)
    pty = encoder.T @ pxy
    xt = sum(
        pxt[i, t] * np.log(pxt[i, t] / (px[i] * pt[t]))
        for i in range(pxt.shape[0])
        for t in range(pxt.shape[1])
        if pxt[i, t] > 0
    )
    ty = sum(
        pty[t, j] * np.log(pty[t, j] / (pt[t] * py[j]))
        for t in range(pty.shape[0])
        for j in range(pty.shape[1])
        if pty[t, j] > 0
    )
    return xt, ty


@pytest.mark.parametrize("n_anneal", [0, 4])
@pytest.mark.parametrize("beta", [1.2, 1.5, 1.65, 2.0, 5.0])
def test_bsc_trivial_exactly_below_critical_beta(beta, n_anneal):
    result = discrete_ib(
        _bsc_table(),
        2,
        beta,
        n_anneal=n_anneal,
        max_iter=5000,
        tol=1e-12,
        rng=np.random.default_rng(0),
    )
    if beta < BSC_CRITICAL:
        assert result.information_xt < 1e-9 and result.information_ty < 1e-9
    else:
        assert result.information_xt > 0.05
        assert 0 < result.information_ty < BSC_INFORMATION


@pytest.mark.slow
def test_bsc_estimator_around_critical_beta():
    X, y = _bsc_sample()
    ib = InformationBottleneck(
        method="iterative", max_iter=5000, tol=1e-12, random_state=0
    )
    assert ib.set_params(beta=0.98 * BSC_CRITICAL).fit(X, y).information_xt_ < 1e-9
    assert ib.set_params(beta=1.06 * BSC_CRITICAL).fit(X, y).information_xt_ > 0.05
    # at large beta T copies X: I(T;Y) reaches I(X;Y) of the channel
    ib.set_params(beta=1000.0).fit(X, y)
    assert ib.information_ty_ == pytest.approx(BSC_INFORMATION, abs=1e-6)


def test_deterministic_bsc_threshold():
    # two hard partitions: merged (objective 0) or split (ln 2 - beta I(X;Y))
    threshold = np.log(2.0) / BSC_INFORMATION
    X, y = _bsc_sample()
    ib = InformationBottleneck(method="deterministic", random_state=0)
    assert ib.set_params(beta=0.98 * threshold).fit(X, y).information_xt_ == 0.0
    ib.set_params(beta=1.02 * threshold).fit(X, y)
    assert ib.information_xt_ == pytest.approx(np.log(2.0))
    assert ib.information_ty_ == pytest.approx(BSC_INFORMATION, abs=1e-9)


def _random_table(rng, n_x, n_y):
    pxy = rng.random((n_x, n_y)) ** 3
    return pxy / pxy.sum()


@pytest.mark.parametrize("deterministic", [False, True])
@pytest.mark.parametrize("seed", range(5))
def test_objective_never_increases(deterministic, seed):
    rng = np.random.default_rng(seed)
    pxy = _random_table(rng, 12, 4)
    for beta in (0.5, 2.0, 8.0, 50.0):
        result = discrete_ib(
            pxy, 4, beta, deterministic=deterministic, max_iter=500, rng=rng
        )
        history = np.asarray(result.history)
        assert len(history) >= 2
        assert np.all(np.diff(history) <= 1e-12)
        assert history[-1] == pytest.approx(result.objective)


@pytest.mark.parametrize("seed", range(4))
def test_deterministic_finds_best_hard_partition(seed):
    """Against every assignment of 6 values to 3 clusters."""
    rng = np.random.default_rng(seed)
    pxy = _random_table(rng, 6, 3)
    beta = 4.0
    best = np.inf
    for labels in itertools.product(range(3), repeat=6):
        encoder = np.eye(3)[list(labels)]
        best = min(best, discrete_ib_objective(encoder, pxy, beta, True)[2])
    result = discrete_ib(
        pxy,
        3,
        beta,
        deterministic=True,
        n_init=8,
        n_anneal=10,
        rng=np.random.default_rng(seed),
    )
    assert result.objective == pytest.approx(best, abs=1e-10)
    assert set(np.unique(result.encoder)) <= {0.0, 1.0}
    np.testing.assert_array_equal(result.encoder.sum(axis=1), 1.0)


def _hard_partitions(n_x, n_clusters):
    """Every partition of range(n_x) into at most n_clusters groups, as labels.

    Restricted growth strings: value i joins one of the groups already opened
    by values 0..i-1, or opens the next one.
    """

    def grow(labels, n_open):
        if len(labels) == n_x:
            yield list(labels)
            return
        for t in range(min(n_open + 1, n_clusters)):
            yield from grow(labels + [t], max(n_open, t + 1))

    yield from grow([], 0)


def _best_hard_objective(pxy, n_clusters, beta):
    """min of H(T) - beta I(T;Y) = I(X;T) - beta I(T;Y) over hard partitions."""
    return min(
        discrete_ib_objective(np.eye(n_clusters)[labels], pxy, beta, True)[2]
        for labels in _hard_partitions(pxy.shape[0], n_clusters)
    )


def test_hard_partitions_enumeration():
    # Stirling numbers of the second kind summed: S(5,1..2) and Bell(5)
    assert len(list(_hard_partitions(5, 2))) == 1 + 15
    assert len(list(_hard_partitions(5, 5))) == 52


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n_init, n_anneal", [(1, 0), (4, 10)])
def test_iterative_never_worse_than_best_hard_partition(seed, n_init, n_anneal):
    """Soft encoders include the hard ones: the soft optimum is at most the
    best hard partition, found here by exhaustive search (identity included
    when the clusters allow it)."""
    rng = np.random.default_rng(seed)
    for n_x, n_y, k in [(6, 3, 3), (5, 2, 5), (6, 4, 6), (4, 3, 2)]:
        pxy = _random_table(rng, n_x, n_y)
        for beta in (2.0, 5.0, 50.0, 1000.0):
            result = discrete_ib(
                pxy,
                k,
                beta,
                n_init=n_init,
                n_anneal=n_anneal,
                rng=np.random.default_rng(seed),
            )
            best = _best_hard_objective(pxy, k, beta)
            assert result.objective <= best + 1e-9 * max(1.0, abs(best))
            if k >= n_x:  # T = X is allowed: I(T;Y) reaches I(X;Y) at large beta
                assert (
                    result.objective
                    <= discrete_ib_objective(np.eye(n_x, k), pxy, beta)[2] + 1e-9 * beta
                )


@pytest.mark.parametrize("seed", [0, 1, 5])
def test_estimator_at_large_beta_not_worse_than_identity(seed):
    # beta = 1000 with as many clusters as values: T = X is a candidate, so the
    # objective is at most H(X) - beta I(X;Y) (it was 1 to 20 nats above)
    rng = np.random.default_rng(seed)
    cells = rng.choice(24, size=3000, p=_random_table(rng, 6, 4).ravel())
    x, y = np.divmod(cells, 4)
    ib = InformationBottleneck(
        n_components=6, beta=1000.0, method="iterative", random_state=0
    ).fit(x.reshape(-1, 1), y)
    px = np.bincount(x) / x.size
    entropy_x = -np.sum(px[px > 0] * np.log(px[px > 0]))
    objective = ib.information_xt_ - 1000.0 * ib.information_ty_
    assert objective <= entropy_x - 1000.0 * ib.information_xy_ + 1e-9
    # hence I(T;Y) >= I(X;Y) - H(X) / beta
    assert ib.information_ty_ >= ib.information_xy_ - entropy_x / 1000.0


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("beta", [0.5, 5.0, 1000.0])
def test_agglomerative_merges_are_the_greedy_ones(seed, beta):
    """The bookkept pair costs against recomputing every merge by brute force."""
    rng = np.random.default_rng(seed)
    pxy = _random_table(rng, 9, 3)

    def merge(groups, a, b):
        return [g for i, g in enumerate(groups) if i not in (a, b)] + [
            groups[a] + groups[b]
        ]

    def objective(groups):
        labels = np.empty(9, dtype=int)
        for t, g in enumerate(groups):
            labels[g] = t
        return discrete_ib_objective(np.eye(len(groups))[labels], pxy, beta, True)[2]

    groups = [[x] for x in range(9)]
    while len(groups) > 3:
        pairs = list(itertools.combinations(range(len(groups)), 2))
        costs = [objective(merge(groups, a, b)) for a, b in pairs]
        groups = merge(groups, *pairs[int(np.argmin(costs))])
    labels = _merge_down(pxy, 3, beta)
    got = sorted(sorted(np.flatnonzero(labels == t).tolist()) for t in range(3))
    assert got == sorted(sorted(g) for g in groups)


def test_iterative_merges_values_with_equal_conditionals():
    # four values of X, two distinct p(y|x): two clusters keep all of I(X;Y)
    pxy = np.array([[0.2, 0.05], [0.1, 0.025], [0.05, 0.25], [0.055, 0.275]])
    pxy /= pxy.sum()
    result = discrete_ib(
        pxy, 2, 200.0, n_init=4, n_anneal=10, rng=np.random.default_rng(0)
    )
    xy = _plugin_information(np.eye(4), pxy)[1]
    assert result.information_ty == pytest.approx(xy, abs=1e-6)
    hard = np.argmax(result.encoder, axis=1)
    assert hard[0] == hard[1] and hard[2] != hard[0]


@pytest.mark.parametrize("method", ["iterative", "deterministic"])
def test_discrete_information_matches_explicit_sums(method):
    rng = np.random.default_rng(7)
    x = rng.integers(0, 6, size=500)
    y = (x + rng.integers(0, 3, size=500)) % 4
    ib = InformationBottleneck(
        n_components=3, beta=5.0, method=method, random_state=0
    ).fit(x.reshape(-1, 1), y)
    counts = np.zeros((6, 4))
    np.add.at(counts, (x, y), 1.0)
    xt, ty = _plugin_information(ib.encoder_, counts / counts.sum())
    assert ib.information_xt_ == pytest.approx(xt, abs=1e-10)
    assert ib.information_ty_ == pytest.approx(ty, abs=1e-10)
    Xt = ib.transform(np.arange(6).reshape(-1, 1))
    np.testing.assert_allclose(Xt, ib.encoder_)
    np.testing.assert_allclose(Xt.sum(axis=1), 1.0)
    if method == "deterministic":
        assert set(np.unique(Xt)) <= {0.0, 1.0}
        assert ib.information_xt_ == pytest.approx(
            -np.sum(
                ib.cluster_probabilities_[ib.cluster_probabilities_ > 0]
                * np.log(ib.cluster_probabilities_[ib.cluster_probabilities_ > 0])
            )
        )
    else:
        assert np.any((Xt > 0) & (Xt < 1))


@pytest.mark.parametrize("method", ["iterative", "deterministic"])
def test_unseen_values_get_their_nearest_seen_values(method):
    rng = np.random.default_rng(8)
    X = rng.integers(0, 5, size=(300, 2))
    y = (X[:, 0] > 2).astype(int)
    ib = InformationBottleneck(n_components=2, method=method, random_state=0)
    ib.fit(X, y)
    out = ib.transform(np.array([[0, 7], [9, 9], [X[0, 0], X[0, 1]]]))
    # [9, 9] differs from every seen value in both columns: all are nearest,
    # and their frequency-weighted encoder rows average to the prior q(t)
    prior = ib.cluster_probabilities_
    # [0, 7] shares its first column with the seen values (0, *) only
    seen = np.unique(X, axis=0)
    counts = np.array([np.sum(np.all(X == v, axis=1)) for v in seen])
    share = counts * (seen[:, 0] == 0)
    near = share @ ib.transform(seen) / share.sum()
    if method == "iterative":
        np.testing.assert_allclose(out[1], prior, atol=1e-12)
        np.testing.assert_allclose(out[0], near, atol=1e-12)
    else:
        np.testing.assert_array_equal(out[1], np.eye(2)[np.argmax(prior)])
        np.testing.assert_array_equal(out[0], np.eye(2)[np.argmax(near)])
    np.testing.assert_allclose(out[2], ib.transform(X[:1])[0])


def test_unseen_rows_nearest_rule_brute_force():
    """Mixed columns: bin distance over (bins - 1) plus 1 per differing category."""
    rng = np.random.default_rng(14)
    n = 400
    X = np.column_stack([rng.standard_normal(n), rng.integers(0, 3, n)])
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] == 2)
    keep = (X[:, 1] != 1) | (X[:, 0] < 0.5)  # leave some combinations unseen
    X, y = X[keep], y[keep]
    # (a float array is continuous under "auto": the second column is marked)
    ib = InformationBottleneck(
        n_components=3,
        n_bins=4,
        method="iterative",
        discrete_features=[False, True],
        random_state=0,
    ).fit(X, y)
    codes, n_levels = bin_quantile(X[:, 0], 4)
    rows = np.column_stack([codes, X[:, 1]])
    seen, first, counts = np.unique(rows, axis=0, return_index=True, return_counts=True)
    memberships = ib.transform(X[first])
    lower = [X[codes == c, 0].min() for c in range(n_levels)]
    queries = np.column_stack([rng.uniform(-3, 3, 50), rng.integers(0, 5, 50)])
    got = ib.transform(queries)
    for q, out in zip(queries, got, strict=True):
        code = np.searchsorted(lower[1:], q[0], side="right")
        distance = np.abs(seen[:, 0] - code) / (n_levels - 1) + (seen[:, 1] != q[1])
        near = distance <= distance.min() + 1e-9
        expected = (counts * near) @ memberships / np.sum(counts * near)
        np.testing.assert_allclose(out, expected, atol=1e-12)


def test_continuous_columns_are_binned():
    rng = np.random.default_rng(9)
    X = np.column_stack([rng.standard_normal(400), rng.integers(0, 3, 400)])
    y = (X[:, 0] > 0).astype(int) + X[:, 1].astype(int)
    ib = InformationBottleneck(
        method="deterministic", n_bins=4, beta=20.0, random_state=0
    ).fit(X, y)
    # 4 bins of the first column times 3 values of the second
    assert ib.encoder_.shape[0] == 12
    # a new sample lands in the bin of its value: same output as a close one
    np.testing.assert_array_equal(
        ib.transform(X[:5] + [1e-9, 0.0]), ib.transform(X[:5])
    )
    # declaring every column discrete gives one value per distinct row
    ib.set_params(discrete_features=True).fit(X, y)
    assert ib.encoder_.shape[0] == np.unique(X, axis=0).shape[0]
    # an integer column with more than 20 levels is binned too
    counts = rng.integers(0, 50, size=(400, 1))
    ib.set_params(discrete_features="auto").fit(counts, counts[:, 0] > 25)
    assert ib.encoder_.shape[0] == 4


def test_continuous_bins_are_the_plug_in_bins():
    rng = np.random.default_rng(13)
    x = np.round(rng.standard_normal(500), 1)  # ties share a bin
    y = (x + rng.standard_normal(500) > 0).astype(int)
    ib = InformationBottleneck(
        n_components=5, n_bins=5, beta=50.0, method="deterministic", random_state=0
    ).fit(x.reshape(-1, 1), y)
    codes, n_levels = bin_quantile(x, 5)
    assert ib.encoder_.shape[0] == n_levels
    out = ib.transform(x.reshape(-1, 1))
    for c in range(n_levels):  # one output per plug-in bin
        assert np.unique(out[codes == c], axis=0).shape[0] == 1
    # a new value within a bin's training range falls in that bin
    for c in range(n_levels):
        lo, hi = x[codes == c].min(), x[codes == c].max()
        inside = np.linspace(lo, hi, 7).reshape(-1, 1)
        expected = np.tile(out[codes == c][0], (7, 1))
        np.testing.assert_array_equal(ib.transform(inside), expected)
    # beyond the training range: the first and last bins
    np.testing.assert_array_equal(ib.transform([[-99.0]])[0], out[codes == 0][0])
    np.testing.assert_array_equal(
        ib.transform([[99.0]])[0], out[codes == n_levels - 1][0]
    )


@pytest.mark.slow
@pytest.mark.parametrize("method", ["iterative", "deterministic"])
def test_discrete_methods_generalise_on_many_continuous_columns(method):
    # every row of 30 binned columns is a value of its own: unseen rows take
    # the nearest seen values instead of one common output
    X, y = load_breast_cancer(return_X_y=True)
    pipe = make_pipeline(
        InformationBottleneck(method=method, random_state=0), LogisticRegression()
    )
    scores = cross_val_score(pipe, X, y)
    assert scores.mean() > 0.9  # the majority rate is 0.627
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=0, stratify=y
    )
    ib = InformationBottleneck(method=method, random_state=0).fit(X_train, y_train)
    out = ib.transform(X_test)
    assert np.allclose(out.sum(axis=1), 1.0)
    assert np.unique(out.round(6), axis=0).shape[0] > 1
    # the class each cluster mostly holds in training predicts unseen rows
    cluster_class = np.argmax(ib.transform(X_train).T @ np.eye(2)[y_train], axis=1)
    predicted = cluster_class[np.argmax(out, axis=1)]
    assert np.mean(predicted == y_test) > 0.85


@pytest.mark.parametrize("method", ["iterative", "deterministic"])
def test_discrete_reproducible(method):
    rng = np.random.default_rng(10)
    X = rng.integers(0, 8, size=(200, 1))
    y = (X[:, 0] // 2 + rng.integers(0, 2, 200)) % 3
    a = InformationBottleneck(method=method, random_state=3).fit(X, y)
    b = InformationBottleneck(method=method, random_state=3).fit(X, y)
    np.testing.assert_array_equal(a.encoder_, b.encoder_)
    assert a.information_ty_ == b.information_ty_


@pytest.mark.parametrize("method", ["iterative", "deterministic"])
def test_discrete_information_curve_monotone(method):
    rng = np.random.default_rng(11)
    x = rng.integers(0, 8, size=2000)
    y = (x // 2 + (rng.random(2000) < 0.2)) % 4
    ixt, ity, betas = information_curve(
        InformationBottleneck(n_components=4, method=method, random_state=0),
        x.reshape(-1, 1),
        y,
        betas=np.geomspace(0.5, 200, 25),
    )
    assert np.all(np.diff(ixt) >= -1e-6) and np.all(np.diff(ity) >= -1e-6)
    assert ixt[0] < 1e-6 and ity[-1] > 0.5 * ixt[-1] > 0
    # I(T;Y) never exceeds I(X;Y)
    counts = np.zeros((8, 4))
    np.add.at(counts, (x, y), 1.0)
    assert ity.max() <= _plugin_information(np.eye(8), counts / 2000)[1] + 1e-9


def test_string_labels_and_continuous_targets_of_discrete_methods():
    rng = np.random.default_rng(12)
    X = rng.integers(0, 4, size=(400, 1))
    labels = np.array(["low", "high"])[(X[:, 0] > 1).astype(int)]
    ib = InformationBottleneck(method="deterministic", beta=20.0, random_state=0)
    assert ib.fit(X, labels).information_ty_ == pytest.approx(np.log(2), abs=0.01)
    # a Gaussian fit with string classes equals the fit with integer classes
    Xc = X + rng.standard_normal((400, 1))
    a = InformationBottleneck(beta=5.0).fit(Xc, labels).components_
    b = InformationBottleneck(beta=5.0).fit(Xc, labels == "high").components_
    np.testing.assert_allclose(a, b)
    # two continuous targets are binned column by column into a joint code
    Y = np.column_stack([X[:, 0] + rng.random(400), rng.standard_normal(400)])
    ib = InformationBottleneck(method="iterative", n_bins=2, random_state=0)
    ib.fit(X, Y)
    assert ib.n_components_ == 4  # 2 x 2 joint bins, capped by the 4 values of X
    assert ib.information_ty_ > 0.3


def test_information_curve_discrete_default_betas():
    X, y = _bsc_sample()
    ixt, ity, betas = information_curve(
        InformationBottleneck(method="iterative", n_init=1, random_state=0), X, y
    )
    assert betas[0] == 1.0 and betas[-1] == pytest.approx(1000.0)
    assert np.all(ixt[betas < 0.99 * BSC_CRITICAL] < 1e-6)
    assert np.all(ixt[betas > 1.1 * BSC_CRITICAL] > 0.05)
    assert ity[-1] == pytest.approx(BSC_INFORMATION, abs=1e-4)


# --------------------------------------------------------------------------
# Layering


def test_bottleneck_imports_numpy_scipy_and_estimators_only():
    package = Path(__file__).resolve().parents[1] / "skmi" / "bottleneck"
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = ["." * node.level + (node.module or "")]
            else:
                continue
            for name in names:
                assert (
                    name.split(".")[0] in {"numpy", "scipy"}
                    or name.startswith("..estimators")
                    or (name.startswith(".") and not name.startswith(".."))
                ), f"{path.name} imports {name}"
