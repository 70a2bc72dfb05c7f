"""Shared fixtures of the test suite."""

import numpy as np
import pytest


def _bivariate_normal(rho, n, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    y = rho * x + np.sqrt(1.0 - rho**2) * rng.standard_normal(n)
    return x, y


@pytest.fixture
def bivariate_normal():
    """``sample(rho, n, seed) -> (x, y)``: standard normals with correlation rho."""
    return _bivariate_normal


@pytest.fixture
def tests_run(monkeypatch):
    """The p-value computations of MutualInfoSelector, by test."""
    import skmi._mutual_info_selector as selectors

    calls = []
    original = selectors._PValueInputs.compute

    def spy(self, *args, **kwargs):
        calls.append(self.test)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(selectors._PValueInputs, "compute", spy)
    return calls
