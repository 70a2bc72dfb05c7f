"""The stopping rule of forward selection: step tests valid for the chosen feature."""

import numpy as np
import pytest
from sklearn.datasets import load_wine

from skmi import ConditionalMutualInfoSelector
from skmi.estimators import KSG, PlugIn
from skmi.selection import _neighbour_statistic as ns
from skmi.selection import _steptest as st
from skmi.selection._count_statistic import CountDependence, Indicators
from skmi.selection._neighbour_statistic import NeighbourDependence
from skmi.selection._permutation import (
    decisive_exceedances,
    local_permutations,
    neighbours,
    sequential_pvalue,
)
from skmi.selection._steptest import StepTester


# --------------------------------------------------------------------------
# the sequential Monte Carlo p-value
# --------------------------------------------------------------------------
def _constant_scores(values):
    """A score function whose b-th call returns the next b rows of ``values``."""
    it = iter(values)
    return lambda perms: np.array([[next(it)] for _ in range(perms.shape[0])])


def _draw(b):
    return np.zeros((b, 3), dtype=np.intp)


def test_sequential_pvalue_stops_at_the_h_th_exceedance():
    null = [0.1, 0.9, 0.2, 0.95, 0.3, 0.99] + [0.0] * 50
    test = sequential_pvalue(0.5, _constant_scores(null), _draw, 50, 3, batch=4)
    # exceedances at draws 2, 4 and 6: Besag-Clifford's h / L = 3 / 6
    assert test.pvalue == pytest.approx(3 / 6)
    assert test.n_permutations == 6


def test_sequential_pvalue_without_enough_exceedances_is_the_full_test():
    null = [0.1, 0.9] + [0.0] * 17
    test = sequential_pvalue(0.5, _constant_scores(null), _draw, 19, 3, batch=5)
    assert test.pvalue == pytest.approx((1 + 1) / (1 + 19))
    assert test.n_permutations == 19


def test_sequential_pvalue_is_valid_under_the_null():
    """Observed and null from one distribution: P(p <= u) <= u at every level."""
    rng = np.random.RandomState(0)
    n_rep, B, h = 4000, 39, 4
    pvalues = np.empty(n_rep)
    for r in range(n_rep):
        observed = rng.standard_normal()
        score = lambda perms: rng.standard_normal((perms.shape[0], 1))  # noqa: E731
        pvalues[r] = sequential_pvalue(observed, score, _draw, B, h).pvalue
    for u in (0.025, 0.05, 0.1, 0.2, 0.5):
        # binomial sd at most 0.008 over 4000 runs
        assert np.mean(pvalues <= u) <= u + 0.02


def test_pvalue_at_a_lower_statistic_equals_its_own_sequential_test():
    null = list(np.random.RandomState(1).rand(60))
    high = sequential_pvalue(0.97, _constant_scores(null), _draw, 60, 3, batch=7)
    for observed in (0.97, 0.9, 0.6, 0.2):
        direct = sequential_pvalue(observed, _constant_scores(null), _draw, 60, 3)
        again = high.pvalue_at(observed)
        assert (again.pvalue, again.n_permutations) == (
            direct.pvalue,
            direct.n_permutations,
        )


def test_decisive_exceedances_decide_the_full_test():
    for alpha, B in [(0.05, 19), (0.05, 99), (0.01, 99), (0.1, 50)]:
        h = decisive_exceedances(alpha, B)
        assert (1 + (h - 1)) / (1 + B) <= alpha + 1e-12 < (1 + h) / (1 + B)
    assert decisive_exceedances(0.05, 19) == 1


# --------------------------------------------------------------------------
# neighbours, local permutations and the statistic
# --------------------------------------------------------------------------
@pytest.mark.parametrize("d", [1, 2])
def test_neighbours_leave_out_the_point_and_are_near(d):
    rng = np.random.RandomState(0)
    points = rng.rand(300, d)
    k = 6
    nbrs = neighbours(points, k)
    assert nbrs.shape == (300, k)
    assert not np.any(nbrs == np.arange(300)[:, None])
    dist = np.abs(points[:, None, :] - points[None, :, :]).max(axis=2)
    np.fill_diagonal(dist, np.inf)
    kth = np.sort(dist, axis=1)[:, k - 1]
    found = np.take_along_axis(dist, nbrs, axis=1).max(axis=1)
    if d == 2:  # the tree: exactly the k nearest
        np.testing.assert_allclose(found, kth)
    else:  # the rank window: k neighbours within k ranks
        rank = np.argsort(np.argsort(points[:, 0]))
        assert np.all(np.abs(rank[nbrs] - rank[:, None]) <= k)


def test_neighbours_leave_out_the_point_among_ties():
    points = np.repeat(np.arange(4.0), 10)[:, None]
    nbrs = neighbours(np.hstack([points, points]), 5)
    assert not np.any(nbrs == np.arange(40)[:, None])
    assert np.all(points[nbrs, 0] == points)  # the level has 9 other members


def test_local_permutations_draw_from_the_neighbourhood():
    rng = np.random.RandomState(0)
    z = rng.rand(500, 2)
    nbrs = neighbours(z, 25, include_self=True)
    perms = local_permutations(nbrs, 20, rng, 5)
    for perm in perms:
        assert sorted(perm.tolist()) == list(range(500))  # a true permutation
        # about nine in ten from the 5 nearest, nearly all from the 25 nearest
        assert np.mean((nbrs[:, :5] == perm[:, None]).any(axis=1)) >= 0.85
        assert np.mean((nbrs == perm[:, None]).any(axis=1)) >= 0.97
    assert len({tuple(p) for p in perms}) == 20


def _brute_force_statistic(y, z, x, k, pool=None):
    """The neighbour statistic with k neighbours, by direct loops:
    ``1 - sum_i a(i) / sum_i b(i)``, ``a(i)`` the mean ``|r_i - r_j|`` over
    the k neighbours in (z, x), ``b(i)`` over the neighbours in z (among the
    ``pool`` nearest) that are as close in z as the farthest of them."""
    n = y.size
    r = np.array([np.sum(y <= y[i]) for i in range(n)], dtype=float)
    if z is None:
        b = np.array(
            [np.mean([abs(r[i] - r[j]) for j in range(n) if j != i]) for i in range(n)]
        )
    a, b_matched = np.empty(n), np.empty(n)
    points = x if z is None else np.hstack([z, x])
    for i in range(n):
        d = np.abs(points - points[i]).max(axis=1)
        d[i] = np.inf
        nn = np.argsort(d, kind="stable")[:k]
        a[i] = np.mean(np.abs(r[i] - r[nn]))
        if z is not None:
            dz = np.abs(z - z[i]).max(axis=1)
            dz[i] = np.inf
            nearest = np.argsort(dz, kind="stable")[:pool]
            close = nearest[dz[nearest] <= dz[nn].max()]
            b_matched[i] = np.mean(np.abs(r[i] - r[close]))
    if z is not None:
        b = b_matched
    return 1.0 - np.sum(a) / np.sum(b)


@pytest.mark.parametrize("with_z", [False, True])
def test_statistic_equals_brute_force(with_z):
    rng = np.random.RandomState(3)
    n, k = 60, 4
    z = rng.rand(n, 2) if with_z else None
    x = rng.rand(n, 1)
    y = rng.randint(0, 5, n) + (x[:, 0] > 0.5)
    stat = NeighbourDependence(z, [x], ns._ranks(y), k=k)
    value = stat.scores(np.arange(n)[None, :])[0, 0]
    # ties in 1-D rank windows differ from the sorted distances: compare in 2-D
    if not with_z:
        x2 = np.hstack([x, np.zeros((n, 1))])
        stat = NeighbourDependence(None, [x2], ns._ranks(y), k=k)
        value = stat.scores(np.arange(n)[None, :])[0, 0]
        x = x2
    pool = ns.N_CANDIDATE_NEIGHBOURS * k
    assert value == pytest.approx(_brute_force_statistic(y, z, x, k, pool), rel=1e-10)


def test_statistic_is_large_for_a_function_and_near_zero_for_noise():
    rng = np.random.RandomState(0)
    x = rng.rand(2000, 1)
    noise = rng.rand(2000, 1)
    y = np.sin(6 * x[:, 0])  # not monotone
    values = NeighbourDependence(None, [x, noise], ns._ranks(y)).scores(
        np.arange(2000)[None, :]
    )[0]
    assert values[0] > 0.8
    assert abs(values[1]) < 0.05


def _rank_coordinates(values):
    return ((np.argsort(np.argsort(values)) + 0.0) / (values.size - 1))[:, None]


@pytest.mark.parametrize("seed", range(3))
def test_statistic_sees_an_even_function_given_five_features(seed):
    """``y`` = the sum of five selected features + ``|x|`` + noise: ``x``
    scores above every one of 30 noise candidates (the level of the
    neighbours' ranks, which ``min(R_i, R_j)`` adds, put it below them)."""
    rng = np.random.RandomState(seed)
    n, d = 500, 5
    z = rng.standard_normal((n, d))
    x = rng.standard_normal(n)
    y = z.sum(axis=1) + np.abs(x) + 0.5 * rng.standard_normal(n)
    coords = [_rank_coordinates(c) for c in rng.standard_normal((30, n))]
    stat = NeighbourDependence(
        np.hstack([_rank_coordinates(c) for c in z.T]),
        [_rank_coordinates(x), *coords],
        ns._ranks(y),
    )
    values = stat.scores(np.arange(n)[None, :])[0]
    assert values[0] > values[1:].max()
    assert abs(np.median(values[1:])) < 0.01


# --------------------------------------------------------------------------
# the test of a step
# --------------------------------------------------------------------------
def _ci_problem(seed, n=500):
    """Y and X both depend on Z (strongly); X and Y independent given Z."""
    rng = np.random.RandomState(seed)
    z = rng.standard_normal(n)
    x = z + 0.3 * rng.standard_normal(n)
    y = z + 0.3 * rng.standard_normal(n)
    est = KSG()
    mask = np.zeros(2, dtype=bool)
    columns = est.prepare(np.column_stack([z, x]), mask, rng)
    return StepTester(columns, est.prepare_target(y, False, rng), mask, rng, 19, 1)


@pytest.mark.slow
def test_local_permutation_keeps_the_conditioning():
    """Under X independent of Y given Z the step p-value of X given Z is
    calibrated; tested without Z (all dependence through Z) X is always
    significant."""
    n_runs = 60
    conditional = np.array(
        [_ci_problem(s).test([0], [1]).pvalue for s in range(n_runs)]
    )
    marginal = np.array([_ci_problem(s).test([], [1]).pvalue for s in range(10)])
    # level 0.05: binomial sd over 60 runs is 0.028
    assert np.mean(conditional <= 0.05) <= 0.05 + 2.5 * 0.028
    assert np.mean(conditional) > 0.35
    assert np.all(marginal <= 0.05)


def test_discrete_selected_set_uses_exact_strata():
    rng = np.random.RandomState(0)
    n = 300
    x1 = rng.randint(0, 3, n)
    y = np.where(rng.rand(n) < 0.3, rng.randint(0, 3, n), x1)
    columns = PlugIn().prepare(np.column_stack([x1, x1]), np.array([True, True]))
    tester = StepTester(
        columns, PlugIn().prepare_target(y, True), np.array([True, True]), rng, 19, 1
    )
    perms = tester.permutation_sampler([0])(5)
    x1_test = columns[0].codes[tester.rows]
    for perm in perms:
        np.testing.assert_array_equal(x1_test[perm], x1_test)
        assert sorted(perm.tolist()) == list(range(n))


def test_subsample_for_large_data():
    rng = np.random.RandomState(0)
    n = st.MAX_SAMPLES + 500
    X = rng.standard_normal((n, 2))
    est = KSG()
    columns = est.prepare(X, np.zeros(2, bool), rng)
    target = est.prepare_target(X[:, 0], False, rng)
    tester = StepTester(columns, target, np.zeros(2, bool), rng, 19, 1)
    assert tester.n_samples == st.MAX_SAMPLES
    assert np.unique(tester.rows).size == st.MAX_SAMPLES
    match = f"subsample of {st.MAX_SAMPLES} of the {n} rows"
    with pytest.warns(UserWarning, match=match):
        assert tester.test([], [0, 1]).pvalue == pytest.approx(1 / 20)
    assert tester.rows_note() == (
        f"neighbour statistic on {st.MAX_SAMPLES} of {n} rows, a random subsample"
    )


@pytest.mark.slow
def test_the_neighbour_rows_do_not_shrink_with_the_number_of_columns():
    # 1,500 rows and 800 columns: every row is used (the neighbour lists
    # that do not fit the memory budget are sought again)
    rng = np.random.RandomState(0)
    n, p = 1500, 800
    X = rng.standard_normal((n, p))
    est = KSG()
    mask = np.zeros(p, bool)
    columns = est.prepare(X, mask, rng)
    target = est.prepare_target(X[:, 0] + X[:, 1], False, rng)
    tester = StepTester(columns, target, mask, rng, 19, 1)
    assert tester.n_samples == n
    stat = tester.statistic([], list(range(p)))
    assert stat.n_kept == ns.MAX_NEIGHBOUR_ENTRIES // (n * ns.N_NEIGHBOURS) < p
    scores = stat.scores(np.arange(n)[None, :])[0]
    assert np.argsort(scores)[-2:].tolist() in ([0, 1], [1, 0])
    # a list sought again equals the one kept
    np.testing.assert_array_equal(stat.nbrs[0], stat._neighbours(0)[0])


# --------------------------------------------------------------------------
# the selector
# --------------------------------------------------------------------------
@pytest.mark.slow
def test_pure_noise_selects_nothing():
    n_empty = 0
    for seed in range(20):
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((300, 50))
        y = rng.integers(0, 2, 300)
        selector = ConditionalMutualInfoSelector(random_state=0).fit(X, y)
        n_empty += selector.n_features_to_select_ == 0
    assert n_empty >= 18


def test_nothing_selected_is_a_fitted_empty_selection():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 10))
    y = rng.integers(0, 2, 300)
    selector = ConditionalMutualInfoSelector(random_state=0).fit(X, y)
    assert selector.n_features_to_select_ == 0
    assert not selector.support_.any()
    assert selector.selection_order_.shape == (0,)
    assert selector.conditional_gains_.shape == (0,)
    assert selector.pvalues_.shape == (0,)
    assert selector.stop_reason_.endswith("rows)")
    with pytest.warns(UserWarning, match="No features were selected"):
        assert selector.transform(X).shape == (300, 0)


@pytest.mark.slow
def test_noise_columns_appended_to_wine_are_rarely_admitted():
    X, y = load_wine(return_X_y=True)
    steps = noise = 0
    for seed in range(5):
        rng = np.random.default_rng(seed)
        Xn = np.column_stack([X, rng.standard_normal((X.shape[0], 30))])
        selector = ConditionalMutualInfoSelector(random_state=seed).fit(Xn, y)
        order = selector.selection_order_
        assert order.size >= 2
        steps += order.size
        noise += np.sum(order >= X.shape[1])
    assert noise <= 0.1 * steps


def _planted(seed, n=1000):
    """y = A + C + e; X0 = A + B, X1 = C, X2 = B, X3.. noise.

    X2 carries no information on its own (B is independent of y) but given
    X0 it does (X0 - X2 = A).
    """
    rng = np.random.RandomState(seed)
    a, b, c = rng.standard_normal((3, n))
    y = a + c + 0.5 * rng.standard_normal(n)
    X = np.column_stack([a + b, c, b, rng.standard_normal((n, 5))])
    return X, y


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_planted_structure_is_recovered(seed):
    X, y = _planted(seed)
    selector = ConditionalMutualInfoSelector(random_state=seed).fit(X, y)
    assert selector.relevance_[2] < 0.03  # X2 alone looks useless
    assert sorted(selector.selection_order_.tolist()) == [0, 1, 2]
    assert np.all(selector.pvalues_ <= 0.05)


def test_stop_reasons():
    X, y = _planted(0, n=300)
    fixed = ConditionalMutualInfoSelector(2, random_state=0).fit(X, y)
    assert fixed.stop_reason_ == "n_features_to_select reached"
    tol = ConditionalMutualInfoSelector(tol=1e6, random_state=0).fit(X, y)
    assert "tol" in tol.stop_reason_ and tol.n_features_to_select_ == 0
    everything = ConditionalMutualInfoSelector(tol=-1e6, random_state=0).fit(X, y)
    assert everything.stop_reason_ == "all features selected"


def test_the_screen_and_the_first_step_share_alpha():
    rng = np.random.RandomState(0)
    noise, y = rng.standard_normal((300, 8)), rng.randint(0, 2, 300)
    screened = ConditionalMutualInfoSelector(interactions=2, random_state=0)
    assert screened.fit(noise, y).n_features_to_select_ == 0
    assert "less the interaction screen's 0.025" in screened.stop_reason_
    assert "of 39 permutations" in screened.stop_reason_
    alone = ConditionalMutualInfoSelector(interactions=1, random_state=0)
    assert "at alpha=0.05:" in alone.fit(noise, y).stop_reason_
    assert "of 19 permutations" in alone.stop_reason_
    # the first step of a screened fit is that of a fit at the level left;
    # the later ones are tested at alpha, with n_permutations
    X, y = _planted(0, n=300)
    screened.fit(X, y)
    half = ConditionalMutualInfoSelector(
        interactions=1, alpha=0.025, n_permutations=39, random_state=0
    ).fit(X, y)
    assert screened.pvalues_[0] == half.pvalues_[0] == 1 / 40
    assert np.all(screened.pvalues_[1:] >= 1 / 20)
    assert "at alpha=0.05:" in screened.stop_reason_


def test_alpha_below_the_smallest_pvalue_is_an_error():
    X, y = _planted(0, n=100)
    with pytest.raises(ValueError, match="smallest p-value"):
        ConditionalMutualInfoSelector(alpha=0.01, n_permutations=19).fit(X, y)
    # a fixed number of features needs no test
    ConditionalMutualInfoSelector(2, alpha=0.01, n_permutations=19).fit(X, y)


def test_the_stopping_test_does_not_change_the_path():
    X, y = _planted(1, n=400)
    auto = ConditionalMutualInfoSelector(random_state=0).fit(X, y)
    m = auto.n_features_to_select_
    fixed = ConditionalMutualInfoSelector(m, random_state=0).fit(X, y)
    np.testing.assert_array_equal(auto.selection_order_, fixed.selection_order_)
    np.testing.assert_array_equal(auto.conditional_gains_, fixed.conditional_gains_)


# --------------------------------------------------------------------------
# no degenerate ties; DISR with the default estimator
# --------------------------------------------------------------------------
def test_vanishing_gains_are_broken_by_relevance_not_column_order():
    """Plug-in "cmi" on many-valued columns: after two picks every joint cell
    holds one sample and every gain is exactly zero."""
    rng = np.random.RandomState(0)
    n, p = 60, 12
    y = rng.randint(0, 2, n)
    # relevance grows with the column index: column j agrees with y more often
    X = np.column_stack(
        [
            np.where(rng.rand(n) < j / (2 * p), y, rng.randint(0, 2, n))
            + 2 * rng.randint(0, 8, n)
            for j in range(p)
        ]
    )
    selector = ConditionalMutualInfoSelector(
        p, criterion="cmi", estimator=PlugIn(), discrete_features=True
    ).fit(X, y)
    gains = selector.conditional_gains_
    order = selector.selection_order_
    vanished = np.flatnonzero(np.abs(gains) < 1e-12)
    assert vanished.size >= p - 3
    rel = selector.relevance_
    for step in vanished:
        remaining = order[step:]
        assert rel[order[step]] == rel[remaining].max()
    assert order[vanished].tolist() != sorted(order[vanished].tolist())


def test_disr_runs_on_continuous_data_with_the_default_estimator():
    rng = np.random.RandomState(0)
    X = rng.standard_normal((300, 4))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    default = ConditionalMutualInfoSelector(2, criterion="disr").fit(X, y)
    assert isinstance(default.estimator_, PlugIn)
    explicit = ConditionalMutualInfoSelector(
        2, criterion="disr", estimator=PlugIn()
    ).fit(X, y)
    np.testing.assert_array_equal(default.selection_order_, explicit.selection_order_)
    np.testing.assert_array_equal(
        default.conditional_gains_, explicit.conditional_gains_
    )
    assert sorted(default.selection_order_.tolist()) == [0, 1]
    # an explicit k-NN estimator still cannot give Shannon entropies
    with pytest.raises(ValueError, match="estimator=PlugIn"):
        ConditionalMutualInfoSelector(2, criterion="disr", estimator=KSG()).fit(X, y)


def test_pick_breaks_ties_and_unestimable_steps_by_relevance():
    from skmi.selection._forward import _pick

    rel = np.array([0.1, 0.5, 0.3, 0.5])
    candidates = np.array([0, 1, 2, 3])
    # an exact tie and a tie within rounding go to the most relevant
    assert _pick(candidates, [0.2, 0.2, 0.2 + 1e-15, 0.1], rel)[0] == 1
    assert _pick(candidates, [0.0, 0.0, 0.0, 0.0], rel)[0] == 1  # then the index
    assert _pick(np.array([0, 2]), [0.0, 0.0], rel)[0] == 2
    # a clear winner keeps its place whatever its relevance
    assert _pick(candidates, [0.3, 0.2, 0.2, 0.1], rel) == (0, 0.3)
    # nothing estimable: the most relevant, with its NaN score
    k, score = _pick(candidates, [np.nan] * 4, rel)
    assert k == 1 and np.isnan(score)
    assert _pick(candidates, [np.nan, 0.0, np.nan, -0.1], rel)[0] == 1


# --------------------------------------------------------------------------
# one tie rule for every Monte Carlo test
# --------------------------------------------------------------------------
@pytest.mark.parametrize("stop_after", [None, 2])
def test_one_tie_rule_for_columnwise_and_maximum_tests(stop_after):
    # the statistic of a permutation takes three values, one of them the
    # observed value up to rounding: both tests count it as reached
    from skmi.selection._permutation import monte_carlo_pvalues, reaches

    observed = 0.3
    tie = observed * (1 + 1e-14)
    assert tie != observed and reaches(np.array([tie - 2e-14]), observed)[0]

    def statistic(order):
        return np.array([[0.1, observed - 2e-15, 0.5][order[0] % 3]])

    n, B = 7, 40
    p_columns = monte_carlo_pvalues(
        lambda index: statistic,
        [observed],
        n,
        B,
        np.random.RandomState(3),
        1,
        stop_after,
    )[0]
    seeds = iter(np.random.RandomState(3).randint(np.iinfo(np.int32).max, size=B))

    def draw(b):
        return np.vstack(
            [np.random.RandomState(next(seeds)).permutation(n) for _ in range(b)]
        )

    h = B + 1 if stop_after is None else stop_after
    test = sequential_pvalue(
        observed, lambda perms: np.vstack([statistic(p) for p in perms]), draw, B, h
    )
    assert test.pvalue == p_columns
    # by hand: a permutation reaches the observed value iff order[0] % 3 > 0
    hits = []
    for seed in np.random.RandomState(3).randint(np.iinfo(np.int32).max, size=B):
        hits.append(np.random.RandomState(seed).permutation(n)[0] % 3 > 0)
    hits = np.cumsum(hits)
    if stop_after is None or hits[-1] < stop_after:
        assert p_columns == (1 + hits[-1]) / (1 + B)
    else:
        assert p_columns == stop_after / (np.searchsorted(hits, stop_after) + 1)
        assert test.stopped_early and test.n_reached == stop_after


# --------------------------------------------------------------------------
# the count statistic of discrete steps
# --------------------------------------------------------------------------
def _brute_force_g(x, z, y):
    """G = 2 sum N(x,z,y) log(N(x,z,y) N(z) / (N(x,z) N(z,y))) and its dof."""
    g, dof = 0.0, 0
    for s in np.unique(z):
        xs, ys = x[z == s], y[z == s]
        table = np.array(
            [
                [np.sum((xs == a) & (ys == c)) for c in np.unique(ys)]
                for a in np.unique(xs)
            ],
            dtype=float,
        )
        expected = table.sum(1, keepdims=True) * table.sum(0) / table.sum()
        cells = table > 0
        g += 2 * np.sum(table[cells] * np.log(table[cells] / expected[cells]))
        dof += (table.shape[0] - 1) * (table.shape[1] - 1)
    return g, dof


def _assert_standardised_g(scores, perms, x, z, y):
    """``scores[b, k]`` is the standardised brute-force G of ``x[:, k]``."""
    for b, perm in enumerate(perms):
        for k in range(x.shape[1]):
            g, d = _brute_force_g(x[:, k], z, y[perm])
            spread = 2 / (9 * d)
            # G back from the statistic; the terms c log c are rounded to
            # multiples of 2^-20 (so that their sums are exact): at most 2^-21
            # each, over fewer than 200 cells here
            got = d * (scores[b, k] * np.sqrt(spread) + 1 - spread) ** 3
            assert got == pytest.approx(g, abs=2 * 200 * 2.0**-21)


def test_count_statistic_is_the_standardised_conditional_g():
    from skmi.estimators._codes import factorize
    from skmi.estimators._variables import Variable
    from skmi.selection._permutation import stratum_permutations

    rng = np.random.RandomState(0)
    n = 300
    X = np.column_stack(
        [rng.randint(0, 3, n), rng.randint(0, 5, n), rng.poisson(0.3, n), np.ones(n)]
    )
    z = rng.randint(0, 4, n)
    y = (X[:, 0].astype(int) + rng.randint(0, 2, n)) % 3
    cols = [Variable(codes=factorize(c)[0], n_levels=factorize(c)[1]) for c in X.T]
    stat = CountDependence(Indicators(cols, n), np.arange(4), z, 4, y, 3)
    perms = np.vstack([np.arange(n)[None, :], stratum_permutations(z, 3, rng)])
    scores = stat.scores(perms)
    _assert_standardised_g(scores, perms, X[:, :3], z, y)
    assert np.all(scores[:, 3] < -1e299)  # a constant column has no dof


def test_count_statistic_leaves_out_strata_of_one_target_value():
    from skmi.estimators._variables import Variable
    from skmi.selection._permutation import stratum_permutations

    rng = np.random.RandomState(2)
    n = 400
    z = rng.randint(0, 6, n)
    x = rng.randint(0, 3, (n, 3))
    y = (x[:, 0] + rng.randint(0, 2, n)) % 3
    y[z >= 4] = 1  # two strata where the target takes one value
    cols = [Variable(codes=c, n_levels=3) for c in x.T]
    stat = CountDependence(Indicators(cols, n), np.arange(3), z, 6, y, 3)
    np.testing.assert_array_equal(stat.rows, np.flatnonzero(z < 4))
    perms = np.vstack([np.arange(n)[None, :], stratum_permutations(z, 5, rng)])
    _assert_standardised_g(stat.scores(perms), perms, x, z, y)


def test_count_statistic_of_an_unchanged_table_is_bitwise_equal():
    # y is constant within the strata of z but one: most permutations leave
    # every table unchanged, and the statistic must then tie exactly
    from skmi.estimators._variables import Variable
    from skmi.selection._permutation import stratum_permutations

    rng = np.random.RandomState(1)
    n = 400
    z = rng.randint(0, 5, n)
    y = np.where(z == 0, rng.randint(0, 2, n), z % 2)
    x = rng.randint(0, 3, (n, 6))
    x[z == 0] = 0  # the only stratum where y varies: x constant there
    cols = [Variable(codes=c, n_levels=3) for c in x.T]
    stat = CountDependence(Indicators(cols, n), np.arange(6), z, 5, y, 2)
    scores = stat.scores(
        np.vstack([np.arange(n)[None, :], stratum_permutations(z, 20, rng)])
    )
    assert np.all(scores == scores[0])


def _categorical_table(seed, n=3000):
    import pandas as pd

    rng = np.random.RandomState(seed)
    df = pd.DataFrame({c: rng.choice(["lo", "mid", "hi"], n) for c in "abcdef"})
    score = sum(
        (df[c] == "hi").astype(int) - (df[c] == "lo").astype(int) for c in "abc"
    )
    return df, (score + rng.standard_normal(n) > 0).astype(int)


def test_discrete_steps_are_tested_on_counts_of_every_row():
    df, y = _categorical_table(0, n=6000)
    est = PlugIn()
    mask = np.ones(6, bool)
    rng = np.random.RandomState(0)
    columns = est.prepare(
        df.apply(lambda c: c.astype("category").cat.codes).to_numpy(), mask
    )
    tester = StepTester(columns, est.prepare_target(y, True), mask, rng, 19, 1)
    assert tester.counts_apply([2], [0, 1, 3])
    assert isinstance(tester.statistic([2], [0, 1, 3]), CountDependence)
    step = tester.test([2], [0, 1, 3, 4, 5])
    assert tester.n_rows == 6000 > st.MAX_SAMPLES
    assert step.pvalue == pytest.approx(1 / 20)
    assert np.argmax(tester.observed) in (0, 1)


@pytest.mark.slow
def test_categorical_and_binary_informative_columns_are_all_kept():
    for seed in range(4):
        df, y = _categorical_table(seed)
        selector = ConditionalMutualInfoSelector(random_state=seed).fit(df, y)
        assert sorted(selector.selection_order_.tolist()) == [0, 1, 2]
        rng = np.random.RandomState(seed)
        X = rng.randint(0, 2, (2000, 10))
        y = (X[:, :3].sum(1) >= 2).astype(int)
        selector = ConditionalMutualInfoSelector(random_state=seed, interactions=1)
        assert sorted(selector.fit(X, y).selection_order_.tolist()) == [0, 1, 2]


@pytest.mark.slow
@pytest.mark.parametrize("interactions", [1, "auto"])
def test_categorical_and_count_noise_selects_nothing(interactions):
    """With the default screen too: it spends its share of alpha, the step
    tests the rest (3 of these 20 fits selected noise when both spent all)."""
    import pandas as pd

    n_empty = 0
    for seed in range(20):
        rng = np.random.RandomState(seed)
        if seed % 2:
            X = pd.DataFrame({f"c{j}": rng.choice(list("abcd"), 600) for j in range(8)})
        else:
            X = rng.poisson(0.5, (600, 30))
        y = rng.randint(0, 3, 600)
        selector = ConditionalMutualInfoSelector(
            random_state=seed, interactions=interactions
        )
        n_empty += selector.fit(X, y).n_features_to_select_ == 0
    assert n_empty >= 19


# --------------------------------------------------------------------------
# "auto" is the beginning of the path of a fixed number of features
# --------------------------------------------------------------------------
def _mixed_table(seed, n=600):
    import pandas as pd

    rng = np.random.RandomState(seed)
    df = pd.DataFrame(
        {
            "x0": rng.standard_normal(n),
            "c1": rng.choice(list("abc"), n),
            "x2": rng.standard_normal(n),
            "c3": rng.choice(list("ab"), n),
            "x4": rng.standard_normal(n),
        }
    )
    y = df.x0 + (df.c1 == "a") + 0.5 * df.x2 + 0.5 * rng.standard_normal(n)
    return df, y


@pytest.mark.slow
def test_auto_selects_the_first_features_of_the_fixed_path():
    rng = np.random.RandomState(0)
    continuous = _planted(0, n=400)
    categorical = _categorical_table(1, n=1500)
    counts = rng.poisson(0.4, (800, 25))
    counts_y = (counts[:, 0] + counts[:, 1] > 0).astype(int)
    counts_y ^= rng.rand(800) < 0.2  # not a function of the two
    n_selected = []
    for X, y in [continuous, categorical, (counts, counts_y), _mixed_table(0)]:
        auto = ConditionalMutualInfoSelector(random_state=0).fit(X, y)
        m = auto.n_features_to_select_
        n_selected.append(m)
        fixed = ConditionalMutualInfoSelector(m + 1, random_state=0).fit(X, y)
        np.testing.assert_array_equal(auto.selection_order_, fixed.selection_order_[:m])
    assert min(n_selected) >= 2
