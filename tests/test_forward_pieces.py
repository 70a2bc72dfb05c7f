"""The pieces the greedy loop calls: the stopping rule and the blocks."""

import numpy as np
import pytest

from skmi.selection._blocks import Blocks
from skmi.selection._forward import ForwardParams
from skmi.selection._interactions import Block, BlockOffers
from skmi.selection._steptest import StepTest
from skmi.selection._stopping import Decision, StoppingRule


class FakeTester:
    """A step test whose null maxima are given."""

    def __init__(self, null, observed):
        self.null = np.asarray(null, dtype=float)
        self.observed = dict(observed)
        self.calls = []

    def test(self, selected, candidates, n_permutations=None, n_exceed=None):
        self.calls.append((list(selected), list(candidates)))
        best = max(self.observed[int(k)] for k in candidates)
        return StepTest(1.0, 0, self.null, self.null.size, 1).pvalue_at(best)

    def observed_of(self, k):
        return self.observed[k]

    def test_chosen(self, k, step):
        return step.pvalue_at(self.observed_of(k))

    def rows_note(self):
        return "fake statistic on all 50 rows"


def test_a_rule_for_a_number_of_features_never_stops():
    rule = StoppingRule(3, None, 0.05)
    assert not rule.tested
    assert rule.n_max(10) == 3 and rule.n_max(2) == 2
    assert rule.before_scoring([], np.arange(4)) == Decision(False)
    assert rule.decide(0, np.nan) == Decision(False)
    assert rule.decide(0, -1.0) == Decision(False)
    assert rule.completed == "n_features_to_select reached"


def test_tol_and_unestimable_scores_stop_auto():
    rule = StoppingRule("auto", 0.1, 0.05)
    assert rule.n_max(10) == 10
    assert rule.completed == "all features selected"
    assert rule.decide(2, 0.2) == Decision(False)
    got = rule.decide(2, 0.05)
    assert got.stop and got.reason == "best score 0.05 < tol=0.1"
    got = rule.decide(2, np.nan)
    assert got.stop and got.reason == "no candidate's score is estimable"


def test_the_step_test_decides_before_and_after_scoring():
    # 19 null maxima 0..18: a statistic above them all has p = 1 / 20
    tester = FakeTester(np.arange(19), {0: 30.0, 1: 5.5, 2: 1.0})
    rule = StoppingRule("auto", None, 0.05, tester)
    assert rule.tested
    before = rule.before_scoring([], np.array([0, 1, 2]))
    assert not before.stop and tester.calls == [([], [0, 1, 2])]
    got = rule.decide(0, 0.3)
    assert not got.stop and got.pvalue == pytest.approx(1 / 20)
    # the draws stop at the first null maximum that reaches 5.5, the 7th
    got = rule.decide(1, 0.3)
    assert got.stop and got.pvalue == pytest.approx(1 / 7)
    assert got.reason == (
        "The best candidate x1 (gain 0.3 nats) is not significant at alpha=0.05: "
        "p >= 0.1 after 7 of 19 permutations (fake statistic on all 50 rows)"
    )
    # the largest statistic not significant: stop before any score
    tester = FakeTester(np.arange(19), {1: 5.5, 2: 1.0})
    rule = StoppingRule("auto", None, 0.05, tester)
    got = rule.before_scoring([0], np.array([1, 2]))
    assert got.stop and got.pvalue == pytest.approx(1 / 7)
    assert got.reason == (
        "No remaining candidate is significant (the largest statistic over them) "
        "at alpha=0.05: p >= 0.1 after 7 of 19 permutations "
        "(fake statistic on all 50 rows)"
    )
    # with blocks pending, the stop waits for the step's scores: the search
    # of a fixed number of features may let a block enter there
    got = rule.before_scoring([0], np.array([1, 2]), blocks_pending=True)
    assert not got.stop
    assert rule.decide(2, 0.01).stop
    rule.names = ["a", "b", "c"]
    assert rule.decide(2, 0.01).reason.startswith("No remaining candidate")
    assert rule.before_scoring([0, 1], np.array([2])).stop
    assert "'c'" in rule.decide(2, 0.01).reason


def test_the_rule_is_built_from_the_parameters():
    from skmi.estimators._variables import Variable

    rng = np.random.RandomState(0)
    columns = [Variable.from_discrete(rng.randint(0, 2, 50)) for _ in range(3)]
    target = Variable.from_discrete(rng.randint(0, 2, 50))
    make = StoppingRule.of
    assert make(ForwardParams(), columns, target, None, rng).tested
    assert not make(ForwardParams(tol=0.1), columns, target, None, rng).tested
    params = ForwardParams(n_features_to_select=2)
    assert not make(params, columns, target, None, rng).tested


class FakeSearch:
    def __init__(self, scores):
        self.scores = dict(scores)
        self.selected = []

    def best(self, pool):
        k = max(pool, key=lambda j: self.scores[int(j)])
        return int(k), self.scores[int(k)]


def test_blocks_enter_member_by_member():
    block = Block(members=(3, 4), statistic=0.2, pvalue=0.01, synergy=0.6)
    blocks = Blocks(BlockOffers([block]))
    search = FakeSearch({0: 0.5, 1: 0.1, 3: 0.05, 4: 0.02})
    # the best candidate scores 0.5 > synergy per member 0.3: no block
    assert blocks.choose(search, np.array([0, 1, 3, 4])) == (0, 0.5, None)
    search.selected = [0]
    search.scores[1] = 0.1
    k, score, entering = blocks.choose(search, np.array([1, 3, 4]))
    assert (k, score) == (3, 0.05) and entering.members == (3, 4)
    assert blocks.queued
    search.selected = [0, 3]
    assert blocks.choose(search, np.array([1, 4]))[::2] == (4, entering)
    assert not blocks.queued
    assert [b.members for b in blocks.entered] == [(3, 4)]
    assert Decision.of_block(entering) == Decision(False, "", 0.01, 0)


def test_pending_blocks_are_known_to_the_stopping_rule():
    block = Block(members=(5, 2), statistic=0.2, pvalue=0.01, synergy=0.01)
    assert Blocks(BlockOffers([block])).pending
    assert not Blocks(BlockOffers([])).pending
