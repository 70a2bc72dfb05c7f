"""
==========================================================
Marginal ranking versus JMI and mRMR on redundant features
==========================================================

Ranking features by their mutual information with the target, each feature
alone (``criterion="mim"``), keeps every copy of an informative feature: a
noisy copy is almost as relevant as the original, yet adds little once the
original is selected. The greedy criteria of
:class:`skmi.ConditionalMutualInfoSelector` score each candidate given the
features already selected: JMI by its average conditional relevance
``I(X_k; Y | X_j)`` over the selected ``X_j``, mRMR by its relevance minus its
average redundancy ``I(X_k; X_j)``.

The data below have 5 informative features, 5 redundant linear combinations
of them, 10 noise features, and two noisy copies of each informative feature.
For each number of selected features we report the cross-validated accuracy
of a logistic regression on them. The selection is refitted on the training
part of every fold, so the accuracy is not biased by selecting on the test
samples.
"""

# %%
# Data with redundant features
# ----------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmi import ConditionalMutualInfoSelector

rng = np.random.RandomState(0)
X, y = make_classification(
    n_samples=500,
    n_features=20,
    n_informative=5,
    n_redundant=5,
    n_repeated=0,
    n_clusters_per_class=2,
    shuffle=False,
    random_state=0,
)
informative = X[:, :5]
copies = [informative + s * rng.standard_normal(informative.shape) for s in (0.3, 0.5)]
X = np.hstack([X] + copies)
print(f"{X.shape[1]} features: 5 informative, 5 redundant, 10 noise, 10 noisy copies")

# %%
# Selection inside cross-validation
# ---------------------------------
# A greedy selection of ``k`` features is the first ``k`` of the selection
# order, so each selector is fitted once per fold for the largest ``k`` and
# the logistic regression is scored on every prefix of its order.
max_features = 12
criteria = {"mim": "marginal ranking (MIM)", "jmi": "JMI", "mrmr": "mRMR"}
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
accuracy = {c: np.zeros((cv.get_n_splits(), max_features)) for c in criteria}
orders = {}
for fold, (train, test) in enumerate(cv.split(X, y)):
    for criterion in criteria:
        selector = ConditionalMutualInfoSelector(
            # interactions=1: the criteria alone, without the synergy screen
            max_features,
            criterion=criterion,
            random_state=0,
            interactions=1,
        ).fit(X[train], y[train])
        order = selector.selection_order_
        orders.setdefault(criterion, order)
        for k in range(1, max_features + 1):
            model = make_pipeline(StandardScaler(), LogisticRegression())
            columns = order[:k]
            model.fit(X[train][:, columns], y[train])
            accuracy[criterion][fold, k - 1] = model.score(X[test][:, columns], y[test])

for criterion, label in criteria.items():
    print(f"{label:>24}: first fold's order {orders[criterion][:8].tolist()}")

# %%
# Accuracy against the number of selected features
# ------------------------------------------------
# Marginal ranking spends its first picks on copies of the same few
# informative features. JMI rewards what a candidate adds to each selected
# feature and reaches a high accuracy with two or three features. mRMR
# subtracts the redundancy with the selected features from the relevance, so
# a noise feature (no relevance, no redundancy) can outrank an informative
# feature that is correlated with the ones already chosen: with weakly
# relevant features its curve climbs more slowly than JMI's.
ks = np.arange(1, max_features + 1)
fig, ax = plt.subplots(figsize=(6.5, 4))
for criterion, label in criteria.items():
    mean = accuracy[criterion].mean(axis=0)
    std = accuracy[criterion].std(axis=0)
    ax.plot(ks, mean, marker="o", label=label)
    ax.fill_between(ks, mean - std, mean + std, alpha=0.15)
ax.set_xlabel("number of selected features")
ax.set_ylabel("cross-validated accuracy")
ax.set_title("Logistic regression on greedily selected features")
ax.legend(loc="lower right")
fig.tight_layout()
plt.show()
