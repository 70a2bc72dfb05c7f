"""The hooks through which the selection layer asks an estimator what it can do.

The selection layer never checks an estimator's class (``tests/test_layers.py``);
each estimator answers for itself. Each answer is checked here against what
the estimator computes.
"""

import numpy as np
import pytest

from skmi.estimators import KSG, PlugIn
from skmi.estimators._variables import Variable
from skmi.selection._forward import ForwardParams, forward_select
from skmi.selection._sparse_terms import SparseCountRunner
from skmi.selection._terms import CountTermsRunner, EstimatorTerms, term_runner


def plugin_mi(x, y):
    """Plug-in ``I(X; Y)`` in nats from the joint table, written out."""
    n = x.size
    mi = 0.0
    for a in np.unique(x):
        for b in np.unique(y):
            pab = np.mean((x == a) & (y == b))
            if pab > 0:
                mi += pab * np.log(pab / (np.mean(x == a) * np.mean(y == b)))
    assert n > 0
    return mi


@pytest.mark.parametrize(
    "estimator, answer",
    [
        (KSG(), "chance"),
        (KSG(adjust=None), "raw"),
        (KSG(ties="mixed", adjust=None), "raw"),
        (PlugIn(), "chance"),
        (PlugIn(adjust=None), "raw"),
        (PlugIn(adjust="chance"), "chance"),
        (PlugIn(correction="miller-madow"), None),
        (PlugIn(correction="shrinkage"), None),
    ],
)
def test_table_counting_says_what_the_estimator_computes(estimator, answer):
    assert estimator._table_counting() == answer
    rng = np.random.RandomState(0)
    x = rng.randint(0, 4, 300)
    y = (x + rng.randint(0, 3, 300)) % 5
    got = estimator.mutual_info(x, y, x_discrete=True, y_discrete=True)
    raw = plugin_mi(x, y)
    if answer == "raw":
        assert got == pytest.approx(raw, abs=1e-12)
    elif answer == "chance":
        # less the expectation under independence, which is positive
        assert 0 < raw - got < 0.05
    else:
        assert abs(got - raw) > 1e-6


def test_step_structure_gives_the_estimators_values():
    rng = np.random.RandomState(1)
    X = rng.standard_normal((200, 3))
    y = X[:, 0] + X[:, 1] * X[:, 2] + 0.3 * rng.standard_normal(200)
    est = KSG(n_neighbors=4, random_state=0)
    *columns, target = est.prepare(np.column_stack([X, y]), np.zeros(4, bool), 0)
    z = columns[2].precompute()
    step = est._step_structure(target.precompute(), z)
    assert step is not None
    for x in columns[:2]:
        want = est.conditional_mutual_info_prepared(x, target, z)
        assert step.conditional_mutual_info(x) == pytest.approx(want, abs=1e-12)
    assert KSG(ties="mixed")._step_structure(target, z) is None
    assert PlugIn()._step_structure(target, z) is None


def test_too_few_samples_names_the_parameter():
    assert KSG(n_neighbors=5)._too_few_samples(6) is None
    message = KSG(n_neighbors=5)._too_few_samples(5)
    assert "n_neighbors=5" in message and "n_samples=5" in message
    assert PlugIn()._too_few_samples(1) is None


class Uncounted(PlugIn):
    """A third estimator: the plug-in values, but not counted by the selection."""

    def _table_counting(self):
        return None


def discrete(seed=0, n=300, p=6):
    rng = np.random.RandomState(seed)
    X = rng.randint(0, 3, size=(n, p))
    y = (X[:, 0] + X[:, 1]) % 3
    return [Variable.from_discrete(c) for c in X.T], Variable.from_discrete(y)


def test_term_runner_follows_the_estimators_answer():
    columns, target = discrete()
    assert type(term_runner(PlugIn(), columns, target, 1)) is CountTermsRunner
    assert term_runner(KSG(), columns, target, 1).counts.chance
    assert not term_runner(KSG(adjust=None), columns, target, 1).counts.chance
    assert type(term_runner(Uncounted(), columns, target, 1)) is EstimatorTerms
    continuous = KSG().prepare(np.random.RandomState(0).rand(300, 2), np.zeros(2, bool))
    runner = term_runner(KSG(), [*columns, *continuous], target, 1)
    assert type(runner) is EstimatorTerms


def test_sparse_term_runner_follows_the_estimators_answer():
    from scipy import sparse

    rng = np.random.RandomState(0)
    X = sparse.random(200, 8, density=0.2, random_state=rng, format="csc")
    X.data = np.ceil(X.data * 3)
    y = rng.randint(0, 2, 200)
    for est, want in [(PlugIn(), SparseCountRunner), (Uncounted(), EstimatorTerms)]:
        columns = est.prepare(X, np.ones(8, bool))
        target = est.prepare_target(y, True)
        assert type(term_runner(est, columns, target, 1)) is want


@pytest.mark.parametrize("criterion", ["jmi", "cmim", "cife", "cmi"])
def test_a_third_estimator_selects_through_its_own_methods(criterion):
    """An estimator the selection layer does not know gives the values of its
    own methods: here those of the plug-in counts."""
    columns, target = discrete(3, p=8)
    params = ForwardParams(criterion=criterion, n_features_to_select=5)
    counted = forward_select(PlugIn(), columns, target, params)
    own = forward_select(Uncounted(), columns, target, params)
    assert own.selection_order.tolist() == counted.selection_order.tolist()
    np.testing.assert_allclose(own.gains, counted.gains, rtol=0, atol=1e-12)
