"""
=====================================================
Marginal mutual information versus a tree's splits
=====================================================

A decision tree grown with ``criterion="entropy"`` chooses, at every node, the
split whose indicator ``1[x <= threshold]`` has the largest plug-in mutual
information with the class on the samples of that node.
:func:`skmi.tree_information_gain` reports that quantity for every split, next
to the impurity decrease the tree stored while it was grown.

This example ranks the features of the breast-cancer data set in three ways:

* by their **marginal** mutual information with the diagnosis,
  :func:`skmi.mutual_info_classif` (each feature alone, all samples);
* by the order in which **JMI forward selection**,
  :class:`skmi.ConditionalMutualInfoSelector`, picks them (each feature
  judged together with the features already chosen);
* by the **information gain the tree obtains from them**: for each feature,
  the sum over the nodes that split on it of the node's gain weighted by the
  share of samples reaching the node.

The rankings answer different questions, and the differences between them
are the point of the example.
"""

# %%
# The data and the tree
# ---------------------
import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.tree import DecisionTreeClassifier

from skmi import (
    ConditionalMutualInfoSelector,
    mutual_info_classif,
    tree_information_gain,
)

data = load_breast_cancer()
X, y = data.data, data.target
names = np.asarray(data.feature_names)
frame = pd.DataFrame(X, columns=names)

tree = DecisionTreeClassifier(criterion="entropy", max_depth=4, random_state=0)
tree.fit(frame, y)

# %%
# Information gain of every split
# -------------------------------
# One row per internal node. On the training data of an entropy tree the
# plug-in mutual information of the split equals the tree's own impurity
# decrease (both in bits).
gain = pd.DataFrame(tree_information_gain(tree, frame, y))
print(gain.drop(columns="weighted_n_samples").round(4).to_string(index=False))
print(
    "largest difference between the two columns:",
    np.abs(gain["mutual_info"] - gain["impurity_decrease"]).max(),
)

# %%
# Two rankings side by side
# -------------------------
# Marginal mutual information is estimated in nats; divide by ``ln 2`` to
# compare it with the tree's bits. The tree's summed gain weights each node by
# the fraction of samples that reach it, so the sum over all features is the
# information the leaves carry about the class, ``I(leaf; Y)``, at most
# ``H(Y)``.
n_samples = X.shape[0]
marginal = mutual_info_classif(X, y, random_state=0) / math.log(2)
weighted = gain["n_samples"] / n_samples * gain["mutual_info"]
tree_gain = weighted.groupby(gain["feature_name"]).sum().reindex(names, fill_value=0.0)

ranking = pd.DataFrame(
    {"marginal MI (bits)": marginal, "tree gain (bits)": tree_gain.to_numpy()},
    index=names,
)
# The third column: the step at which JMI forward selection picks each of its
# first ten features (empty for the others).
jmi = ConditionalMutualInfoSelector(10, criterion="jmi", random_state=0).fit(X, y)
jmi_step = np.full(len(names), np.nan)
jmi_step[jmi.selection_order_] = np.arange(1, 11)
ranking["JMI step"] = jmi_step
ranking = ranking.sort_values("marginal MI (bits)", ascending=False)

# The twelve best features by marginal MI and every feature the tree uses.
top = np.arange(len(ranking)) < 12
shown = ranking[top | (ranking["tree gain (bits)"] > 0) | ranking["JMI step"].notna()]
print(shown.round(3).to_string(na_rep=""))

_, counts = np.unique(y, return_counts=True)
h_y = -np.sum(counts / n_samples * np.log2(counts / n_samples))
print(f"I(leaf; Y) = {tree_gain.sum():.3f} bits of H(Y) = {h_y:.3f} bits")
print(
    "proportional to feature_importances_:",
    np.allclose(tree_gain / tree_gain.sum(), tree.feature_importances_),
)

# %%
fig, axes = plt.subplots(1, 3, figsize=(13, 7), sharey=True)
labels = shown.index[::-1]
axes[0].barh(labels, shown["marginal MI (bits)"][::-1], color="tab:blue")
axes[0].set_title("Marginal mutual information")
axes[0].set_xlabel("bits")
steps = shown["JMI step"][::-1]
axes[1].barh(labels, (11 - steps).fillna(0), color="tab:green")
axes[1].set_title("JMI forward selection")
axes[1].set_xlabel("11 - step at which JMI picks it")
axes[2].barh(labels, shown["tree gain (bits)"][::-1], color="tab:orange")
axes[2].set_title("Tree's summed information gain")
axes[2].set_xlabel("bits")
fig.tight_layout()
plt.show()

# %%
# Where and why the rankings differ
# ---------------------------------
# **Redundancy.** ``worst perimeter``, ``worst area`` and ``worst radius`` are
# three measurements of the size of the same tumour. Each is highly
# informative on its own, so they lead the marginal ranking together; the
# tree splits on ``worst perimeter`` first and, once the samples are
# separated by size, the other two have little left to add and the tree never
# splits on them; the same holds for the ``mean`` versions of the size
# measurements. Marginal mutual information cannot see redundancy; the
# tree, which measures every split *given* the splits above it, does.
# JMI sees it too, in part: it scores a candidate by the average of
# ``I(x; Y | x_j)`` over the features ``x_j`` already chosen, so after
# ``worst perimeter`` its second pick is ``worst smoothness``, weak on its own
# but complementary to size. Because it *averages* over the chosen features,
# a size measurement scores well again once a non-size feature is in the set
# (``I(worst area; Y | worst smoothness)`` is large), and later steps return
# to size: the known weakness of JMI that CMIM (a minimum instead of an
# average) and the full ``"cmi"`` criterion avoid.
#
# **Complementarity.** ``worst texture`` and ``worst smoothness`` rank low on
# their own (about 0.17 and 0.14 bits) but earn gain in the tree: inside a
# sub-population already selected by size, they separate the remaining
# classes (0.48 and 0.42 bits at nodes 9 and 15 in the table above). Their
# information is conditional, ``I(x; Y | path) > I(x; Y)``, which no marginal
# score reveals.
#
# **One threshold versus the whole variable.** A split keeps one bit of a
# feature. Its information is at most the feature's mutual information with
# the class (the data-processing inequality), as the root shows:
root = gain.iloc[0]
print(
    f"root split on {root['feature_name']}: {root['mutual_info']:.3f} bits; "
    f"marginal MI of the feature: {ranking.loc[root['feature_name']].iloc[0]:.3f} bits"
)

# %%
# **Estimation.** The two columns are also computed differently: the marginal
# scores are k-nearest-neighbour estimates on all samples, the gains are
# plug-in estimates on shrinking subsets. Deep nodes hold few samples, and
# the plug-in estimate is biased upwards by about ``(K - 1) / (2 N ln 2)``
# bits for ``K`` classes and ``N`` samples, so a large gain at a small node
# means little; weighting by the node's share of samples keeps such nodes
# from dominating the sum.
#
# In short: rank by marginal mutual information to see which features carry
# information at all; look at the tree's gains, or at a criterion of forward
# selection that conditions on the features already chosen, to see which
# features a model needs together.
