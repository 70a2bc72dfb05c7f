"""scikit-learn's common estimator checks over every public estimator of skmi.

One ``parametrize_with_checks`` runs over the list below, which holds each
public estimator in the configurations worth checking separately (add new
ones to the list). No check is expected to fail: the estimators must pass
all of them as they are.
"""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from skmi import (
    ConditionalMutualInfoSelector,
    InformationBottleneck,
    MutualInfoSelector,
)
from skmi.estimators import KSG, PlugIn

ESTIMATORS = [
    # MutualInfoSelector: default (KSG, k=10 > n_features of most checks),
    # each selection rule, the plug-in estimator (G-test p-values), the
    # permutation test and the selection by adjusted p-values
    MutualInfoSelector(),
    MutualInfoSelector(k=2, estimator=KSG(n_neighbors=2)),
    MutualInfoSelector(k=2, estimator=PlugIn(n_bins=3)),
    MutualInfoSelector(k="all"),
    MutualInfoSelector(percentile=50),
    MutualInfoSelector(threshold=0.01),
    MutualInfoSelector(k=2, n_permutations=5, random_state=0),
    MutualInfoSelector(alpha=0.05, estimator=PlugIn(), random_state=0),
    # ConditionalMutualInfoSelector (greedy forward selection): the "auto"
    # stopping test, counts, fractions, the lazy CMIM, DISR on plug-in codes
    ConditionalMutualInfoSelector(),
    ConditionalMutualInfoSelector(2, criterion="mrmr"),
    ConditionalMutualInfoSelector(0.5, criterion="cmi", estimator=KSG(n_neighbors=2)),
    ConditionalMutualInfoSelector(criterion="cmim", estimator=PlugIn(), tol=0.01),
    ConditionalMutualInfoSelector(
        criterion="disr", estimator=PlugIn(n_bins=3), n_permutations=19, random_state=0
    ),
    ConditionalMutualInfoSelector(
        criterion="mifs", beta=0.5, n_permutations=5, alpha=0.2, random_state=0
    ),
    # InformationBottleneck (dimensionality reduction): Gaussian closed form,
    # iterative and deterministic IB
    InformationBottleneck(),
    InformationBottleneck(n_components=2, beta=3.0, shrinkage=0.1),
    InformationBottleneck(method="iterative"),
    InformationBottleneck(method="deterministic"),
]


@pytest.mark.filterwarnings("ignore:k=10 is greater than n_features")
@pytest.mark.filterwarnings("ignore:No features were selected")
@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_every_public_estimator_is_checked():
    # every public class with a fit method appears in ESTIMATORS
    import skmi

    public = {
        name
        for name in skmi.__all__
        if isinstance(getattr(skmi, name), type) and hasattr(getattr(skmi, name), "fit")
    }
    checked = {type(est).__name__ for est in ESTIMATORS}
    assert public == checked
