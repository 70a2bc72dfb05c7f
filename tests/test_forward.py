"""Forward selection on problems with known answers (ORACLES.md)."""

import numpy as np
import pytest

from skmi import ConditionalMutualInfoSelector
from skmi.estimators import PlugIn
from skmi.estimators._variables import Variable
from skmi.selection._criteria import CRITERIA
from skmi.selection._permutation import stratum_permutations
from skmi.selection._steptest import StepTester

SYNERGY = ("jmi", "jmim", "cmim", "cife", "disr", "cmi")


def xor_problem(seed, n=10_000):
    """Y = X1 xor X2 with 10% label noise (columns 0 and 1).

    X2 is 1 with probability 0.4, which gives X1 a weak marginal signal
    (Y equals X1 58% of the time) so that X1 is the first pick; X3 (column 2)
    is X1 with 10% flips, X4 (column 3) is Y with 45% flips (weakly
    relevant), columns 4-7 are noise.
    """
    rng = np.random.RandomState(seed)
    x1 = rng.randint(0, 2, n)
    x2 = (rng.rand(n) < 0.4).astype(int)
    y = (x1 ^ x2) ^ (rng.rand(n) < 0.1)
    x3 = x1 ^ (rng.rand(n) < 0.1)
    x4 = y ^ (rng.rand(n) < 0.45)
    noise = rng.randint(0, 2, size=(n, 4))
    return np.column_stack([x1, x2, x3, x4, noise]), y


def fit(X, y, **params):
    # the criteria alone: no screen for synergistic pairs
    params.setdefault("interactions", 1)
    params.setdefault("estimator", PlugIn())
    params.setdefault("discrete_features", True)
    return ConditionalMutualInfoSelector(**params).fit(X, y)


@pytest.mark.parametrize("criterion", SYNERGY)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_xor_partner_is_second(criterion, seed):
    X, y = xor_problem(seed)
    selector = fit(X, y, n_features_to_select=2, criterion=criterion)
    assert selector.selection_order_.tolist() == [0, 1]


@pytest.mark.parametrize("criterion, second", [("mim", 2), ("mrmr", 3), ("icap", 3)])
@pytest.mark.parametrize("seed", [0, 1])
def test_xor_marginal_ranking_misses_the_partner(seed, criterion, second):
    # None of them sees X2 (ORACLES.md). MIM ignores the selected set and
    # takes X3, the noisy copy of X1 (which inherits X1's weak marginal
    # signal); mRMR penalises that redundancy and ICAP's max(0, .) never
    # rewards synergy, so both take the weakly relevant X4.
    X, y = xor_problem(seed)
    selector = fit(X, y, n_features_to_select=2, criterion=criterion)
    assert selector.selection_order_[0] == 0
    assert selector.selection_order_[1] == second


@pytest.mark.parametrize("criterion", CRITERIA)
def test_exact_duplicate_never_ahead_of_informative(criterion):
    X, y = xor_problem(0, n=4000)
    # column 8 duplicates X1 with relabelled values, column 9 duplicates X4
    X = np.column_stack([X, 1 - X[:, 0], X[:, 3] * 3 + 2])
    selector = fit(X, y, n_features_to_select=X.shape[1], criterion=criterion)
    order = selector.selection_order_.tolist()
    assert sorted(order[-2:]) == [8, 9]


@pytest.mark.parametrize("criterion", ["mim", "mrmr", "jmi"])
def test_exact_duplicate_continuous(criterion):
    rng = np.random.RandomState(0)
    X = rng.standard_normal((300, 4))
    y = X[:, 0] + 0.5 * X[:, 1] + 0.3 * rng.standard_normal(300)
    X = np.column_stack([X, X[:, 0]])
    selector = ConditionalMutualInfoSelector(
        3, criterion=criterion, random_state=0
    ).fit(X, y)
    assert selector.selection_order_[0] in (0, 4)
    assert not {0, 4} <= set(selector.selection_order_.tolist())


def gaussian_xz_y(seed, n=2000):
    """Features X (column 0) and Z (column 1), target Y, with I(X; Y | Z) = 0.

    Correlations rho_xy = 0.35, rho_xz = 0.5, rho_yz = 0.7: the partial
    correlation of X and Y given Z is (0.35 - 0.5 * 0.7) / ... = 0.
    """
    rng = np.random.RandomState(seed)
    cov = np.array([[1.0, 0.5, 0.35], [0.5, 1.0, 0.7], [0.35, 0.7, 1.0]])
    data = rng.multivariate_normal(np.zeros(3), cov, size=n)
    return data[:, :2], data[:, 2]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_gaussian_conditional_independence(seed):
    X, y = gaussian_xz_y(seed)
    selector = ConditionalMutualInfoSelector(2, criterion="cmi", random_state=seed).fit(
        X, y
    )
    assert selector.selection_order_.tolist() == [1, 0]
    # I(Z; Y) = -log(1 - 0.49) / 2 = 0.336 nats; I(X; Y | Z) = 0
    assert selector.conditional_gains_[0] == pytest.approx(0.336, abs=0.04)
    assert abs(selector.conditional_gains_[1]) < 0.03
    auto = ConditionalMutualInfoSelector(
        criterion="cmi", n_permutations=50, random_state=seed
    ).fit(X, y)
    assert auto.selection_order_.tolist() == [1]
    assert auto.pvalues_.shape == (1,)
    assert auto.pvalues_[0] == pytest.approx(1 / 51)


def test_auto_stops_at_the_informative_features():
    X, y = xor_problem(0, n=4000)
    selector = fit(X, y, criterion="jmi", random_state=0)
    assert selector.selection_order_[:2].tolist() == [0, 1]
    assert selector.n_features_to_select_ <= 4
    assert np.all(selector.pvalues_ <= 0.05)
    assert selector.pvalues_.shape == selector.selection_order_.shape


def test_auto_selects_nothing_from_pure_noise():
    rng = np.random.RandomState(0)
    X = rng.randint(0, 2, size=(200, 5))
    y = rng.randint(0, 2, 200)
    selector = fit(X, y, criterion="mrmr", n_permutations=30, random_state=0)
    assert selector.n_features_to_select_ == 0
    assert selector.pvalues_.shape == (0,)
    assert selector.stop_reason_.endswith("rows)")


def test_tol_overrides_the_test():
    X, y = xor_problem(0, n=4000)
    selector = fit(X, y, criterion="cmim", tol=0.01)
    assert selector.pvalues_ is None
    gains = selector.conditional_gains_
    assert np.all(gains >= 0.01)  # the first step too
    assert selector.selection_order_[:2].tolist() == [0, 1]
    assert "tol=0.01" in selector.stop_reason_
    # X1's relevance (0.013 nats) is below this tol: nothing is selected
    assert fit(X, y, criterion="cmim", tol=0.05).n_features_to_select_ == 0
    loose = fit(X, y, criterion="cmim", tol=-1.0)
    assert loose.n_features_to_select_ == X.shape[1]


@pytest.mark.parametrize("criterion", ["jmi", "cmim", "mrmr", "cmi"])
def test_n_jobs_do_not_change_results_knn(criterion):
    rng = np.random.RandomState(0)
    X = rng.standard_normal((200, 6))
    y = X[:, 0] * X[:, 1] + X[:, 2] + 0.5 * rng.standard_normal(200)
    results = []
    for n_jobs in (1, 2):
        s = ConditionalMutualInfoSelector(
            criterion=criterion, n_permutations=19, random_state=0, n_jobs=n_jobs
        ).fit(X, y)
        results.append((s.selection_order_, s.conditional_gains_, s.pvalues_))
    for a, b in zip(results[0], results[1], strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("criterion", ["jmi", "cmim", "icap"])
def test_n_jobs_do_not_change_results_counts(criterion):
    X, y = xor_problem(1, n=3000)
    rng = np.random.RandomState(0)
    X = np.column_stack([X, rng.randint(0, 3, size=(3000, 30))])
    results = []
    for n_jobs in (1, 2):
        s = fit(X, y, n_features_to_select=8, criterion=criterion, n_jobs=n_jobs)
        results.append((s.selection_order_, s.conditional_gains_))
    for a, b in zip(results[0], results[1], strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("criterion", ["jmi", "cmim", "cmi"])
def test_n_jobs_do_not_change_results_plugin_counts(criterion):
    """The vectorised counting path (PlugIn on discrete data) in threads."""
    X, y = xor_problem(2, n=2000)
    rng = np.random.RandomState(1)
    X = np.column_stack([X, rng.randint(0, rng.randint(2, 6, 40), size=(2000, 40))])
    results = []
    for n_jobs in (1, 2):
        s = fit(
            X,
            y,
            n_features_to_select=6,
            criterion=criterion,
            n_jobs=n_jobs,
            estimator=PlugIn(),
            discrete_features=True,
        )
        results.append((s.selection_order_, s.conditional_gains_))
    for a, b in zip(results[0], results[1], strict=True):
        np.testing.assert_array_equal(a, b)


def test_count_runner_threads_keep_the_candidate_order():
    """Candidates in any order (CMIM completes them by partial score): the
    terms computed in threads come back in the order asked."""
    from skmi.selection._terms import CountTermsRunner

    rng = np.random.RandomState(0)
    X = rng.randint(0, rng.randint(2, 7, 30), size=(500, 30))
    y = (X[:, 0] + X[:, 1]) % 3
    columns = [Variable.from_discrete(X[:, j]) for j in range(30)]
    target = Variable.from_discrete(y)
    candidates = rng.permutation(np.arange(1, 30))
    needs = ("red", "cred", "cmi")
    z = CountTermsRunner(columns, target, 1).conditioning([0])
    serial = CountTermsRunner(columns, target, 1).terms(candidates, z, needs)
    threads = CountTermsRunner(columns, target, 2).terms(candidates, z, needs)
    one_by_one = [
        CountTermsRunner(columns, target, 1).terms([k], z, needs) for k in candidates
    ]
    for name in needs:
        np.testing.assert_array_equal(threads[name], serial[name])
        np.testing.assert_array_equal(serial[name], [t[name][0] for t in one_by_one])


def test_lazy_cmim_equals_full_minimum():
    """CMIM's lazy update gives the scores of the plain min over the selected set."""
    rng = np.random.RandomState(0)
    n, p = 300, 40
    X = rng.randint(0, 3, size=(n, p))
    y = (X[:, 0] + X[:, 1] + rng.randint(0, 2, n)) % 3
    est = PlugIn(correction="miller-madow")  # the estimator path, batches of 16
    selector = fit(X, y, n_features_to_select=5, criterion="cmim", estimator=est)
    S = []
    for _ in range(5):
        best, best_k = -np.inf, -1
        for k in range(p):
            if k in S:
                continue
            if S:
                score = min(
                    est.conditional_mutual_info(
                        X[:, k],
                        y,
                        X[:, j],
                        x_discrete=True,
                        y_discrete=True,
                        z_discrete=True,
                    )
                    for j in S
                )
            else:
                score = est.mutual_info(X[:, k], y, x_discrete=True, y_discrete=True)
            if score > best:
                best, best_k = score, k
        S.append(best_k)
    assert selector.selection_order_.tolist() == S


def test_permutations_stay_within_strata():
    rng = np.random.RandomState(0)
    strata = rng.randint(0, 5, 100)
    perms = stratum_permutations(strata, 20, rng)
    for perm in perms:
        assert sorted(perm.tolist()) == list(range(100))
        np.testing.assert_array_equal(strata[perm], strata)
    assert len({tuple(p) for p in perms}) == 20


def test_verbose_reports_each_step(capsys):
    X, y = xor_problem(0, n=2000)
    fit(X, y, n_features_to_select=2, criterion="jmi", verbose=1)
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3
    assert "step 1: x0 (index 0)" in out[0]
    assert "step 2: x1 (index 1)" in out[1]
    assert "total" in out[1] and out[1].rstrip().endswith("s)")
    assert "stopped" in out[2]


@pytest.mark.parametrize("criterion", ["mim", "jmi", "cmim"])
def test_constant_columns_have_zero_relevance_and_come_last(criterion):
    rng = np.random.RandomState(0)
    n = 200
    X = rng.standard_normal((n, 3))
    y = (X[:, 0] + 2.0 * rng.standard_normal(n) > 0).astype(int)  # weak signal
    X = np.column_stack([np.full(n, 2.0), X, np.zeros(n)])
    selector = ConditionalMutualInfoSelector(
        5, criterion=criterion, random_state=0
    ).fit(X, y)
    assert selector.relevance_[0] == 0.0 and selector.relevance_[4] == 0.0
    assert sorted(selector.selection_order_[3:].tolist()) == [0, 4]


@pytest.mark.slow
def test_stopping_test_level_under_discrete_conditional_independence():
    """X2 and Y both depend on X1 only: the step test of X2 given X1 is exact.

    Y is permuted within the levels of X1, which keeps its relation with X1
    (and so with X2); the rejection rate at 5% stays near 5%, although X2
    and Y are strongly dependent.
    """
    est = PlugIn()
    n_runs, n_perm = 150, 19
    pvalues = []
    for seed in range(n_runs):
        rng = np.random.RandomState(seed)
        n = 200
        x1 = rng.randint(0, 3, n)
        y = np.where(rng.rand(n) < 0.3, rng.randint(0, 3, n), x1)
        x2 = np.where(rng.rand(n) < 0.3, rng.randint(0, 3, n), x1)
        columns = est.prepare(np.column_stack([x1, x2]), np.array([True, True]))
        target = Variable.from_discrete(y)
        tester = StepTester(columns, target, np.array([True, True]), rng, n_perm, 1)
        pvalues.append(tester.test([0], [1]).pvalue)
        marginal = tester.test([], [1]).pvalue
    pvalues = np.array(pvalues)
    # exact level 1/20 under exchangeability; binomial sd over 150 runs: 0.018
    assert np.mean(pvalues <= 0.05) < 0.05 + 3.5 * 0.018
    assert marginal <= 0.05  # without the conditioning X2 is relevant


def test_thread_map_keeps_order_and_nests_serially():
    from skmi.estimators._threads import thread_map

    assert thread_map(lambda i: i * i, range(7), n_jobs=2) == [i * i for i in range(7)]
    nested = thread_map(lambda i: thread_map(abs, [-i, i], n_jobs=2), [1, 2], n_jobs=2)
    assert nested == [[1, 1], [2, 2]]
    assert thread_map(abs, [], n_jobs=2) == []
