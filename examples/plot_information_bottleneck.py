"""
=====================================================
The information bottleneck on handwritten digits
=====================================================

:class:`skmi.InformationBottleneck` compresses the 64 pixels of scikit-learn's
digits into a few components that keep what predicts the digit, by minimising
:math:`I(X; T) - \\beta I(T; Y)`. With the Gaussian method the components are
linear projections; component :math:`i` switches on at its critical value
:math:`\\beta_i = 1 / (1 - \\lambda_i)`, where :math:`\\lambda_i` are the
eigenvalues of :math:`\\Sigma_{x|y} v = \\lambda \\Sigma_x v`.

This example

* traces the information curve :math:`(I(X; T), I(T; Y))` over
  :math:`\\beta` with :func:`skmi.information_curve` and marks the critical
  values where new components join;
* reduces the digits to two components and compares the cross-validated
  accuracy of a logistic regression on them with PCA and linear discriminant
  analysis at the same number of components.

Information values are in nats, under the Gaussian model of the sample
covariances.
"""

# %%
# The information curve
# ---------------------
# The pixels at the border of the images never change, so their covariance is
# singular; a little shrinkage (adding noise of one size to every standardised
# pixel) keeps the eigenproblem well conditioned. A categorical target allows
# at most nine informative components (ten classes minus one).
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmi import InformationBottleneck, information_curve

X, y = load_digits(return_X_y=True)
bottleneck = InformationBottleneck(shrinkage=0.1)
ixt, ity, betas = information_curve(
    bottleneck, X, y, betas=np.geomspace(1.0, 1000.0, 200)
)

fitted = InformationBottleneck(shrinkage=0.1).fit(X, y)
critical = fitted.critical_betas_
print("critical betas:", np.round(critical, 2))
crit_xt, crit_ty = information_curve(bottleneck, X, y, betas=critical)[:2]

bound = -0.5 * np.sum(np.log(fitted.eigenvalues_))
fig, (ax_curve, ax_beta) = plt.subplots(1, 2, figsize=(10, 4.2))
ax_curve.plot(ixt, ity, color="C0", label="optimal bottleneck")
ax_curve.scatter(crit_xt, crit_ty, color="C3", zorder=3, label="critical betas")
ax_curve.axhline(bound, color="grey", linestyle="--", label="I(X;Y), Gaussian model")
ax_curve.set_xlabel("I(X;T) [nats]")
ax_curve.set_ylabel("I(T;Y) [nats]")
ax_curve.set_title("Information curve")
ax_curve.legend(loc="lower right")

ax_beta.plot(betas, ixt, label="I(X;T)")
ax_beta.plot(betas, ity, label="I(T;Y)")
for i, b in enumerate(critical):
    ax_beta.axvline(
        b,
        color="C3",
        linewidth=0.8,
        linestyle=":",
        label=None if i else "critical betas",
    )
ax_beta.set_xscale("log")
ax_beta.set_xlabel("beta")
ax_beta.set_ylabel("nats")
ax_beta.set_title("Both terms against beta")
ax_beta.legend(loc="upper left")
fig.tight_layout()

# %%
# The curve rises steeply at first: the first components keep most of what
# the pixels say about the digit for little compression cost, and its slope at
# the point chosen by beta is 1 / beta. Each critical beta (red) marks where
# the next, weaker component starts to pay for itself; beyond the last one
# only the scales of the components grow, and I(T;Y) approaches its bound.
#
# Two components against PCA and LDA
# -----------------------------------
# The same classifier on two components from each method. PCA ignores the
# labels; LDA and the bottleneck use them. With a categorical target the
# bottleneck's directions are those of LDA (up to the shrinkage), scaled by
# how much information each carries at the chosen beta; the components are
# standardised before the classifier so that all three start equal.
reducers = {
    "PCA": PCA(n_components=2),
    "LDA": LinearDiscriminantAnalysis(n_components=2),
    "Information bottleneck": InformationBottleneck(
        n_components=2, beta=10.0, shrinkage=0.1
    ),
}
for name, reducer in reducers.items():
    model = make_pipeline(
        StandardScaler(), reducer, StandardScaler(), LogisticRegression()
    )
    scores = cross_val_score(model, X, y, cv=5)
    print(f"{name:>24}: accuracy {scores.mean():.3f} +/- {scores.std():.3f}")

# %%
# The two bottleneck components of the digits:
embedding = make_pipeline(
    StandardScaler(), InformationBottleneck(n_components=2, beta=10.0, shrinkage=0.1)
).fit_transform(X, y)
fig, ax = plt.subplots(figsize=(6, 4.5))
scatter = ax.scatter(embedding[:, 0], embedding[:, 1], c=y, cmap="tab10", s=8)
ax.legend(*scatter.legend_elements(), title="digit", fontsize=7, loc="best")
ax.set_xlabel("component 1")
ax.set_ylabel("component 2")
ax.set_title("Digits in two information-bottleneck components")
fig.tight_layout()
plt.show()
