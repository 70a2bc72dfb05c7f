"""Information adjusted for chance: the expected plug-in information under
independence, checked against exhaustive permutation averages."""

import itertools
import math
from fractions import Fraction

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
    monkeypatch.setattr(_chance, "_CELLS", _chance._CellMemo())  # recompute
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


def test_cells_kept_between_calls_give_the_same_values(monkeypatch):
    """The memo of cell expectations changes no value, whatever was computed
    before and whichever threads share it; a full memo starts afresh."""
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(11)
    cases = [
        tuple(codes(v) for v in (rng.integers(0, kx, n), rng.integers(0, 4, n)))
        for n, kx in ((300, 5), (300, 9), (1000, 30), (301, 5))
    ]

    def expectations():
        return [
            expected_mutual_info_counts(cx, kx, cy, ky) for (cx, kx), (cy, ky) in cases
        ]

    monkeypatch.setattr(_chance, "_CELLS", _chance._CellMemo())
    cold = [expectations()[i] for i in range(len(cases))]
    kept = _chance._CELLS._table[0].size
    assert kept > 0
    assert expectations() == cold  # from the memo, bit for bit
    assert _chance._CELLS._table[0].size == kept  # nothing new to keep
    fresh = []
    for case in range(len(cases)):  # each alone, from an empty memo
        monkeypatch.setattr(_chance, "_CELLS", _chance._CellMemo())
        (cx, kx), (cy, ky) = cases[case]
        fresh.append(expected_mutual_info_counts(cx, kx, cy, ky))
    assert fresh == cold
    monkeypatch.setattr(_chance, "_CELLS", _chance._CellMemo())
    with ThreadPoolExecutor(4) as pool:
        shared = list(pool.map(lambda _: expectations(), range(8)))
    assert all(values == cold for values in shared)
    monkeypatch.setattr(_chance._CellMemo, "LIMIT", 10)
    monkeypatch.setattr(_chance, "_CELLS", _chance._CellMemo())
    assert expectations() == cold
    assert 0 < _chance._CELLS._table[0].size < kept  # (the last call's cells)


def direct_cell_expectation(a, b, n):
    """``sum_m P(m) (m / n) log(n m / (a b))`` over the whole support of
    ``Hypergeom(n, a, b)``, each probability an exact fraction of binomial
    coefficients."""
    total = math.comb(n, b)
    terms = [
        float(Fraction(math.comb(a, m) * math.comb(n - a, b - m), total))
        * (m / n)
        * math.log(n * m / (a * b))
        for m in range(max(1, a + b - n), min(a, b) + 1)
    ]
    return math.fsum(terms)


def margins_to_check(seed):
    """Cells ``(a, b, n)`` of every kind: random, one-sided, tiny, full."""
    rng = np.random.default_rng(seed)
    cells = [(1, 1, 1), (1, 1, 2), (2, 2, 2), (3, 3, 6), (5, 7, 9), (1, 2999, 3000)]
    cells += [(1500, 1500, 3000), (2999, 2999, 3000), (3000, 3000, 3000)]
    cells += [(2, 2998, 3000), (40, 2990, 3000), (1000, 2500, 3000)]
    for _ in range(60):
        n = int(rng.integers(1, 3001))
        a, b = (int(v) for v in rng.integers(1, n + 1, 2))
        kind = rng.integers(4)
        if kind == 1:  # one small margin
            a = int(rng.integers(1, min(n, 30) + 1))
        elif kind == 2:  # both near the whole sample
            a, b = max(1, n - a // 50), max(1, n - b // 50)
        elif kind == 3:  # a small cell of a large table
            a, b = max(1, a // 40), max(1, b // 40)
        cells.append((a, b, n))
    return np.array(cells, dtype=np.int64).T


@pytest.mark.parametrize("seed", range(3))
def test_cell_expectations_equal_the_sum_over_the_whole_support(seed):
    a, b, n = margins_to_check(seed)
    got = _chance._cell_expectations(a, b, n)
    assert got == pytest.approx(_chance._cell_expectations(b, a, n), abs=0)
    for value, cell in zip(got, zip(a, b, n, strict=True), strict=True):
        assert value == pytest.approx(
            direct_cell_expectation(*(int(v) for v in cell)), rel=1e-12, abs=1e-13
        ), cell


@pytest.mark.parametrize("seed", range(3))
def test_window_leaves_out_less_than_its_bound(seed):
    # the probability outside the summed window, computed exactly, is below
    # the 2 exp(-L) of the Bernstein bound, and the window is much shorter
    # than the support on large cells
    a, b, n = margins_to_check(seed)
    lo, sizes = _chance._windows(np.minimum(a, b), np.maximum(a, b), n)
    bound = Fraction(2 * math.exp(-_chance._TAIL_EXPONENT))
    for cell in zip(a, b, n, lo, sizes, strict=True):
        a_, b_, n_, lo_, size = (int(v) for v in cell)
        low, high = max(0, a_ + b_ - n_), min(a_, b_)
        outside = sum(
            math.comb(a_, m) * math.comb(n_ - a_, b_ - m)
            for m in range(low, high + 1)
            if not lo_ <= m < lo_ + size and m > 0
        )
        assert Fraction(outside, math.comb(n_, b_)) <= bound, cell
    assert np.any(sizes < (np.minimum(a, b) - np.maximum(1, a + b - n)) // 2)


@pytest.mark.parametrize(
    "a, b, n",
    [(1, 199_999, 200_000), (100_000, 100_000, 200_000), (199_999, 199_999, 200_000)]
    + [(3, 7, 200_000), (60_000, 190_000, 200_000), (10_000, 12_345, 20_000)],
)
def test_cell_expectations_of_large_margins_equal_the_whole_support(a, b, n):
    from scipy.stats import hypergeom

    m = np.arange(max(1, a + b - n), min(a, b) + 1)
    reference = math.fsum(hypergeom.pmf(m, n, a, b) * m / n * np.log(n * m / (a * b)))
    got = _chance._cell_expectations(*(np.array([v]) for v in (a, b, n)))[0]
    assert got == pytest.approx(reference, rel=1e-9, abs=1e-13)
