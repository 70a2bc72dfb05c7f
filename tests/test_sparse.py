"""Sparse discrete input: counts from the stored entries equal the dense path."""

import tracemalloc
import warnings

import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_selection import mutual_info_classif as sk_mutual_info_classif
from sklearn.utils.estimator_checks import (
    check_estimator_sparse_array,
    check_estimator_sparse_matrix,
)

import skmi.estimators._sparse as sparse_kernels
from skmi import ConditionalMutualInfoSelector, MutualInfoSelector, mutual_info_classif
from skmi.estimators import KSG, PlugIn, _chance
from skmi.estimators._codes import factorize
from skmi.estimators._plugin import mutual_info_counts
from skmi.estimators._sparse import SparseColumns, sparse_mutual_info
from skmi.estimators._variables import Variable
from skmi.selection._criteria import CRITERIA
from skmi.selection._relevance import relevance


def _counts(n, p, density, seed, fmt="csc"):
    """Integer counts with explicit zeros, an empty and a full column."""
    rng = np.random.default_rng(seed)
    X = sparse.random(
        n,
        p,
        density=density,
        random_state=seed,
        format="lil",
        data_rvs=lambda k: rng.integers(1, 5, k).astype(float),
    )
    X[:, 1] = 0.0
    X[:, 2] = rng.integers(1, 3, (n, 1)).astype(float)
    X = X.asformat(fmt)
    X.data[::11] = 0.0  # stored zeros belong to the zero level
    y = rng.integers(0, 3, n)
    return X, y


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("chunk", [1, 37, 1 << 18])
def test_kernel_equals_dense_counts(seed, chunk, monkeypatch):
    monkeypatch.setattr(sparse_kernels, "CHUNK_ENTRIES", chunk)
    sizes = []
    chunks = sparse_kernels._chunks

    def spy(indptr, budget=None):
        parts = list(chunks(indptr, budget))
        sizes.append([(stop - start, hi - lo) for start, stop, lo, hi in parts])
        return iter(parts)

    monkeypatch.setattr(sparse_kernels, "_chunks", spy)
    X, y = _counts(300, 25, 0.1, seed)
    mi, n_levels = sparse_mutual_info(X.data, X.indices, X.indptr, y, np.bincount(y))
    # the columns were counted in chunks of at most the budget's entries
    # (or of one column)
    columns, entries = np.array(sizes[0]).T
    assert columns.sum() == 25
    assert np.all((columns == 1) | (entries <= chunk))
    if chunk == 1 << 18:
        assert columns.size == 1
    else:
        assert columns.size > 1
    dense = X.toarray()
    expected = [mutual_info_counts(*factorize(dense[:, j]), y, 3) for j in range(25)]
    np.testing.assert_allclose(mi, expected, rtol=0, atol=1e-12)
    levels = [factorize(dense[:, j])[1] for j in range(25)]
    np.testing.assert_array_equal(n_levels, levels)
    np.testing.assert_array_equal(SparseColumns(X).n_levels, levels)


def test_columns_built_on_demand_equal_dense_codes():
    X, _ = _counts(200, 6, 0.2, 0)
    dense = X.toarray()
    columns = SparseColumns(X)
    assert len(columns) == 6
    for j, variable in enumerate(columns):
        codes, n_levels = factorize(dense[:, j])
        assert variable.n_levels == n_levels
        np.testing.assert_array_equal(variable.codes, codes)


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo"])
def test_drop_in_equals_scikit_learn(fmt):
    X, y = _counts(400, 30, 0.05, 1, fmt)
    np.testing.assert_allclose(
        mutual_info_classif(X, y, random_state=0),
        sk_mutual_info_classif(X, y, random_state=0),
        rtol=0,
        atol=1e-12,
    )


@pytest.mark.parametrize(
    "estimator", [None, PlugIn(), PlugIn(correction="miller-madow")]
)
def test_marginal_selector_sparse_equals_dense(estimator):
    X, y = _counts(400, 30, 0.05, 2)
    kw = dict(estimator=estimator, k=5, random_state=0)
    s = MutualInfoSelector(n_permutations=19, **kw).fit(X, y)
    d = MutualInfoSelector(n_permutations=19, discrete_features=True, **kw).fit(
        X.toarray(), y
    )
    np.testing.assert_allclose(s.scores_, d.scores_, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(s.pvalues_, d.pvalues_)
    np.testing.assert_array_equal(s.get_support(), d.get_support())


def test_g_test_sparse_equals_dense():
    X, y = _counts(400, 30, 0.05, 3)
    kw = dict(estimator=PlugIn(), k=5, random_state=0)
    s = MutualInfoSelector(**kw).fit(X, y)
    d = MutualInfoSelector(discrete_features=True, **kw).fit(X.toarray(), y)
    # the p-values are computed when first read, and warn then
    with pytest.warns(UserWarning, match="G-test is unreliable"):
        sparse_pvalues = s.pvalues_
    with pytest.warns(UserWarning, match="G-test is unreliable"):
        dense_pvalues = d.pvalues_
    np.testing.assert_allclose(sparse_pvalues, dense_pvalues, rtol=1e-9, atol=1e-12)


def _forward_sparse_equals_dense(X, dense, y, **kw):
    """Forward selection on sparse X and on its dense copy: the same path."""
    s = ConditionalMutualInfoSelector(**kw).fit(X, y)
    d = ConditionalMutualInfoSelector(discrete_features=True, **kw).fit(dense, y)
    np.testing.assert_array_equal(s.selection_order_, d.selection_order_)
    np.testing.assert_allclose(
        s.conditional_gains_, d.conditional_gains_, rtol=0, atol=1e-12
    )


@pytest.mark.parametrize(
    "criterion", ["jmi", "mrmr", "cmim", "cife", "icap", "jmim", "disr", "cmi", "mifs"]
)
def test_forward_sparse_equals_dense(criterion):
    X, y0 = _counts(600, 40, 0.08, 4)
    dense = X.toarray()
    rng = np.random.default_rng(0)
    y = ((dense[:, 3] > 0) ^ (dense[:, 7] > 1) ^ (rng.random(600) < 0.1)).astype(int)
    kw = dict(criterion=criterion, n_features_to_select=6)
    _forward_sparse_equals_dense(X, dense, y, **kw)


def test_forward_stopping_rule_sparse_equals_dense():
    X, _ = _counts(500, 30, 0.1, 5)
    dense = X.toarray()
    y = (dense[:, 4] > 0).astype(int) ^ (np.arange(500) % 7 == 0)
    kw = dict(random_state=0, n_permutations=19)
    s = ConditionalMutualInfoSelector(**kw).fit(X, y)
    d = ConditionalMutualInfoSelector(discrete_features=True, **kw).fit(dense, y)
    np.testing.assert_array_equal(s.selection_order_, d.selection_order_)
    np.testing.assert_array_equal(s.pvalues_, d.pvalues_)


def _peak_memory_of_fits(X, y, n_select):
    """Peak traced memory of both selectors fitted on ``X`` (in bytes), from
    an empty memo of cell expectations (a bounded cache kept by the process:
    see ``skmi.estimators._chance``)."""

    def fits():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # constant columns
            MutualInfoSelector(k=10).fit(X, y)
            ConditionalMutualInfoSelector(n_features_to_select=n_select).fit(X, y)

    # once untraced, so that what the process keeps for good (tables of
    # logarithms, thread pools) is not counted whatever ran before
    fits()
    _chance._CELLS = _chance._CellMemo()
    tracemalloc.start()
    try:
        fits()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_no_dense_copy_of_the_matrix():
    """The working memory stays far below one byte per cell of the matrix."""
    n, p = 3_000, 8_000
    X, y = _counts(n, p, 0.001, 6)
    peak = _peak_memory_of_fits(X.tocsr(), y, 3)
    assert peak < n * p / 4, peak  # a dense copy would take 1 to 8 bytes per cell


def test_forward_defers_a_duplicated_sparse_column():
    X, _ = _counts(500, 12, 0.2, 7)
    dense = X.toarray()
    rng = np.random.default_rng(1)
    y = ((dense[:, 3] > 0) ^ (rng.random(500) < 0.2)).astype(int)
    X = sparse.hstack([X, X[:, [3]] * 2]).tocsc()  # column 12 relabels column 3
    s = ConditionalMutualInfoSelector(n_features_to_select=12).fit(X, y)
    order = s.selection_order_.tolist()
    assert order[0] in (3, 12)
    assert {3, 12} - {order[0]} == {order[-1]} or 12 not in order


@pytest.mark.parametrize("criterion", ["jmi", "cife", "cmi"])
def test_sparse_terms_adjusted_for_chance_equal_dense(criterion):
    """The default estimator adjusts discrete counts for chance, sparse or not."""
    X, _ = _counts(400, 20, 0.15, 8)
    dense = X.toarray()
    y = ((dense[:, 2] > 1) ^ (np.arange(400) % 5 == 0)).astype(int)
    kw = dict(criterion=criterion, n_features_to_select=4)
    _forward_sparse_equals_dense(X, dense, y, **kw)
    m = MutualInfoSelector(k=3).fit(X, y)
    raw = MutualInfoSelector(k=3, estimator=KSG(adjust=None)).fit(X, y)
    np.testing.assert_allclose(
        m.scores_,
        MutualInfoSelector(k=3, discrete_features=True).fit(dense, y).scores_,
        rtol=0,
        atol=1e-12,
    )
    assert np.all(m.scores_ <= raw.scores_ + 1e-12)


def _zero_inflated(n, p, density, seed):
    """Sparse non-integer values (TF-IDF-like) and a class target."""
    rng = np.random.default_rng(seed)
    X = sparse.random(
        n,
        p,
        density=density,
        random_state=seed,
        format="csc",
        data_rvs=lambda k: rng.uniform(0.05, 1.0, k),
    )
    y = rng.integers(0, 3, n)
    return X, y


@pytest.mark.parametrize("seed", range(3))
def test_continuous_sparse_column_is_a_mass_at_zero_plus_a_continuous_part(seed):
    """I(X; Y) = I(1[x != 0]; Y) + P(x != 0) I(X; Y | x != 0), the zeros
    adding nothing: checked against the plug-in count and Ross's estimator
    on the stored values alone."""
    from skmi.estimators._ksg import ross_mi_1d

    X, y = _zero_inflated(600, 4, 0.3, seed)
    dense = X.toarray()
    y[dense[:, 0] > 0.5] = 0  # column 0 informative through its values
    y[(dense[:, 0] > 0) & (dense[:, 0] <= 0.5)] = 1
    est = KSG(n_neighbors=3, adjust=None)
    columns = est.prepare(X, np.zeros(4, dtype=bool), 0)
    target = est.prepare_target(y, True)
    got = relevance(est, columns, target)
    for j in range(4):
        x = dense[:, j]
        stored = x != 0
        part = Variable(codes=y[stored]).level_indices
        expected = mutual_info_counts(*factorize(stored), y, 3) + stored.mean() * (
            ross_mi_1d(x[stored], part, 3)
        )
        assert got[j] == pytest.approx(expected, abs=1e-9)
    assert got[0] > 0.1 and np.all(np.abs(got[1:]) < 0.05)


@pytest.mark.slow
def test_continuous_sparse_columns_stay_sparse():
    n, p = 2_000, 1_500
    X, y = _zero_inflated(n, p, 0.004, 9)
    peak = _peak_memory_of_fits(X.tocsr(), y, 2)
    # a dense copy would take 8 bytes per cell; the working memory (about
    # 0.7 MB here, a few hundred bytes per prepared column) grows with the
    # columns and the non-zeros, not with the cells
    assert peak < n * p / 2, peak


def test_tfidf_forward_selection_finds_the_planted_term():
    from sklearn.feature_extraction.text import TfidfVectorizer

    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(200)]
    weights = 1.0 / np.arange(1, 201)
    y = rng.integers(0, 3, 500)
    docs = [
        " ".join(rng.choice(words, size=rng.integers(5, 30), p=weights / weights.sum()))
        + (" planted" if c == 0 else "")
        for c in y
    ]
    vectorizer = TfidfVectorizer()
    X = vectorizer.fit_transform(docs)
    planted = int(vectorizer.vocabulary_["planted"])
    s = ConditionalMutualInfoSelector(n_features_to_select=2, random_state=0).fit(X, y)
    assert s.selection_order_[0] == planted
    m = MutualInfoSelector(k=1, random_state=0).fit(X, y)
    assert m.get_support(indices=True).tolist() == [planted]


# --------------------------------------------------------------------------
# continuous sparse columns in the "cmi" criterion
# --------------------------------------------------------------------------
def _mass_at_zero(n, seed):
    """Ten columns with 80% zeros; a 3-class target of no relation to them."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(size=(n, 10))
    X[X < 0.8] = 0
    return X, rng.integers(0, 3, n)


@pytest.mark.parametrize("n", [40, 100, 400])
def test_cmi_on_sparse_continuous_columns_with_empty_classes(n):
    """Splitting by the stored/zero parts of the selected columns leaves
    classes with one sample or none; they contribute zero."""
    for seed in range(8):
        X, y = _mass_at_zero(n, seed)
        s = ConditionalMutualInfoSelector(
            3, criterion="cmi", random_state=0, interactions=1
        ).fit(sparse.csr_matrix(X), y)
        assert s.selection_order_.size == 3
        assert np.all(np.isfinite(s.conditional_gains_))


def test_class_conditioning_without_kept_samples_is_zero():
    from skmi.estimators._ksg import ClassConditioning, ross_cmi

    z, x = np.arange(4.0)[:, None], np.ones((4, 1))
    levels = [np.array([i]) for i in range(4)]  # every class a singleton
    assert ClassConditioning(z, levels).kept.size == 0
    assert ross_cmi(x, z, levels, 3) == 0.0


def _planted(n, seed):
    """Three informative continuous columns (2, 5, 7; strongest first) among
    seven sparse ones with 80% zeros."""
    X, _ = _mass_at_zero(n, seed)
    rng = np.random.default_rng(seed + 1)
    X[:, [2, 5, 7]] = rng.uniform(0.1, 1.1, (n, 3))
    signal = X[:, [2, 5, 7]] @ [3.0, 2.2, 1.6] + 0.05 * rng.standard_normal(n)
    return X, np.digitize(signal, np.quantile(signal, [1 / 3, 2 / 3]))


@pytest.mark.parametrize("n", [100, 200, 400])
def test_cmi_sparse_continuous_selects_as_dense(n):
    # (below n = 100 the dense reading, whose jittered zeros are an ordinary
    # continuous tie, often ranks a noise column among the three: see the
    # user guide)
    for seed in range(8):
        X, y = _planted(n, seed)
        kw = dict(criterion="cmi", random_state=0, interactions=1)
        s = ConditionalMutualInfoSelector(3, **kw).fit(sparse.csr_matrix(X), y)
        d = ConditionalMutualInfoSelector(3, **kw).fit(X, y)
        assert s.selection_order_.tolist() == d.selection_order_.tolist()
        assert sorted(s.selection_order_) == [2, 5, 7]


@pytest.mark.parametrize("criterion", CRITERIA)
def test_sparse_checks_for_every_criterion(criterion):
    estimator = PlugIn() if criterion == "disr" else None
    selector = ConditionalMutualInfoSelector(
        2, criterion=criterion, estimator=estimator, random_state=0
    )
    name = type(selector).__name__
    check_estimator_sparse_array(name, selector)
    check_estimator_sparse_matrix(name, selector)
