"""Screening for synergy: statistics, the max-statistic test, blocks in the path."""

from itertools import combinations

import numpy as np
import pytest
from sklearn.datasets import make_regression

from skmi import ConditionalMutualInfoSelector
from skmi.estimators import KSG, PlugIn
from skmi.estimators._codes import factorize, joint_codes
from skmi.estimators._count_tables import PairTables
from skmi.estimators._plugin import mutual_info_counts
from skmi.selection._interactions import (
    Block,
    BlockOffers,
    _Screen,
    max_statistic_pvalues,
    resolve_interactions,
    screen_blocks,
)
from skmi.selection._screen_plan import plan_screen


def xor_bits(seed, n=500, n_noise=50):
    """y = X0 xor X1 among ``n_noise`` noise bits."""
    rng = np.random.RandomState(seed)
    X = rng.randint(0, 2, size=(n, 2 + n_noise))
    return X, X[:, 0] ^ X[:, 1]


def sign_product(seed, n=400, n_noise=50):
    """y = sign(x0 * x1) with continuous x among ``n_noise`` noise columns."""
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((n, 2 + n_noise))
    return X, (X[:, 0] * X[:, 1] > 0).astype(int)


def parity3(seed, n=300, n_bits=20):
    rng = np.random.RandomState(seed)
    X = rng.randint(0, 2, size=(n, n_bits))
    return X, X[:, 0] ^ X[:, 1] ^ X[:, 2]


# --------------------------------------------------------------------------
# the statistics against the shared plug-in counts
# --------------------------------------------------------------------------
def _adjusted_info(X, y, cols, levels, ky):
    """Plug-in I(X_cols; Y) less its first-order bias, from the shared layer."""
    cells = [levels[j] for j in cols]
    codes, k = factorize(joint_codes([X[:, j] for j in cols], cells)[0])
    bias = (int(np.prod(cells)) - 1) * (ky - 1) / (2 * len(y))
    return mutual_info_counts(codes, k, y, ky) - bias


@pytest.mark.parametrize("seed", [0, 1])
def test_screen_statistics_equal_plugin_counts(seed):
    rng = np.random.RandomState(seed)
    n, p = 300, 6
    levels = np.array([2, 3, 4, 2, 3, 2])
    X = np.column_stack([rng.randint(0, k, n) for k in levels])
    y = (X[:, 0] + X[:, 1] + rng.randint(0, 2, n)) % 3
    screen = _Screen(X.T.astype(np.int64), levels, y.astype(np.int64), 3, 3)
    got = screen.statistics(y.astype(np.int64))
    info = {
        c: _adjusted_info(X, y, c, levels, 3)
        for r in (1, 2, 3)
        for c in combinations(range(p), r)
    }
    expected = []
    for s in screen.sets:
        if len(s) == 2:
            expected.append(info[s] - info[s[:1]] - info[s[1:]])
        else:
            a, b, c = s
            splits = max(
                info[(a, b)] + info[(c,)],
                info[(a, c)] + info[(b,)],
                info[(b, c)] + info[(a,)],
            )
            expected.append(info[s] - splits)
    assert len(screen.sets) == 15 + 20
    np.testing.assert_allclose(got, expected, atol=1e-6)


def test_pair_tables_equal_brute_force_entropies():
    rng = np.random.RandomState(3)
    levels = [3, 2, 5]
    codes = np.vstack([rng.randint(0, k, 200) for k in levels]).astype(np.int64)
    y = rng.randint(0, 3, 200)
    tables = PairTables(codes, levels)
    h_xy = tables.with_target(y, 3)

    def entropy(*arrays):
        _, counts = np.unique(np.column_stack(arrays), axis=0, return_counts=True)
        q = counts / counts.sum()
        return -np.sum(q * np.log(q))

    for i in range(3):
        for j in range(3):
            h = entropy(codes[i], codes[j])
            np.testing.assert_allclose(tables.h_pair[i, j], h, atol=1e-6)
            h = entropy(codes[i], codes[j], y)
            np.testing.assert_allclose(h_xy[i, j], h, atol=1e-6)


# --------------------------------------------------------------------------
# the max-statistic permutation test
# --------------------------------------------------------------------------
def _sequential_pvalue(maxima, s, n_exceed, n_max):
    """Besag-Clifford p-value of ``s`` against the null maxima, from scratch."""
    hits = 0
    for b, m in enumerate(maxima, start=1):
        hits += m >= s
        if hits == n_exceed:
            return n_exceed / b
    return (1 + hits) / (1 + n_max)


def test_max_statistic_pvalues_count_the_maxima(monkeypatch):
    import skmi.selection._interactions as interactions

    monkeypatch.setattr(interactions, "MIN_PERMUTATIONS", 1)
    observed = np.array([3.0, 1.0, 0.5])
    draws = np.array([[0.2, 2.0, 0.9], [1.5, 0.1, 0.0], [0.6, 0.4, 0.3], [3.5, 0, 0]])
    queue = list(draws)

    def null_maxima(perms, family):
        assert family == 0
        return np.array([[queue.pop(0).max()] for _ in perms])

    # alpha = 0.6 with 4 permutations: the drawing stops at 3 exceedances
    p, done = max_statistic_pvalues(
        observed, null_maxima, 10, 4, np.random.RandomState(0), alpha=0.6
    )
    maxima = draws.max(axis=1)  # 2.0, 1.5, 0.6, 3.5
    expected = [_sequential_pvalue(maxima, s, 3, 4) for s in observed]
    assert done.tolist() == [4]
    np.testing.assert_allclose(p, expected)
    np.testing.assert_allclose(p, [2 / 5, 3 / 4, 3 / 3])


def test_max_statistic_pvalues_stop_once_the_decision_is_known():
    calls = []

    def null_maxima(perms, family):
        calls.append(len(perms))
        return np.ones((len(perms), 1))

    # with 1000 permutations a level of 0.05 accepts at 50 exceedances
    p, done = max_statistic_pvalues(
        np.array([0.5, 0.2]),
        null_maxima,
        10,
        1000,
        np.random.RandomState(0),
        alpha=0.05,
    )
    assert done.tolist() == [50] and sum(calls) == 50
    np.testing.assert_allclose(p, [1.0, 1.0])


def test_max_statistic_pvalues_reach_each_familys_level():
    # two families at 0.01 / 2 each: 99 permutations cannot reject at 0.005
    # (smallest p-value 0.01), so each family draws 199
    def null_maxima(perms, family):
        return np.full((len(perms), 1), -np.inf)

    p, done = max_statistic_pvalues(
        np.array([1.0, 0.5, 2.0]),
        null_maxima,
        10,
        19,
        np.random.RandomState(0),
        families=np.array([0, 0, 1]),
        alpha=0.01,
    )
    assert done.tolist() == [199, 199]
    np.testing.assert_allclose(p, [1 / 200] * 3)
    assert np.all(p <= 0.005)


@pytest.mark.slow
def test_screen_rejects_pure_noise_at_rate_alpha():
    # the family-wise error rate: the best of 190 pairs is significant in
    # about alpha of the data sets where nothing is related
    rejections = 0
    n_sets = 100
    for seed in range(n_sets):
        rng = np.random.RandomState(seed)
        X = rng.randint(0, 2, size=(120, 20))
        y = rng.randint(0, 2, 120)
        screen = _Screen(X.T.astype(np.int64), np.full(20, 2), y, 2, 2)
        p, _ = max_statistic_pvalues(
            screen.statistics(y),
            screen.null_maxima,
            120,
            99,
            np.random.RandomState(1000 + seed),
            alpha=0.1,
        )
        rejections += p.min() <= 0.1
    # Binomial(100, 0.1): 99.9% of the mass in [2, 20]
    assert 2 <= rejections <= 20


@pytest.mark.slow
@pytest.mark.parametrize("discrete", [True, False])
def test_no_false_blocks_on_pure_noise(discrete):
    blocks = 0
    n_sets = 30
    for seed in range(n_sets):
        rng = np.random.RandomState(seed)
        X = rng.randint(0, 2, (200, 25)) if discrete else rng.standard_normal((200, 25))
        y = rng.randint(0, 2, 200)
        s = ConditionalMutualInfoSelector(
            2, interactions=2, n_permutations=50, random_state=seed
        ).fit(X, y)
        blocks += len(s.interaction_blocks_) > 0
    # at most alpha = 0.05 in expectation; P(Binomial(30, 0.05) >= 6) < 0.01
    assert blocks <= 5


# --------------------------------------------------------------------------
# synergy found by the selector
# --------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("problem", [xor_bits, sign_product])
def test_pairs_found_with_interactions_2(problem):
    found = 0
    for seed in range(20):
        X, y = problem(seed)
        s = ConditionalMutualInfoSelector(2, interactions=2, random_state=seed)
        found += set(s.fit(X, y).selection_order_.tolist()) == {0, 1}
    assert found >= 19


@pytest.mark.parametrize("criterion", ["jmi", "cmim", "cmi"])
def test_plain_greedy_misses_the_xor_pair(criterion):
    # the failure the screen repairs: zero marginal relevance
    missed = 0
    for seed in range(3):
        X, y = xor_bits(seed)
        s = ConditionalMutualInfoSelector(
            2, criterion=criterion, interactions=1, random_state=seed
        ).fit(X, y)
        missed += set(s.selection_order_.tolist()) != {0, 1}
        s = ConditionalMutualInfoSelector(
            2, criterion=criterion, interactions=2, random_state=seed
        ).fit(X, y)
        assert set(s.selection_order_.tolist()) == {0, 1}
    assert missed >= 2


@pytest.mark.slow
def test_parity_of_three_found_with_interactions_3():
    found = 0
    for seed in range(20):
        X, y = parity3(seed)
        s = ConditionalMutualInfoSelector(
            3,
            interactions=3,
            random_state=seed,
            estimator=PlugIn(),
            discrete_features=True,
        ).fit(X, y)
        found += set(s.selection_order_.tolist()) == {0, 1, 2}
    assert found >= 16


def test_parity_of_three_not_found_with_pairs():
    X, y = parity3(0)
    s = ConditionalMutualInfoSelector(3, interactions=2, random_state=0).fit(X, y)
    assert set(s.selection_order_.tolist()) != {0, 1, 2}
    assert s.interaction_blocks_ == []


def test_block_enters_as_consecutive_selections_with_the_screen_pvalue():
    X, y = xor_bits(0)
    s = ConditionalMutualInfoSelector(
        "auto", interactions=2, random_state=0, n_permutations=50
    ).fit(X, y)
    assert len(s.interaction_blocks_) == 1
    block = s.interaction_blocks_[0]
    assert sorted(block.tolist()) == [0, 1]
    assert s.selection_order_[:2].tolist() == block.tolist()
    # the second member's gain given the first is the whole bit (nats)
    assert s.conditional_gains_[1] == pytest.approx(np.log(2), abs=0.02)
    assert s.pvalues_[0] == s.pvalues_[1] <= 0.05


# --------------------------------------------------------------------------
# the default keeps the plain greedy path where nothing is synergistic
# --------------------------------------------------------------------------
def _no_synergy(seed):
    X, y = make_regression(300, 20, n_informative=5, noise=5.0, random_state=seed)
    yield X, y
    rng = np.random.RandomState(seed)
    X = rng.randint(0, 3, (400, 15))
    score = X[:, :4] @ [1.0, 0.8, 0.6, 0.4] + rng.normal(0, 1, 400)
    yield X, (score > 2.5).astype(int)
    X = rng.standard_normal((300, 12))
    yield X, np.digitize(X[:, 0] + 0.5 * X[:, 1] + rng.normal(0, 0.5, 300), [-1, 1])


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("n_select", [5, "auto"])
def test_default_keeps_the_greedy_path_without_synergy(seed, n_select):
    for X, y in _no_synergy(seed):
        params = dict(random_state=seed, n_permutations=30)
        a = ConditionalMutualInfoSelector(n_select, **params).fit(X, y)
        b = ConditionalMutualInfoSelector(n_select, interactions=1, **params).fit(X, y)
        np.testing.assert_array_equal(a.selection_order_, b.selection_order_)
        np.testing.assert_array_equal(a.conditional_gains_, b.conditional_gains_)
        if n_select == "auto":
            # the screen spends its share of alpha whether or not it finds a
            # block: the first step of the default is tested at the level
            # left (with more permutations), the later ones alike
            assert a.pvalues_[0] < b.pvalues_[0] <= 0.05
            np.testing.assert_array_equal(a.pvalues_[1:], b.pvalues_[1:])
        assert a.interaction_blocks_ == []


def test_resolve_interactions():
    assert resolve_interactions("auto", 1000) == 2
    assert resolve_interactions("auto", 1) == 1
    assert resolve_interactions(3, 2) == 2


@pytest.mark.parametrize("n_noise", [98, 99])
def test_auto_has_no_cliff_at_100_features(n_noise):
    # y = sign(x0 x1) among 100 and 101 columns: the default finds the pair
    X, y = sign_product(0, n=1000, n_noise=n_noise)
    s = ConditionalMutualInfoSelector(random_state=0).fit(X, y)
    assert [sorted(b.tolist()) for b in s.interaction_blocks_] == [[0, 1]]
    assert s.interaction_screen_.startswith(
        f"{(n_noise + 2) * (n_noise + 1) // 2:,} pairs"
    )
    assert "all 1,000 rows" in s.interaction_screen_


def test_auto_screens_binary_xor_among_101_columns_or_says_it_did_not():
    X, y = xor_bits(0, n=500, n_noise=99)
    s = ConditionalMutualInfoSelector(random_state=0).fit(X, y)
    ran = not s.interaction_screen_.startswith("the interaction screen did not run")
    assert ran  # (cheap enough here)
    assert [sorted(b.tolist()) for b in s.interaction_blocks_] == [[0, 1]]


def _prepared(X, y, est):
    rng = np.random.RandomState(0)
    discrete = np.zeros(X.shape[1], bool)
    return est.prepare(X, discrete, rng), est.prepare_target(y, True, rng)


def test_auto_plan_follows_the_cost():
    rng = np.random.RandomState(0)
    y = rng.randint(0, 2, 2000)
    kw = dict(n_permutations=19, alpha=0.05)
    # k-NN estimates on 2,000 rows: all pairs of 100 columns; of 200, two
    # bins on a subsample
    cols, target = _prepared(rng.standard_normal((2000, 100)), y, KSG())
    plan = plan_screen("auto", KSG(), cols, target, **kw)
    assert (plan.size, plan.max_rows) == (2, 2000)
    cols, target = _prepared(rng.standard_normal((2000, 200)), y, KSG())
    plan = plan_screen("auto", KSG(), cols, target, **kw)
    assert (plan.size, plan.coarse_bins) == (2, 2) and 500 <= plan.max_rows < 2000
    assert plan.min_permutations == 0
    # four times the columns: too dear, no screen, and the note says so
    cols, target = _prepared(rng.standard_normal((2000, 800)), y, KSG())
    plan = plan_screen("auto", KSG(), cols, target, **kw)
    assert plan.size == 1
    assert plan.note.startswith("the interaction screen did not run: its 319,600 pairs")
    # counts are cheap, so is the fit: pairs of 200 columns are not screened
    cols, target = _prepared(rng.standard_normal((2000, 200)), y, PlugIn())
    assert plan_screen("auto", PlugIn(), cols, target, **kw).size == 1
    # ... those of 20 are (their screen costs little)
    cols, target = _prepared(rng.standard_normal((2000, 20)), y, PlugIn())
    plan = plan_screen("auto", PlugIn(), cols, target, **kw)
    assert (plan.size, plan.coarse_bins, plan.max_rows) == (2, 3, 2000)
    # an explicit size is screened as asked, whatever the cost
    cols, target = _prepared(rng.standard_normal((2000, 800)), y, KSG())
    plan = plan_screen(2, KSG(), cols, target, **kw)
    assert (plan.size, plan.max_rows, plan.coarse_bins) == (2, None, None)
    assert plan_screen(1, KSG(), cols, target, **kw).note == "no interaction screen"


def test_auto_screen_on_a_subsample_says_how_many_rows():
    rng = np.random.RandomState(0)
    n, p = 3000, 300
    X = rng.standard_normal((n, p))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    cols, target = _prepared(X, y, KSG())
    plan = plan_screen("auto", KSG(), cols, target, n_permutations=19, alpha=0.05)
    assert plan.size == 2 and 500 <= plan.max_rows < n
    assert f"{plan.max_rows:,} of 3,000 rows" in plan.note
    s = ConditionalMutualInfoSelector(random_state=0).fit(X, y)
    assert s.interaction_screen_ == plan.note
    assert [sorted(b.tolist()) for b in s.interaction_blocks_] == [[0, 1]]


@pytest.mark.slow
@pytest.mark.parametrize("discrete", [True, False])
def test_no_false_blocks_on_pure_noise_with_auto(discrete):
    # the screen of "auto" (fewer permutations, coarser copies): same size
    blocks = 0
    for seed in range(30):
        rng = np.random.RandomState(seed)
        X = rng.randint(0, 2, (200, 25)) if discrete else rng.standard_normal((200, 25))
        y = rng.randint(0, 2, 200)
        s = ConditionalMutualInfoSelector(2, random_state=seed).fit(X, y)
        assert "pairs of 25 features screened" in s.interaction_screen_
        blocks += len(s.interaction_blocks_) > 0
    # at most alpha = 0.05 in expectation; P(Binomial(30, 0.05) >= 6) < 0.01
    assert blocks <= 5


def test_screen_does_not_move_the_random_numbers_of_the_fit():
    X, y = xor_bits(1, n_noise=10)
    est = KSG()
    cols = est.prepare(X.astype(float), np.ones(X.shape[1], bool))
    target = est.prepare_target(y, True)
    rel = np.array([est.mutual_info_prepared(c, target) for c in cols])
    rng = np.random.RandomState(7)
    state = rng.get_state()[1].copy()
    blocks = screen_blocks(
        est, cols, target, rel, size=2, alpha=0.05, n_permutations=30, rng=rng
    )
    assert [sorted(b.members) for b in blocks] == [[0, 1]]
    np.testing.assert_array_equal(rng.get_state()[1], state)


def test_block_offers():
    a = Block((3, 4), 0.5, 0.01, 0.6)
    b = Block((5, 6), 0.2, 0.02, 0.1)
    offers = BlockOffers([a, b])
    # the synergy per member of a (0.3) and b (0.05) is below the best
    # candidate's score (0.4): nothing enters
    assert not offers.offer([0], pick=1, score=0.4)
    # a member picked by the search brings its block, the pick first
    assert offers.offer([0], pick=4, score=0.4)
    assert [offers.pop()[0], offers.pop()[0]] == [4, 3]
    # b: 0.05 per member beats a score of 0.01
    assert offers.offer([0, 4, 3], pick=2, score=0.01)
    k, block = offers.pop()
    assert (k, block.pvalue) == (5, 0.02)
    assert [tuple(e.members) for e in offers.entered] == [(4, 3), (5, 6)]
    # before a stop, the next pending block enters whatever the score
    offers = BlockOffers([b])
    assert offers.offer([0])
    # a block with a selected member is no longer offered
    offers = BlockOffers([b])
    assert not offers.offer([6])


def test_interactions_is_validated():
    X, y = xor_bits(0, n=50, n_noise=3)
    with pytest.raises(ValueError, match="interactions"):
        ConditionalMutualInfoSelector(interactions=4).fit(X, y)


def test_screen_of_many_samples_runs_on_a_subset(monkeypatch):
    import skmi.selection._interactions as interactions

    sizes = []
    original = interactions._Screen

    def spy(codes, levels, y, ky, size):
        sizes.append(codes.shape[1])
        return original(codes, levels, y, ky, size)

    monkeypatch.setattr(interactions, "_Screen", spy)
    monkeypatch.setattr(interactions, "MAX_SCREEN_SAMPLES", 400)

    X, y = xor_bits(0, n=3000, n_noise=8)
    s = ConditionalMutualInfoSelector(2, interactions=2, random_state=0).fit(X, y)
    assert sizes == [400]
    assert sorted(s.interaction_blocks_[0].tolist()) == [0, 1]


def test_screen_results_do_not_depend_on_n_jobs():
    X, y = sign_product(2, n=300, n_noise=20)
    fits = [
        ConditionalMutualInfoSelector(3, interactions=2, random_state=0, n_jobs=j).fit(
            X, y
        )
        for j in (1, 2)
    ]
    np.testing.assert_array_equal(fits[0].selection_order_, fits[1].selection_order_)
    np.testing.assert_array_equal(
        fits[0].conditional_gains_, fits[1].conditional_gains_
    )
    assert [b.tolist() for b in fits[0].interaction_blocks_] == [
        b.tolist() for b in fits[1].interaction_blocks_
    ]
    assert fits[0].interaction_blocks_


def test_continuous_and_multiclass_targets():
    rng = np.random.RandomState(0)
    X = rng.standard_normal((600, 15))
    y = X[:, 0] * X[:, 1] + 0.3 * rng.standard_normal(600)  # regression
    s = ConditionalMutualInfoSelector(2, interactions=2, random_state=0).fit(X, y)
    assert sorted(s.selection_order_.tolist()) == [0, 1]
    bits = rng.randint(0, 2, (500, 12))
    y = (bits[:, 0] ^ bits[:, 1]) + 2 * bits[:, 2]  # four classes
    s = ConditionalMutualInfoSelector(3, interactions=3, random_state=0).fit(bits, y)
    assert set(s.selection_order_.tolist()) == {0, 1, 2}
    assert sorted(s.interaction_blocks_[0].tolist()) == [0, 1]


def test_sparse_input_is_screened_column_by_column_on_the_subsample(monkeypatch):
    from scipy import sparse

    import skmi.selection._interactions as interactions
    from skmi.estimators._sparse import SparseColumns

    taken, coded = [], []
    take, codes = SparseColumns.take, interactions._codes

    def spy_take(self, rows):
        taken.append(len(rows))
        return take(self, rows)

    def spy_codes(variable, *args, **kwargs):
        coded.append(variable.n_samples)
        return codes(variable, *args, **kwargs)

    monkeypatch.setattr(SparseColumns, "take", spy_take)
    monkeypatch.setattr(interactions, "_codes", spy_codes)
    monkeypatch.setattr(interactions, "MAX_SCREEN_SAMPLES", 400)

    X, y = xor_bits(0, n=3000, n_noise=8)
    params = dict(n_features_to_select=2, interactions="auto", random_state=0)
    s = ConditionalMutualInfoSelector(**params).fit(sparse.csr_array(X), y)
    # the rows of the sparse matrix first, then one column at a time
    assert 400 in taken
    assert coded and set(coded) == {400}
    assert sorted(s.interaction_blocks_[0].tolist()) == [0, 1]
    dense = ConditionalMutualInfoSelector(**params).fit(X, y)
    np.testing.assert_array_equal(s.selection_order_, dense.selection_order_)


def test_block_of_an_auto_path_passes_the_step_test_by_the_screen():
    # the first step test sees no single informative bit, so without the
    # block the search would stop at once
    X, y = xor_bits(1)
    plain = ConditionalMutualInfoSelector(interactions=1, random_state=0).fit(X, y)
    assert plain.selection_order_.size == 0
    assert plain.stop_reason_.endswith("rows)")
    s = ConditionalMutualInfoSelector(interactions=2, random_state=0).fit(X, y)
    assert s.selection_order_[:2].tolist() == s.interaction_blocks_[0].tolist()
    assert sorted(s.selection_order_[:2].tolist()) == [0, 1]
    assert s.pvalues_[0] == s.pvalues_[1] <= 0.05
