"""scikit-learn's common estimator checks over every public estimator of skmi.

Each public estimator appears here in the configurations worth checking
separately. The table of expected failures is empty and must stay so.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skmi import MutualInfoSelector
from skmi.estimators import KSG, PlugIn

ESTIMATORS = [
    MutualInfoSelector(),
    MutualInfoSelector(k=2, estimator=KSG(n_neighbors=2)),
    MutualInfoSelector(k=2, estimator=PlugIn(n_bins=3)),
    MutualInfoSelector(k="all"),
    MutualInfoSelector(percentile=50),
    MutualInfoSelector(threshold=0.01),
    MutualInfoSelector(k=2, n_permutations=5, random_state=0),
]

EXPECTED_FAILURES: dict = {}


@parametrize_with_checks(
    ESTIMATORS, expected_failed_checks=lambda est: EXPECTED_FAILURES.get(repr(est), {})
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
