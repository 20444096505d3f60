r"""
Figures of training runs (matplotlib, Agg backend: files only, no display)

- :func:`plot_run`: the loss and the change `h(\theta_k) - h(\theta_0)` of
  every tracked law (or of their sums per layer) against the iteration, as in
  Figure 1 of [GU2021]_, and the drift on a log scale;
- :func:`plot_drift_versus_step_size`: the drift at fixed time against the
  step size, log-log, with the fitted slope;
- :func:`plot_drift_versus_momentum`: the drift against the momentum;
- :func:`plot_optimizers`: one law along runs of several optimizers.

A legend never covers a curve: it goes to the first corner of the axes that no
curve crosses, or outside the axes (:func:`place_legend`). In :func:`plot_run`,
the law that drifts most is drawn last, thick and black, and named first in the
legend.

A diverged run is never plotted (:func:`~sage_conslaws.training.simulate.simulate`
raises before; a run with non-finite values is refused here too).

EXAMPLES::

    sage: import os, tempfile
    sage: from sage_conslaws import ReLUNetwork
    sage: from sage_conslaws.training import simulate
    sage: from sage_conslaws.training.plots import plot_run
    sage: path = os.path.join(tempfile.mkdtemp(), "run.png")
    sage: plot_run(simulate(ReLUNetwork([4, 3, 3]), "gd", lr=0.05, steps=20), path)
    sage: os.path.getsize(path) > 1000
    True
"""
import re

import numpy as np

#: At most this many curves of laws in one panel; beyond, the laws are summed per layer.
MAX_CURVES = 12


def _pyplot():
    try:
        import matplotlib
    except ImportError:  # pragma: no cover - depends on the install
        raise ImportError("plots need matplotlib: install sage-conslaws[simulate]") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def check_figure_path(path):
    r"""
    Return ``path`` if a PNG figure can be written there, else raise a clear ``ValueError``.

    Checked before a run, so that a typo in the path does not cost the run.

    EXAMPLES::

        sage: import os, tempfile
        sage: from sage_conslaws.training.plots import check_figure_path
        sage: path = os.path.join(tempfile.mkdtemp(), "run.png")
        sage: check_figure_path(path) == path
        True

    TESTS::

        sage: check_figure_path("run.txt")
        Traceback (most recent call last):
        ...
        ValueError: figures are PNG files: the path must end with .png, got 'run.txt'
        sage: check_figure_path("/nonexistent/folder/run.png")
        Traceback (most recent call last):
        ...
        ValueError: cannot write the figure '/nonexistent/folder/run.png': no folder '/nonexistent/folder'
    """
    import os
    path = str(path)
    if not path.lower().endswith(".png"):
        raise ValueError(f"figures are PNG files: the path must end with .png, got {path!r}")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ValueError(f"cannot write the figure {path!r}: no folder {folder!r}")
    if not os.access(folder, os.W_OK):
        raise ValueError(f"cannot write the figure {path!r}: the folder is not writable")
    return path


def _save(plt, fig, path):
    r"""
    Write ``fig`` to the PNG file ``path`` (checked first) and close it.
    """
    try:
        fig.savefig(check_figure_path(path), dpi=90)
    except OSError as error:
        raise ValueError(f"cannot write the figure {path!r}: {error.strerror}") from None
    finally:
        plt.close(fig)


def _refuse_diverged(run):
    if run.is_diverged():
        raise ValueError("the run diverged: there is nothing meaningful to plot")


#: Where :func:`place_legend` tries the legend, corners first.
LEGEND_PLACES = ("upper right", "upper left", "lower left", "lower right",
                 "center right", "center left", "upper center", "lower center")

#: The legend outside the axes, as a legend of the figure: to the right, or below
#: (the constrained layout of the figure makes room for it).
OUTSIDE = {"right": "outside right upper", "below": "outside lower center"}


def curve_points(ax):
    r"""
    Return the points that the curves of ``ax`` pass through, in axes coordinates.

    Axes coordinates are `(0, 0)` at the lower left corner of the axes and
    `(1, 1)` at the upper right one, whatever the scales. Each segment between
    two data points is sampled too (a straight segment on the screen is one in
    axes coordinates), so that a line with few points, such as a drift against
    five step sizes, is not taken for a few dots.

    OUTPUT: a NumPy array with one row `(x, y)` per point

    EXAMPLES::

        sage: from sage_conslaws.training.plots import _pyplot, curve_points
        sage: fig, ax = _pyplot().subplots()
        sage: _ = ax.plot([0, 1], [0, 1]); _ = ax.set(xlim=(0, 1), ylim=(0, 1))
        sage: points = curve_points(ax); float(points.min()), float(points.max()), len(points) > 100
        (0.0, 1.0, True)
    """
    to_axes = ax.transData + ax.transAxes.inverted()
    pieces = [np.empty((0, 2))]
    for line in ax.get_lines():
        xy = to_axes.transform(np.column_stack(line.get_data()).astype(float))
        xy = xy[np.isfinite(xy).all(axis=1)]  # 0 on a log scale
        if len(xy) < 2:
            pieces.append(xy)
            continue
        steps = np.linspace(0, 1, max(2, 400 // len(xy)))[:, None, None]
        pieces.append((xy[:-1] + steps * (xy[1:] - xy[:-1])).reshape(-1, 2))
    return np.concatenate(pieces)


def place_legend(ax, outside="right", **options):
    r"""
    Draw the legend of ``ax`` where it covers no curve; return it.

    The legend goes to the first place of :data:`LEGEND_PLACES` (the corners,
    then the middles of the sides) where no point of :func:`curve_points`
    falls under it; when the curves leave no such place, outside the axes, as
    a legend of the figure (:data:`OUTSIDE`). The figure must have the
    constrained layout, which makes room for a legend outside.

    INPUT:

    - ``ax`` -- matplotlib axes with labelled curves, in a figure made with
      ``layout="constrained"``
    - ``outside`` -- (default: ``"right"``) ``"right"`` or ``"below"``, where
      the legend goes when no place inside is free
    - ``options`` -- passed to ``ax.legend`` (``fontsize``, ``ncol``, ``handles``, ...)

    EXAMPLES:

    A line from corner to corner leaves the upper left corner free; a line
    around the axes leaves no place::

        sage: from sage_conslaws.training.plots import _pyplot, place_legend
        sage: fig, ax = _pyplot().subplots(layout="constrained")
        sage: _ = ax.plot([0, 1], [0, 1], label="diagonal")
        sage: legend = place_legend(ax); legend is ax.get_legend()
        True
        sage: box = legend.get_window_extent().transformed(ax.transAxes.inverted())
        sage: bool(box.x1 < 0.5 < box.y0)  # upper left
        True
        sage: _ = ax.plot([0, 0, 1, 1, 0], [0, 1, 1, 0, 0], label="around")
        sage: place_legend(ax) in fig.legends, ax.get_legend()
        (True, None)
    """
    figure = ax.figure
    # the size of the legend relative to the axes depends on the layout: settle it first
    figure.draw_without_rendering()
    renderer = figure.canvas.get_renderer()
    to_axes = ax.transAxes.inverted()
    points = curve_points(ax)
    # a gap of 4 pixels, and the markers have a size: keep that far from the centre of a curve
    marker = max([line.get_markersize() for line in ax.get_lines()
                  if line.get_marker() not in (None, "None", "", " ")], default=0)
    pixels = 4 + marker * figure.dpi / 72 / 2
    margin_x, margin_y = pixels / ax.bbox.width, pixels / ax.bbox.height
    for place in LEGEND_PLACES:
        legend = ax.legend(loc=place, **options)
        (x0, y0), (x1, y1) = to_axes.transform(legend.get_window_extent(renderer)).tolist()
        covered = ((points[:, 0] > x0 - margin_x) & (points[:, 0] < x1 + margin_x)
                   & (points[:, 1] > y0 - margin_y) & (points[:, 1] < y1 + margin_y))
        if not covered.any():
            return legend
    legend.remove()
    return figure.legend(loc=OUTSIDE[outside], **options)


def law_curves(run):
    r"""
    Return the curves of :func:`plot_run`: ``(label, h_k - h_0)`` per law, or per layer when there are many.

    See :func:`group_law_curves`.

    EXAMPLES::

        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.training import simulate
        sage: from sage_conslaws.training.plots import law_curves
        sage: run = simulate(ReLUNetwork([4, 13, 3]), "gd", lr=0.05, steps=5)
        sage: [label for label, curve in law_curves(run)]
        ['layer 1 (sum of 13 laws)']
        sage: [label for label, curve in law_curves(simulate(ReLUNetwork([4, 2, 3]), "gd", lr=0.05, steps=5))]
        ['neuron 1.0', 'neuron 1.1']
    """
    return group_law_curves(run.laws().names(), run.law_changes())


def group_law_curves(names, changes):
    r"""
    Return ``(label, curve)`` per law, or per layer when there are more than :data:`MAX_CURVES` laws.

    Laws named ``neuron l.i`` are summed per layer `l` when there are more
    than :data:`MAX_CURVES` of them; the :data:`MAX_CURVES` curves that move
    most are kept.

    INPUT:

    - ``names`` -- the names of the laws
    - ``changes`` -- a NumPy array with one column per law

    EXAMPLES::

        sage: import numpy as np
        sage: from sage_conslaws.training.plots import group_law_curves
        sage: [label for label, _ in group_law_curves(["a", "b"], np.zeros((3, 2)))]
        ['a', 'b']
    """
    if len(names) <= MAX_CURVES:
        return [(name, changes[:, n]) for n, name in enumerate(names)]
    groups = {}
    for n, name in enumerate(names):
        match = re.fullmatch(r"neuron (\d+)\.\d+", name)
        groups.setdefault(f"layer {match.group(1)}" if match else name, []).append(n)
    curves = [(f"{label} (sum of {len(members)} laws)" if len(members) > 1 else label,
               changes[:, members].sum(axis=1)) for label, members in groups.items()]
    # the largest drifts matter most
    curves.sort(key=lambda c: -np.abs(c[1]).max())
    return curves[:MAX_CURVES]


def draw_law_changes(ax, k, curves):
    r"""
    Draw the curves of the laws against ``k`` on ``ax``, the one that drifts most last, thick and black; return the handles for the legend.

    EXAMPLES::

        sage: import numpy as np
        sage: from sage_conslaws.training.plots import _pyplot, draw_law_changes
        sage: fig, ax = _pyplot().subplots()
        sage: handles = draw_law_changes(ax, np.arange(3), [("a", np.zeros(3)), ("b", np.ones(3))])
        sage: [h.get_label() for h in handles]
        ['b (drifts most)', 'a']
    """
    most = _drifts_most(curves)
    # the law that drifts most on top of the others, and first in the legend
    handles = [ax.plot(k, curve, label=label, linewidth=1)[0]
               for n, (label, curve) in enumerate(curves) if n != most]
    if most is not None:
        label, curve = curves[most]
        handles.insert(0, ax.plot(k, curve, label=f"{label} (drifts most)", color="black",
                                  linewidth=2.2, zorder=3)[0])
    return handles


def plot_run(run, path):
    r"""
    Write the figure of a training run to ``path`` (PNG).

    Three panels against the iteration: the loss, the change
    `h(\theta_k) - h(\theta_0)` of each law (:func:`law_curves`; the law that
    drifts most drawn last, thick and black, and named first in the legend),
    and the largest absolute change over the laws, on a log scale.

    INPUT:

    - ``run`` -- a :class:`~sage_conslaws.training.simulate.TrainingRun`
    - ``path`` -- the file to write

    EXAMPLES::

        sage: import os, tempfile
        sage: from sage_conslaws import NMF
        sage: from sage_conslaws.training import simulate
        sage: from sage_conslaws.training.plots import plot_run
        sage: path = os.path.join(tempfile.mkdtemp(), "nmf.png")
        sage: plot_run(simulate(NMF(5, 2, 4), "md", lr=0.5, steps=10), path)
        sage: os.path.exists(path)
        True
    """
    _refuse_diverged(run)
    plt = _pyplot()
    fig, (ax_loss, ax_laws, ax_drift) = plt.subplots(1, 3, figsize=(13, 4.2),
                                                     layout="constrained")
    k = np.arange(run.steps() + 1)
    ax_loss.plot(k, run.losses(), color="black")
    ax_loss.set(title="loss", xlabel="iteration k", yscale="log")
    handles = draw_law_changes(ax_laws, k, law_curves(run))
    ax_laws.set(title=r"$h(\theta_k) - h(\theta_0)$", xlabel="iteration k")
    if len(run.laws()):
        drift = np.abs(run.law_changes()).max(axis=1)
        ax_drift.plot(k[1:], np.maximum(drift[1:], 1e-300), color="tab:red")
    ax_drift.set(title=r"$\max_h |h(\theta_k) - h(\theta_0)|$", xlabel="iteration k",
                 yscale="log")
    fig.suptitle(f"{run.optimizer()} on {run.model()}, {run.as_dict()['data']}", fontsize=9)
    if handles:
        place_legend(ax_laws, outside="below", handles=handles, fontsize=7,
                     ncol=min(len(handles), 4))
    _save(plt, fig, path)


def _drifts_most(curves):
    r"""
    Return the index of the curve of ``curves`` (``(label, values)`` pairs) farthest from 0.

    ``None`` when there is nothing to single out: fewer than two curves, or none moves.
    """
    drifts = [np.abs(curve).max() for _, curve in curves]
    if len(drifts) < 2 or max(drifts) == 0:
        return None
    return int(np.argmax(drifts))


def plot_drift_versus_step_size(tables, path):
    r"""
    Write the log-log plot of the drift at fixed time against the step size to ``path``.

    INPUT:

    - ``tables`` -- a :class:`~sage_conslaws.training.drift.DriftTable`
      against the step size, or a list of them (one line each, labelled with
      the optimizer and the fitted slope)
    - ``path`` -- the file to write

    EXAMPLES::

        sage: import os, tempfile
        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.training import drift_versus_step_size
        sage: from sage_conslaws.training.plots import plot_drift_versus_step_size
        sage: t = drift_versus_step_size(ReLUNetwork([4, 3, 3]), "gd", [0.1, 0.05], time=1)
        sage: path = os.path.join(tempfile.mkdtemp(), "drift.png")
        sage: plot_drift_versus_step_size(t, path); os.path.exists(path)
        True

    TESTS::

        sage: from sage_conslaws.training import drift_versus_momentum
        sage: plot_drift_versus_step_size(drift_versus_momentum(ReLUNetwork([4, 3, 3]), [0.5], 0.1, 2), path)
        Traceback (most recent call last):
        ...
        ValueError: plot_drift_versus_step_size needs tables of drift against the step size (lr)
    """
    _plot_drift_tables(tables, path, "lr", xlabel="step size (lr)", logarithmic=True,
                       title="drift of the laws of the flow at a fixed time T")


def plot_drift_versus_momentum(tables, path):
    r"""
    Write the plot of the drift against the momentum `\lambda` (log scale of the drift) to ``path``.

    INPUT:

    - ``tables`` -- a :class:`~sage_conslaws.training.drift.DriftTable`
      against the momentum, or a list of them (one line each, labelled with
      the optimizer)
    - ``path`` -- the file to write

    EXAMPLES::

        sage: import os, tempfile
        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.training import drift_versus_momentum
        sage: from sage_conslaws.training.plots import plot_drift_versus_momentum
        sage: t = drift_versus_momentum(ReLUNetwork([4, 3, 3]), [0, 0.5], 0.1, 5)
        sage: path = os.path.join(tempfile.mkdtemp(), "momentum.png")
        sage: plot_drift_versus_momentum(t, path); os.path.exists(path)
        True

    TESTS::

        sage: from sage_conslaws.training import drift_versus_step_size
        sage: plot_drift_versus_momentum(drift_versus_step_size(ReLUNetwork([4, 3, 3]), "gd", [0.1], time=1), path)
        Traceback (most recent call last):
        ...
        ValueError: plot_drift_versus_momentum needs tables of drift against the momentum
    """
    _plot_drift_tables(tables, path, "momentum", xlabel=r"momentum $\lambda$", logarithmic=False,
                       title="drift of the laws of the gradient flow, fixed steps")


def _plot_drift_tables(tables, path, parameter, xlabel, logarithmic, title):
    r"""
    Write the drift of each table against its ``parameter`` (``"lr"`` or ``"momentum"``) to ``path``.
    """
    tables = tables if isinstance(tables, (list, tuple)) else [tables]
    caller = "plot_drift_versus_step_size" if parameter == "lr" else "plot_drift_versus_momentum"
    if not tables or any(t.parameter() != parameter for t in tables):
        against = "the step size (lr)" if parameter == "lr" else "the momentum"
        raise ValueError(f"{caller} needs tables of drift against {against}")
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 4), layout="constrained")
    for t in tables:
        label = t.description().split(" on ")[0]
        # a slope is meaningful on a log-log plot only
        slope = t.slope() if logarithmic else None
        label += "" if slope is None else f" (slope {slope:.2f})"
        ax.plot(t.column(parameter), t.column("drift"), marker="o", label=label)
    ax.set(xscale="log" if logarithmic else "linear", yscale="log", xlabel=xlabel,
           ylabel=r"largest $|h(\theta_k) - h(\theta_0)|$ over $k$ and the laws $h$",
           title=title)
    place_legend(ax, fontsize=8)
    _save(plt, fig, path)


def plot_optimizers(runs, path, law=None):
    r"""
    Write the change of one law along runs of several optimizers to ``path`` (Figure 1 of [GU2021]_).

    The vertical axis is linear near 0 and logarithmic beyond (``symlog``):
    the drifts of the optimizers differ by orders of magnitude.

    INPUT:

    - ``runs`` -- training runs of the same model (one per optimizer)
    - ``path`` -- the file to write
    - ``law`` -- (default: the law that drifts most in the first run) the
      name of the law

    EXAMPLES::

        sage: import os, tempfile
        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.training import simulate
        sage: from sage_conslaws.training.plots import plot_optimizers
        sage: N = ReLUNetwork([4, 3, 3])
        sage: runs = [simulate(N, o, lr=0.05, steps=10) for o in ("gd", "hb", "nag", "nd")]
        sage: path = os.path.join(tempfile.mkdtemp(), "optimizers.png")
        sage: plot_optimizers(runs, path, law="neuron 1.2"); os.path.exists(path)
        True

    TESTS::

        sage: plot_optimizers(runs, path, law="neuron 7.7")
        Traceback (most recent call last):
        ...
        ValueError: no law named 'neuron 7.7'; the laws are: neuron 1.0, neuron 1.1, neuron 1.2
    """
    if not runs:
        raise ValueError("give at least one run")
    for run in runs:
        _refuse_diverged(run)
    names = runs[0].laws().names()
    chosen = law is None
    if chosen:
        drift = runs[0].drift()
        law = max(drift, key=drift.get)
    if law not in names:
        raise ValueError(f"no law named {law!r}; the laws are: {', '.join(names)}")
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    curves = [run.law_changes()[:, run.laws().names().index(law)] for run in runs]
    for run, curve in zip(runs, curves):
        ax.plot(curve, label=str(run.optimizer()), linewidth=1.2)
    # drifts of different optimizers differ by orders of magnitude: linear near 0, log beyond
    smallest = min((np.abs(c).max() for c in curves if np.abs(c).max() > 0), default=1.0)
    ax.set_yscale("symlog", linthresh=smallest / 10)
    which = f"{law}, the law that drifts most under {runs[0].optimizer()}" if chosen else law
    ax.set(xlabel="iteration k", ylabel=r"$h(\theta_k) - h(\theta_0)$",
           title=f"{runs[0].model()}, {runs[0].as_dict()['data']}\nh = {which}")
    ax.title.set_fontsize(9)
    place_legend(ax, fontsize=8)
    _save(plt, fig, path)
