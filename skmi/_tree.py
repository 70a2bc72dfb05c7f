"""Information gain of the splits of a fitted decision tree."""

import math

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import check_array, check_consistent_length, column_or_1d
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets

from ._columns import check_finite_columns
from ._validation import check_is_fitted, validate_data
from .estimators._plugin import mutual_info_joint_probabilities

__all__ = ["tree_information_gain"]

_ENTROPY_CRITERIA = ("entropy", "log_loss")
_KEYS = (
    "node",
    "feature",
    "feature_name",
    "threshold",
    "n_samples",
    "weighted_n_samples",
    "impurity_decrease",
    "mutual_info",
)


def _entropy_decrease(tree_, node):
    """The tree's own impurity decrease at ``node``, from its stored values."""
    left, right = tree_.children_left[node], tree_.children_right[node]
    w = tree_.weighted_n_node_samples
    impurity = tree_.impurity
    children = (w[left] * impurity[left] + w[right] * impurity[right]) / w[node]
    return float(impurity[node] - children)


def _goes_left(X, tree_, node):
    """``1[x <= threshold]`` for the samples ``X`` (float32) at ``node``.

    Missing values follow the tree's rule for the node.
    """
    x = X[:, tree_.feature[node]]
    if hasattr(x, "toarray"):
        x = x.toarray()
    x = np.asarray(x).reshape(-1)
    left = x <= tree_.threshold[node]
    missing = np.isnan(x)
    if missing.any():
        left[missing] = bool(tree_.missing_go_to_left[node])
    return left


def _sample_weights(tree, y, sample_weight):
    """The weight of each sample as the tree weighs it in ``fit``.

    ``sample_weight`` (ones when None) times the class weights of the tree's
    ``class_weight``, computed from `y` as the tree computes them.
    """
    n = y.shape[0]
    if sample_weight is None:
        weights = np.ones(n)
    else:
        weights = check_array(
            sample_weight, ensure_2d=False, dtype=np.float64, input_name="sample_weight"
        )
        if weights.ndim != 1 or weights.shape[0] != n:
            raise ValueError(
                f"sample_weight must have shape ({n},), one weight per sample of "
                f"X; got shape {weights.shape}."
            )
        if (weights < 0).any():
            raise ValueError("sample_weight must be non-negative.")
    if tree.class_weight is not None:
        weights = weights * compute_sample_weight(tree.class_weight, y)
    return weights


def _class_codes(tree, y):
    """Codes of `y` in ``tree.classes_`` (extra labels after them), and their number."""
    classes = np.asarray(tree.classes_)
    labels, codes = np.unique(y, return_inverse=True)
    if labels.dtype.kind == classes.dtype.kind and np.isin(labels, classes).all():
        return np.searchsorted(classes, labels)[codes], classes.shape[0]
    return codes, labels.shape[0]


def _check_training_weights(tree_, nodes, n_samples, counts):
    """Refuse weights other than the tree's on what looks like its training data.

    When every node is reached by as many (positively weighted) samples as
    during fit, `X` is taken for the training data: the weight reaching each
    child must then be what the tree stored in ``weighted_n_node_samples``.
    """
    if not np.array_equal(n_samples, tree_.n_node_samples[nodes]):
        return
    children = np.column_stack(
        [tree_.children_left[nodes], tree_.children_right[nodes]]
    )
    given = counts.sum(axis=2)
    stored = tree_.weighted_n_node_samples[children]
    bad = ~np.isclose(given, stored, rtol=1e-9, atol=0.0)
    if bad.any():
        i, side = np.argwhere(bad)[0]
        raise ValueError(
            "X looks like the tree's training data (as many samples reach every "
            "node as during fit), but the weight reaching node "
            f"{int(children[i, side])} differs from the tree's (given "
            f"{given[i, side]:.6g}, tree {stored[i, side]:.6g}): pass the "
            "sample_weight and the target the tree was fitted with (the tree's "
            "class_weight is applied here)."
        )


def _check_float32_range(X, feature_names):
    """Raise a ValueError naming the columns with infinity or beyond float32.

    NaN is left alone: it is a missing value the tree routes.
    """
    limit = np.finfo(np.float32).max
    if sparse.issparse(X):
        X = sparse.csc_matrix(X)
        bad = [
            j
            for j in range(X.shape[1])
            if (np.abs(X.data[X.indptr[j] : X.indptr[j + 1]]) > limit).any()
        ]
    else:
        bad = np.flatnonzero((np.abs(X) > limit).any(axis=0)).tolist()
    if not bad:
        return
    names = [
        repr(feature_names[j]) if feature_names is not None else str(j) for j in bad[:5]
    ]
    more = "" if len(bad) <= 5 else f" and {len(bad) - 5} more"
    raise ValueError(
        "Input X contains infinity or a value too large for float32 in column(s) "
        + ", ".join(names)
        + more
        + "; the tree compares float32 values (NaN is allowed where the tree "
        "routes missing values)."
    )


def tree_information_gain(
    tree: DecisionTreeClassifier,
    X: ArrayLike | sparse.spmatrix | sparse.sparray,
    y: ArrayLike,
    sample_weight: ArrayLike | None = None,
) -> dict[str, np.ndarray]:
    """Information gain of every split of a fitted decision tree, in bits.

    For each internal node of a fitted
    :class:`~sklearn.tree.DecisionTreeClassifier`, estimate the plug-in
    mutual information between the split indicator ``1[x <= threshold]`` and
    the class labels on the samples of ``X`` that reach the node, and report
    it next to the tree's own impurity decrease. For a tree grown with
    ``criterion="entropy"`` the two agree on the training data: the
    information gain a tree maximises at a node is exactly the plug-in mutual
    information of the split with the target.

    Read more in the :ref:`User Guide <tree_gain>`.

    Parameters
    ----------
    tree : DecisionTreeClassifier
        A fitted single-output classification tree, with any criterion.
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Samples to route through the tree, usually its training data. Values
        are cast to float32, as the tree does when it predicts. NaN is a
        missing value, routed as the tree routes it, on dense input to a tree
        that supports missing values; NaN in any other case, infinity and
        values beyond the float32 range raise a ValueError naming the columns.
    y : array-like of shape (n_samples,)
        Class labels of the samples.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the samples, as passed to the tree's ``fit``. None weighs
        every sample 1. The tree's ``class_weight`` multiplies them, as in
        ``fit`` (``"balanced"`` computes the class weights from `y`). When `X`
        is the training data (the same number of samples reaches every
        node), a weight reaching a node other than the tree's
        ``weighted_n_node_samples`` raises a ValueError: pass the weights the
        tree was fitted with.

    Returns
    -------
    gain : dict of ndarray
        One entry per internal node, in the order of the node ids, as arrays
        of equal length under the keys:

        - ``"node"``: the node id in ``tree.tree_`` (int);
        - ``"feature"``: the index of the feature the node splits on (int);
        - ``"feature_name"``: its name, from the tree's
          ``feature_names_in_`` when it was fitted on named columns, else
          ``"x0"``, ``"x1"``, ... as scikit-learn names unnamed columns
          (str);
        - ``"threshold"``: the split threshold; samples with
          ``x <= threshold`` go to the left child (float);
        - ``"n_samples"``: the number of samples of `X` with a positive
          weight reaching the node, as ``tree.tree_.n_node_samples`` counts
          them (int);
        - ``"weighted_n_samples"``: their total weight (with the tree's
          class weights), as ``tree.tree_.weighted_n_node_samples`` (float);
        - ``"impurity_decrease"``: the tree's own entropy decrease
          ``H(node) - sum_c (w_c / w) H(c)`` in bits, computed from
          ``tree.tree_.impurity`` and ``tree.tree_.weighted_n_node_samples``
          (so from the training data) when the criterion is ``"entropy"``
          or ``"log_loss"``, NaN for any other criterion (float);
        - ``"mutual_info"``: the plug-in mutual information of the split
          indicator with `y` on the weighted samples reaching the node, in
          bits; NaN for a node no weight reaches (float).

    See Also
    --------
    mutual_info_classif : Mutual information of each feature with the target.
    sklearn.tree.DecisionTreeClassifier : The trees this function reads.

    Notes
    -----
    The mutual information is the plug-in estimate without bias correction
    (that of :class:`skmi.estimators.PlugIn`) on the weighted counts of the
    split and the classes, converted from nats to bits. The weights are those
    the tree uses: `sample_weight` times the class weights of its
    ``class_weight``. On the training data of a tree grown with
    ``criterion="entropy"``, with the `sample_weight` it was fitted with,
    ``mutual_info`` equals ``impurity_decrease`` up to rounding.

    When `X` and `y` are not the training data, ``impurity_decrease`` is
    still the value the tree stored during training, whereas ``n_samples``
    and ``mutual_info`` describe the given samples: comparing the two shows
    which splits keep their information on new data.

    Weighting each node's ``mutual_info`` by its share of the samples
    (``n_samples / len(y)``) and summing over the nodes that split on a
    feature gives that feature's contribution to the plug-in ``I(leaf; Y)``
    on the given samples (skip the NaN of unreached nodes); on the unweighted
    training data of an entropy tree these sums are proportional to
    ``feature_importances_``. With weights, weight by
    ``weighted_n_samples`` instead.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skmi import tree_information_gain
    >>> X = np.arange(10).reshape(-1, 1)
    >>> y = np.array([0, 0, 0, 1, 0, 1, 1, 1, 2, 2])
    >>> tree = DecisionTreeClassifier(criterion="entropy", max_depth=1).fit(X, y)
    >>> gain = tree_information_gain(tree, X, y)
    >>> gain["threshold"], gain["n_samples"]
    (array([7.5]), array([10]))
    >>> gain["mutual_info"].round(6), gain["impurity_decrease"].round(6)
    (array([0.721928]), array([0.721928]))
    """
    if not isinstance(tree, DecisionTreeClassifier):
        raise TypeError(
            "tree must be a fitted sklearn.tree.DecisionTreeClassifier; got "
            f"{type(tree).__name__}."
        )
    check_is_fitted(tree)
    if tree.n_outputs_ != 1:
        raise ValueError(
            f"tree_information_gain supports single-output trees only; the tree "
            f"has {tree.n_outputs_} outputs."
        )
    Xv = validate_data(
        tree,
        X,
        reset=False,
        accept_sparse="csc",
        dtype=np.float64,
        ensure_all_finite=False,
    )
    names = getattr(tree, "feature_names_in_", None)
    if names is None and hasattr(X, "columns"):
        names = list(X.columns)
    if sparse.issparse(Xv) or not tree.__sklearn_tags__().input_tags.allow_nan:
        # the tree routes NaN as a missing value on dense input only
        check_finite_columns(Xv, names)
    _check_float32_range(Xv, names)
    Xv = Xv.astype(np.float32)
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D; got an array of shape {y.shape}.")
    y = column_or_1d(y)
    check_classification_targets(y)
    check_consistent_length(Xv, y)

    weights = _sample_weights(tree, y, sample_weight)
    y_codes, n_classes = _class_codes(tree, y)
    # The tree's own validation of X (missing values, feature names) applies.
    path = tree.decision_path(X).tocsc()
    tree_ = tree.tree_
    internal = np.flatnonzero(tree_.children_left != tree_.children_right)
    entropy_tree = tree.criterion in _ENTROPY_CRITERIA

    n_nodes = internal.shape[0]
    n_samples = np.zeros(n_nodes, dtype=np.int64)
    weighted_n_samples = np.zeros(n_nodes)
    impurity_decrease = np.full(n_nodes, np.nan)
    mutual_info = np.full(n_nodes, np.nan)
    counts = np.zeros((n_nodes, 2, n_classes))
    for i, node in enumerate(internal):
        rows = path.indices[path.indptr[node] : path.indptr[node + 1]]
        rows = rows[weights[rows] > 0]  # as the tree, which drops zero weights
        n_samples[i] = rows.shape[0]
        if entropy_tree:
            impurity_decrease[i] = _entropy_decrease(tree_, node)
        if rows.shape[0]:
            right = ~_goes_left(Xv[rows], tree_, node)
            counts[i] = np.bincount(
                right * n_classes + y_codes[rows],
                weights=weights[rows],
                minlength=2 * n_classes,
            ).reshape(2, n_classes)
            weighted_n_samples[i] = counts[i].sum()
            nats = mutual_info_joint_probabilities(counts[i] / weighted_n_samples[i])
            mutual_info[i] = nats / math.log(2)
    _check_training_weights(tree_, internal, n_samples, counts)

    features = tree_.feature[internal].astype(np.int64)
    all_names = getattr(tree, "feature_names_in_", None)
    if all_names is None:
        all_names = [f"x{j}" for j in range(tree.n_features_in_)]
    values = (
        internal.astype(np.int64),
        features,
        np.asarray([str(all_names[j]) for j in features], dtype=object),
        tree_.threshold[internal].astype(np.float64),
        n_samples,
        weighted_n_samples,
        impurity_decrease,
        mutual_info,
    )
    return dict(zip(_KEYS, values, strict=True))
