"""The displays of skmi.plotting: the data they draw, axes handling, errors.

Each display is drawn with the Agg backend from a really fitted estimator and
the drawn artists (bar widths, line data, marker positions, labels) are
compared with the estimator's attributes and, where there is one, with an
analytic value from ORACLES.md.
"""

import subprocess
import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.datasets import (  # noqa: E402
    load_digits,
    load_wine,
    make_classification,
)
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.feature_selection import SelectKBest, f_classif  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import FunctionTransformer, StandardScaler  # noqa: E402

from skmi import (  # noqa: E402
    ConditionalMutualInfoSelector,
    InformationBottleneck,
    MutualInfoSelector,
    information_curve,
)
from skmi.estimators import PlugIn  # noqa: E402
from skmi.plotting import (  # noqa: E402
    InformationPlaneDisplay,
    MutualInfoRankingDisplay,
    SelectionPathDisplay,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def classification():
    X, y = make_classification(
        n_samples=300,
        n_features=7,
        n_informative=3,
        n_redundant=0,
        shuffle=False,
        random_state=0,
    )
    return X, y


@pytest.fixture(scope="module")
def ranked(classification):
    """A selector with G-test p-values (uncorrected plug-in estimates)."""
    X, y = classification
    return MutualInfoSelector(k=3, estimator=PlugIn(n_bins=4)).fit(X, y)


OVERRIDE = 0.25


def _h2(p):
    return -p * np.log(p) - (1 - p) * np.log(1 - p)


@pytest.fixture(scope="module")
def xor_data():
    """y = x0 xor x1 on fair bits, except y = x0 on a quarter of the rows (a
    weak marginal signal on x0, so that it is chosen first); x2 a copy of x0,
    x3..x5 noise."""
    rng = np.random.RandomState(0)
    X = rng.randint(0, 2, size=(2000, 6))
    X[:, 2] = X[:, 0]
    override = rng.rand(2000) < OVERRIDE
    y = np.where(override, X[:, 0], X[:, 0] ^ X[:, 1])
    return X, y


@pytest.fixture(scope="module")
def path_auto(xor_data):
    X, y = xor_data
    return ConditionalMutualInfoSelector(
        criterion="jmi",
        estimator=PlugIn(),
        discrete_features=True,
        n_permutations=50,
        random_state=0,
    ).fit(X, y)


@pytest.fixture(scope="module")
def canonical_gaussian():
    """X (3 columns) and Y (2 columns) whose SAMPLE canonical correlations are
    exactly (0.9, 0.6): the columns of Z are centred and orthonormal."""
    rng = np.random.default_rng(0)
    n = 400
    Z = rng.standard_normal((n, 5))
    Z -= Z.mean(axis=0)
    Z = np.linalg.qr(Z)[0] * np.sqrt(n)
    X = Z[:, :3]
    Y = np.column_stack(
        [
            0.9 * Z[:, 0] + np.sqrt(1 - 0.9**2) * Z[:, 3],
            0.6 * Z[:, 1] + np.sqrt(1 - 0.6**2) * Z[:, 4],
        ]
    )
    return X, Y


def _ranking_order(scores):
    """Indices by decreasing score, ties by increasing index (brute force)."""
    return sorted(range(len(scores)), key=lambda i: (-scores[i], i))


def _tick_labels(ax, axis):
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in ticks]


# --------------------------------------------------------- ranking display


def test_ranking_draws_scores_in_order(ranked):
    display = MutualInfoRankingDisplay.from_estimator(ranked, max_features=None)
    scores = ranked.scores_
    order = _ranking_order(scores.tolist())
    bars = list(display.bars_)
    assert len(bars) == scores.shape[0]
    np.testing.assert_array_equal(display.indices_, order)
    np.testing.assert_allclose([b.get_width() for b in bars], scores[order])
    # Bars start at zero and the best is at the top.
    assert all(b.get_x() == 0 for b in bars)
    centres = [b.get_y() + b.get_height() / 2 for b in bars]
    assert np.all(np.diff(centres) < 0)
    # One tick per bar, labelled with the feature's name, at the bar's centre.
    ax = display.ax_
    np.testing.assert_allclose(ax.get_yticks(), centres)
    assert _tick_labels(ax, "y") == [f"x{i}" for i in order]
    assert ax.get_xlabel() == "mutual information (nats)"


def test_ranking_highlights_selected_and_marks_significant(ranked):
    display = MutualInfoRankingDisplay.from_estimator(
        ranked, max_features=None, alpha=0.01
    )
    support = ranked.get_support()[display.indices_]
    colours = [b.get_facecolor() for b in display.bars_]
    selected, other = to_rgba("C0"), to_rgba("0.75")
    assert colours == [selected if s else other for s in support]
    assert support.sum() == 3

    # A star right of each bar with p < alpha, at the bar's height.
    significant = ranked.pvalues_[display.indices_] < 0.01
    assert 0 < significant.sum() < significant.size
    bars = list(display.bars_)
    star_y = display.significance_.get_ydata()
    star_x = display.significance_.get_xdata()
    expected_y = [
        b.get_y() + b.get_height() / 2
        for b, s in zip(bars, significant, strict=True)
        if s
    ]
    np.testing.assert_allclose(star_y, expected_y)
    widths = np.array([b.get_width() for b in bars])
    assert np.all(star_x > widths[significant])
    assert display.significance_.get_marker() == "*"

    labels = [t.get_text() for t in display.ax_.get_legend().get_texts()]
    assert labels == ["selected", "not selected", "p < 0.01"]


def test_ranking_max_features_and_pandas_names(classification):
    pd = pytest.importorskip("pandas")
    X, y = classification
    names = [f"col_{c}" for c in "abcdefg"]
    selector = MutualInfoSelector(k=2, random_state=0).fit(
        pd.DataFrame(X, columns=names), y
    )
    display = MutualInfoRankingDisplay.from_estimator(selector, max_features=4)
    order = _ranking_order(selector.scores_.tolist())[:4]
    assert len(display.bars_) == 4
    np.testing.assert_allclose(
        [b.get_width() for b in display.bars_], selector.scores_[order]
    )
    assert _tick_labels(display.ax_, "y") == [names[i] for i in order]
    # KSG without permutations: no p-values, so no stars.
    assert selector.pvalues_ is None
    assert display.significance_ is None


def test_ranking_threshold_line(classification):
    X, y = classification
    selector = MutualInfoSelector(threshold=0.05, random_state=0).fit(X, y)
    display = MutualInfoRankingDisplay.from_estimator(selector)
    np.testing.assert_allclose(display.threshold_line_.get_xdata(), [0.05, 0.05])
    colours = [b.get_facecolor() for b in display.bars_]
    above = selector.scores_[display.indices_] >= 0.05
    assert colours == [to_rgba("C0") if a else to_rgba("0.75") for a in above]


def test_ranking_from_data_and_bar_kw():
    display = MutualInfoRankingDisplay(
        scores=[0.1, 0.3, 0.3, 0.0],
        feature_names=["a", "b", "c", "d"],
        pvalues=[0.5, 0.001, 0.2, 1.0],
    ).plot(bar_kw={"color": "green"})
    # Ties keep the column order: b before c.
    assert _tick_labels(display.ax_, "y") == ["b", "c", "a", "d"]
    assert {b.get_facecolor() for b in display.bars_} == {to_rgba("green")}
    np.testing.assert_allclose(display.significance_.get_ydata(), [3.0])
    assert display.threshold_line_ is None


def test_ranking_legend_names_only_what_is_drawn():
    display = MutualInfoRankingDisplay(
        scores=[0.2, 0.1], support=[True, True], threshold=0.05
    ).plot()
    labels = [t.get_text() for t in display.ax_.get_legend().get_texts()]
    assert labels == ["selected", "threshold = 0.05"]
    assert display.significance_ is None
    display = MutualInfoRankingDisplay(scores=[0.2, 0.1]).plot()
    assert display.ax_.get_legend() is None


def test_ranking_rejects_bad_input(ranked):
    with pytest.raises(ValueError, match="one entry per score"):
        MutualInfoRankingDisplay(scores=[0.1, 0.2], pvalues=[0.5]).plot()
    with pytest.raises(ValueError, match="alpha must be a float in"):
        MutualInfoRankingDisplay.from_estimator(ranked, alpha=1.5)
    with pytest.raises(ValueError, match="max_features must be None or an int"):
        MutualInfoRankingDisplay.from_estimator(ranked, max_features=0)


# -------------------------------------------------- selection-path display


def test_selection_path_draws_gains_relevance_and_pvalues(path_auto):
    selector = path_auto
    display = SelectionPathDisplay.from_estimator(selector)
    n = selector.n_features_to_select_
    order = selector.selection_order_
    steps = np.arange(1, n + 1)

    np.testing.assert_array_equal(display.line_.get_xdata(), steps)
    np.testing.assert_allclose(display.line_.get_ydata(), selector.conditional_gains_)
    heights = [b.get_height() for b in display.relevance_bars_]
    np.testing.assert_allclose(heights, selector.relevance_[order])
    np.testing.assert_allclose(
        [b.get_x() + b.get_width() / 2 for b in display.relevance_bars_], steps
    )

    # x0 first, then its synergistic partner x1, whose gain
    # I(x1; y | x0) = I(x1; x1 and not override) = h(3/8) - h(3/4) / 2 far
    # exceeds its relevance (zero in the population).
    assert order[:2].tolist() == [0, 1]
    gain = _h2(0.5 * (1 - OVERRIDE)) - 0.5 * _h2(1 - OVERRIDE)
    assert display.line_.get_ydata()[1] == pytest.approx(gain, abs=0.02)
    assert heights[1] < 0.01 < gain

    np.testing.assert_allclose(display.stop_line_.get_xdata(), [n + 0.5, n + 0.5])
    assert display.stop_line_.get_label() == f"stop ({n} selected)"

    twin = display.ax_pvalues_
    assert twin is not None and twin.get_yscale() == "log"
    np.testing.assert_allclose(display.pvalues_line_.get_ydata(), selector.pvalues_)
    np.testing.assert_array_equal(display.pvalues_line_.get_xdata(), steps)
    np.testing.assert_allclose(display.alpha_line_.get_ydata(), [0.05, 0.05])

    labels = _tick_labels(display.ax_, "x")
    assert labels == [f"{i}. x{k}" for i, k in zip(steps, order, strict=True)]
    assert display.line_.get_label() == "jmi score when chosen"
    assert display.ax_.get_ylabel() == "information (nats)"


def test_selection_path_fixed_count_has_no_pvalue_axis(xor_data):
    X, y = xor_data
    selector = ConditionalMutualInfoSelector(
        3, criterion="cmim", estimator=PlugIn(), discrete_features=True
    ).fit(X, y)
    display = SelectionPathDisplay.from_estimator(selector)
    assert selector.pvalues_ is None
    assert display.ax_pvalues_ is None and display.pvalues_line_ is None
    assert display.tol_line_ is None
    np.testing.assert_allclose(display.line_.get_ydata(), selector.conditional_gains_)
    np.testing.assert_allclose(display.stop_line_.get_xdata(), [3.5, 3.5])
    assert display.line_.get_label() == "cmim score when chosen"


def test_selection_path_tol_line(xor_data):
    X, y = xor_data
    selector = ConditionalMutualInfoSelector(
        tol=0.1, estimator=PlugIn(), discrete_features=True
    ).fit(X, y)
    display = SelectionPathDisplay.from_estimator(selector)
    np.testing.assert_allclose(display.tol_line_.get_ydata(), [0.1, 0.1])
    assert np.all(display.line_.get_ydata()[1:] >= 0.1)


def test_selection_path_from_data_shows_rejected_steps():
    display = SelectionPathDisplay(
        selection_order=[2, 0, 1],
        scores=[0.5, 0.2, 0.01],
        relevance=[0.3, 0.05, 0.5],
        feature_names=["a", "b", "c"],
        n_selected=2,
        criterion="mrmr",
    ).plot(legend=False)
    np.testing.assert_allclose(display.stop_line_.get_xdata(), [2.5, 2.5])
    np.testing.assert_allclose(
        [b.get_height() for b in display.relevance_bars_], [0.5, 0.3, 0.05]
    )
    assert _tick_labels(display.ax_, "x") == ["1. c", "2. a", "3. b"]
    assert display.ax_.get_legend() is None
    with pytest.raises(ValueError, match="n_selected must be between"):
        SelectionPathDisplay(selection_order=[0], scores=[0.1], n_selected=2).plot()
    with pytest.raises(ValueError, match="scores must have one entry per step"):
        SelectionPathDisplay(selection_order=[0, 1], scores=[0.1]).plot()


# ----------------------------------------------- information-plane display


# ORACLES.md, canonical correlations (0.9, 0.6): beta -> (I(T;X), I(T;Y)).
GAUSSIAN_TABLE = {
    1.5: (0.3784314975, 0.2810594591),
    2.0: (0.7250050878, 0.4837920131),
    3.0: (1.1304701959, 0.6480440466),
    5.0: (1.8236173764, 0.8303656034),
    10.0: (2.6345475926, 0.9481486391),
}
CRITICAL_BETAS = (1.2345679012, 2.7777777778)
INFORMATION_XY = 1.0535091547


def test_information_plane_gaussian_matches_oracles(canonical_gaussian):
    X, Y = canonical_gaussian
    ib = InformationBottleneck(beta=3.0).fit(X, Y)
    betas = sorted(GAUSSIAN_TABLE)
    display = InformationPlaneDisplay.from_estimator(ib, betas=betas)

    table = np.array([GAUSSIAN_TABLE[b] for b in betas])
    np.testing.assert_allclose(display.line_.get_xdata(), table[:, 0], atol=1e-8)
    np.testing.assert_allclose(display.line_.get_ydata(), table[:, 1], atol=1e-8)
    np.testing.assert_allclose(display.point_.get_xydata(), [GAUSSIAN_TABLE[3.0]])

    # Critical betas: the first at the origin; at the second only the first
    # component is active (lambda_1 = 0.19), by the closed form of ORACLES.md.
    beta2, lam1 = CRITICAL_BETAS[1], 0.19
    xt2 = 0.5 * np.log((beta2 - 1) * (1 - lam1) / lam1)
    ty2 = xt2 - 0.5 * np.log(beta2 * (1 - lam1))
    np.testing.assert_allclose(
        display.critical_points_.get_xydata(), [[0.0, 0.0], [xt2, ty2]], atol=1e-8
    )
    assert [t.get_text() for t in display.critical_labels_] == ["β = 1.23", "β = 2.78"]
    np.testing.assert_allclose(display.asymptote_.get_ydata(), [INFORMATION_XY] * 2)

    ax = display.ax_
    assert (ax.get_xlabel(), ax.get_ylabel()) == (
        "Gaussian-model I(X;T) (nats)",
        "Gaussian-model I(T;Y) (nats)",
    )
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [
        "information curve",
        "Gaussian-model I(X;Y) = 1.05",
        "critical betas",
        "fitted (β = 3)",
    ]


def test_information_plane_default_grid_covers_fitted_beta(canonical_gaussian):
    X, Y = canonical_gaussian
    ib = InformationBottleneck(beta=100.0).fit(X, Y)
    display = InformationPlaneDisplay.from_estimator(ib)
    xt, ty = display.line_.get_xdata(), display.line_.get_ydata()
    # Non-decreasing in beta, below the limit, reaching past the fitted point.
    assert np.all(np.diff(xt) >= 0) and np.all(np.diff(ty) >= -1e-12)
    assert np.all(ty < INFORMATION_XY)
    assert xt.max() > ib.information_xt_
    # The fitted point lies on the drawn curve.
    (fx, fy) = display.point_.get_xydata()[0]
    assert np.interp(fx, xt, ty) == pytest.approx(fy, abs=1e-3)


def test_information_plane_discrete_needs_data():
    rng = np.random.RandomState(0)
    n = 400
    x = np.repeat([0, 1], n // 2)
    flip = np.zeros(n, dtype=bool)
    flip[rng.permutation(n)[: n // 10]] = True
    y = np.where(flip, 1 - x, x)
    X = x.reshape(-1, 1)
    ib = InformationBottleneck(
        n_components=2, beta=4.0, method="iterative", random_state=0
    ).fit(X, y)
    with pytest.raises(ValueError, match="needs the training data X and y"):
        InformationPlaneDisplay.from_estimator(ib)
    betas = [1.2, 1.4, 2.0, 4.0, 10.0]
    display = InformationPlaneDisplay.from_estimator(ib, X, y, betas=betas)
    xt, ty, _ = information_curve(ib, X, y, betas=betas)
    np.testing.assert_allclose(display.line_.get_xdata(), xt)
    np.testing.assert_allclose(display.line_.get_ydata(), ty)
    np.testing.assert_allclose(
        display.point_.get_xydata(), [[ib.information_xt_, ib.information_ty_]]
    )
    # Binary symmetric channel: trivial below beta = 1.5625 (ORACLES.md).
    np.testing.assert_allclose(display.line_.get_xdata()[:2], 0.0, atol=1e-6)
    assert display.line_.get_xdata()[2] > 0.01
    assert display.critical_points_ is None
    # the asymptote is the plug-in I(X;Y) of the sample, near the channel's
    # 0.3680642072 nats (ORACLES.md)
    np.testing.assert_allclose(display.asymptote_.get_ydata(), ib.information_xy_)
    assert ib.information_xy_ == pytest.approx(0.3680642072, abs=0.01)


@pytest.mark.parametrize("load", [load_wine, load_digits])
def test_information_plane_shannon_values_never_exceed_the_target_entropy(load):
    """What is drawn as (plug-in Shannon) information stays below H(Y); the
    Gaussian model's values, which exceed it for a categorical target, are
    labelled "Gaussian-model" and drawn without a Shannon limit."""
    X, y = load(return_X_y=True)
    p = np.bincount(y) / y.size
    entropy_y = -np.sum(p * np.log(p))
    gaussian = InformationBottleneck().fit(X, y)
    assert gaussian.information_ty_ > entropy_y  # why the label matters
    display = InformationPlaneDisplay.from_estimator(gaussian, n_betas=10)
    assert display.ax_.get_ylabel().startswith("Gaussian-model")
    assert display.asymptote_.get_label().startswith("Gaussian-model")
    gaussian.information_xy_ = entropy_y  # a Shannon value is never drawn
    again = InformationPlaneDisplay.from_estimator(gaussian, n_betas=10)
    assert again.asymptote_.get_ydata()[0] == display.asymptote_.get_ydata()[0]
    plt.close("all")

    X = X[:, :2]  # few binned values
    discrete = InformationBottleneck(
        method="deterministic", beta=1000.0, n_init=1, random_state=0
    ).fit(X, y)
    display = InformationPlaneDisplay.from_estimator(
        discrete, X, y, betas=[2.0, 1000.0]
    )
    assert display.ax_.get_ylabel() == "I(T;Y) (nats)"
    drawn = np.r_[display.line_.get_ydata(), display.asymptote_.get_ydata()]
    assert np.all(drawn <= entropy_y + 1e-12)
    assert discrete.information_ty_ <= entropy_y
    plt.close("all")


def test_information_plane_draws_fitted_limit_and_critical_betas_when_present():
    # The documented hook: fitted ``information_xy_`` / ``critical_betas_``
    # are drawn for a discrete bottleneck too.
    X = np.repeat([0, 1, 2, 3], 50).reshape(-1, 1)
    y = np.repeat([0, 0, 1, 1], 50)
    ib = InformationBottleneck(
        n_components=2, beta=4.0, method="iterative", random_state=0
    ).fit(X, y)
    ib.information_xy_ = np.log(2.0)
    ib.critical_betas_ = np.array([1.5])
    betas = [1.0, 2.0, 4.0]
    display = InformationPlaneDisplay.from_estimator(ib, X, y, betas=betas)
    np.testing.assert_allclose(display.asymptote_.get_ydata(), [np.log(2.0)] * 2)
    xt, ty = display.line_.get_xdata(), display.line_.get_ydata()
    expected = [[(xt[0] + xt[1]) / 2, (ty[0] + ty[1]) / 2]]
    np.testing.assert_allclose(display.critical_points_.get_xydata(), expected)


def test_information_plane_from_data_interpolates_critical_points():
    display = InformationPlaneDisplay(
        information_xt=[0.0, 1.0, 2.0],
        information_ty=[0.0, 0.5, 0.7],
        betas=[1.0, 2.0, 4.0],
        critical_betas=[1.0, 3.0, np.inf],
    ).plot()
    np.testing.assert_allclose(
        display.critical_points_.get_xydata(), [[0.0, 0.0], [1.5, 0.6]]
    )
    assert display.point_ is None and display.asymptote_ is None
    with pytest.raises(ValueError, match="critical_points or betas is needed"):
        InformationPlaneDisplay(
            information_xt=[0.0], information_ty=[0.0], critical_betas=[2.0]
        ).plot()


# --------------------------------------------------------- shared behaviour


def _fitted(kind, classification, xor_data, canonical_gaussian):
    if kind == "ranking":
        X, y = classification
        return MutualInfoRankingDisplay, MutualInfoSelector(k=2, random_state=0), X, y
    if kind == "path":
        X, y = xor_data
        est = ConditionalMutualInfoSelector(
            2, estimator=PlugIn(), discrete_features=True
        )
        return SelectionPathDisplay, est, X, y
    X, Y = canonical_gaussian
    return InformationPlaneDisplay, InformationBottleneck(beta=3.0), X, Y


KINDS = ["ranking", "path", "plane"]


@pytest.mark.parametrize("kind", KINDS)
def test_draws_into_given_axes(kind, classification, xor_data, canonical_gaussian):
    Display, est, X, y = _fitted(kind, classification, xor_data, canonical_gaussian)
    est.fit(X, y)
    fig, (left, right) = plt.subplots(ncols=2)
    display = Display.from_estimator(est, ax=right)
    assert display.ax_ is right and display.figure_ is fig
    assert not left.has_data() and right.has_data()
    assert len(plt.get_fignums()) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_unfitted_estimator_raises(kind, classification, xor_data, canonical_gaussian):
    Display, est, _, _ = _fitted(kind, classification, xor_data, canonical_gaussian)
    with pytest.raises(NotFittedError):
        Display.from_estimator(est)
    assert plt.get_fignums() == []


def test_wrong_estimator_is_named(canonical_gaussian):
    X, Y = canonical_gaussian
    ib = InformationBottleneck().fit(X, Y)
    with pytest.raises(TypeError, match=r"needs a fitted selector .* \['scores_'\]"):
        MutualInfoRankingDisplay.from_estimator(ib)
    with pytest.raises(TypeError, match="needs a fitted forward selector"):
        SelectionPathDisplay.from_estimator(ib)


def test_missing_matplotlib_message(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r'pip install "skmi\[plot\]"'):
        MutualInfoRankingDisplay(scores=[0.1]).plot()


def test_import_does_not_load_matplotlib():
    code = "import sys, skmi.plotting; print('matplotlib' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------ pipelines


def _bars(display):
    return [b.get_width() for b in display.bars_], _tick_labels(display.ax_, "y")


def test_ranking_from_pipeline_uses_the_names_going_into_the_selector(
    classification,
):
    pd = pytest.importorskip("pandas")
    X, y = classification
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    pipe = make_pipeline(
        StandardScaler(), MutualInfoSelector(k=3, random_state=0), LogisticRegression()
    ).fit(frame, y)
    selector = pipe[1]
    assert not hasattr(selector, "feature_names_in_")  # it saw an array
    display = MutualInfoRankingDisplay.from_estimator(pipe, max_features=None)
    order = _ranking_order(selector.scores_.tolist())
    widths, labels = _bars(display)
    np.testing.assert_allclose(widths, selector.scores_[order])
    assert labels == [f"f{i}" for i in order]
    # the same drawing as the selector's own, with names instead of x0, x1, ...
    alone = MutualInfoRankingDisplay.from_estimator(selector, max_features=None)
    assert _bars(alone)[0] == widths
    assert _bars(alone)[1] == [f"x{i}" for i in order]

    # a step that renames its output: the selector sees pca0, pca1, ...
    pipe = make_pipeline(
        PCA(n_components=4), MutualInfoSelector(k=2, random_state=0)
    ).fit(frame, y)
    display = MutualInfoRankingDisplay.from_estimator(pipe)
    assert set(_tick_labels(display.ax_, "y")) == {f"pca{i}" for i in range(4)}

    # pandas output all along: the selector's own feature_names_in_
    pipe = (
        make_pipeline(StandardScaler(), MutualInfoSelector(k=2, random_state=0))
        .set_output(transform="pandas")
        .fit(frame, y)
    )
    display = MutualInfoRankingDisplay.from_estimator(pipe, max_features=None)
    assert sorted(_tick_labels(display.ax_, "y")) == sorted(frame.columns)


def test_pipeline_takes_the_last_skmi_step(classification):
    X, y = classification
    pipe = make_pipeline(
        MutualInfoSelector(k=5, random_state=0),
        ConditionalMutualInfoSelector(n_features_to_select=2, random_state=0),
    ).fit(X, y)
    display = MutualInfoRankingDisplay.from_estimator(pipe)
    np.testing.assert_allclose(
        sorted(_bars(display)[0], reverse=True), sorted(pipe[1].relevance_)[::-1]
    )
    assert len(display.bars_) == 5  # the forward selector saw 5 features
    kept = pipe[0].get_support(indices=True)
    assert set(_tick_labels(display.ax_, "y")) == {f"x{i}" for i in kept}


def test_pipeline_without_an_skmi_step_is_refused(classification):
    X, y = classification
    pipe = make_pipeline(SelectKBest(f_classif, k=3), LogisticRegression()).fit(X, y)
    for Display in (MutualInfoRankingDisplay, SelectionPathDisplay):
        with pytest.raises(TypeError, match="no step of the pipeline") as exc:
            Display.from_estimator(pipe)
        assert "'selectkbest' (SelectKBest)" in str(exc.value)
        assert "'logisticregression' (LogisticRegression)" in str(exc.value)
    with pytest.raises(TypeError, match="information bottleneck"):
        InformationPlaneDisplay.from_estimator(pipe)
    unfitted = make_pipeline(StandardScaler(), MutualInfoSelector())
    with pytest.raises(NotFittedError):
        MutualInfoRankingDisplay.from_estimator(unfitted)
    assert plt.get_fignums() == []


def test_ranking_of_a_forward_selector_draws_its_relevance(classification):
    X, y = classification
    selector = ConditionalMutualInfoSelector(
        n_features_to_select=2, random_state=0
    ).fit(X, y)
    display = MutualInfoRankingDisplay.from_estimator(selector, max_features=None)
    relevance = selector.relevance_
    order = _ranking_order(relevance.tolist())
    np.testing.assert_array_equal(display.indices_, order)
    np.testing.assert_allclose(_bars(display)[0], relevance[order])
    # the selected features are highlighted; the step p-values are not drawn
    chosen = selector.get_support()[order]
    colours = [b.get_facecolor() for b in display.bars_]
    assert [c == to_rgba("C0") for c in colours] == chosen.tolist()
    assert display.significance_ is None
    # unclipped KSG estimates below zero stay visible
    assert np.min(relevance) < 0
    assert display.ax_.get_xlim()[0] <= np.min(relevance)


def test_selection_path_from_pipeline(xor_data):
    pd = pytest.importorskip("pandas")
    X, y = xor_data
    frame = pd.DataFrame(X, columns=list("abcdef"))
    selector = ConditionalMutualInfoSelector(
        n_features_to_select=3,
        estimator=PlugIn(),
        discrete_features=True,
        random_state=0,
    )
    pipe = make_pipeline(
        FunctionTransformer(feature_names_out="one-to-one"),
        selector,
        LogisticRegression(),
    ).fit(frame, y)
    display = SelectionPathDisplay.from_estimator(pipe)
    alone = SelectionPathDisplay.from_estimator(pipe[1])
    np.testing.assert_allclose(display.line_.get_ydata(), alone.line_.get_ydata())
    names = [
        f"{step}. {'abcdef'[i]}"
        for step, i in enumerate(pipe[1].selection_order_, start=1)
    ]
    assert _tick_labels(display.ax_, "x") == names


def test_information_plane_from_pipeline_transforms_the_data():
    rng = np.random.RandomState(0)
    n = 400
    x = np.repeat([0, 1], n // 2)
    flip = np.zeros(n, dtype=bool)
    flip[rng.permutation(n)[: n // 10]] = True
    y = np.where(flip, 1 - x, x)
    X = np.column_stack([x, rng.randint(0, 2, n)])
    pipe = make_pipeline(
        ColumnTransformer([("first", "passthrough", [0])]),
        InformationBottleneck(
            n_components=2, beta=4.0, method="iterative", random_state=0
        ),
    ).fit(X, y)
    betas = [1.2, 2.0, 4.0]
    display = InformationPlaneDisplay.from_estimator(pipe, X, y, betas=betas)
    xt, ty, _ = information_curve(pipe[1], X[:, :1], y, betas=betas)
    np.testing.assert_allclose(display.line_.get_xdata(), xt)
    np.testing.assert_allclose(display.line_.get_ydata(), ty)
    point = [[pipe[1].information_xt_, pipe[1].information_ty_]]
    np.testing.assert_allclose(display.point_.get_xydata(), point)
