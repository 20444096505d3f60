"""
The figures of training runs: no legend covers a curve, and the law that drifts most
stands out.

Checked on the figures themselves, caught before they are written: the curves and the
legends are compared in pixels, from matplotlib's own transforms (not from the
placement code of the package).
"""
import numpy as np
import pytest

from sage_conslaws import ReLUNetwork
from sage_conslaws.training import drift_versus_step_size, plots, simulate

NETWORK = ReLUNetwork([4, 8, 3], bias=True)


@pytest.fixture
def figures(monkeypatch):
    """The figures that the plot functions would write, laid out as they would be."""
    caught = []

    def catch(plt, fig, path):
        fig.draw_without_rendering()
        caught.append(fig)

    monkeypatch.setattr(plots, "_save", catch)
    yield caught
    plt = plots._pyplot()
    for fig in caught:
        plt.close(fig)


def curve_pixels(ax):
    """Every pixel position the curves of ``ax`` pass through (dense along each segment)."""
    pieces = [np.empty((0, 2))]
    for line in ax.get_lines():
        xy = line.get_transform().transform(line.get_path().vertices)
        steps = np.linspace(0, 1, 50)[:, None, None]
        dense = (xy[:-1] + steps * (xy[1:] - xy[:-1])).reshape(-1, 2) if len(xy) > 1 else xy
        pieces.append(dense[np.isfinite(dense).all(axis=1)])
    return np.concatenate(pieces)


def assert_no_legend_covers_a_curve(fig):
    renderer = fig.canvas.get_renderer()
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend()] + fig.legends
    assert legends
    whole = fig.bbox
    for legend in legends:
        box = legend.get_window_extent(renderer)
        assert whole.x0 <= box.x0 and box.x1 <= whole.x1 and whole.y0 <= box.y0 \
            and box.y1 <= whole.y1, "the legend is cut off"
        for ax in fig.axes:
            x, y = curve_pixels(ax).T
            covered = (x >= box.x0) & (x <= box.x1) & (y >= box.y0) & (y <= box.y1)
            assert not covered.any(), (ax.get_title(), legend.get_texts()[0].get_text())
            if legend in fig.legends:
                # outside the axes: not over their tick labels and titles either
                assert not box.overlaps(ax.get_tightbbox(renderer)), ax.get_title()


def test_the_legend_of_a_run_covers_no_curve_and_the_law_that_drifts_most_stands_out(figures):
    # eight laws fanning out from 0 fill the panel: every corner has a curve
    run = simulate(NETWORK, "gd", lr=0.05, steps=500)
    plots.plot_run(run, "run.png")
    [fig] = figures
    assert_no_legend_covers_a_curve(fig)
    drift = run.drift()
    most = max(drift, key=drift.get)
    ax_laws = fig.axes[1]
    lines = ax_laws.get_lines()
    # drawn last, on top, thicker than the others, and named first in the legend
    assert lines[-1].get_label() == f"{most} (drifts most)"
    assert np.abs(lines[-1].get_ydata()).max() == pytest.approx(drift[most])
    assert lines[-1].get_zorder() > max(line.get_zorder() for line in lines[:-1])
    assert lines[-1].get_linewidth() > max(line.get_linewidth() for line in lines[:-1])
    [legend] = fig.legends or [ax_laws.get_legend()]
    assert legend.get_texts()[0].get_text() == f"{most} (drifts most)"


def test_the_legends_of_drift_tables_and_optimizers_cover_no_curve(figures):
    tables = [drift_versus_step_size(NETWORK, optimizer, [0.1, 0.05, 0.025], time=1)
              for optimizer in ("gd", "hb", "nag")]
    plots.plot_drift_versus_step_size(tables, "drift.png")
    runs = [simulate(NETWORK, optimizer, lr=0.01, steps=300) for optimizer in ("gd", "hb", "nd")]
    plots.plot_optimizers(runs, "optimizers.png")
    for fig in figures:
        assert_no_legend_covers_a_curve(fig)
    # the law shown is named, with why it was chosen
    drift = runs[0].drift()
    assert (f"h = {max(drift, key=drift.get)}, the law that drifts most under gd"
            in figures[1].axes[0].get_title())
