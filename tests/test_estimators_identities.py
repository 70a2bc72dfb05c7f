"""Identities of information theory that the estimators keep exactly.

Plug-in estimates satisfy the identities of the entropies of the empirical
distribution exactly; k-NN estimates keep the symmetries of their formulas
and the documented exact treatment of discrete conditioning variables.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import chi2_contingency
from scipy.stats.contingency import crosstab

from skmi.estimators import KSG, PlugIn

EXACT = 1e-12
FLAGS = {"x_discrete": True, "y_discrete": True}


def discrete_sample(seed, n=500, levels=(3, 4, 5)):
    """Dependent discrete x, y, z with the given numbers of levels."""
    rng = np.random.default_rng(seed)
    z = rng.integers(0, levels[2], n)
    x = (z + rng.integers(0, 2, n)) % levels[0]
    y = (x + z * rng.integers(0, 2, n)) % levels[1]
    return x, y, z


def continuous_sample(seed, n=500):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal(n)
    x = z + rng.standard_normal(n)
    y = x * z + rng.standard_normal(n)
    return x, y, z


def ml_entropy(*columns):
    """Entropy of the empirical joint distribution of the columns, in nats."""
    _, counts = np.unique(np.column_stack(columns), axis=0, return_counts=True)
    p = counts / counts.sum()
    return float(-np.sum(p * np.log(p)))


SAMPLES = [
    pytest.param(discrete_sample, True, id="discrete"),
    pytest.param(continuous_sample, False, id="binned"),
]


# --------------------------------------------------------------------------
# plug-in identities
# --------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("sample, discrete", SAMPLES)
def test_plugin_mi_is_sum_of_entropies(seed, sample, discrete):
    x, y, _ = sample(seed)
    est = PlugIn(n_bins=7, adjust=None)
    h = est.entropy
    mi = est.mutual_info(x, y, x_discrete=discrete, y_discrete=discrete)
    joint = h(np.column_stack([x, y]), discrete=discrete)
    expected = h(x, discrete=discrete) + h(y, discrete=discrete) - joint
    assert mi == pytest.approx(expected, abs=EXACT)
    assert mi > 0.01  # the samples are dependent: the identity is not 0 = 0


@pytest.mark.parametrize("seed", [0, 1])
def test_plugin_entropy_is_empirical_entropy(seed):
    x, y, z = discrete_sample(seed)
    est = PlugIn(adjust=None)
    assert est.entropy(x, discrete=True) == pytest.approx(ml_entropy(x), abs=EXACT)
    xyz = np.column_stack([x, y, z])
    assert est.entropy(xyz, discrete=True) == pytest.approx(
        ml_entropy(x, y, z), abs=EXACT
    )
    # KSG counts when everything is discrete
    assert KSG().entropy(xyz, discrete=True) == pytest.approx(
        ml_entropy(x, y, z), abs=EXACT
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("sample, discrete", SAMPLES)
def test_plugin_symmetry(seed, sample, discrete):
    x, y, z = sample(seed)
    est = PlugIn(n_bins=6, adjust=None)
    flags = {"x_discrete": discrete, "y_discrete": discrete, "z_discrete": discrete}
    kinds = {"x_discrete": discrete, "y_discrete": discrete}
    assert est.mutual_info(x, y, **kinds) == pytest.approx(
        est.mutual_info(y, x, **kinds), abs=EXACT
    )
    assert est.conditional_mutual_info(x, y, z, **flags) == pytest.approx(
        est.conditional_mutual_info(y, x, z, **flags), abs=EXACT
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("sample, discrete", SAMPLES)
@pytest.mark.parametrize("correction", [None, "miller-madow"])
def test_plugin_chain_rule(seed, sample, discrete, correction):
    # I(X; Y, Z) = I(X; Z) + I(X; Y | Z); Miller-Madow adds (m - 1)/2N to
    # each entropy, and the cell counts also satisfy the identity.
    x, y, z = sample(seed)
    est = PlugIn(n_bins=5, correction=correction, adjust=None)
    kinds = {"x_discrete": discrete, "y_discrete": discrete}
    left = est.mutual_info(x, np.column_stack([y, z]), **kinds)
    right = est.mutual_info(x, z, **kinds) + est.conditional_mutual_info(
        x, y, z, z_discrete=discrete, **kinds
    )
    assert left == pytest.approx(right, abs=EXACT)
    assert est.conditional_mutual_info(x, y, z, z_discrete=discrete, **kinds) > 0.01


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("levels", [(2, 2, 2), (3, 4, 5), (6, 2, 3)])
def test_plugin_mi_is_g_test_statistic(seed, levels):
    x, y, _ = discrete_sample(seed, n=400, levels=levels)
    table = crosstab(x, y).count
    g, *_ = chi2_contingency(table, correction=False, lambda_="log-likelihood")
    mi = PlugIn(adjust=None).mutual_info(x, y, **FLAGS)
    assert 2 * len(x) * mi == pytest.approx(g, rel=1e-10)


def test_plugin_g_statistic_is_chi_square_under_independence():
    # 2N I ~ chi2((Kx-1)(Ky-1)) = chi2(12); its mean over 300 samples has a
    # standard error of sqrt(24 / 300) = 0.28.
    values = []
    for seed in range(300):
        rng = np.random.default_rng(seed)
        x, y = rng.integers(0, 4, 300), rng.integers(0, 5, 300)
        values.append(2 * 300 * PlugIn(adjust=None).mutual_info(x, y, **FLAGS))
    assert np.mean(values) == pytest.approx(12, abs=4 * 0.28)
    assert np.var(values) == pytest.approx(24, rel=0.35)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_miller_madow(seed):
    rng = np.random.default_rng(seed)
    n = 60
    x = rng.integers(0, 6, n)
    y = (x + rng.integers(0, 3, n)) % 7
    mm = PlugIn(correction="miller-madow")

    def cells(*cols):
        return len(np.unique(np.column_stack(cols), axis=0))

    hx = ml_entropy(x) + (cells(x) - 1) / (2 * n)
    assert mm.entropy(x, discrete=True) == pytest.approx(hx, abs=EXACT)
    hy = ml_entropy(y) + (cells(y) - 1) / (2 * n)
    hxy = ml_entropy(x, y) + (cells(x, y) - 1) / (2 * n)
    assert cells(x, y) != cells(x) + cells(y) - 1  # the MI correction is not 0
    assert mm.mutual_info(x, y, **FLAGS) == pytest.approx(hx + hy - hxy, abs=EXACT)


def strictly_increasing(f, x):
    fx = f(x)
    order = np.argsort(x, kind="stable")
    # the transform keeps distinct floats distinct and in order on this sample
    assert np.all(np.sign(np.diff(fx[order])) == np.sign(np.diff(x[order])))
    return fx


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("n_bins", [3, 10])
@pytest.mark.parametrize("ties", [False, True])
def test_quantile_binning_invariant_to_increasing_transforms(seed, n_bins, ties):
    x, y, z = continuous_sample(seed)
    if ties:
        x, y = np.round(x, 1), np.round(y)
    est = PlugIn(n_bins=n_bins, adjust=None)
    fx = strictly_increasing(lambda v: np.exp(v) + 5, x)
    gy = strictly_increasing(lambda v: v**3 - 1e3, y)
    hz = strictly_increasing(lambda v: np.arctan(v / 2), z)
    assert est.mutual_info(fx, gy) == est.mutual_info(x, y)
    assert est.conditional_mutual_info(fx, gy, hz) == est.conditional_mutual_info(
        x, y, z
    )
    # equal-width bins are not invariant: the test can tell them apart
    uniform = PlugIn(n_bins=n_bins, strategy="uniform", adjust=None)
    assert uniform.mutual_info(fx, gy) != uniform.mutual_info(x, y)


CORRECTIONS = ["miller-madow", "shrinkage", "chao-shen"]


def independent_estimates(correction, n_seeds=40, levels=8, n=400):
    mi, h = [], []
    for seed in range(n_seeds):
        rng = np.random.default_rng(seed)
        x, y = rng.integers(0, levels, n), rng.integers(0, levels, n)
        est = PlugIn(correction=correction, adjust=None)
        mi.append(est.mutual_info(x, y, **FLAGS))
        h.append(est.entropy(np.column_stack([x, y]), discrete=True))
    return np.mean(mi), np.mean(h) - 2 * np.log(levels)


@pytest.mark.parametrize("correction", CORRECTIONS)
def test_corrections_reduce_the_plugin_bias_under_independence(correction):
    # 64 cells and n = 400: the plug-in MI is biased up by about
    # (K-1)^2/2N = 0.061 and the joint entropy down by about (K^2-1)/2N = 0.08
    # (standard errors 0.002 over 40 seeds); each correction moves both
    # towards the truth (MI 0, entropy 2 ln 8).
    ml_mi, ml_h = independent_estimates(None)
    assert ml_mi == pytest.approx(49 / 800, abs=0.01)
    assert ml_h < -0.06
    mi, h = independent_estimates(correction)
    assert mi < ml_mi - 0.02
    assert abs(mi) < 0.7 * ml_mi
    assert h > ml_h + 0.02
    assert abs(h) < 0.7 * abs(ml_h)


# --------------------------------------------------------------------------
# k-NN identities
# --------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1])
def test_ksg_all_discrete_equals_plugin(seed):
    x, y, z = discrete_sample(seed)
    ksg, plugin = KSG(adjust=None), PlugIn(adjust=None)
    flags = dict(FLAGS, z_discrete=True)
    assert ksg.mutual_info(x, y, **FLAGS) == pytest.approx(
        plugin.mutual_info(x, y, **FLAGS), abs=EXACT
    )
    assert ksg.conditional_mutual_info(x, y, z, **flags) == pytest.approx(
        plugin.conditional_mutual_info(x, y, z, **flags), abs=EXACT
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ksg_symmetry(seed):
    x, y, z = continuous_sample(seed)
    labels = (x > 0).astype(int) + (y > 1)
    est = KSG(random_state=seed)
    # The jitter (1e-10) is drawn in argument order; on continuous data it
    # moves no neighbour, so swapping the arguments changes nothing.
    assert est.mutual_info(x, y) == pytest.approx(est.mutual_info(y, x), abs=EXACT)
    assert est.conditional_mutual_info(x, y, z) == pytest.approx(
        est.conditional_mutual_info(y, x, z), abs=EXACT
    )
    assert est.mutual_info(x, labels, y_discrete=True) == pytest.approx(
        est.mutual_info(labels, x, x_discrete=True), abs=EXACT
    )


@pytest.mark.parametrize("seed", [0, 1])
def test_ksg_invariant_to_translation_and_common_scale(seed):
    x, y, z = continuous_sample(seed)
    est = KSG(random_state=0)
    base = est.mutual_info(x, y)
    assert est.mutual_info(3.7 * x - 20, 3.7 * y + 11) == pytest.approx(base, abs=1e-9)
    # each variable is standardised, so even separate scales leave it unchanged
    assert est.mutual_info(-0.01 * x, 250 * y) == pytest.approx(base, abs=1e-9)
    assert est.conditional_mutual_info(2 * x, 2 * y, 2 * z + 1) == pytest.approx(
        est.conditional_mutual_info(x, y, z), abs=1e-9
    )


@pytest.mark.parametrize(
    "scale, shift",
    [
        (1e6, 0.0),
        (1e12, 0.0),
        (1.0, 10.0),
        (1e-6, 0.0),
        (1e-12, 0.0),
        (1.0, 1e8),
    ],
)
def test_ksg_entropy_equivariance(scale, shift):
    # H(a X + b) = H(X) + ln|a| for the Kozachenko-Leonenko estimator, exactly
    # up to the effect of the tie-breaking noise (below 1e-6 when it is
    # relative to the spread of the data).
    x = np.random.default_rng(0).standard_normal(2000)
    est = KSG(random_state=0)
    expected = est.entropy(x) + np.log(scale)
    assert est.entropy(scale * x + shift) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("shift", [1e3, (1e8)])
def test_ksg_mi_invariant_to_large_translations(shift):
    x, y, _ = continuous_sample(0, n=2000)
    est = KSG(random_state=0)
    assert est.mutual_info(x + shift, y - shift) == pytest.approx(
        est.mutual_info(x, y), abs=1e-6
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("k", [1, 3, 10])
def test_ksg_discrete_conditioning_is_weighted_average(seed, k):
    # I(X; Y | Z) for discrete Z is sum_z p(z) I(X; Y | Z = z), each term with
    # k = min(k, n_z - 1); a level seen once carries no information.
    rng = np.random.default_rng(seed)
    n = 400
    z = rng.choice(4, size=n, p=[0.5, 0.3, 0.19, 0.01])
    z[:3] = [4, 5, 5]  # a singleton and a pair
    x = rng.standard_normal(n)
    y = np.where(z % 2 == 0, 0.8, -0.3) * x + rng.standard_normal(n)
    est = KSG(n_neighbors=k)
    cols = est.prepare(np.column_stack([x, y, z]), np.array([False, False, True]), 0)
    xv, yv, zv = cols
    got = est.conditional_mutual_info_prepared(xv, yv, zv)
    expected = 0.0
    for level in np.unique(z):
        idx = np.flatnonzero(z == level)
        if idx.size > 1:
            within = KSG(n_neighbors=min(k, idx.size - 1))
            expected += (
                idx.size / n * within.mutual_info_prepared(xv.take(idx), yv.take(idx))
            )
    assert got == pytest.approx(expected, abs=EXACT)
    assert got > 0.05


# --------------------------------------------------------------------------
# properties over generated data
# --------------------------------------------------------------------------
codes = arrays(np.int64, st.integers(2, 60), elements=st.integers(0, 4))


@settings(max_examples=60, deadline=None)
@given(data=st.data(), x=codes)
def test_plugin_mi_symmetric_and_non_negative(data, x):
    y = data.draw(arrays(np.int64, x.shape[0], elements=st.integers(-3, 3)))
    est = PlugIn(adjust=None)
    mi = est.mutual_info(x, y, **FLAGS)
    assert mi >= -EXACT
    assert mi == pytest.approx(est.mutual_info(y, x, **FLAGS), abs=EXACT)
    assert mi <= min(ml_entropy(x), ml_entropy(y)) + EXACT


@settings(max_examples=40, deadline=None)
@given(data=st.data(), x=codes)
def test_plugin_cmi_non_negative_and_chain_rule(data, x):
    n = x.shape[0]
    y = data.draw(arrays(np.int64, n, elements=st.integers(0, 3)))
    z = data.draw(arrays(np.int64, n, elements=st.integers(0, 2)))
    est = PlugIn(adjust=None)
    cmi = est.conditional_mutual_info(x, y, z, z_discrete=True, **FLAGS)
    assert cmi >= -EXACT
    left = est.mutual_info(x, np.column_stack([y, z]), **FLAGS)
    assert left == pytest.approx(est.mutual_info(x, z, **FLAGS) + cmi, abs=EXACT)
