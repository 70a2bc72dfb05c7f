"""Bad and unusual input, as a matrix over every public estimator and function.

Each public entry point (the drop-in functions, the selectors, the
information bottleneck with its Gaussian and both discrete methods, its
information curve and the information gain of a fitted decision tree) is run
on messy input: non-finite values, a single class, too few samples, constant and
duplicated columns, heavy ties, extreme magnitudes, float32, pandas
categorical and object columns, string labels, sparse matrices and selections
that keep nothing. Every case asserts either the error message or the
documented result; a case where an entry point is known to give a wrong answer
or an unclear error is marked ``xfail(strict=True)`` with the reason, so the
fix is noticed.
"""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from sklearn.tree import DecisionTreeClassifier

import skmi

pd = pytest.importorskip("pandas")

LN2 = np.log(2.0)


# --------------------------------------------------------------------------
# the subjects: one uniform interface over every public entry point
# --------------------------------------------------------------------------
class Subject:
    """A public entry point: ``run(X, y)`` returns a fitted object or an array."""

    def __init__(self, name, kind, *, target="any", **params):
        self.name = name
        # "function", "selector", "bottleneck", "curve" or "tree"
        self.kind = kind
        self.target = target  # "classif", "regression" or "any"
        self.params = params

    def __repr__(self):
        return self.name

    @property
    def public(self):
        return self.name.split("[")[0]

    @property
    def discrete(self):
        """Whether the subject is a bottleneck (or curve) of a discrete method."""
        return self.params.get("method", "gaussian") != "gaussian"

    def run(self, X, y, *, fit=None, **params):
        """Run on ``(X, y)``; a tree is fitted on ``fit`` (default ``(X, y)``)."""
        assert self.public in skmi.__all__
        obj = getattr(skmi, self.public)
        params = {**self.params, **params}
        if self.kind == "function":
            return obj(X, y, random_state=0, **params)
        if self.kind == "tree":
            return obj(fit_tree(*(fit or (X, y)), **params), X, y)
        if self.kind == "curve":
            # the curve clones its estimator: the fit on other data is unused
            fitted = skmi.InformationBottleneck(random_state=0, **params).fit(
                *_reference_data()
            )
            return obj(fitted, X, y, betas=CURVE_BETAS)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="k=.* is greater than")
            return obj(random_state=0, **params).fit(X, y)

    def cast(self, y):
        """``y`` as the subject expects it (floats for a regression target)."""
        return np.asarray(y, dtype=float) if self.target == "regression" else y

    def values(self, fitted, X):
        """The numbers that summarise a result, for comparisons."""
        if self.kind == "function":
            return np.asarray(fitted)
        if self.kind == "selector":
            return selector_values(fitted)
        if self.kind == "tree":
            return np.concatenate(
                [
                    np.asarray(v, dtype=float)
                    for k, v in fitted.items()
                    if k != "feature_name"
                ]
            )
        if self.kind == "curve":
            return np.concatenate(fitted)
        return np.asarray(fitted.transform(X))


#: betas of the information curves: one near 1, one far above the critical betas
CURVE_BETAS = [1.05, 1e3]


def fit_tree(X, y, **params):
    """An entropy tree grown to purity (its splits are the plug-in optima)."""
    return DecisionTreeClassifier(criterion="entropy", random_state=0, **params).fit(
        X, y
    )


def _reference_data():
    """Clean data for the bottleneck a curve is given fitted."""
    X, rng = gaussian_data(n=40, p=2, seed=1)
    return X, (X[:, 0] > 0).astype(int)


def selector_values(fitted):
    """Scores, support and (for forward selection) order and gains, as one array."""
    support = fitted.get_support().astype(float)
    if hasattr(fitted, "scores_"):
        return np.r_[fitted.scores_, support]
    return np.r_[
        fitted.relevance_, support, fitted.selection_order_, fitted.conditional_gains_
    ]


def scores_of(fitted):
    """Per-feature relevance of a function's result or a fitted selector."""
    if isinstance(fitted, np.ndarray):
        return fitted
    return fitted.scores_ if hasattr(fitted, "scores_") else fitted.relevance_


MIC = Subject("mutual_info_classif", "function", target="classif")
MIR = Subject("mutual_info_regression", "function", target="regression")
SEL = Subject("MutualInfoSelector", "selector", k=2)
CMI = Subject("ConditionalMutualInfoSelector", "selector", n_features_to_select=2)
IBG = Subject("InformationBottleneck[gaussian]", "bottleneck", n_components=1)
IBD = Subject(
    "InformationBottleneck[deterministic]",
    "bottleneck",
    method="deterministic",
    n_components=2,
    n_init=2,
)
IBI = Subject(
    "InformationBottleneck[iterative]",
    "bottleneck",
    **{**IBD.params, "method": "iterative"},
)
CVG = Subject("information_curve[gaussian]", "curve", **IBG.params)
CVI = Subject("information_curve[iterative]", "curve", **IBI.params)
TIG = Subject("tree_information_gain", "tree", target="classif")
SUBJECTS = [MIC, MIR, SEL, CMI, IBG, IBD, IBI, CVG, CVI, TIG]


def xfail(reason):
    return pytest.mark.xfail(strict=True, reason=reason)


def cases(*subjects, **known_defects):
    """``pytest.param`` per subject; ``known_defects[attr] = reason`` adds an xfail."""
    names = {
        "MIC": MIC,
        "MIR": MIR,
        "SEL": SEL,
        "CMI": CMI,
        "IBG": IBG,
        "IBD": IBD,
        "IBI": IBI,
        "CVG": CVG,
        "CVI": CVI,
        "TIG": TIG,
    }
    out = []
    for s in subjects or SUBJECTS:
        marks = [
            xfail(reason) for key, reason in known_defects.items() if names[key] is s
        ]
        out.append(pytest.param(s, id=s.name, marks=marks))
    return out


def target_for(subject, X, rng):
    """A target fitting the subject, depending on the first column of ``X``."""
    signal = np.asarray(X)[:, 0] + 0.5 * rng.standard_normal(X.shape[0])
    if subject.target == "regression":
        return signal
    return (signal > np.median(signal)).astype(int)


def gaussian_data(n=80, p=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, p)), rng


def assert_single_leaf(gain):
    """The documented result for a tree without a split: empty arrays."""
    assert len(gain) == 8 and all(v.shape == (0,) for v in gain.values())


def _mutual_info_bits(a, b):
    """Plug-in I(a; b) in bits, from the definition."""
    _, a = np.unique(a, return_inverse=True)
    _, b = np.unique(b, return_inverse=True)
    joint = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(joint, (a, b), 1.0 / a.size)
    outer = joint.sum(axis=1, keepdims=True) * joint.sum(axis=0, keepdims=True)
    seen = joint > 0
    return float(np.sum(joint[seen] * np.log2(joint[seen] / outer[seen])))


def _gain_from_paths(tree, X, y):
    """Per internal node, I(goes to the left child; y) from the tree's paths."""
    path = tree.decision_path(X).toarray().astype(bool)
    t = tree.tree_
    y = np.asarray(y)
    gains = []
    for node in np.flatnonzero(t.children_left != t.children_right):
        rows = path[:, node]
        left = path[rows, t.children_left[node]]
        gains.append(_mutual_info_bits(left, y[rows]) if rows.any() else np.nan)
    return np.array(gains)


# --------------------------------------------------------------------------
# non-finite values
# --------------------------------------------------------------------------
@pytest.mark.parametrize("subject", cases())
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_dataframe_names_the_column(subject, bad):
    X, rng = gaussian_data()
    y = target_for(subject, X, rng)
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    clean = df.copy()
    df.loc[5, "b"] = bad
    if subject.kind == "tree" and np.isnan(bad):
        # documented: NaN is a missing value, routed as the tree routes it
        tree = fit_tree(clean, y)
        gain = skmi.tree_information_gain(tree, df, y)
        assert gain["n_samples"][0] == X.shape[0]
        assert_allclose(gain["mutual_info"], _gain_from_paths(tree, df, y), atol=1e-12)
        return
    if subject.kind == "tree":
        match = r"infinity or a value too large for float32 in column\(s\) 'b';"
    else:
        match = r"NaN or infinity in column\(s\) 'b'\."
    with pytest.raises(ValueError, match=match):
        subject.run(df, y, fit=(clean, y))


def test_tree_gain_nan_is_an_error_where_the_tree_routes_no_missing_values():
    from sklearn.tree import ExtraTreeClassifier

    X, rng = gaussian_data()
    y = target_for(TIG, X, rng)
    tree = ExtraTreeClassifier(splitter="best", random_state=0).fit(X, y)
    assert not tree.__sklearn_tags__().input_tags.allow_nan
    X[2, 1] = np.nan
    with pytest.raises(ValueError, match=r"NaN or infinity in column\(s\) 1\."):
        skmi.tree_information_gain(tree, X, y)


@pytest.mark.parametrize("subject", cases())
def test_non_finite_array_names_the_columns(subject):
    X, rng = gaussian_data(p=4)
    y = target_for(subject, X, rng)
    clean = X.copy()
    X[3, 1] = np.nan
    X[7, 3] = np.inf
    if subject.kind == "tree":  # NaN is a missing value there, not an error
        match = r"too large for float32 in column\(s\) 3;"
    else:
        match = r"NaN or infinity in column\(s\) 1, 3\."
    with pytest.raises(ValueError, match=match):
        subject.run(X, y, fit=(clean, y))


@pytest.mark.parametrize("subject", cases(SEL, CMI))
def test_missing_values_in_pandas_and_sparse_columns(subject):
    X, rng = gaussian_data()
    y = target_for(subject, X, rng)
    colour = pd.Categorical(np.where(X[:, 1] > 0, "red", "blue"))
    colour[2] = np.nan
    df = pd.DataFrame({"a": X[:, 0], "colour": colour})
    with pytest.raises(ValueError, match="missing values in column 'colour'"):
        subject.run(df, y)
    counts = pd.array(np.arange(X.shape[0]) % 3, dtype="Int64")
    counts[4] = pd.NA
    with pytest.raises(ValueError, match=r"column\(s\) 'n'"):
        subject.run(pd.DataFrame({"a": X[:, 0], "n": counts}), y)
    binary = sparse.csc_matrix((X > 0).astype(float))
    binary.data[binary.indptr[2]] = np.nan
    with pytest.raises(ValueError, match=r"NaN or infinity in column\(s\) 2\."):
        subject.run(binary, y)


@pytest.mark.parametrize("subject", cases())
@pytest.mark.filterwarnings("ignore:invalid value encountered in cast:RuntimeWarning")
def test_non_finite_target(subject):
    X, rng = gaussian_data()
    y = rng.standard_normal(X.shape[0])
    y[4] = np.nan
    if subject.target == "classif":
        match = "Input y contains NaN|Unknown label type"
    else:
        match = "Input y contains NaN"
    with pytest.raises(ValueError, match=match):
        subject.run(X, y, fit=(X, target_for(subject, X, rng)))


# --------------------------------------------------------------------------
# degenerate targets and sample sizes
# --------------------------------------------------------------------------
@pytest.mark.parametrize("subject", cases())
def test_single_class_carries_no_information(subject):
    X, _ = gaussian_data()
    y = (
        np.zeros(X.shape[0], dtype=int)
        if subject.target != "regression"
        else (np.full(X.shape[0], 3.5))
    )
    if subject.kind == "selector":
        with pytest.warns(UserWarning, match="y holds a single value"):
            fitted = subject.run(X, y)
    else:
        fitted = subject.run(X, y)
    if subject.kind == "function":
        assert_array_equal(fitted, 0.0)
    elif subject.kind == "selector":
        assert_allclose(scores_of(fitted), 0.0, atol=1e-12)
        if hasattr(fitted, "scores_"):  # documented: exactly zero
            assert_array_equal(fitted.scores_, 0.0)
        support = fitted.get_support()
        assert support.dtype == bool and support.shape == (X.shape[1],)
        assert not support.any()  # nothing to select (with a warning)
    elif subject.kind == "tree":
        assert_single_leaf(fitted)  # a single class: nothing to split
        # a tree grown on two classes: no split says anything about one class
        two = (X[:, 0] > 0).astype(int)
        gain = subject.run(X, y, fit=(X, two))
        assert gain["mutual_info"].size > 0
        assert_array_equal(gain["mutual_info"], 0.0)
    elif subject.kind == "curve":
        assert_allclose(np.concatenate(fitted[:2]), 0.0, atol=1e-12)
    else:
        assert fitted.information_ty_ == pytest.approx(0.0, abs=1e-12)
        assert np.isfinite(fitted.transform(X)).all()


@pytest.mark.parametrize("subject", cases(SEL, CMI, IBG))
def test_integer_valued_continuous_target(subject):
    """A regression target stored as integers with many distinct values."""
    X, rng = gaussian_data(n=500)
    signal = X[:, 0] + 0.3 * rng.standard_normal(500)
    y = np.round(1000 * signal).astype(int)
    fitted = subject.run(X, y)
    continuous = subject.run(X, y, discrete_target=False)
    if subject.kind == "bottleneck":
        same = fitted.information_ty_ == pytest.approx(
            continuous.information_ty_, rel=1e-6
        )
    else:
        same = np.allclose(scores_of(fitted), scores_of(continuous), atol=1e-12)
    assert same


@pytest.mark.parametrize("subject", cases())
@pytest.mark.parametrize("n_samples", [1, 3])
def test_fewer_samples_than_n_neighbors_plus_one(subject, n_samples):
    X, rng = gaussian_data()
    X = X[:n_samples]
    y = np.arange(n_samples) % 2
    if subject.kind == "tree":  # no neighbours; the tree grows what it can
        gain = subject.run(X, y)
        if n_samples == 1:
            assert_single_leaf(gain)
        else:
            assert gain["n_samples"][0] == n_samples
            assert_allclose(gain["mutual_info"], gain["impurity_decrease"], atol=1e-12)
        return
    if subject.kind in ("bottleneck", "curve"):
        if n_samples >= 2:  # no neighbours: two samples of one feature suffice
            fitted = subject.run(X[:, :1], y)
            assert np.isfinite(subject.values(fitted, X[:, :1])).all()
            return
        match = "minimum of 2 is required by InformationBottleneck"
    elif subject is MIC:
        # Ross's estimator caps n_neighbors per class, as scikit-learn does
        if n_samples >= 2:
            scores = subject.run(X, subject.cast(y))
            assert np.isfinite(scores).all()
            return
        match = "Every class of y has a single sample"
    else:  # the selectors and the other drop-in name the parameter
        match = (
            "n_neighbors=3 requires at least n_neighbors \\+ 1 = 4 samples; got "
            f"n_samples={n_samples}"
        )
    with pytest.raises(ValueError, match=match):
        subject.run(X, subject.cast(y))


@pytest.mark.parametrize("subject", cases(MIC, MIR, SEL, CMI))
def test_min_samples_follow_n_neighbors(subject):
    from skmi.estimators import KSG

    X, rng = gaussian_data(n=7)
    y = subject.cast(np.arange(7) % 2)
    if subject is MIC:
        # Ross's estimator caps n_neighbors per class, as scikit-learn does
        scores = subject.run(X, y, n_neighbors=7)
        assert np.isfinite(scores_of(scores)).all()
        return
    if subject.kind == "function":
        params, match = {"n_neighbors": 7}, "n_neighbors \\+ 1 = 8 samples"
    else:
        params = {"estimator": KSG(n_neighbors=7)}
        match = "n_neighbors=7 requires at least n_neighbors \\+ 1 = 8 samples"
    with pytest.raises(ValueError, match=match):
        subject.run(X, y, **params)
    # one sample fewer neighbour and it fits
    params = {k: (7 - 1 if k == "n_neighbors" else KSG(n_neighbors=6)) for k in params}
    assert np.isfinite(scores_of(subject.run(X, y, **params))).all()


@pytest.mark.parametrize("subject", cases(IBG, CVG))
def test_gaussian_bottleneck_singular_covariance(subject):
    X, rng = gaussian_data(n=3, p=3)
    with pytest.raises(ValueError, match="shrinkage"):
        subject.run(X, np.array([0, 1, 0]))


@pytest.mark.parametrize("subject", cases())
def test_all_columns_constant(subject):
    n = 60
    X = np.column_stack([np.full(n, 2.0), np.full(n, -1e5), np.zeros(n)])
    rng = np.random.default_rng(0)
    y = target_for(subject, rng.standard_normal((n, 1)), rng)
    if subject.kind == "selector":
        with pytest.warns(UserWarning, match="Features 0, 1, 2 are constant"):
            fitted = subject.run(X, y)
    else:
        fitted = subject.run(X, y)
    if subject.kind == "function":
        assert_array_equal(fitted, 0.0)
    elif subject.kind == "selector":
        assert_array_equal(scores_of(fitted), 0.0)
        assert fitted.get_support().sum() == 2
    elif subject.kind == "tree":
        assert_single_leaf(fitted)
    elif subject.kind == "curve":
        assert_allclose(np.concatenate(fitted[:2]), 0.0, atol=1e-12)
    else:
        assert fitted.information_xt_ == pytest.approx(0.0, abs=1e-12)
        assert fitted.information_ty_ == pytest.approx(0.0, abs=1e-12)
        assert np.isfinite(fitted.transform(X)).all()


# --------------------------------------------------------------------------
# duplicated columns and ties
# --------------------------------------------------------------------------
@pytest.mark.parametrize("subject", cases(MIC, MIR, SEL, CMI))
def test_duplicated_column_scores_like_its_original(subject):
    X, rng = gaussian_data(n=120)
    y = target_for(subject, X, rng)
    X = np.column_stack([X, X[:, 0]])
    scores = scores_of(subject.run(X, y))
    # continuous, tie-free columns: the 1e-10 jitter cannot reorder neighbours
    assert scores[3] == pytest.approx(scores[0], rel=1e-9)
    assert scores[0] > 0.1


def test_forward_selection_puts_constant_columns_last():
    X, rng = gaussian_data(n=100)
    y = target_for(CMI, X, rng)
    X = np.column_stack([np.zeros(100), X, np.full(100, 7.0)])
    fitted = CMI.run(X, y, n_features_to_select=4)
    assert fitted.relevance_[0] == 0.0 and fitted.relevance_[4] == 0.0
    assert set(fitted.selection_order_[:3]) == {1, 2, 3}


def test_forward_selection_skips_a_duplicate():
    X, rng = gaussian_data(n=200)
    y = X[:, 0] + X[:, 1] + 0.3 * rng.standard_normal(200) > 0
    X = np.column_stack([X, X[:, 0]])
    fitted = CMI.run(X, y.astype(int))
    support = fitted.get_support()
    assert support[1]
    assert support[0] != support[3]


@pytest.mark.parametrize("subject", cases(IBG, IBD, IBI))
def test_bottleneck_duplicated_column(subject):
    X, rng = gaussian_data(n=120)
    y = target_for(subject, X, rng)
    ref = subject.run(X, y)
    dup = subject.run(np.column_stack([X, X[:, 0]]), y)
    assert_allclose(
        dup.transform(np.column_stack([X, X[:, 0]])), ref.transform(X), atol=1e-8
    )
    assert dup.information_ty_ == pytest.approx(ref.information_ty_, abs=1e-8)


@pytest.mark.parametrize("subject", cases(CVG, CVI))
def test_curve_duplicated_column(subject):
    X, rng = gaussian_data(n=120)
    y = target_for(subject, X, rng)
    ref = subject.run(X, y)
    dup = subject.run(np.column_stack([X, X[:, 0]]), y)
    assert_allclose(np.concatenate(dup), np.concatenate(ref), atol=1e-8)
    assert ref[1][-1] > 0.1


def test_tree_gain_duplicated_column():
    """The tree may split on either copy; the splits and their gains are the same."""
    X, rng = gaussian_data(n=120)
    y = target_for(TIG, X, rng)
    # deep nodes hold a few samples, where splits of other columns tie too
    ref = TIG.run(X, y, max_depth=3)
    dup = TIG.run(np.column_stack([X, X[:, 0]]), y, max_depth=3)
    assert 3 in dup["feature"]  # the copy is used
    assert_array_equal(np.where(dup["feature"] == 3, 0, dup["feature"]), ref["feature"])
    for key in ("threshold", "n_samples", "mutual_info", "impurity_decrease"):
        assert_array_equal(dup[key], ref[key])
    assert_allclose(dup["mutual_info"], dup["impurity_decrease"], atol=1e-12)


def _tied_data(n=300, seed=0):
    """x in {0..3}, an independent z in {0..3}; y = x mod 2 (I = ln 2)."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 4, n)
    z = rng.integers(0, 4, n)
    return np.column_stack([x, z]), x % 2


@pytest.mark.parametrize("subject", cases(MIC, MIR, SEL, CMI))
def test_heavy_ties_integer_valued_continuous_columns(subject):
    X, y = _tied_data()
    if subject.target == "regression":
        # two well separated clusters: I(x; y) = ln 2 up to exp(-12)
        y = y + 0.1 * np.random.default_rng(1).standard_normal(y.size)
    scores = scores_of(subject.run(X.astype(np.float64), y, discrete_features=False))
    # ln 2 is the exact value; the jitter turns the atoms into tiny clusters
    assert scores[0] == pytest.approx(LN2, abs=0.05)
    assert scores[1] < 0.1
    assert np.isfinite(scores).all()


def test_heavy_ties_integer_dtype_is_counted_exactly():
    from skmi.estimators._plugin import adjusted_mutual_info_counts

    X, y = _tied_data()
    scores = SEL.run(X, y).scores_  # "auto": few-level integer columns are discrete
    for j in range(2):
        # the default estimator counts discrete pairs adjusted for chance
        expected = adjusted_mutual_info_counts(X[:, j], 4, y, 2)
        assert scores[j] == pytest.approx(max(expected, 0.0), abs=1e-12)


@pytest.mark.parametrize("subject", cases(IBD, IBI))
def test_bottleneck_heavy_ties(subject):
    X, y = _tied_data()
    fitted = subject.run(X.astype(np.float64), y)
    # integer-valued columns are discrete and y is a function of X, so two
    # clusters keep all of I(X; Y) = H(Y), the plug-in entropy of the labels
    p = np.bincount(y) / y.size
    assert fitted.information_ty_ == pytest.approx(-np.sum(p * np.log(p)), abs=1e-9)


@pytest.mark.parametrize("subject", cases(CVI))
def test_discrete_curve_heavy_ties(subject):
    X, y = _tied_data()
    ixt, ity, _ = subject.run(X.astype(np.float64), y)
    p = np.bincount(y) / y.size
    # far above the critical beta the clusters keep all of I(X; Y) = H(Y)
    assert ity[-1] == pytest.approx(-np.sum(p * np.log(p)), abs=1e-9)
    assert np.all(ity <= ixt + 1e-12)  # data processing: I(T;Y) <= I(X;T)


@pytest.mark.parametrize("subject", cases(IBG, CVG))
def test_gaussian_bottleneck_heavy_ties(subject):
    """Ties do not matter to the covariances: brute-force eigenvalue."""
    from scipy.linalg import eigh

    X, y = _tied_data()
    X = X.astype(np.float64)
    centred = X - X.mean(axis=0)
    within = X - np.array([X[y == c].mean(axis=0) for c in (0, 1)])[y]
    lam = eigh(within.T @ within, centred.T @ centred, eigvals_only=True)[0]
    assert lam < 0.9  # x carries y, in part linearly
    fitted = subject.run(X, y)
    if subject.kind == "curve":
        # I(T;Y) -> -1/2 ln(lambda) as beta grows, within 1/(2 beta)
        assert fitted[1][-1] == pytest.approx(-0.5 * np.log(lam), abs=1e-3)
        assert fitted[1][-1] <= -0.5 * np.log(lam)
    else:
        assert fitted.eigenvalues_[0] == pytest.approx(lam, rel=1e-9)
        assert np.isfinite(fitted.transform(X)).all()


def test_tree_gain_heavy_ties():
    X, y = _tied_data()
    gain = TIG.run(X, y)
    assert_allclose(gain["mutual_info"], gain["impurity_decrease"], atol=1e-12)
    assert set(gain["threshold"]) <= {0.5, 1.5, 2.5}  # between the tied values
    # y is a function of x: the pure leaves hold all of H(y), in bits
    share = gain["n_samples"] / y.size
    p = np.bincount(y) / y.size
    assert np.sum(share * gain["mutual_info"]) == pytest.approx(
        -np.sum(p * np.log2(p)), abs=1e-12
    )


# --------------------------------------------------------------------------
# extreme magnitudes and float32
# --------------------------------------------------------------------------
@pytest.mark.parametrize("subject", [s for s in cases() if s.values[0] is not TIG])
@pytest.mark.parametrize("scale", [1e300, 1e160, 1e-15, 1e-300])
def test_extreme_magnitudes_equal_rescaled_result(subject, scale):
    """k-NN estimates (on unit-variance columns), quantile bins and the Gaussian
    bottleneck are all invariant to a common positive scale of X."""
    X, rng = gaussian_data()
    y = target_for(subject, X, rng)
    params = {"discrete_features": False} if subject.discrete else {}
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        ref = subject.values(subject.run(X, y, **params), X)
        got = subject.values(subject.run(X * scale, y, **params), X * scale)
    assert np.isfinite(got).all()
    assert_allclose(got, ref, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("scale", [1e30, 1e-2])
def test_tree_gain_magnitudes_within_float32(scale):
    # (a tree takes values closer than 1e-7 as equal: no tinier scale)
    X, rng = gaussian_data()
    y = target_for(TIG, X, rng)
    ref = TIG.run(X, y)
    got = TIG.run(X * scale, y)
    for key in ("feature", "n_samples", "mutual_info", "impurity_decrease"):
        assert_array_equal(got[key], ref[key])
    assert_allclose(got["threshold"], ref["threshold"] * scale, rtol=1e-6)


def test_tree_gain_magnitudes_beyond_float32():
    """Documented: X is cast to float32, as the tree does when it predicts."""
    X, rng = gaussian_data()
    y = target_for(TIG, X, rng)
    match = r"too large for float32 in column\(s\) 0, 1, 2;"
    with pytest.raises(ValueError, match=match):
        TIG.run(X * 1e300, y, fit=(X, y))
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    huge = df.assign(c=df["c"] * 1e300)
    with pytest.raises(ValueError, match=r"float32 in column\(s\) 'c';"):
        TIG.run(huge, y, fit=(df, y))
    # 1e-300 is 0 in float32: a tree grown on it has no split
    assert_single_leaf(TIG.run(X * 1e-300, y))


@pytest.mark.parametrize("scale", [1e300, 1e-300])
def test_extreme_magnitudes_plugin_selector(scale):
    from skmi.estimators import PlugIn

    X, rng = gaussian_data()
    y = target_for(SEL, X, rng)
    ref = SEL.run(X, y, estimator=PlugIn(n_bins=4))
    got = SEL.run(X * scale, y, estimator=PlugIn(n_bins=4))
    assert_array_equal(got.scores_, ref.scores_)
    assert_array_equal(got.pvalues_, ref.pvalues_)


@pytest.mark.parametrize("subject", cases())
def test_float32_equals_float64_of_the_same_values(subject):
    X, rng = gaussian_data()
    y = target_for(subject, X, rng)
    X32 = X.astype(np.float32)
    got = subject.values(subject.run(X32, y), X32)
    ref = subject.values(subject.run(X32.astype(np.float64), y), X32.astype(np.float64))
    assert_allclose(got, ref, rtol=1e-6, atol=1e-9)


# --------------------------------------------------------------------------
# categorical and object columns, string labels
# --------------------------------------------------------------------------
def _mixed_frame(n=120, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(n)
    colour = np.array(["red", "green", "blue"])[rng.integers(0, 3, n)]
    size = np.where(a + 0.3 * rng.standard_normal(n) > 0, "big", "small")
    flag = rng.random(n) < 0.5
    df = pd.DataFrame(
        {
            "a": a,
            "colour": pd.Categorical(colour),
            "size": size.astype(object),
            "flag": flag,
        }
    )
    codes = np.column_stack(
        [
            a,
            pd.factorize(colour, sort=True)[0],
            pd.factorize(size, sort=True)[0],
            flag.astype(int),
        ]
    )
    return df, codes, (a > 0).astype(int)


@pytest.mark.parametrize("subject", cases(SEL, CMI))
def test_categorical_and_object_columns_are_discrete(subject):
    df, codes, y = _mixed_frame()
    fitted = subject.run(df, y)
    if subject is SEL:
        assert_array_equal(fitted.discrete_features_, [False, True, True, True])
    ref = subject.run(codes, y, discrete_features=[1, 2, 3])
    assert_array_equal(selector_values(fitted), selector_values(ref))
    assert list(fitted.get_feature_names_out()) == list(
        df.columns[fitted.get_support()]
    )


@pytest.mark.parametrize("subject", cases(MIC, MIR, IBG, CVG, TIG))
def test_categorical_columns_rejected_by_numeric_entry_points(subject):
    df, codes, y = _mixed_frame()
    # a tree grown on the codes, under the same column names
    fit = (pd.DataFrame(codes, columns=df.columns), y)
    match = "could not convert string to float|Cannot cast str dtype"
    if subject in (MIC, MIR):
        match = "column\\(s\\) 'colour', 'size' hold non-numeric values"
    if subject in (IBG, CVG):
        match = "Column 'colour' holds categories .* One-hot encode"
    with pytest.raises(ValueError, match=match):
        subject.run(df, subject.cast(y), fit=fit)


@pytest.mark.parametrize("subject", cases(IBD, IBI, CVI))
def test_discrete_bottleneck_accepts_categorical_columns(subject):
    df, codes, y = _mixed_frame()
    got = subject.run(df[["colour", "size"]], y)
    ref = subject.run(codes[:, 1:3], y)
    assert_allclose(
        subject.values(got, df[["colour", "size"]]),
        subject.values(ref, codes[:, 1:3]),
    )


@pytest.mark.parametrize("method", ["deterministic", "iterative"])
def test_discrete_bottleneck_many_categories_are_not_binned(method):
    # 30 categories (more than the 20 levels of the integer rule): the column
    # stays discrete, so the parity of the category is fully recovered.
    rng = np.random.RandomState(0)
    cats = rng.randint(0, 30, 600)
    y = cats % 2
    df = pd.DataFrame({"c": pd.Categorical([f"k{c:02d}" for c in cats])})
    ib = skmi.InformationBottleneck(
        n_components=2, method=method, beta=20, random_state=0
    ).fit(df, y)
    assert ib.information_ty_ == pytest.approx(LN2, abs=0.01)
    # as with a user mask that calls the column continuous
    masked = skmi.InformationBottleneck(
        n_components=2,
        method=method,
        beta=20,
        random_state=0,
        discrete_features=[False],
    ).fit(df, y)
    assert masked.information_ty_ == pytest.approx(LN2, abs=0.01)
    # a category unseen in fit follows the documented rule (the prior of the
    # clusters for the soft method, the largest cluster for the hard one)
    unseen = ib.transform(pd.DataFrame({"c": ["new"]}))
    prior = ib.cluster_probabilities_
    if method == "deterministic":
        assert_array_equal(unseen[0], np.eye(prior.size)[np.argmax(prior)])
    else:
        assert_allclose(unseen[0], prior)


@pytest.mark.parametrize("subject", cases(MIC, SEL, CMI, IBG, IBD, IBI, CVG, CVI, TIG))
def test_string_labels_equal_integer_labels(subject):
    X, rng = gaussian_data()
    y = target_for(MIC, X, rng)
    labels = np.array(["no", "yes"])[y]  # sorted order: "no" < "yes"
    got = subject.values(subject.run(X, labels), X)
    ref = subject.values(subject.run(X, y), X)
    assert_array_equal(got, ref)


def test_string_labels_rejected_for_regression():
    X, rng = gaussian_data()
    labels = np.array(["no", "yes"])[target_for(MIC, X, rng)]
    with pytest.raises(ValueError, match="could not convert string to float"):
        MIR.run(X, labels)


# --------------------------------------------------------------------------
# sparse input
# --------------------------------------------------------------------------
def _sparse_binary(n=150, p=4, seed=0):
    rng = np.random.default_rng(seed)
    dense = (rng.random((n, p)) < 0.3).astype(np.float64)
    y = (dense[:, 0] + (rng.random(n) < 0.2)).astype(int) % 2
    return dense, y


@pytest.mark.parametrize("subject", cases(MIC, MIR, SEL, CMI))
@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_discrete_equals_dense(subject, fmt):
    dense, y = _sparse_binary()
    if subject.target == "regression":
        y = y + np.random.default_rng(1).standard_normal(y.size)
    X = sparse.csr_matrix(dense) if fmt == "csr" else sparse.csc_matrix(dense)
    got = subject.values(subject.run(X, y), dense)
    ref = subject.values(subject.run(dense, y, discrete_features=True), dense)
    # sparse columns are counted from their stored entries: equal to rounding
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-12)


@pytest.mark.parametrize("subject", cases(MIC, MIR))
def test_sparse_continuous_is_a_clear_error(subject):
    # the drop-ins follow scikit-learn: sparse columns must be discrete
    dense, y = _sparse_binary()
    if subject.target == "regression":
        y = y.astype(float)
    with pytest.raises(ValueError, match=r"(?i)sparse.*continuous.*discrete"):
        subject.run(sparse.csr_matrix(dense), y, discrete_features=[0, 1])


@pytest.mark.parametrize("subject", cases(SEL, CMI))
def test_sparse_continuous_columns_are_a_mass_at_zero(subject):
    # the selectors read a sparse column as continuous where asked (here
    # columns 2 and 3, or where it holds non-integer values): the indicator
    # of its stored values plus those values. For 0/1 columns the values are
    # constant and add nothing, so the scores are those of the same columns
    # read as discrete.
    dense, y = _sparse_binary()
    X = sparse.csr_matrix(dense)
    got = scores_of(subject.run(X, y, discrete_features=[0, 1]))
    ref = scores_of(subject.run(X, y, discrete_features=True))
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-12)


@pytest.mark.parametrize("subject", cases(IBG, IBD, IBI, CVG, CVI))
def test_sparse_rejected_by_the_bottleneck(subject):
    dense, y = _sparse_binary()
    if subject.kind == "curve":
        match = r"'X' parameter of information_curve must be an array-like.*sparse"
    else:
        match = "Sparse data was passed.*dense data is"
    with pytest.raises(TypeError, match=match):
        subject.run(sparse.csr_matrix(dense), y)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_tree_gain_sparse_equals_dense(fmt):
    dense, y = _sparse_binary()
    X = sparse.csr_matrix(dense) if fmt == "csr" else sparse.csc_matrix(dense)
    got = TIG.run(X, y)
    assert got["mutual_info"].size > 0
    assert_array_equal(TIG.values(got, X), TIG.values(TIG.run(dense, y), dense))
    assert_allclose(got["mutual_info"], _gain_from_paths(fit_tree(X, y), X, y))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_tree_gain_sparse_non_finite_names_the_column(bad):
    """The tree routes NaN on dense input only: in sparse input it is an error."""
    dense, y = _sparse_binary()
    X = sparse.csc_matrix(dense)
    X.data[X.indptr[2]] = bad
    with pytest.raises(ValueError, match=r"NaN or infinity in column\(s\) 2\."):
        TIG.run(X, y, fit=(dense, y))


# --------------------------------------------------------------------------
# empty selections
# --------------------------------------------------------------------------
@pytest.mark.parametrize("params", [{"threshold": 1e6}, {"k": 0}])
def test_empty_selection_of_mutual_info_selector(params):
    X, rng = gaussian_data()
    y = target_for(SEL, X, rng)
    fitted = SEL.run(X, y, **params)
    assert_array_equal(fitted.get_support(), [False, False, False])
    assert fitted.scores_[0] > 0.1  # scores are computed even if nothing is kept
    with pytest.warns(UserWarning, match="No features were selected"):
        Xt = fitted.transform(X)
    assert Xt.shape == (X.shape[0], 0)
    assert fitted.get_feature_names_out().shape == (0,)


def test_threshold_at_a_score_keeps_it():
    X, rng = gaussian_data()
    y = target_for(SEL, X, rng)
    scores = SEL.run(X, y).scores_
    fitted = SEL.run(X, y, threshold=float(scores.max()))
    assert_array_equal(fitted.get_support(), scores == scores.max())


@pytest.mark.parametrize("subject", cases(CVG, CVI))
@pytest.mark.parametrize("betas", [[], [0.0, 2.0], [-1.0], [np.inf], [np.nan]])
def test_curve_rejects_empty_or_invalid_betas(subject, betas):
    X, rng = gaussian_data()
    y = target_for(subject, X, rng)
    fitted = skmi.InformationBottleneck(random_state=0, **subject.params).fit(X, y)
    with pytest.raises(ValueError, match="betas must be a non-empty array of finite"):
        skmi.information_curve(fitted, X, y, betas=betas)


def test_forward_selection_fraction_selects_at_least_one():
    """Documented: a float n_features_to_select selects at least one feature."""
    X, rng = gaussian_data()
    y = target_for(CMI, X, rng)
    fitted = CMI.run(X, y, n_features_to_select=1e-9)
    assert_array_equal(fitted.get_support(), [True, False, False])
    assert_array_equal(fitted.selection_order_, [0])
    assert fitted.transform(X).shape == (X.shape[0], 1)


def test_forward_selection_may_select_nothing():
    """Documented: "auto" tests the first step too; nothing passing selects nothing."""
    X, rng = gaussian_data()
    y = target_for(CMI, X, rng)
    fitted = CMI.run(X, y, n_features_to_select="auto", tol=1e6)
    assert not fitted.get_support().any()
    assert fitted.selection_order_.shape == (0,)
    with pytest.warns(UserWarning, match="No features were selected"):
        assert fitted.transform(X).shape == (X.shape[0], 0)
