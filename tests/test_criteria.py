"""Each forward-selection criterion against its formula evaluated by hand.

The reference entropies are written here from the definition (counts of the
distinct rows of the stacked columns, ``H = -sum p log p``), independently
of skmi's counting code; the greedy loop is replayed with them and must give
the selector's choices and scores.
"""

import numpy as np
import pytest

from skmi import ConditionalMutualInfoSelector
from skmi.estimators import PlugIn
from skmi.estimators._variables import Variable
from skmi.selection._criteria import CRITERIA, CountTerms, pair_terms


def H(*columns):
    """Plug-in joint entropy (nats) of discrete columns, by counting rows."""
    stacked = np.column_stack(columns)
    _, counts = np.unique(stacked, axis=0, return_counts=True)
    p = counts / stacked.shape[0]
    return float(-np.sum(p * np.log(p)))


def I(a, b):  # noqa: E743
    return H(a) + H(b) - H(a, b)


def I_joint(a, b, y):
    """I(A, B; Y)."""
    return H(a, b) + H(y) - H(a, b, y)


def I_cond(a, b, c):
    """I(A; B | C)."""
    return H(a, c) + H(b, c) - H(a, b, c) - H(c)


def hand_score(criterion, X, y, k, S, beta=1.0):
    """The criterion score of column k given the selected list S."""
    xk = X[:, k]
    rel = I(xk, y)
    if not S or criterion == "mim":
        return rel
    cols = [X[:, j] for j in S]
    if criterion == "mifs":
        return rel - beta * sum(I(xk, xj) for xj in cols)
    if criterion == "mrmr":
        return rel - np.mean([I(xk, xj) for xj in cols])
    if criterion == "cife":
        return rel - sum(I(xk, xj) - I_cond(xk, xj, y) for xj in cols)
    if criterion == "icap":
        return rel - sum(max(0.0, I(xk, xj) - I_cond(xk, xj, y)) for xj in cols)
    if criterion == "jmi":
        return np.mean([I_joint(xk, xj, y) - I(xj, y) for xj in cols])
    if criterion == "jmim":
        return min(I_joint(xk, xj, y) for xj in cols)
    if criterion == "cmim":
        return min(I_cond(xk, y, xj) for xj in cols)
    if criterion == "disr":
        return np.mean([I_joint(xk, xj, y) / H(xk, xj, y) for xj in cols])
    if criterion == "cmi":
        return I_cond(xk, y, np.column_stack(cols))
    raise AssertionError(criterion)


def hand_forward(criterion, X, y, n_select, beta=1.0):
    S, gains = [], []
    for _ in range(n_select):
        candidates = [k for k in range(X.shape[1]) if k not in S]
        scores = [hand_score(criterion, X, y, k, S, beta) for k in candidates]
        i = int(np.argmax(scores))
        S.append(candidates[i])
        gains.append(scores[i])
    return S, gains


def small_problem(seed):
    """Six discrete features of 2-4 levels, related to a 3-class target."""
    rng = np.random.RandomState(seed)
    n = 300
    a = rng.randint(0, 3, n)
    b = rng.randint(0, 2, n)
    y = (a + b + (rng.rand(n) < 0.3)) % 3
    X = np.column_stack(
        [
            np.where(rng.rand(n) < 0.3, rng.randint(0, 3, n), a),
            b,
            np.where(rng.rand(n) < 0.5, rng.randint(0, 3, n), a),
            rng.randint(0, 4, n),
            (a + rng.randint(0, 2, n)) % 3,
            np.where(rng.rand(n) < 0.4, 1 - b, b),
        ]
    )
    return X, y


@pytest.mark.parametrize("criterion", CRITERIA)
@pytest.mark.parametrize("seed", [0, 1])
def test_criterion_matches_hand_formula(criterion, seed):
    X, y = small_problem(seed)
    beta = 0.7
    selector = ConditionalMutualInfoSelector(
        4,
        criterion=criterion,
        beta=beta,
        estimator=PlugIn(adjust=None),
        discrete_features=True,
        interactions=1,  # the criterion alone
    ).fit(X, y)
    order, gains = hand_forward(criterion, X, y, 4, beta=beta)
    assert selector.selection_order_.tolist() == order
    np.testing.assert_allclose(selector.conditional_gains_, gains, rtol=0, atol=1e-10)
    np.testing.assert_allclose(
        selector.relevance_, [I(X[:, k], y) for k in range(X.shape[1])], atol=1e-12
    )


@pytest.mark.parametrize("criterion", CRITERIA)
def test_first_pick_is_most_relevant(criterion):
    X, y = small_problem(3)
    selector = ConditionalMutualInfoSelector(
        1,
        criterion=criterion,
        estimator=PlugIn(adjust=None),
        discrete_features=True,
        interactions=1,
    ).fit(X, y)
    rel = [I(X[:, k], y) for k in range(X.shape[1])]
    assert selector.selection_order_.tolist() == [int(np.argmax(rel))]
    assert selector.conditional_gains_[0] == pytest.approx(max(rel), abs=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_counting_terms_equal_estimator_terms(seed):
    """The vectorised counts give the estimator's own plug-in values."""
    rng = np.random.RandomState(seed)
    n = 400
    X = rng.randint(0, rng.randint(2, 7, size=8), size=(n, 8))
    y = Variable.from_discrete(rng.randint(0, 3, n))
    columns = [Variable.from_discrete(X[:, j]) for j in range(8)]
    counts = CountTerms(
        np.vstack([c.codes for c in columns]), [c.n_levels for c in columns], y
    )
    needs = ("red", "cred", "joint", "hjoint", "crel")
    z = columns[2]
    got = counts.terms(np.arange(8), z.codes, z.n_levels, needs)
    want = pair_terms(PlugIn(adjust=None), columns, z, y, needs)
    for name in needs:
        np.testing.assert_allclose(got[name], want[name], atol=1e-12, err_msg=name)
    np.testing.assert_allclose(
        counts.relevance(np.arange(8)),
        [I(X[:, j], y.codes) for j in range(8)],
        atol=1e-12,
    )


def test_joint_entropies_large_codes_use_sorting():
    """Rows whose joint code range exceeds the bincount budget are still exact."""
    rng = np.random.RandomState(0)
    n = 3000
    X = rng.randint(0, n, size=(n, 3))  # near-unique columns: K ~ n each
    y = Variable.from_discrete(rng.randint(0, 2, n))
    columns = [Variable.from_discrete(X[:, j]) for j in range(3)]
    counts = CountTerms(
        np.vstack([c.codes for c in columns]), [c.n_levels for c in columns], y
    )
    z = columns[0]
    got = counts.terms([1, 2], z.codes, z.n_levels, ("hjoint", "red"))
    for i, k in enumerate([1, 2]):
        assert got["hjoint"][i] == pytest.approx(H(X[:, k], X[:, 0], y.codes))
        assert got["red"][i] == pytest.approx(I(X[:, k], X[:, 0]))
