"""Real-world tables: how the selectors read columns, what they warn about,
and how their parameters (seeds, the default estimator) behave."""

import re
import warnings

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from scipy import sparse
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.tree import DecisionTreeClassifier

from skmi import ConditionalMutualInfoSelector, MutualInfoSelector
from skmi.estimators import KSG, PlugIn

pd = pytest.importorskip("pandas")

SELECTORS = [
    pytest.param(lambda **kw: MutualInfoSelector(k=3, **kw), id="marginal"),
    pytest.param(
        lambda **kw: ConditionalMutualInfoSelector(n_features_to_select=3, **kw),
        id="forward",
    ),
]


def relevance(selector):
    return (
        getattr(selector, "scores_", None)
        if hasattr(selector, "scores_")
        else selector.relevance_
    )


def fit_recording(selector, X, y):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        selector.fit(X, y)
    return [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


# --------------------------------------------------------------------------
# a customer table: identifiers, dates, free text, categories, signals
# --------------------------------------------------------------------------
WORDS = np.array(["late", "bill", "slow", "great", "support", "price", "app", "wifi"])
SIGNALS = ["plan", "n_calls", "usage"]


def customer_table(seed=0, n=400):
    rng = np.random.default_rng(seed)
    plan = rng.choice(["basic", "plus", "pro"], n)
    usage = rng.gamma(2.0, 1.0, n)
    calls = rng.integers(0, 6, n)
    logit = (
        1.5 * (plan == "pro")
        - 1.5 * (plan == "basic")
        + 0.8 * (usage - 2)
        + 0.5 * (calls - 2.5)
    )
    churn = np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "yes", "no")
    X = pd.DataFrame(
        {
            "customer_id": [f"C{i:05d}" for i in rng.permutation(n)],
            "signup": pd.Timestamp("2020-01-01")
            + pd.to_timedelta(rng.integers(0, 1000, n), unit="D"),
            "comment": [" ".join(rng.choice(WORDS, 6)) for _ in range(n)],
            "plan": pd.Categorical(plan),
            "n_calls": pd.array(calls, dtype="Int64"),
            "usage": usage,
        }
    )
    return X, churn


EXPECTED_DISCRETE = [True, False, True, True, True, False]


def check_customer_fit(selector, X, y):
    messages = fit_recording(selector, X, y)
    assert_array_equal(selector.discrete_features_, EXPECTED_DISCRETE)
    scores = pd.Series(relevance(selector), index=list(X.columns))
    # the identifier scores (about) zero, every real predictor beats the
    # identifier, the free text and the date
    assert scores["customer_id"] == pytest.approx(0, abs=1e-9)
    assert scores[SIGNALS].min() > scores[["customer_id", "comment", "signup"]].max()
    assert sorted(selector.get_feature_names_out()) == sorted(SIGNALS)
    id_like = [m for m in messages if "look like identifiers" in m]
    assert len(id_like) == 1
    assert "'customer_id', 'comment'" in id_like[0]
    return scores


@pytest.mark.parametrize("make", SELECTORS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_customer_table_ranking_and_warnings(make, seed):
    X, y = customer_table(seed)
    scores = check_customer_fit(make(random_state=0), X, y)
    # counted without the adjustment, the identifier would rank first
    raw = make(random_state=0, estimator=KSG(adjust=None))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        raw.fit(X, y)
    raw_scores = relevance(raw)
    assert raw_scores[0] == pytest.approx(np.log(2) - 0.0, abs=0.05)
    assert raw_scores[0] > scores.max()


@pytest.mark.parametrize("backend", ["pyarrow", "polars"])
def test_customer_table_other_backends_read_like_pandas(backend):
    X, y = customer_table(0)
    reference = MutualInfoSelector(k=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        reference.fit(X, y)
    if backend == "pyarrow":
        pa = pytest.importorskip("pyarrow")
        other = X.convert_dtypes(dtype_backend="pyarrow")
        dictionary = pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string()))
        other["plan"] = other["plan"].astype(str).astype(dictionary)
        assert isinstance(other["signup"].dtype, pd.ArrowDtype)
    else:
        pl = pytest.importorskip("polars")
        other = pl.from_dict(
            {
                "customer_id": X["customer_id"].tolist(),
                "signup": X["signup"].dt.date.tolist(),
                "comment": X["comment"].tolist(),
                "plan": pl.Series(
                    X["plan"].astype(str).tolist(),
                    dtype=pl.Enum(["basic", "plus", "pro"]),
                ),
                "n_calls": pl.Series(X["n_calls"].tolist(), dtype=pl.Int8),
                "usage": X["usage"].to_numpy(),
            }
        )
    selector = MutualInfoSelector(k=3, random_state=0)
    check_customer_fit(selector, other, y)
    assert_array_equal(selector.feature_names_in_, X.columns)
    np.testing.assert_allclose(selector.scores_, reference.scores_, atol=1e-12)


def test_continuous_target_identifier_never_ranks_first():
    # an identifier against a continuous target is a Ross estimate with
    # one sample per class: all samples are left out and it scores zero;
    # groups of two samples score near zero
    rng = np.random.default_rng(0)
    n = 300
    signal = rng.standard_normal(n)
    y = signal + 0.8 * rng.standard_normal(n)
    X = pd.DataFrame(
        {
            "id": [f"r{i}" for i in range(n)],
            "pair": [f"p{i // 2}" for i in rng.permutation(n)],
            "signal": signal,
        }
    )
    for make in (MutualInfoSelector, ConditionalMutualInfoSelector):
        selector = make(random_state=0)
        messages = fit_recording(selector, X, y)
        scores = relevance(selector)
        assert scores[0] == 0.0
        assert abs(scores[1]) < 0.2 < scores[2]
        # 150 pairs in 300 samples: not more than half, only 'id' is named
        named = [m for m in messages if "Discrete features 'id' have" in m]
        assert len(named) == 1 and "continuous target" in named[0]
    first = ConditionalMutualInfoSelector(n_features_to_select=1, random_state=0)
    fit_recording(first, X, y)
    assert first.selection_order_.tolist() == [2]


def test_identifier_advice_follows_the_estimator():
    X, y = customer_table(0, n=100)
    selector = MutualInfoSelector(estimator=PlugIn(adjust=None), random_state=0)
    (message,) = [m for m in fit_recording(selector, X, y) if "identifiers" in m]
    assert "use an estimator with adjust='chance'" in message
    # the raw plug-in information of an identifier is H(Y)
    assert selector.scores_[0] == pytest.approx(
        PlugIn().entropy(y, discrete=True), rel=1e-12
    )
    # PlugIn() adjusts for chance by default: an identifier scores zero
    for est in (PlugIn(adjust="chance"), PlugIn()):
        selector = MutualInfoSelector(estimator=est)
        (message,) = [m for m in fit_recording(selector, X, y) if "identifiers" in m]
        assert "adjusted for chance" in message
        assert selector.scores_[0] == pytest.approx(0, abs=1e-10)


# --------------------------------------------------------------------------
# sparse matrices
# --------------------------------------------------------------------------
def documents(seed=0, n=300):
    rng = np.random.default_rng(seed)
    vocabulary = [f"w{i}" for i in range(60)] + ["the"] * 30
    docs = [" ".join(rng.choice(vocabulary, rng.integers(5, 30))) for _ in range(n)]
    return docs, rng.integers(0, 4, n)


@pytest.mark.parametrize("seed", [0, 1])
def test_tfidf_with_random_labels_scores_every_term_near_zero(seed):
    text = pytest.importorskip("sklearn.feature_extraction.text")
    docs, y = documents(seed)
    vectorizer = text.TfidfVectorizer()
    X = vectorizer.fit_transform(docs)
    selector = MutualInfoSelector(k=3, random_state=0).fit(X, y)
    # TF-IDF values are not counts: continuous columns (a mass at zero and
    # a continuous part), not 4-class-sized sets of categories
    assert not selector.discrete_features_.any()
    # H(Y) = ln 4 = 1.39 nats; read as categories "the" scored about that
    assert selector.scores_.max() < 0.1
    the = vectorizer.vocabulary_["the"]
    assert selector.scores_[the] < 0.1
    counts = text.CountVectorizer().fit_transform(docs)
    selector = MutualInfoSelector(k=3, random_state=0).fit(counts, y)
    assert selector.discrete_features_.all()
    assert selector.scores_.max() < 0.1


def test_sparse_columns_read_one_by_one():
    rng = np.random.default_rng(0)
    dense = np.zeros((50, 3))
    dense[::3, 0] = rng.integers(1, 4, 17)  # counts
    dense[::4, 1] = rng.random(13)  # fractions
    dense[::5, 2] = 2.0  # indicators
    y = rng.integers(0, 2, 50)
    for fmt in (sparse.csr_matrix, sparse.csc_matrix, sparse.csr_array):
        selector = MutualInfoSelector(k=2, random_state=0).fit(fmt(dense), y)
        assert_array_equal(selector.discrete_features_, [True, False, True])
        reference = MutualInfoSelector(
            k=2, random_state=0, discrete_features=[0, 2]
        ).fit(dense, y)
        assert_array_equal(selector.scores_, reference.scores_)


# --------------------------------------------------------------------------
# what is refused, and how
# --------------------------------------------------------------------------
def _period_frame():
    return pd.DataFrame(
        {
            "x": np.arange(12.0),
            "month": pd.period_range("2020-01", periods=12, freq="M"),
        }
    )


@pytest.mark.parametrize(
    "frame, match",
    [
        (_period_frame(), "Column 'month' has the Period dtype period[M]: convert it"),
        (
            pd.DataFrame(
                {"x": np.arange(12.0), "mixed": pd.Series([1, "a"] * 6, dtype=object)}
            ),
            "Column 'mixed' mixes values of types int, str: convert it to one type",
        ),
        (
            pd.DataFrame(
                {"x": np.arange(12.0), "when": pd.Series([pd.Timestamp(0).date()] * 12)}
            ),
            "Column 'when' holds date objects, which are neither numbers nor "
            "categories: convert them",
        ),
        (
            pd.DataFrame({"x": np.arange(12.0), "c": pd.Categorical(["a", None] * 6)}),
            "Input X contains NaN or missing values in column 'c': impute them",
        ),
        (
            pd.DataFrame({"x": np.arange(12.0), "z": np.arange(12) * (1 + 1j)}),
            "Column 'z' has the unsupported dtype complex128",
        ),
    ],
)
@pytest.mark.parametrize("make", [MutualInfoSelector, ConditionalMutualInfoSelector])
def test_unsupported_columns_are_named(frame, match, make):
    y = np.arange(12) % 2
    with pytest.raises(ValueError, match=re.escape(match)) as info:
        make().fit(frame, y)
    assert type(info.value) is ValueError


def test_polars_unsupported_and_missing_columns_are_named():
    pl = pytest.importorskip("polars")
    y = np.arange(6) % 2
    frame = pl.DataFrame({"x": np.arange(6.0), "tags": [[1], [2], [3]] * 2})
    with pytest.raises(ValueError, match="Column 'tags' has the unsupported dtype"):
        MutualInfoSelector().fit(frame, y)
    frame = pl.DataFrame({"x": np.arange(6.0), "s": ["a", None] * 3})
    with pytest.raises(ValueError, match="missing values in column 's'"):
        MutualInfoSelector().fit(frame, y)
    frame = pl.DataFrame({"x": np.arange(6.0), "n": pl.Series([1, None] * 3)})
    with pytest.raises(ValueError, match="NaN or infinity in column\\(s\\) 'n'"):
        MutualInfoSelector().fit(frame, y)


def test_object_arrays_are_read_by_column():
    rng = np.random.default_rng(0)
    labels = rng.choice(["a", "b", "c"], 200)
    values = rng.standard_normal(200)
    X = np.empty((200, 2), dtype=object)
    X[:, 0], X[:, 1] = labels, values
    y = (labels == "a").astype(int)
    selector = MutualInfoSelector(k=1, random_state=0).fit(X, y)
    assert_array_equal(selector.discrete_features_, [True, False])
    assert selector.get_support(indices=True).tolist() == [0]


def test_datetimes_are_seconds():
    rng = np.random.default_rng(0)
    seconds = rng.integers(0, 10**8, 300)
    stamps = pd.to_datetime(seconds, unit="s")
    y = (seconds > 5 * 10**7).astype(int)
    frames = [
        pd.DataFrame({"t": stamps}),
        pd.DataFrame({"t": stamps.tz_localize("UTC").tz_convert("Asia/Tokyo")}),
        pd.DataFrame({"t": seconds.astype(float)}),
    ]
    scores = [MutualInfoSelector(k=1, random_state=0).fit(f, y).scores_ for f in frames]
    np.testing.assert_allclose(scores[0], scores[2], rtol=1e-12)
    np.testing.assert_allclose(scores[1], scores[2], rtol=1e-12)
    assert scores[0][0] > 0.5


# --------------------------------------------------------------------------
# the target
# --------------------------------------------------------------------------
def test_many_small_integer_classes_warn_and_are_continuous():
    rng = np.random.default_rng(0)
    classes = np.repeat(np.arange(1000), 3)
    X = (classes + rng.standard_normal(3000))[:, None]
    with pytest.warns(UserWarning, match="1000 distinct integer values, 3.0 samples"):
        as_integers = MutualInfoSelector(k=1, random_state=0).fit(X, classes)
    assert not as_integers.discrete_target_
    labels = np.char.add("c", classes.astype(str))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        as_strings = MutualInfoSelector(k=1, random_state=0).fit(X, labels)
        told = MutualInfoSelector(k=1, random_state=0, discrete_target=True)
        told.fit(X, classes)
    assert as_strings.discrete_target_ and told.discrete_target_
    assert_array_equal(told.scores_, as_strings.scores_)


def test_missing_labels_are_a_clear_error():
    X = np.random.default_rng(0).random((30, 2))
    y = pd.Series(["a", None, "b"] * 10)
    for make in (MutualInfoSelector, ConditionalMutualInfoSelector):
        with pytest.raises(ValueError, match="Input y contains missing values"):
            make().fit(X, y)


def test_one_class_target_selects_nothing():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 3))
    for selector in (
        MutualInfoSelector(k=2),
        ConditionalMutualInfoSelector(n_features_to_select=2),
        ConditionalMutualInfoSelector(),
    ):
        with pytest.warns(UserWarning, match="y holds a single value"):
            selector.fit(X, np.ones(60, dtype=int))
        assert not selector.get_support().any()
        with pytest.warns(UserWarning, match="No features were selected"):
            assert selector.transform(X).shape == (60, 0)


def test_constant_features_warn_and_come_last():
    rng = np.random.default_rng(3)
    n = 200
    y = rng.integers(0, 2, n)
    noise = rng.integers(0, 3, n)  # adjusted for chance: clipped to zero here
    X = np.column_stack([np.zeros(n, dtype=int), noise, np.full(n, 2)])
    with pytest.warns(UserWarning, match=r"Features 0, 2 are constant"):
        selector = MutualInfoSelector(k=1, random_state=0).fit(X, y)
    assert_array_equal(selector.scores_, [0.0, 0.0, 0.0])
    assert selector.get_support(indices=True).tolist() == [1]
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    with pytest.warns(UserWarning, match=r"Features 'a', 'c' are constant"):
        forward = ConditionalMutualInfoSelector(
            n_features_to_select=1, random_state=0
        ).fit(frame, y)
    assert forward.selection_order_.tolist() == [1]


# --------------------------------------------------------------------------
# seeds and parameters
# --------------------------------------------------------------------------
@pytest.mark.parametrize("make", SELECTORS)
def test_estimator_seed_is_honoured(make):
    rng = np.random.default_rng(0)
    X = np.round(rng.standard_normal((150, 4)), 1)  # ties: the jitter matters
    y = X[:, 0] + X[:, 1] ** 2 + 0.1 * rng.standard_normal(150)

    def run(**kw):
        return relevance(make(**kw).fit(X, y))

    seeded = run(estimator=KSG(random_state=0))
    assert_array_equal(seeded, run(estimator=KSG(random_state=0)))
    # the estimator's seed wins over the selector's
    assert_array_equal(seeded, run(estimator=KSG(random_state=0), random_state=5))
    assert_array_equal(seeded, run(random_state=0))
    assert not np.array_equal(seeded, run(estimator=KSG(random_state=1)))
    state = np.random.RandomState(0)
    assert_array_equal(seeded, run(estimator=KSG(random_state=state)))


@pytest.mark.parametrize(
    "selector", [MutualInfoSelector(k=2), ConditionalMutualInfoSelector(2)]
)
def test_default_estimator_is_tunable_in_a_grid_search(selector):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((120, 4))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    pipe = make_pipeline(selector, DecisionTreeClassifier(random_state=0))
    step = pipe.steps[0][0]
    grid = GridSearchCV(pipe, {f"{step}__estimator__n_neighbors": [2, 5]}, cv=2)
    grid.fit(X, y)
    assert grid.best_params_[f"{step}__estimator__n_neighbors"] in (2, 5)
    fitted = grid.best_estimator_.steps[0][1]
    assert isinstance(fitted.estimator, KSG)
    assert selector.estimator is None  # the grid search tuned clones
    # set_params alone: KSG() first, then its parameter
    tuned = MutualInfoSelector().set_params(estimator__n_neighbors=7)
    assert tuned.estimator.get_params() == KSG(n_neighbors=7).get_params()
    tuned = MutualInfoSelector().set_params(estimator=PlugIn(), estimator__n_bins=4)
    assert tuned.estimator.get_params() == PlugIn(n_bins=4).get_params()
    with pytest.raises(ValueError, match="Invalid parameter 'bogus'"):
        MutualInfoSelector().set_params(estimator__bogus=1)


def test_default_and_explicit_ksg_agree():
    X, y = customer_table(0, n=200)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        default = MutualInfoSelector(random_state=0).fit(X, y)
        explicit = MutualInfoSelector(estimator=KSG(), random_state=0).fit(X, y)
    assert_array_equal(default.scores_, explicit.scores_)


def test_other_column_kinds():
    rng = np.random.default_rng(0)
    n = 200
    seconds = rng.integers(0, 10**6, n)
    levels = rng.integers(0, 4, n)
    y = (seconds > 5 * 10**5).astype(int)
    frame = pd.DataFrame(
        {
            "wait": pd.to_timedelta(seconds, unit="s"),
            "ints": pd.Series(levels.tolist(), dtype=object),
            "floats": pd.Series((levels + 0.5).tolist(), dtype=object),
            "flag": pd.array(levels > 1, dtype="boolean"),
        }
    )
    selector = MutualInfoSelector(k=1, random_state=0).fit(frame, y)
    assert_array_equal(selector.discrete_features_, [False, True, False, True])
    as_numbers = MutualInfoSelector(k=1, random_state=0).fit(
        np.column_stack([seconds, levels, levels + 0.5, levels > 1]).astype(float),
        y,
    )
    np.testing.assert_allclose(selector.scores_[0], as_numbers.scores_[0], rtol=1e-12)
    # numpy datetime and timedelta arrays are numbers too
    stamps = (np.datetime64("2020-01-01") + seconds.astype("timedelta64[s]"))[:, None]
    for X in (stamps, seconds.astype("timedelta64[s]")[:, None]):
        got = MutualInfoSelector(k=1, random_state=0).fit(X, y)
        assert not got.discrete_features_.any()
        np.testing.assert_allclose(got.scores_, as_numbers.scores_[:1], rtol=1e-12)


def test_object_arrays_of_arbitrary_objects_keep_the_usual_type_error():
    X = np.empty((20, 2), dtype=object)
    X[:, 0] = np.arange(20.0)
    X[:, 1] = [{"a": 1}] * 20
    with pytest.raises(TypeError):
        MutualInfoSelector().fit(X, np.arange(20) % 2)
    X[:, 1] = ["a", None] * 10
    with pytest.raises(ValueError, match="missing values in column 1"):
        MutualInfoSelector().fit(X, np.arange(20) % 2)


def test_polars_durations_and_booleans():
    pl = pytest.importorskip("polars")
    rng = np.random.default_rng(0)
    seconds = rng.integers(0, 10**6, 200)
    y = (seconds > 5 * 10**5).astype(int)
    frame = pl.DataFrame(
        {
            "wait": pl.Series(seconds * 1000).cast(pl.Duration("ms")),
            "flag": seconds % 2 == 0,
            "f32": pl.Series(rng.standard_normal(200).astype(np.float32)),
        }
    )
    selector = MutualInfoSelector(k=1, random_state=0).fit(frame, y)
    assert_array_equal(selector.discrete_features_, [False, True, False])
    assert selector.feature_names_in_.tolist() == ["wait", "flag", "f32"]
    assert selector.get_feature_names_out().tolist() == ["wait"]
