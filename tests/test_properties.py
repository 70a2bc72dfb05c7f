"""Property-based tests of the estimators and selectors (hypothesis).

* symmetry: ``I(X; Y) = I(Y; X)`` for the plug-in counts, the KSG kernels
  and the k-NN estimator with a discrete and a continuous variable;
* non-negativity of plug-in mutual and conditional mutual information;
* invariance of the k-NN kernels under a common translation and scaling of
  all coordinates (exactly, with power-of-two scales and dyadic data, and to
  rounding with any positive scale), and the matching shift of the
  Kozachenko-Leonenko entropy;
* invariance of the plug-in estimator with quantile bins under strictly
  increasing maps of each variable;
* the selectors return a boolean mask of the right length with the requested
  number of features, the same on every fit with the same ``random_state``.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from skmi import ConditionalMutualInfoSelector, MutualInfoSelector
from skmi.estimators import KSG, PlugIn
from skmi.estimators._codes import factorize
from skmi.estimators._ksg import (
    kl_entropy,
    ksg_cmi,
    ksg_mi,
    ksg_mi_1d,
    ross_mi,
    ross_mi_1d,
)
from skmi.estimators._plugin import conditional_mutual_info_counts, mutual_info_counts
from skmi.estimators._variables import Variable

SETTINGS = settings(max_examples=30, deadline=None)
SMALL = settings(max_examples=15, deadline=None)


# --------------------------------------------------------------------------
# strategies
# --------------------------------------------------------------------------
@st.composite
def codes(draw, n, max_levels=5):
    """Integer codes of one discrete variable with ``n`` samples."""
    levels = draw(st.integers(1, max_levels))
    values = draw(st.lists(st.integers(0, levels - 1), min_size=n, max_size=n))
    return factorize(np.array(values))


@st.composite
def code_triples(draw):
    n = draw(st.integers(2, 60))
    return draw(codes(n)), draw(codes(n)), draw(codes(n))


@st.composite
def dyadic_columns(draw, n_columns, min_size=8, max_size=40):
    """Tie-free columns of distinct integers (exact under dyadic maps)."""
    n = draw(st.integers(min_size, max_size))
    unique_ints = st.lists(
        st.integers(-(2**20), 2**20), min_size=n, max_size=n, unique=True
    )
    return [np.array(draw(unique_ints), dtype=np.float64) for _ in range(n_columns)]


def labels_of(codes_):
    return Variable.from_discrete(codes_).level_indices


# --------------------------------------------------------------------------
# symmetry and non-negativity
# --------------------------------------------------------------------------
@SETTINGS
@given(code_triples())
def test_plugin_mi_is_symmetric_and_non_negative(triple):
    (x, kx), (y, ky), _ = triple
    forward = mutual_info_counts(x, kx, y, ky)
    assert forward == pytest.approx(mutual_info_counts(y, ky, x, kx), abs=1e-12)
    assert forward >= -1e-12


@SETTINGS
@given(code_triples())
def test_plugin_cmi_is_symmetric_and_non_negative(triple):
    (x, kx), (y, ky), (z, kz) = triple
    forward = conditional_mutual_info_counts(x, kx, y, ky, z, kz)
    backward = conditional_mutual_info_counts(y, ky, x, kx, z, kz)
    assert forward == pytest.approx(backward, abs=1e-12)
    assert forward >= -1e-12


@SETTINGS
@given(dyadic_columns(2), st.integers(1, 5))
def test_ksg_kernel_is_symmetric(columns, k):
    x, y = columns
    # the same counts, summed in another order: equal to rounding
    forward = ksg_mi(x[:, None], y[:, None], k)
    assert forward == pytest.approx(ksg_mi(y[:, None], x[:, None], k), abs=1e-12)
    backward = ksg_mi_1d(y, x, k, y_order=np.argsort(x))
    assert forward == pytest.approx(backward, abs=1e-12)
    assert forward == pytest.approx(ksg_mi_1d(x, y, k), abs=1e-12)


@SMALL
@given(st.integers(0, 2**31 - 1), st.integers(1, 4), st.integers(2, 4))
def test_knn_estimator_is_symmetric_with_one_discrete_variable(seed, k, n_classes):
    """Same seed, same jitter: the continuous column draws all the noise."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(50)
    labels = rng.integers(0, n_classes, 50)
    est = KSG(n_neighbors=k, random_state=seed)
    forward = est.mutual_info(x, labels, y_discrete=True)
    assert forward == est.mutual_info(labels, x, x_discrete=True)


@SMALL
@given(st.integers(0, 2**31 - 1), st.integers(1, 4), st.integers(2, 6))
def test_knn_symmetric_on_tied_data_with_one_jitter_draw(seed, k, n_values):
    """Heavy ties: the jitter is drawn once per fit (both columns together), and
    the estimate on the prepared columns is symmetric."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, n_values, (60, 2)).astype(np.float64)
    X[:, 1] += X[:, 0]
    est = KSG(n_neighbors=k)
    x, y = est.prepare(X, np.zeros(2, dtype=bool), np.random.RandomState(seed))
    forward = est.mutual_info_prepared(x, y)
    assert forward == pytest.approx(est.mutual_info_prepared(y, x), abs=1e-12)
    assert np.isfinite(forward)


@SMALL
@given(st.integers(0, 2**31 - 1))
def test_knn_estimator_symmetric_for_two_continuous_variables(seed):
    """With ties="mixed" no noise is drawn: KSG is symmetric in its arguments."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(60)
    y = x + rng.standard_normal(60)
    est = KSG(ties="mixed", random_state=seed)
    assert est.mutual_info(x, y) == pytest.approx(est.mutual_info(y, x), abs=1e-12)


# --------------------------------------------------------------------------
# invariance of the k-NN kernels under translation and common scaling
# --------------------------------------------------------------------------
def _knn_kernels(x, y, z, labels, k):
    """Every k-NN kernel on the same data, as one tuple."""
    return (
        ksg_mi(x[:, None], y[:, None], k),
        ksg_mi(np.column_stack([x, z]), y[:, None], k),
        ksg_mi_1d(x, y, k, y_order=np.argsort(y)),
        ksg_cmi(x[:, None], y[:, None], z[:, None], k),
        ross_mi(np.column_stack([x, y]), labels, k),
        ross_mi_1d(x, labels, k),
    )


@SETTINGS
@given(
    dyadic_columns(3),
    st.integers(-30, 30),
    st.integers(-(2**20), 2**20),
    st.integers(1, 4),
    st.integers(0, 2**31 - 1),
)
def test_knn_kernels_exactly_invariant_under_dyadic_affine_maps(
    columns, power, shift, k, seed
):
    """x -> 2**power * (x + shift): every distance scales exactly, so every
    neighbour count, hence every estimate, is unchanged bit for bit."""
    x, y, z = columns
    labels = labels_of(np.random.default_rng(seed).integers(0, 3, x.size))
    scale = 2.0**power

    def moved(a):
        return scale * (a + shift)

    before = _knn_kernels(x, y, z, labels, k)
    after = _knn_kernels(moved(x), moved(y), moved(z), labels, k)
    assert after == before
    n_dims = 2
    h = kl_entropy(np.column_stack([x, y]), k)
    h_moved = kl_entropy(np.column_stack([moved(x), moved(y)]), k)
    assert h_moved == pytest.approx(h + n_dims * power * np.log(2.0), abs=1e-9)


@SETTINGS
@given(
    st.integers(0, 2**31 - 1),
    st.floats(1e-6, 1e6),
    st.floats(-1e3, 1e3),
    st.integers(1, 4),
)
def test_knn_kernels_invariant_under_any_common_scale(seed, scale, shift, k):
    """Random normal data has no near-ties, so rounding cannot reorder."""
    rng = np.random.default_rng(seed)
    x, y, z = rng.standard_normal((3, 40))
    y = y + x
    labels = labels_of(rng.integers(0, 3, 40))

    def moved(a):
        return scale * a + shift

    before = _knn_kernels(x, y, z, labels, k)
    after = _knn_kernels(moved(x), moved(y), moved(z), labels, k)
    np.testing.assert_allclose(after, before, rtol=1e-9, atol=1e-9)


# --------------------------------------------------------------------------
# plug-in with quantile bins: invariance under strictly increasing maps
# --------------------------------------------------------------------------
MONOTONE = {
    "cube": lambda a: a**3,  # exact: |a| <= 1000 so a**3 < 2**53
    "exp": lambda a: np.exp(a / 100.0),
    "affine": lambda a: 7.5 * a - 3.0,
    "arcsinh": lambda a: np.arcsinh(a),
}


@SETTINGS
@given(
    st.integers(12, 80).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(-1000, 1000), min_size=n, max_size=n),
            st.lists(st.integers(-1000, 1000), min_size=n, max_size=n),
        )
    ),
    st.sampled_from(sorted(MONOTONE)),
    st.sampled_from(sorted(MONOTONE)),
    st.integers(2, 8),
)
def test_plugin_quantile_invariant_under_increasing_maps(data, fx, fy, n_bins):
    """Ties included: equal values stay equal and share a bin."""
    x, y = (np.array(v, dtype=np.float64) for v in data)
    est = PlugIn(n_bins=n_bins, strategy="quantile", adjust=None)
    before = est.mutual_info(x, y)
    after = est.mutual_info(MONOTONE[fx](x), MONOTONE[fy](y))
    assert after == pytest.approx(before, abs=1e-12)
    assert before >= -1e-12


# --------------------------------------------------------------------------
# selectors: valid, reproducible supports
# --------------------------------------------------------------------------
@st.composite
def selection_problems(draw):
    n_features = draw(st.integers(1, 6))
    n_samples = draw(st.integers(20, 60))
    seed = draw(st.integers(0, 2**31 - 1))
    discrete_target = draw(st.booleans())
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features))
    signal = X[:, 0] + rng.standard_normal(n_samples)
    y = (signal > 0).astype(int) if discrete_target else signal
    return X, y, seed


def _check_support(selector, n_features):
    support = selector.get_support()
    assert support.dtype == bool
    assert support.shape == (n_features,)
    assert_array_equal(selector.get_support(indices=True), np.flatnonzero(support))
    return support


@SMALL
@given(selection_problems(), st.data())
def test_mutual_info_selector_support(problem, data):
    X, y, seed = problem
    p = X.shape[1]
    k = data.draw(st.integers(0, p + 2))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="k=.* is greater than")
        first = MutualInfoSelector(k=k, random_state=seed).fit(X, y)
        again = MutualInfoSelector(k=k, random_state=seed).fit(X, y)
    support = _check_support(first, p)
    assert support.sum() == min(k, p)
    # the kept features are the top scores, ties to the smallest index
    order = np.lexsort((np.arange(p), -first.scores_))
    assert_array_equal(np.sort(order[: min(k, p)]), np.flatnonzero(support))
    assert_array_equal(again.get_support(), support)
    assert_array_equal(again.scores_, first.scores_)
    assert (first.scores_ >= 0).all()


@SMALL
@given(selection_problems(), st.floats(1.0, 100.0))
def test_mutual_info_selector_percentile(problem, percentile):
    X, y, seed = problem
    p = X.shape[1]
    support = _check_support(
        MutualInfoSelector(percentile=percentile, random_state=seed).fit(X, y), p
    )
    assert support.sum() == max(1, int(np.ceil(percentile / 100 * p - 1e-12)))


@SMALL
@given(selection_problems(), st.data())
def test_forward_selector_support(problem, data):
    X, y, seed = problem
    p = X.shape[1]
    n_select = data.draw(st.integers(1, p))
    criterion = data.draw(st.sampled_from(["jmi", "mrmr", "cmim", "cmi"]))
    params = dict(criterion=criterion, random_state=seed)
    first = ConditionalMutualInfoSelector(n_select, **params).fit(X, y)
    again = ConditionalMutualInfoSelector(n_select, **params).fit(X, y)
    support = _check_support(first, p)
    assert support.sum() == n_select
    order = first.selection_order_
    assert order.shape == (n_select,) and np.unique(order).size == n_select
    assert_array_equal(np.sort(order), np.flatnonzero(support))
    # the first feature is the most relevant (ties to the smallest index),
    # unless a synergistic block that the screen found entered first
    if not any(block[0] == order[0] for block in first.interaction_blocks_):
        assert order[0] == np.argmax(first.relevance_)
    assert_array_equal(again.selection_order_, order)
    assert_array_equal(again.conditional_gains_, first.conditional_gains_)


@SMALL
@given(selection_problems())
def test_forward_selector_auto_support(problem):
    X, y, seed = problem
    selector = ConditionalMutualInfoSelector(
        "auto", n_permutations=19, random_state=seed
    ).fit(X, y)
    support = _check_support(selector, X.shape[1])
    assert 0 <= support.sum() == selector.n_features_to_select_ <= X.shape[1]
    assert selector.pvalues_.shape == (selector.n_features_to_select_,)
