"""Information adjusted for chance: the expected plug-in information under
independence, checked against exhaustive permutation averages."""

import itertools
import math

import numpy as np
import pytest
from sklearn.metrics import adjusted_mutual_info_score, mutual_info_score

from skmi.estimators import KSG, PlugIn, _chance
from skmi.estimators._chance import expected_mutual_info_counts
from skmi.estimators._codes import factorize
from skmi.estimators._plugin import (
    adjusted_mutual_info_counts,
    conditional_mutual_info_counts,
    mutual_info_counts,
)

DISCRETE = {"x_discrete": True, "y_discrete": True}


def codes(values):
    return factorize(np.asarray(values))


def permutation_average(x, y, z=None):
    """Average plug-in information over every permutation of ``y`` (within
    the levels of ``z``): the expectation under independence by brute force."""
    (cx, kx), (cy, ky) = codes(x), codes(y)
    if z is None:
        return np.mean(
            [
                mutual_info_counts(cx, kx, cy[list(p)], ky)
                for p in itertools.permutations(range(len(y)))
            ]
        )
    cz, kz = codes(z)
    groups = [np.flatnonzero(cz == level) for level in range(kz)]
    values = []
    for perms in itertools.product(*(itertools.permutations(g) for g in groups)):
        shuffled = cy.copy()
        for g, p in zip(groups, perms, strict=True):
            shuffled[g] = cy[list(p)]
        values.append(conditional_mutual_info_counts(cx, kx, shuffled, ky, cz, kz))
    return np.mean(values)


SMALL_TABLES = [
    ([0, 0, 1, 1, 2, 2, 2], [0, 1, 0, 1, 1, 0, 0]),
    ([0, 0, 0, 0, 1, 1, 1, 2], [0, 0, 1, 1, 2, 2, 3, 3]),
    ([0, 1, 2, 3, 4, 5, 6], [0, 0, 0, 1, 1, 2, 2]),  # one level per sample
    ([0, 0, 0, 0, 0, 0, 1, 1], [0, 1, 1, 1, 1, 1, 1, 1]),
    (["a", "b", "a", "c", "b", "a", "c", "c"], [1, 2, 3, 1, 2, 3, 1, 2]),
]


@pytest.mark.parametrize("x, y", SMALL_TABLES)
def test_expected_mi_equals_the_average_over_all_permutations(x, y):
    (cx, kx), (cy, ky) = codes(x), codes(y)
    brute = permutation_average(x, y)
    assert expected_mutual_info_counts(cx, kx, cy, ky) == pytest.approx(
        brute, rel=1e-12, abs=1e-14
    )
    # symmetric in x and y
    assert expected_mutual_info_counts(cy, ky, cx, kx) == pytest.approx(
        brute, rel=1e-12, abs=1e-14
    )


@pytest.mark.parametrize(
    "x, y, z",
    [
        ([0, 1, 0, 1, 2, 0, 1, 1], [0, 0, 1, 1, 0, 1, 0, 1], [0, 0, 0, 0, 1, 1, 1, 1]),
        ([0, 1, 2, 3, 4, 5, 6, 7], [0, 1, 1, 0, 1, 0, 0, 1], [0, 0, 0, 1, 1, 1, 1, 1]),
        ([0, 0, 1, 1, 0, 1, 1, 0], [2, 1, 0, 1, 0, 0, 1, 2], [0, 1, 0, 1, 2, 2, 0, 1]),
    ],
)
def test_expected_cmi_equals_the_average_over_permutations_within_strata(x, y, z):
    (cx, kx), (cy, ky), (cz, kz) = codes(x), codes(y), codes(z)
    brute = permutation_average(x, y, z)
    got = expected_mutual_info_counts(cx, kx, cy, ky, cz, kz)
    assert got == pytest.approx(brute, rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("seed", range(4))
def test_expected_mi_matches_the_adjusted_mutual_information(seed):
    # AMI = (I - E) / (mean(H(X), H(Y)) - E), so E follows from the public
    # adjusted_mutual_info_score on tables too large to enumerate
    rng = np.random.default_rng(seed)
    n = int(rng.integers(50, 400))
    x = rng.integers(0, int(rng.integers(2, 40)), n)
    y = (x + rng.integers(0, int(rng.integers(2, 6)), n)) % 7
    (cx, kx), (cy, ky) = codes(x), codes(y)
    mi = mutual_info_score(x, y)
    hx = mutual_info_score(x, x)
    hy = mutual_info_score(y, y)
    ami = adjusted_mutual_info_score(x, y, average_method="arithmetic")
    expected_from_ami = (mi - ami * (hx + hy) / 2) / (1 - ami)
    got = expected_mutual_info_counts(cx, kx, cy, ky)
    assert got == pytest.approx(expected_from_ami, rel=1e-7)


@pytest.mark.parametrize("n, k", [(50, 2), (301, 5), (1000, 40)])
def test_one_level_per_row_scores_zero(n, k):
    rng = np.random.default_rng(n)
    ids = rng.permutation(n)
    y = rng.integers(0, k, n)
    z = rng.integers(0, 3, n)
    (ci, ki), (cy, ky), (cz, kz) = codes(ids), codes(y), codes(z)
    raw = mutual_info_counts(ci, ki, cy, ky)
    assert raw == pytest.approx(PlugIn().entropy(y, discrete=True), rel=1e-12)
    assert adjusted_mutual_info_counts(ci, ki, cy, ky) == pytest.approx(0, abs=1e-10)
    assert adjusted_mutual_info_counts(ci, ki, cy, ky, cz, kz) == pytest.approx(
        0, abs=1e-10
    )
    est = PlugIn(adjust="chance")
    assert est.mutual_info(ids, y, **DISCRETE) == pytest.approx(0, abs=1e-10)
    assert KSG().mutual_info(ids, y, **DISCRETE) == pytest.approx(0, abs=1e-10)


def test_blocks_of_terms_give_the_same_expectation(monkeypatch):
    rng = np.random.default_rng(7)
    x, y = rng.integers(0, 30, 500), rng.integers(0, 12, 500)
    (cx, kx), (cy, ky) = codes(x), codes(y)
    whole = expected_mutual_info_counts(cx, kx, cy, ky)
    monkeypatch.setattr(_chance, "_EXPECTATION_BUDGET", 7)
    # the expectation reads its budget from the module patched
    assert expected_mutual_info_counts.__globals__ is vars(_chance)
    assert expected_mutual_info_counts(cx, kx, cy, ky) == pytest.approx(
        whole, rel=1e-12
    )


@pytest.mark.slow
def test_adjusted_information_is_centred_under_independence():
    # the raw plug-in information of 20 x 5 levels at n = 200 is biased by
    # about (Kx - 1)(Ky - 1) / 2N = 0.19 nats; the adjusted one is unbiased
    raw, adjusted = [], []
    for seed in range(200):
        rng = np.random.default_rng(seed)
        x, y = rng.integers(0, 20, 200), rng.integers(0, 5, 200)
        (cx, kx), (cy, ky) = codes(x), codes(y)
        raw.append(mutual_info_counts(cx, kx, cy, ky))
        adjusted.append(adjusted_mutual_info_counts(cx, kx, cy, ky))
    assert np.mean(raw) > 0.15
    standard_error = np.std(adjusted) / math.sqrt(len(adjusted))
    assert abs(np.mean(adjusted)) < 4 * standard_error


def test_plugin_and_ksg_share_the_adjusted_counts():
    rng = np.random.default_rng(3)
    x, y, z = rng.integers(0, 6, 300), rng.integers(0, 3, 300), rng.integers(0, 4, 300)
    flags = dict(DISCRETE, z_discrete=True)
    adjusted, ksg = PlugIn(adjust="chance"), KSG()
    (cx, kx), (cy, ky), (cz, kz) = codes(x), codes(y), codes(z)
    mi = adjusted_mutual_info_counts(cx, kx, cy, ky)
    cmi = adjusted_mutual_info_counts(cx, kx, cy, ky, cz, kz)
    for est in (adjusted, ksg):
        assert est.mutual_info(x, y, **DISCRETE) == pytest.approx(mi, abs=1e-12)
        assert est.conditional_mutual_info(x, y, z, **flags) == pytest.approx(
            cmi, abs=1e-12
        )
    # entropies are not adjusted
    assert adjusted.entropy(x, discrete=True) == PlugIn().entropy(x, discrete=True)
    # without the adjustment, KSG counts like the plug-in estimator
    assert KSG(adjust=None).mutual_info(x, y, **DISCRETE) == pytest.approx(
        PlugIn(adjust=None).mutual_info(x, y, **DISCRETE), abs=1e-12
    )


def test_identifier_given_a_continuous_variable_carries_nothing():
    # KSG's chain rule I(X; Y | Z) = I(X; Y) + I(Y; Z | X) - I(Y; Z) with an
    # identifier X: the adjusted first term is 0, the second is 0 (one sample
    # per level), so the estimate is -I(Y; Z) <= 0 instead of H(Y | Z) > 0
    rng = np.random.default_rng(0)
    n = 400
    z = rng.standard_normal(n)
    y = (z + rng.standard_normal(n) > 0).astype(int)
    ids = np.arange(n)
    est = KSG(random_state=0)
    got = est.conditional_mutual_info(ids, y, z, x_discrete=True, y_discrete=True)
    raw = KSG(adjust=None, random_state=0).conditional_mutual_info(
        ids, y, z, x_discrete=True, y_discrete=True
    )
    assert raw > 0.4
    assert got < 0.02


def test_adjust_requires_the_uncorrected_plugin():
    est = PlugIn(adjust="chance", correction="miller-madow")
    with pytest.raises(ValueError, match="adjust='chance' .* requires correction=None"):
        est.mutual_info([0, 1, 0, 1], [0, 1, 1, 0], **DISCRETE)


@pytest.mark.parametrize(
    "n, pa, pb", [(4000, 0.5, 0.5), (20000, 0.3, 0.9), (999, 0.01, 0.6)]
)
def test_large_margins_match_the_full_hypergeometric_sum(n, pa, pb):
    # the kernel sums over a window of the support where the probabilities
    # are not negligible; scipy's pmf over the whole support is the reference
    from scipy.stats import hypergeom

    a1, b1 = int(pa * n), int(pb * n)
    x = np.r_[np.zeros(a1, int), np.ones(n - a1, int)]
    y = np.r_[np.zeros(b1, int), np.ones(n - b1, int)]
    reference = 0.0
    for a in (a1, n - a1):
        for b in (b1, n - b1):
            m = np.arange(max(1, a + b - n), min(a, b) + 1)
            p = hypergeom.pmf(m, n, a, b)
            reference += np.sum(p * m / n * np.log(n * m / (a * b)))
    got = expected_mutual_info_counts(x, 2, y, 2)
    assert got == pytest.approx(reference, rel=1e-9)
