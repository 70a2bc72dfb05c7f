"""scikit-learn compatibility of InformationBottleneck and its use in pipelines."""

import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from skmi import InformationBottleneck


@parametrize_with_checks(
    [
        InformationBottleneck(),
        InformationBottleneck(n_components=2, beta=3.0, shrinkage=0.1),
        InformationBottleneck(method="iterative"),
        InformationBottleneck(method="deterministic"),
    ]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
