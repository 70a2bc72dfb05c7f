"""The test of a step's chosen candidate by its k-NN conditional information."""

import numpy as np
import pytest

from skmi import ConditionalMutualInfoSelector
from skmi.estimators import KSG
from skmi.estimators._variables import Variable
from skmi.selection import _chosen_cmi as cc
from skmi.selection import _steptest as st
from skmi.selection._permutation import free_permutations, sequential_pvalue
from skmi.selection._steptest import StepTester


def _record(n, scores, rng, n_rivals=2):
    return cc.PermutationRecord(
        lambda b: free_permutations(n, b, rng), scores, n_rivals=n_rivals
    )


def test_the_record_keeps_draws_and_each_permutations_strongest():
    rng = np.random.RandomState(0)
    n = 30
    table = rng.rand(100, 5)

    def scores(perms):
        return table[perms[:, 0] % 100]

    record = _record(n, scores, rng)
    identity = np.arange(n)[None, :]
    record.score(identity)  # the observed statistics are not a permutation's
    assert record._rivals == {}
    perms = record.draw(4)
    record.score(perms)
    assert record.n_drawn == 4
    np.testing.assert_array_equal(record.drawn[0], perms)
    expected = np.argsort(-table[perms[:, 0] % 100], axis=1)[:, :2]
    np.testing.assert_array_equal(np.sort(record.rivals(0)), np.sort(expected))
    # by kind: the strongest of candidates 0, 2, 4 and of 1, 3
    kinds = np.array([0, 1, 0, 1, 0])
    record = cc.PermutationRecord(record.draw, scores, kinds=kinds)
    record.score(perms)
    values = table[perms[:, 0] % 100]
    for k, members in ((2, [0, 2, 4]), (3, [1, 3])):
        order = np.argsort(-values[:, members], axis=1)[:, :2]
        expected = np.sort(np.array(members)[order], axis=1)
        np.testing.assert_array_equal(np.sort(record.rivals(k), axis=1), expected)


def _variables(seed, n=200):
    rng = np.random.RandomState(seed)
    z = rng.standard_normal(n)
    x = rng.standard_normal((n, 3))
    y = z + 0.8 * x[:, 0] + 0.5 * rng.standard_normal(n)
    est = KSG()
    cols = est.prepare(np.column_stack([z, x]), np.zeros(4, bool), rng)
    return est, cols, est.prepare_target(y, False, rng), rng


def _redrawn(x, z, perm, m=cc.N_SMOOTHING):
    """A candidate drawn again given a one-dimensional ``z`` by hand: its
    least-squares line on ``z`` plus the mean residual of the ``m`` nearest
    other rows in ``z``, the residuals of that fit permuted, then its own
    values in that order."""
    v, zc = x.continuous[:, 0], z.continuous[:, 0]
    slope, intercept = np.polyfit(zc, v, 1)
    fitted = intercept + slope * zc
    line = v - fitted
    local = np.empty_like(v)
    for i in range(v.size):
        d = np.abs(zc - zc[i])
        d[i] = np.inf
        local[i] = line[np.argsort(d, kind="stable")[:m]].mean()
    fitted = fitted + local
    drawn = fitted + (v - fitted)[perm]
    out = np.empty_like(v)
    out[np.argsort(drawn)] = np.sort(v)
    return Variable(out)


def test_the_chosen_test_matches_a_brute_force_replay():
    est, cols, y, rng = _variables(0)
    n = y.n_samples
    z = cols[0]
    cands = cols[1:]
    record = _record(n, lambda p: rng.rand(p.shape[0], 3), rng)
    step = sequential_pvalue(10.0, record.score, record.draw, 19, 1)
    assert step.n_permutations == 19
    got = cc.chosen_cmi_test(lambda j: cands[j], 1, y, z, step, record, est)
    # by hand: the chosen candidate's estimate against, on each permutation,
    # the largest estimate over it and that permutation's two strongest,
    # each drawn again given z (the target and z kept)
    observed = est.conditional_mutual_info_prepared(cands[1], y, z)
    perms, strongest = np.vstack(record.drawn), record.rivals(1)
    null = []
    for b in range(19):
        members = sorted({1, *strongest[b].tolist()})
        null.append(
            max(
                est.conditional_mutual_info_prepared(
                    _redrawn(cands[j], z, perms[b]), y, z
                )
                for j in members
            )
        )
        if null[-1] >= observed:
            break
    reached = int(np.sum(np.array(null) >= observed))
    expected = 1.0 / len(null) if reached else 1.0 / 20
    assert got.pvalue == pytest.approx(max(expected, step.pvalue))
    assert got.n_permutations == len(null)


def test_a_redrawn_candidate_keeps_its_values_and_its_relation_to_z():
    rng = np.random.RandomState(3)
    n = 400
    z = rng.standard_normal((n, 4))
    proxy = z.sum(axis=1) + 0.1 * rng.standard_normal(n)
    perm = rng.permutation(n)
    drawn = cc.Resampler(Variable(proxy), Variable(z)).draw(perm).continuous[:, 0]
    np.testing.assert_array_equal(np.sort(drawn), np.sort(proxy))
    # the residual sd is 0.1: a drawn value is the sum with another noise
    assert np.std(drawn - z.sum(axis=1)) < 0.2
    # (a plain permutation of the rows is not a function of z at all)
    assert np.std(proxy[perm] - z.sum(axis=1)) > 1.5
    # codes are permuted as they are; the first step permutes the values
    codes = Variable(codes=rng.randint(0, 3, n))
    np.testing.assert_array_equal(
        cc.Resampler(codes, Variable(z)).draw(perm).codes, codes.take(perm).codes
    )
    free = cc.Resampler(Variable(proxy), None).draw(perm).continuous[:, 0]
    np.testing.assert_array_equal(free, proxy[perm])


def test_smoothing_neighbours_share_levels_and_leave_strata_alone():
    rng = np.random.RandomState(4)
    n = 300
    codes = rng.randint(0, 3, n)
    z = Variable(rng.standard_normal((n, 2)), codes=codes)
    nearby = cc.smoothing_neighbours(z)
    assert nearby.shape == (n, cc.N_SMOOTHING)
    assert np.all(codes[nearby] == codes[:, None])
    assert not np.any(nearby == np.arange(n)[:, None])
    # given strata alone a draw stays a permutation within them (exact)
    assert cc.smoothing_neighbours(Variable(codes=codes)) is None
    assert cc.smoothing_neighbours(None) is None


def test_the_step_estimate_equals_the_plain_estimate():
    est, cols, y, _ = _variables(2)
    z = Variable.join(cols[0], cols[1], cols[2])
    estimate = cc.step_estimate(est, y, z)
    assert est._step_structure(y, z) is not None  # the shared structures ran
    assert estimate(cols[3]) == pytest.approx(
        est.conditional_mutual_info_prepared(cols[3], y, z), abs=1e-12
    )


def test_the_chosen_test_needs_every_permutation():
    est, cols, y, rng = _variables(1)
    record = _record(y.n_samples, lambda p: np.ones((p.shape[0], 3)), rng)
    step = sequential_pvalue(0.5, record.score, record.draw, 19, 1)
    assert step.n_permutations < 19
    with pytest.raises(ValueError, match="stopped before"):
        cc.chosen_cmi_test(lambda j: cols[j], 0, y, None, step, record, est)


def test_joined_is_none_for_no_column():
    assert cc.joined([]) is None
    v = cc.joined([Variable(np.arange(4.0)), Variable(np.ones(4))])
    assert v.continuous.shape == (4, 2)


# --------------------------------------------------------------------------
# power and size of the step with a chosen candidate
# --------------------------------------------------------------------------
def _step_problem(seed, chosen_kind, n=300):
    """Three selected features, a strong linear candidate (so the step test
    rejects) and the candidate a criterion would choose: ``|x|`` (weak for
    the neighbour statistic, clear for the k-NN CMI) or independent noise."""
    rng = np.random.RandomState(seed)
    z = rng.standard_normal((n, 3))
    strong, chosen = rng.standard_normal(n), rng.standard_normal(n)
    y = z.sum(axis=1) / np.sqrt(3) + 0.6 * strong + 0.7 * rng.standard_normal(n)
    if chosen_kind == "abs":
        y = y + 1.2 * np.abs(chosen)
    return np.column_stack([z, strong, chosen]), y, rng


def _tester(X, y, rng, with_estimator):
    """The step tester of continuous columns, with KSG or without estimator."""
    est, mask = KSG(), np.zeros(X.shape[1], bool)
    columns, target = est.prepare(X, mask, rng), est.prepare_target(y, False, rng)
    estimator = est if with_estimator else None
    return StepTester(columns, target, mask, rng, 19, 1, estimator=estimator)


def _chosen_pvalues(chosen_kind, seeds, with_estimator):
    out, kinds = [], set()
    for seed in seeds:
        tester = _tester(*_step_problem(seed, chosen_kind), with_estimator)
        step = tester.test([0, 1, 2], [3, 4])
        if step.pvalue > 0.05:  # the strong candidate is missed: no decision
            continue
        out.append(tester.test_chosen(4, step).pvalue)
        kinds.add(tester.kind)
    return np.array(out), kinds


def test_the_chosen_candidate_has_power_on_an_even_function():
    """Given three selected features an ``|x|`` term passes both the k-NN
    CMI and the neighbour statistic (whose ``min(R_i, R_j)`` form passed it
    in none of these data sets: the level of the neighbours' ranks)."""
    seeds = range(12)
    cmi, kinds = _chosen_pvalues("abs", seeds, True)
    assert kinds == {st.CHOSEN_CMI}  # the k-NN path ran
    neighbour, kinds = _chosen_pvalues("abs", seeds, False)
    assert kinds == {st.NEIGHBOURS}
    assert cmi.size >= 10 and neighbour.size >= 10
    assert np.mean(cmi <= 0.05) >= 0.75
    assert np.mean(neighbour <= 0.05) >= 0.75


@pytest.mark.slow
def test_a_chosen_noise_candidate_is_rarely_admitted():
    """The step test rejects (a strong candidate remains) and a criterion
    chooses an independent noise candidate: it enters at most at alpha."""
    pvalues, kinds = _chosen_pvalues("noise", range(60), True)
    assert kinds == {st.CHOSEN_CMI}
    assert pvalues.size >= 50
    # binomial sd at 0.05 over 50 runs: 0.031
    assert np.mean(pvalues <= 0.05) <= 0.05 + 2.5 * 0.031


@pytest.mark.slow
def test_continuous_noise_selects_nothing_with_the_chosen_test(monkeypatch):
    calls = []
    real = cc.chosen_cmi_test

    def spy(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(st, "chosen_cmi_test", spy)
    selected = 0
    n_seeds = 60
    for seed in range(n_seeds):
        rng = np.random.RandomState(seed)
        X, y = rng.standard_normal((120, 8)), rng.standard_normal(120)
        sel = ConditionalMutualInfoSelector(interactions=1, random_state=seed)
        selected += sel.fit(X, y).n_features_to_select_ > 0
    # each fit's chance is at most alpha = 0.05 (sd over 60 fits: 0.028)
    assert selected / n_seeds <= 0.05 + 2.5 * 0.028
    assert calls  # the chosen candidate's test ran where the step test rejected


def _proxy_step(seed, with_estimator, n=400, d=3, squares=False):
    """Three selected features, ``y`` their sum (or the sum of their
    squares) plus noise, and a close proxy of it (independent of ``y`` given
    them) among noise candidates."""
    rng = np.random.RandomState(seed)
    z = rng.standard_normal((n, d))
    total = z.sum(axis=1) / np.sqrt(d)
    if squares:
        total = (z**2).sum(axis=1) / np.sqrt(2 * d)
    X = np.column_stack([z, total + 0.1 * rng.standard_normal(n), rng.randn(n, 2)])
    y = total + 0.5 * rng.standard_normal(n)
    tester = _tester(X, y, rng, with_estimator)
    step = tester.test(list(range(d)), [d, d + 1, d + 2])
    if step.pvalue > 0.05:
        return False
    return tester.test_chosen(d, step).pvalue <= 0.05


@pytest.mark.slow
@pytest.mark.parametrize("d, n", [(3, 400), (4, 1000)])
def test_a_proxy_of_the_selected_features_is_rarely_admitted(d, n):
    n_runs = 40
    cmi = np.mean([_proxy_step(s, True, n=n, d=d) for s in range(n_runs)])
    neighbour = np.mean([_proxy_step(s, False, n=n, d=d) for s in range(n_runs)])
    assert neighbour >= 0.5  # the case the neighbour statistic gets wrong
    # at most twice alpha (binomial sd at 0.1 over 40 runs: 0.047); a
    # permutation of the target among neighbours in four dimensions admits
    # the proxy of 1,000 rows a third of the time
    assert cmi <= 0.10 + 2.5 * 0.047


@pytest.mark.slow
def test_a_proxy_of_the_sum_of_squares_is_rarely_admitted(monkeypatch):
    """The candidate's fit on the set has its squares: a linear fit
    admitted this proxy in 19 of 20 data sets."""
    admitted = [_proxy_step(s, True, n=1000, squares=True) for s in range(20)]
    assert np.mean(admitted) <= 0.10 + 2.5 * 0.067
    monkeypatch.setattr(cc, "ROWS_PER_TERM", 10_000)  # the linear fit alone
    admitted = [_proxy_step(s, True, n=1000, squares=True) for s in range(6)]
    assert np.mean(admitted) >= 0.5


def test_the_fit_design_has_the_squares_while_rows_allow():
    rng = np.random.RandomState(0)
    z = Variable(rng.standard_normal((70, 3)))
    design = cc._design(z, 70)  # 1 + 3 + 3 columns, 10 rows each
    c = z.continuous
    expected = [np.ones(70), c[:, 0], c[:, 1], c[:, 2]]
    expected += [c[:, 0] ** 2, c[:, 1] ** 2, c[:, 2] ** 2]
    np.testing.assert_array_equal(design, np.column_stack(expected))
    assert cc._design(z.take(np.arange(69)), 69).shape[1] == 4  # linear only
    assert cc._design(None, 5).shape == (5, 1)
    codes = Variable(codes=np.arange(70) % 3, n_levels=3)
    assert cc._design(codes, 70).shape == (70, 1)  # strata: no fit


@pytest.mark.parametrize("n_selected", [1, 3])
def test_below_three_selected_a_strong_neighbour_statistic_decides_alone(n_selected):
    rng = np.random.RandomState(0)
    n = 300
    z = rng.standard_normal((n, n_selected))
    x = rng.standard_normal(n)
    y = z.sum(axis=1) + 2.0 * x + 0.3 * rng.standard_normal(n)
    tester = _tester(np.column_stack([z, x]), y, rng, True)
    step = tester.test(list(range(n_selected)), [n_selected])
    assert step.pvalue <= 0.05
    assert tester.test_chosen(n_selected, step).pvalue <= 0.05
    expected = st.NEIGHBOURS if n_selected < st.BLURRED_SET else st.CHOSEN_CMI
    assert tester.kind == expected
