"""The reader of user tables: one rule for every estimator.

The three transformers read their input through ``skmi._columns``: the same
table gives the same ``discrete_features_`` in each, pandas (numpy or
pyarrow backed) and polars frames with strings, categoricals, dates, booleans
and nullable integers fit in each (or raise one error naming the column),
and the bottleneck codes categories the same way in ``fit`` and
``transform``.
"""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse

from skmi import (
    ConditionalMutualInfoSelector,
    InformationBottleneck,
    MutualInfoSelector,
)
from skmi._columns import MAX_AUTO_LEVELS, id_like, read_columns
from skmi.estimators import PlugIn

pd = pytest.importorskip("pandas")

N = 240


def table(seed=0, n=N):
    """Columns of every kind and a target that depends on several of them."""
    rng = np.random.default_rng(seed)
    city = rng.choice(["Lyon", "Oslo", "Rome"], n)
    plan = rng.choice(["basic", "pro"], n)
    visits = rng.integers(0, 4, n)
    day = rng.integers(0, 30, n)
    level = rng.integers(0, 4, n).astype(float)  # a float holding 0..3
    active = rng.random(n) < 0.5
    y = (city == "Rome").astype(int) + (plan == "pro") + (visits > 1)
    columns = {
        "city": city,
        "plan": plan,
        "signup": np.datetime64("2024-01-01") + day.astype("timedelta64[D]"),
        "visits": visits,
        "level": level,
        "active": active,
    }
    return columns, y


#: string, categorical, date, nullable integer, float 0..3, boolean
EXPECTED = [True, True, False, True, False, True]


def pandas_frame(columns, backend="numpy"):
    frame = pd.DataFrame(
        {
            "city": pd.array(columns["city"], dtype="string"),
            "plan": pd.Categorical(columns["plan"]),
            "signup": pd.to_datetime(columns["signup"]),
            "visits": pd.array(columns["visits"], dtype="Int64"),
            "level": columns["level"],
            "active": columns["active"],
        }
    )
    if backend == "pyarrow":
        pytest.importorskip("pyarrow")
        frame = frame.convert_dtypes(dtype_backend="pyarrow")
        frame["plan"] = frame["plan"].astype("category")
        frame["level"] = frame["level"].astype("float64[pyarrow]")
    return frame


def polars_frame(columns):
    pl = pytest.importorskip("polars")
    return pl.DataFrame(
        {
            "city": columns["city"].tolist(),
            "plan": pl.Series(columns["plan"].tolist(), dtype=pl.Categorical),
            "signup": pl.Series(columns["signup"]).cast(pl.Date),
            "visits": pl.Series(columns["visits"], dtype=pl.Int32),
            "level": columns["level"],
            "active": columns["active"],
        }
    )


FRAMES = {
    "pandas": lambda c: pandas_frame(c),
    "pyarrow": lambda c: pandas_frame(c, "pyarrow"),
    "polars": polars_frame,
}

TRANSFORMERS = {
    "marginal": lambda: MutualInfoSelector(k=2, estimator=PlugIn(), random_state=0),
    "forward": lambda: ConditionalMutualInfoSelector(
        n_features_to_select=2, estimator=PlugIn(), random_state=0
    ),
    "iterative": lambda: InformationBottleneck(
        n_components=2, method="iterative", n_init=1, random_state=0
    ),
    "deterministic": lambda: InformationBottleneck(
        n_components=2, method="deterministic", n_init=1, random_state=0
    ),
}


def fit_quietly(estimator, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return estimator.fit(X, y)


@pytest.mark.parametrize("kind", list(FRAMES))
def test_same_table_same_discrete_features_in_all_transformers(kind):
    columns, y = table()
    X = FRAMES[kind](columns)
    masks = {
        name: fit_quietly(make(), X, y).discrete_features_
        for name, make in TRANSFORMERS.items()
    }
    for name, mask in masks.items():
        assert mask.dtype == bool, name
        assert_array_equal(mask, EXPECTED, err_msg=name)


@pytest.mark.parametrize("kind", list(FRAMES))
@pytest.mark.parametrize("name", list(TRANSFORMERS))
def test_frames_of_every_kind_fit_and_transform(kind, name):
    columns, y = table()
    X = FRAMES[kind](columns)
    fitted = fit_quietly(TRANSFORMERS[name](), X, y)
    if kind == "pyarrow" and name in ("marginal", "forward"):
        # a selector's transform is scikit-learn's, which converts pyarrow
        # strings to numbers unless the output is pandas
        fitted.set_output(transform="pandas")
    out = (
        np.asarray(fitted.transform(X))
        if name in ("iterative", "deterministic")
        else fitted.transform(X)
    )
    assert out.shape[0] == N
    if name in ("iterative", "deterministic"):
        assert_allclose(out.sum(axis=1), 1.0)
        assert fitted.information_ty_ > 0.5  # city, plan and visits predict y


@pytest.mark.parametrize("kind", list(FRAMES))
@pytest.mark.parametrize("method", ["iterative", "deterministic"])
def test_bottleneck_on_a_frame_equals_the_bottleneck_on_its_codes(kind, method):
    """Categories are coded by their sorted values, booleans as 0/1, dates as
    seconds: a frame gives what its codes give, under the same mask."""
    columns, y = table(1)
    X = FRAMES[kind](columns)
    codes = np.column_stack(
        [
            np.unique(columns["city"], return_inverse=True)[1],
            np.unique(columns["plan"], return_inverse=True)[1],
            columns["signup"].astype("datetime64[s]").astype(np.int64),
            columns["visits"],
            columns["level"],
            columns["active"].astype(int),
        ]
    ).astype(float)
    params = dict(n_components=3, method=method, n_init=1, random_state=0)
    got = InformationBottleneck(**params).fit(X, y)
    ref = InformationBottleneck(**params, discrete_features=EXPECTED).fit(codes, y)
    assert_allclose(got.transform(X), ref.transform(codes), atol=1e-12)
    assert got.information_ty_ == pytest.approx(ref.information_ty_, abs=1e-12)


def test_polars_strings_in_the_iterative_bottleneck():
    """A polars string column is coded in fit and transform alike; a category
    unseen in fit gets the rule for unseen values."""
    pl = pytest.importorskip("polars")
    rng = np.random.default_rng(3)
    colour = rng.choice(["a", "b", "c"], 300)
    y = (colour == "b").astype(int)
    X = pl.DataFrame({"colour": colour.tolist()})
    ib = InformationBottleneck(n_components=2, method="iterative", random_state=0)
    out = ib.fit(X, y).transform(X)
    ref = InformationBottleneck(n_components=2, method="iterative", random_state=0)
    codes = np.unique(colour, return_inverse=True)[1][:, None]
    assert_allclose(out, ref.fit(codes, y).transform(codes), atol=1e-12)
    assert ib.information_ty_ == pytest.approx(ref.information_ty_, abs=1e-12)
    # a subset keeps the codes of fit; "z" is unseen: the prior of the clusters
    subset = X.filter(pl.col("colour") != "a")
    assert_allclose(ib.transform(subset), out[colour != "a"], atol=1e-12)
    unseen = ib.transform(pl.DataFrame({"colour": ["z"]}))
    assert_allclose(unseen[0], ib.cluster_probabilities_, atol=1e-12)


@pytest.mark.parametrize("kind", list(FRAMES))
def test_gaussian_bottleneck_names_a_category_column(kind):
    columns, y = table()
    X = FRAMES[kind](columns)
    with pytest.raises(ValueError, match="Column 'city' holds categories") as info:
        InformationBottleneck().fit(X, y)
    assert "OneHotEncoder" in str(info.value)
    # without the string and categorical columns, dates, nullable integers
    # and booleans are numbers, and the mask is still reported
    if kind == "polars":
        numeric = X.drop(["city", "plan"])
    else:
        numeric = X.drop(columns=["city", "plan"])
    ib = InformationBottleneck(n_components=1).fit(numeric, y)
    assert_array_equal(ib.discrete_features_, EXPECTED[2:])
    assert ib.transform(numeric).shape == (N, 1)


@pytest.mark.parametrize("name", list(TRANSFORMERS) + ["gaussian"])
def test_unsupported_column_raises_one_error_naming_it(name):
    columns, y = table()
    X = pandas_frame(columns)
    X["month"] = pd.period_range("2024-01", periods=N, freq="M")
    make = TRANSFORMERS.get(name, InformationBottleneck)
    with pytest.raises(ValueError, match="Column 'month' has the Period dtype"):
        make().fit(X, y)
    X = pandas_frame(columns)
    X["mixed"] = pd.Series(["a", 1] * (N // 2), dtype=object)
    with pytest.raises(ValueError, match="Column 'mixed' mixes values of types"):
        make().fit(X, y)


@pytest.mark.parametrize("name", list(TRANSFORMERS) + ["gaussian"])
def test_missing_values_name_the_column(name):
    columns, y = table()
    X = pandas_frame(columns).drop(columns=["city", "plan"])
    X.loc[3, "visits"] = pd.NA
    make = TRANSFORMERS.get(name, InformationBottleneck)
    with pytest.raises(ValueError, match="'visits'"):
        make().fit(X, y)


# --------------------------------------------------------------------------
# numpy and sparse input
# --------------------------------------------------------------------------
def test_numpy_dtype_decides():
    """Floats are continuous whatever they hold; integers are discrete with
    at most MAX_AUTO_LEVELS values; booleans discrete."""
    rng = np.random.default_rng(0)
    few = rng.integers(0, 4, N)
    many = rng.integers(0, MAX_AUTO_LEVELS + 1, N)
    assert np.unique(many).size == MAX_AUTO_LEVELS + 1
    y = (few > 1).astype(int)
    floats = np.column_stack([few, many]).astype(float)
    ints = np.column_stack([few, many])
    for X, expected in [
        (floats, [False, False]),
        (ints, [True, False]),
        (np.column_stack([few > 1, many > 5]), [True, True]),
    ]:
        assert_array_equal(read_columns(X).discrete, expected)
        for name, make in TRANSFORMERS.items():
            fitted = fit_quietly(make(), X, y)
            assert_array_equal(fitted.discrete_features_, expected, err_msg=name)


def test_float_column_of_few_values_is_binned_by_the_bottleneck():
    """A float 0..3 is continuous: its quantile bins, not its values; here the
    four values are frequent enough to fall in four bins, so the partition
    (and the fit) equals that of the discrete column."""
    rng = np.random.default_rng(5)
    x = rng.integers(0, 4, (400, 1))
    y = (x[:, 0] > 1).astype(int)
    params = dict(n_components=2, method="iterative", n_init=1, random_state=0)
    as_float = InformationBottleneck(**params).fit(x.astype(float), y)
    as_int = InformationBottleneck(**params).fit(x, y)
    assert not as_float.discrete_features_[0] and as_int.discrete_features_[0]
    assert as_float.encoder_.shape == as_int.encoder_.shape == (4, 2)
    assert as_float.information_ty_ == pytest.approx(as_int.information_ty_)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_integer_columns_are_discrete(fmt):
    rng = np.random.default_rng(2)
    counts = rng.poisson(0.5, (N, 3)).astype(float)
    counts[:, 2] *= 0.37  # not integer: continuous
    X = sparse.random(N, 3, density=0.0, format=fmt) + sparse.csr_matrix(counts)
    X = X.asformat(fmt)
    y = (counts[:, 0] > 0).astype(int)
    assert_array_equal(read_columns(X).discrete, [True, True, False])
    for name in ("marginal", "forward"):
        fitted = fit_quietly(TRANSFORMERS[name](), X, y)
        assert_array_equal(fitted.discrete_features_, [True, True, False])
    # the bottleneck refuses sparse input as PCA does
    with pytest.raises(TypeError, match="[Ss]parse"):
        InformationBottleneck().fit(X, y)


def test_explicit_mask_overrides_the_rule():
    columns, y = table()
    X = pandas_frame(columns)
    mask = [True, True, False, False, True, True]
    for name, make in TRANSFORMERS.items():
        fitted = fit_quietly(make().set_params(discrete_features=mask), X, y)
        assert_array_equal(fitted.discrete_features_, mask, err_msg=name)


# --------------------------------------------------------------------------
# the reader itself
# --------------------------------------------------------------------------
def test_categories_learnt_in_fit_code_transform():
    X = np.array([["b", "x"], ["a", "y"], ["c", "x"]], dtype=object)
    fit = read_columns(X)
    assert_array_equal(fit.X, [[1, 0], [0, 1], [2, 0]])
    assert_array_equal(fit.discrete, [True, True])
    new = np.array([["c", "y"], ["zz", "x"]], dtype=object)
    assert_array_equal(
        read_columns(new, categories=fit.categories).X, [[2, 1], [-1, 0]]
    )


def test_booleans_are_zero_and_one_whatever_values_they_hold():
    only_true = pd.DataFrame({"flag": [True, True]})
    read = read_columns(only_true)
    assert_array_equal(read.X, [[1.0], [1.0]])
    both = pd.DataFrame({"flag": [False, True]})
    assert_array_equal(read_columns(both, categories=read.categories).X, [[0], [1]])


def test_id_like_rule():
    assert_array_equal(id_like([50, 51, 100], 100), [False, True, True])
