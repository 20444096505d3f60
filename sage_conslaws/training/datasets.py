r"""
Small classification data sets shipped with scikit-learn

Training runs use the data bundled with scikit-learn (nothing is downloaded):
``iris`` (150 flowers, 4 features, 3 classes), ``wine`` (178, 13, 3),
``breast_cancer`` (569, 30, 2) and ``digits`` (1797 images of 8 x 8 pixels,
64 features, 10 classes). Networks see standardized features and one-hot
targets; non-negative models (NMF) see the raw features scaled into
`[0, 1]` (for ``digits``, the pixel intensities divided by 16).

EXAMPLES::

    sage: from sage_conslaws.training import load_dataset
    sage: data = load_dataset("iris"); data
    iris: 150 examples, 4 features, 3 classes
    sage: data.inputs.shape, data.targets.shape, data.inputs.dtype
    ((150, 4), (150, 3), dtype('float64'))
    sage: round(float(abs(data.inputs.mean(axis=0)).max()), 12), round(float(data.inputs.std(axis=0).min()), 12)
    (0.0, 1.0)
"""
from numbers import Integral

import numpy as np

#: The data sets of :func:`load_dataset`, with the scikit-learn loader of each.
DATASETS = {"iris": "load_iris", "wine": "load_wine",
            "breast_cancer": "load_breast_cancer", "digits": "load_digits"}


class Dataset:
    r"""
    A classification data set in float64: standardized inputs, one-hot targets.

    Build it with :func:`load_dataset`.

    INPUT:

    - ``name`` -- the name of the data set
    - ``features`` -- the raw features, an `n \times d` array
    - ``labels`` -- the `n` class labels, integers from 0
    - ``classes`` -- (default: ``None``, one more than the largest label)
      the number of classes
    - ``scale`` -- (default: ``None``, the largest value of each feature) the
      largest possible value of a raw feature, for the non-negative matrix

    EXAMPLES::

        sage: import numpy as np
        sage: from sage_conslaws.training.datasets import Dataset
        sage: d = Dataset("toy", np.array([[0., 2.], [2., 4.]]), np.array([0, 1]))
        sage: d.inputs.tolist(), d.targets.tolist()
        ([[-1.0, -1.0], [1.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]])
    """

    def __init__(self, name, features, labels, classes=None, scale=None):
        features = np.asarray(features, dtype=np.float64)
        labels = np.asarray(labels, dtype=int)
        self.name = name
        spread = features.std(axis=0)
        # constant features (digits' border pixels) carry nothing: keep them at 0
        self.inputs = (features - features.mean(axis=0)) / np.where(spread > 0, spread, 1.0)
        self.targets = np.eye(labels.max() + 1 if classes is None else classes)[labels]
        shifted = features - np.minimum(features.min(axis=0), 0)
        top = shifted.max(axis=0) if scale is None else np.full(features.shape[1], float(scale))
        self._nonnegative = shifted / np.where(top > 0, top, 1.0)

    def size(self):
        r"""
        Return the number of examples.

        EXAMPLES::

            sage: from sage_conslaws.training import load_dataset
            sage: load_dataset("wine").size()
            178
        """
        return self.inputs.shape[0]

    def number_of_features(self):
        r"""
        Return the number of features (the input width of a network).

        EXAMPLES::

            sage: from sage_conslaws.training import load_dataset
            sage: load_dataset("digits").number_of_features()
            64
        """
        return self.inputs.shape[1]

    def number_of_classes(self):
        r"""
        Return the number of classes (the output width of a network).

        EXAMPLES::

            sage: from sage_conslaws.training import load_dataset
            sage: load_dataset("breast_cancer").number_of_classes()
            2
        """
        return self.targets.shape[1]

    def nonnegative_matrix(self, rows, columns):
        r"""
        Return a ``rows`` `\times` ``columns`` non-negative matrix to factorize (NMF).

        Its rows are the first examples, its columns the features of largest
        variance on them, as values in `[0, 1]`.

        INPUT:

        - ``rows``, ``columns`` -- positive integers, at most :meth:`size`
          and :meth:`number_of_features`

        EXAMPLES::

            sage: from sage_conslaws.training import load_dataset
            sage: X = load_dataset("digits").nonnegative_matrix(5, 3)
            sage: X.shape, bool(X.min() >= 0), bool(X.max() <= 1)
            ((5, 3), True, True)

        TESTS::

            sage: load_dataset("iris").nonnegative_matrix(10, 5)
            Traceback (most recent call last):
            ...
            ValueError: NMF(n1, r, n3) on iris factorizes an n1 x n3 slice of its features: it needs n1 <= 150 (examples) and n3 <= 4 (features), got n1 = 10, n3 = 5
        """
        n, d = self._nonnegative.shape
        if not (0 < rows <= n and 0 < columns <= d):
            raise ValueError(f"NMF(n1, r, n3) on {self.name} factorizes an n1 x n3 slice of its "
                             f"features: it needs n1 <= {n} (examples) and n3 <= {d} (features), "
                             f"got n1 = {rows}, n3 = {columns}")
        block = self._nonnegative[:rows]
        # a stable sort keeps the choice deterministic among equal variances
        chosen = np.sort(np.argsort(-block.var(axis=0), kind="stable")[:columns])
        return block[:, chosen].copy()

    def __repr__(self):
        return (f"{self.name}: {self.size()} examples, {self.number_of_features()} features, "
                f"{self.number_of_classes()} classes")


def load_dataset(name="iris", size=None, seed=0):
    r"""
    Return the data set ``name`` bundled with scikit-learn, as a :class:`Dataset`.

    INPUT:

    - ``name`` -- (default: ``"iris"``) one of :data:`DATASETS`
    - ``size`` -- (default: ``None``, all) the number of examples, drawn at
      random without replacement
    - ``seed`` -- (default: 0) the seed of that draw

    EXAMPLES::

        sage: from sage_conslaws.training import load_dataset
        sage: load_dataset("digits", size=100)
        digits: 100 examples, 64 features, 10 classes

    TESTS::

        sage: load_dataset("mnist")
        Traceback (most recent call last):
        ...
        ValueError: unknown data set 'mnist'; known: iris, wine, breast_cancer, digits (bundled with scikit-learn)
        sage: load_dataset("iris", size=0)
        Traceback (most recent call last):
        ...
        ValueError: the number of examples of iris must be an integer from 1 to 150, got 0
    """
    if isinstance(name, Dataset):
        return name
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; known: {', '.join(DATASETS)} "
                         "(bundled with scikit-learn)")
    try:
        import sklearn.datasets
    except ImportError:  # pragma: no cover - depends on the install
        raise ImportError("the data sets come with scikit-learn: "
                          "install sage-conslaws[simulate]") from None
    bunch = getattr(sklearn.datasets, DATASETS[name])()
    features, labels = bunch.data, bunch.target
    classes = len(bunch.target_names)
    if size is not None:
        n = len(labels)
        if isinstance(size, bool) or not isinstance(size, Integral) or not 0 < size <= n:
            raise ValueError(f"the number of examples of {name} must be an integer from 1 to {n}, "
                             f"got {size!r}")
        chosen = np.sort(np.random.default_rng(int(seed)).choice(n, size=int(size), replace=False))
        features, labels = features[chosen], labels[chosen]
    return Dataset(name, features, labels, classes, scale=16 if name == "digits" else None)
