"""``memory``: a reusable greedy path and reusable marginal scores."""

import numpy as np
import pytest
from joblib import Memory
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

import skmi._conditional_selector as forward_selector
import skmi._mutual_info_selector as selectors
import skmi.selection._blocks as blocks
import skmi.selection._terms as terms
from skmi import ConditionalMutualInfoSelector, MutualInfoSelector
from skmi.estimators import PlugIn


def data(seed=0, n=300, p=25):
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((n, p))
    y = (X[:, 0] + X[:, 1] * X[:, 2] + 0.5 * X[:, 3] > 0).astype(int)
    return X, y


@pytest.fixture
def searches(monkeypatch):
    """The calls of the greedy search: (n_features_to_select, resumed)."""
    calls = []
    original = forward_selector.forward_select

    def spy(*args, **kwargs):
        state = kwargs["path_state"]
        params = args[3] if len(args) > 3 else kwargs["params"]
        calls.append((params.n_features_to_select, bool(state and state.saved)))
        return original(*args, **kwargs)

    monkeypatch.setattr(forward_selector, "forward_select", spy)
    return calls


@pytest.fixture
def scorings(monkeypatch):
    """The computations of marginal scores by MutualInfoSelector."""
    calls = []
    original = selectors.relevance

    def spy(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(selectors, "relevance", spy)
    return calls


def _same(a, b):
    np.testing.assert_array_equal(a.selection_order_, b.selection_order_)
    np.testing.assert_array_equal(a.conditional_gains_, b.conditional_gains_)
    np.testing.assert_array_equal(a.relevance_, b.relevance_)
    np.testing.assert_array_equal(a.support_, b.support_)
    assert [b_.tolist() for b_ in a.interaction_blocks_] == [
        b_.tolist() for b_ in b.interaction_blocks_
    ]
    assert a.stop_reason_ == b.stop_reason_
    if a.pvalues_ is None:
        assert b.pvalues_ is None
    else:
        np.testing.assert_array_equal(a.pvalues_, b.pvalues_)


@pytest.mark.parametrize("criterion", ["jmi", "cmim", "cmi", "mrmr"])
def test_cached_path_equals_a_fresh_search(tmp_path, criterion, searches):
    X, y = data()
    memory = Memory(tmp_path, verbose=0)
    params = dict(criterion=criterion, random_state=0)
    # first a short path, then shorter (sliced), longer (resumed), shorter
    sizes = [3, 2, 5, 8, 4]
    cached = [
        ConditionalMutualInfoSelector(n, memory=memory, **params).fit(X, y)
        for n in sizes
    ]
    assert searches == [(3, False), (5, True), (8, True)]
    for n, selector in zip(sizes, cached, strict=True):
        _same(selector, ConditionalMutualInfoSelector(n, **params).fit(X, y))


def test_cached_path_with_a_synergistic_block_cut_short(tmp_path):
    X, y = data(1)
    memory = Memory(tmp_path, verbose=0)
    for n in [6, 1, 2, 3]:
        cached = ConditionalMutualInfoSelector(n, random_state=1, memory=memory)
        fresh = ConditionalMutualInfoSelector(n, random_state=1)
        _same(cached.fit(X, y), fresh.fit(X, y))
    assert cached.interaction_blocks_, "the data hold a synergistic pair"


def test_auto_path_is_cached_whole(tmp_path, searches):
    X, y = data(2)
    memory = str(tmp_path)
    params = dict(random_state=0, n_permutations=30)
    a = ConditionalMutualInfoSelector(memory=memory, **params).fit(X, y)
    b = ConditionalMutualInfoSelector(memory=memory, **params).fit(X, y)
    fresh = ConditionalMutualInfoSelector(**params).fit(X, y)
    _same(a, fresh)
    _same(b, fresh)
    assert searches == [("auto", False), ("auto", False)]  # b came from the cache


@pytest.mark.parametrize(
    "change",
    [
        {"criterion": "cmim"},
        {"random_state": 1},
        {"estimator": PlugIn(n_bins=4)},
        {"interactions": 1},
        {"alpha": 0.01},
        {"beta": 0.5},
    ],
)
def test_a_path_shaping_parameter_is_a_cache_miss(tmp_path, change, searches):
    X, y = data()
    memory = Memory(tmp_path, verbose=0)
    params = dict(criterion="mifs", random_state=0, memory=memory)
    ConditionalMutualInfoSelector(4, **params).fit(X, y)
    ConditionalMutualInfoSelector(3, **params).fit(X, y)  # a hit
    assert searches == [(4, False)]
    changed = ConditionalMutualInfoSelector(3, **{**params, **change}).fit(X, y)
    assert searches == [(4, False), (3, False)]
    fresh = ConditionalMutualInfoSelector(3, **{**params, **change, "memory": None})
    _same(changed, fresh.fit(X, y))


@pytest.mark.parametrize(
    "change",
    [{"alpha": 0.1}, {"n_permutations": 39}, {"tol": 0.01}, {"random_state": 1}],
)
def test_stopping_rule_parameters_are_cache_misses(tmp_path, change, searches):
    # the parameters of the step test shape an "auto" path
    X, y = data(2)
    memory = Memory(tmp_path, verbose=0)
    params = dict(random_state=0, memory=memory)
    ConditionalMutualInfoSelector(**params).fit(X, y)
    ConditionalMutualInfoSelector(**params).fit(X, y)  # a hit
    assert searches == [("auto", False)]
    changed = ConditionalMutualInfoSelector(**{**params, **change}).fit(X, y)
    assert searches == [("auto", False), ("auto", False)]
    fresh = ConditionalMutualInfoSelector(**{**params, **change, "memory": None})
    _same(changed, fresh.fit(X, y))


def test_other_training_data_is_a_cache_miss(tmp_path, searches):
    X, y = data()
    memory = Memory(tmp_path, verbose=0)
    ConditionalMutualInfoSelector(3, random_state=0, memory=memory).fit(X, y)
    X2 = X.copy()
    X2[0, 5] += 1.0
    ConditionalMutualInfoSelector(3, random_state=0, memory=memory).fit(X2, y)
    ConditionalMutualInfoSelector(3, random_state=0, memory=memory).fit(X, y[::-1])
    assert searches == [(3, False), (3, False), (3, False)]


def test_a_grid_over_sizes_computes_each_step_once(tmp_path, monkeypatch):
    """Relevance, screen and candidate terms: as much work as one search."""
    calls = {"relevance": 0, "screen": 0, "terms": 0}

    def spy(name, module, attribute, count):
        original = getattr(module, attribute)

        def wrapped(*args, **kwargs):
            calls[name] += count(args)
            return original(*args, **kwargs)

        monkeypatch.setattr(module, attribute, wrapped)

    spy("relevance", terms, "relevance", lambda args: 1)
    spy("screen", blocks, "screen_blocks", lambda args: 1)
    # the number of candidates whose terms are computed
    spy("terms", terms, "pair_terms", lambda args: len(args[1]))
    X, y = data(p=12)
    ConditionalMutualInfoSelector(5, random_state=0).fit(X, y)
    one_search = dict(calls)
    assert one_search["relevance"] == 1 and one_search["screen"] == 1
    assert one_search["terms"] > 0
    for key in calls:
        calls[key] = 0
    memory = Memory(tmp_path, verbose=0)
    for n in range(1, 6):
        ConditionalMutualInfoSelector(n, random_state=0, memory=memory).fit(X, y)
    assert calls == one_search


def test_grid_search_with_memory_gives_the_same_results(tmp_path):
    X, y = data(3, n=240, p=15)
    grid = {"conditionalmutualinfoselector__n_features_to_select": [1, 3, 5, 7]}

    def run(memory):
        pipe = make_pipeline(
            ConditionalMutualInfoSelector(random_state=0, memory=memory),
            LogisticRegression(),
        )
        return GridSearchCV(pipe, grid, cv=3).fit(X, y)

    a, b = run(Memory(tmp_path, verbose=0)), run(None)
    np.testing.assert_array_equal(
        a.cv_results_["mean_test_score"], b.cv_results_["mean_test_score"]
    )
    assert a.best_params_ == b.best_params_


def test_mutual_info_selector_reuses_scores_over_k(tmp_path, scorings, tests_run):
    calls = scorings
    X, y = data()
    memory = Memory(tmp_path, verbose=0)
    for k in [2, 5, 9]:
        params = dict(random_state=0, n_permutations=5)
        cached = MutualInfoSelector(k, memory=memory, **params).fit(X, y)
        fresh = MutualInfoSelector(k, **params).fit(X, y)
        np.testing.assert_array_equal(cached.scores_, fresh.scores_)
        np.testing.assert_array_equal(cached.pvalues_, fresh.pvalues_)
        np.testing.assert_array_equal(cached.get_support(), fresh.get_support())
    assert len(calls) == 1 + 3  # one cached computation, three fresh ones
    assert len(tests_run) == 1 + 3  # the p-values likewise (read above)
    again = MutualInfoSelector(2, memory=memory, random_state=0, n_permutations=6)
    pvalues = again.fit(X, y).pvalues_
    # n_permutations shapes the p-values (a miss), not the scores (a hit)
    assert len(calls) == 4
    assert len(tests_run) == 5
    fresh = MutualInfoSelector(2, random_state=0, n_permutations=6).fit(X, y)
    np.testing.assert_array_equal(pvalues, fresh.pvalues_)


def test_memory_is_validated():
    X, y = data(n=30, p=4)
    with pytest.raises(ValueError, match="memory"):
        ConditionalMutualInfoSelector(memory=3).fit(X, y)
    with pytest.raises(ValueError, match="memory"):
        MutualInfoSelector(memory=3).fit(X, y)


def test_g_test_fallback_warns_on_a_cached_fit(tmp_path, scorings):
    calls = scorings
    rng = np.random.RandomState(0)
    y = rng.randint(0, 20, 200)  # sparse tables: the G-test falls back
    X = rng.standard_normal((200, 3))
    memory = Memory(tmp_path, verbose=0)
    params = dict(test="g-test", estimator=PlugIn(), n_permutations=50, random_state=0)
    fits, counts = [], []
    for k in [1, 2]:
        with pytest.warns(UserWarning, match="G-test is unreliable"):
            fits.append(MutualInfoSelector(k, memory=memory, **params).fit(X, y))
        counts.append(len(calls))
    # the adjusted scores and the raw counts of the G-test, computed once:
    # the second fit read the stored scores
    assert counts == [2, 2]
    np.testing.assert_array_equal(fits[0].pvalues_, fits[1].pvalues_)
