"""Training runs: gradients, drift rates, the exact discrete identities, bad input, CLI.

Expected values come from the notes (noether-and-momentum-methods.md, B1-B3),
from hand derivations written out below, or from computations done here
independently of ``sage_conslaws.training`` (finite differences, a forward
pass written with loops over parameter names, the identities evaluated with
the Sage polynomials of the laws).
"""
import json
import math

import numpy as np
import pytest
from sage.rings.rational_field import QQ

from sage_conslaws import LinearNetwork, NMF, ReLUNetwork
from sage_conslaws.models.mlp import MLP
from sage_conslaws.training import (TrainingDiverged, drift_versus_momentum,
                                    drift_versus_step_size, load_dataset, simulate)
from sage_conslaws.training.network import float_model

from conftest import run_cli

IRIS = load_dataset("iris", size=40, seed=1)


# ----------------------------------------------------------------------------
# Gradients
# ----------------------------------------------------------------------------

def finite_difference_gradient(f, theta, eps=1e-6):
    return np.array([(f.loss(theta + eps * e) - f.loss(theta - eps * e)) / (2 * eps)
                     for e in np.eye(len(theta))])


MODELS = {
    "linear": LinearNetwork([4, 3, 3]),
    "relu+bias": ReLUNetwork([4, 3, 3], bias=True),
    "leaky_relu,repu2": MLP([4, 3, 3, 3], ["leaky_relu", "repu2"], bias=True),
    "pow2": MLP([4, 3, 3], "pow2"),
    "swish+bias": MLP([4, 3, 3], "swish", bias=True),
    "relu,swish,linear": MLP([4, 3, 2, 2, 3], ["relu", "swish", "linear"], bias=True),
}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_backprop_matches_finite_differences(name):
    f = float_model(MODELS[name], IRIS)
    # a generic point, away from the kinks of ReLU with probability one
    theta = f.initial_point(seed=3) + 0.3 * np.random.default_rng(7).normal(size=f.dimension())
    _, gradient = f.loss_and_gradient(theta)
    assert np.allclose(gradient, finite_difference_gradient(f, theta), rtol=1e-5, atol=1e-8)


def test_nmf_gradient_matches_finite_differences():
    f = float_model(NMF(7, 3, 5))
    theta = f.initial_point(seed=2)
    _, gradient = f.loss_and_gradient(theta)
    assert np.allclose(gradient, finite_difference_gradient(f, theta), rtol=1e-6, atol=1e-10)


def test_loss_matches_a_forward_pass_written_with_parameter_names():
    model = ReLUNetwork([4, 3, 3], bias=True)
    f = float_model(model, IRIS)
    theta = f.initial_point(seed=5)
    p = dict(zip(model.ring().variable_names(), theta))
    total = 0.0
    for x, y in zip(IRIS.inputs, IRIS.targets):
        hidden = [max(0.0, sum(p[f"w1_{i}_{j}"] * x[j] for j in range(4)) + p[f"b1_{i}"])
                  for i in range(3)]
        logits = [sum(p[f"w2_{k}_{i}"] * hidden[i] for i in range(3)) for k in range(3)]
        log_norm = math.log(sum(math.exp(v) for v in logits))
        total -= sum(t * (v - log_norm) for t, v in zip(y, logits))
    assert f.loss(theta) == pytest.approx(total / len(IRIS.inputs), rel=1e-12)


def test_a_network_at_zero_predicts_uniform_classes():
    # all logits 0: the cross-entropy is log(number of classes)
    f = float_model(LinearNetwork([13, 2, 3]), "wine")
    assert f.loss(np.zeros(f.dimension())) == pytest.approx(math.log(3), rel=1e-14)


# ----------------------------------------------------------------------------
# Drift rates
# ----------------------------------------------------------------------------

RELU = ReLUNetwork([4, 8, 3], bias=True)


def test_gd_drift_is_first_order_in_the_step_size_at_fixed_time():
    # notes B3: D_{k+1} - D_k = eta^2 (...), so K = T/eta steps drift by O(eta)
    table = drift_versus_step_size(RELU, "gd", [0.08, 0.04, 0.02, 0.01], time=2)
    assert 0.8 <= table.slope() <= 1.2
    assert table.column("steps") == [25, 50, 100, 200]


def test_heavy_ball_breaks_the_laws_that_gd_keeps():
    gd = simulate(RELU, "gd", lr=0.01, steps=1000)
    hb = simulate(RELU, "hb", lr=0.01, momentum=0.9, steps=1000)
    assert hb.max_drift() > 50 * gd.max_drift()
    # drift grows with the momentum
    drifts = drift_versus_momentum(RELU, [0.0, 0.5, 0.9], lr=0.01, steps=300).column("drift")
    assert drifts[0] < drifts[1] < drifts[2]


def test_heavy_ball_drift_constant_is_one_plus_lambda_over_one_minus_lambda_squared():
    # Derived from the HB identity: summing (1 - lam)(Q_K - Q_0) ~ h^2 (1 + lam) sum Q(v_k) with
    # v = -grad/(1 - lam) on the slow manifold; compared with GD along the same path (GD time
    # T/(1 - lam)), the drift of every law is (1 + lam)/(1 - lam)^2 times that of GD as h -> 0.
    # At lr 0.01 the median ratio is already 190.3 for 190 (benchmarks/training_drift.py, 3.,
    # down to lr 0.0025); 1/(1 - lam)^2 = 100 or (1 + lam)/(1 - lam) = 19 would fail.
    lam, lr, T = 0.9, 0.01, 2.0
    hb = simulate(RELU, "hb", lr=lr, momentum=lam, steps=round(T / lr))
    gd = simulate(RELU, "gd", lr=lr, steps=round(T / lr / (1 - lam)))
    ratios = hb.law_changes()[-1] / gd.law_changes()[-1]
    assert np.median(ratios) == pytest.approx((1 + lam) / (1 - lam)**2, rel=0.1)


def test_newtonian_dynamics_drift_does_not_vanish_with_the_step_size():
    # ND is a discretization of w'' = -grad L (t = k sqrt(eta)), which does not keep the laws
    table = drift_versus_step_size(RELU, "nd", [0.04, 0.01], time=2)
    small, large = table.column("drift")
    assert large > 0.5 * small


def test_multiplicative_updates_keep_the_entropic_laws_of_nmf_to_first_order():
    # md: h_{k+1} - h_k = c . (theta_k * phi(eta g)), phi(u) = O(u^2): O(eta) over a fixed time
    model = NMF(20, 3, 16)
    md = drift_versus_step_size(model, "md", [0.4, 0.2, 0.1], time=20)
    assert 0.8 <= md.slope() <= 1.2
    # Euclidean GD does not keep them: d/dt sum_i U_ik - sum_j V_kj = -(sum_i dL/dU_ik -
    # sum_j dL/dV_kj) != 0 along its flow, so the drift does not vanish as eta -> 0
    gd = drift_versus_step_size(model, "gd", [0.4, 0.1], time=20, laws="entropic")
    assert gd.column("drift")[1] > 0.5 * gd.column("drift")[0] > 10 * md.column("drift")[0]


# ----------------------------------------------------------------------------
# Exact identities
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("optimizer", ["gd", "hb", "nag", "nag-gu", "nd"])
@pytest.mark.parametrize("model", [RELU, MODELS["swish+bias"], MODELS["leaky_relu,repu2"],
                                   LinearNetwork([4, 3, 3])], ids=repr)
def test_discrete_identities_hold_to_rounding(optimizer, model):
    run = simulate(model, optimizer, lr=0.02, steps=150)
    assert run.identity_residual() < 1e-12


def test_md_identity_holds_to_rounding():
    assert simulate(NMF(10, 3, 8), "md", lr=0.3, steps=200).identity_residual() < 1e-12


def own_iterates(f, lam, lr, steps, seed=0):
    """Heavy ball written out here: x_{k+1} = x_k + lam (x_k - x_{k-1}) - lr grad f(x_k)."""
    xs = [f.initial_point(seed)] * 2
    for _ in range(steps):
        xs.append(xs[-1] + lam * (xs[-1] - xs[-2]) - lr * f.loss_and_gradient(xs[-1])[1])
    return xs[1:]


def test_heavy_ball_identity_by_direct_evaluation_of_the_sage_laws():
    # notes B3: (Q_{k+1} - Q_k) - lam (Q_k - Q_{k-1}) = Q(D_{k+1}) + lam Q(D_k), with the laws
    # evaluated here by Sage itself (not the float64 form of the package)
    model = ReLUNetwork([4, 3, 3], bias=True)
    f = float_model(model, IRIS)
    lam, lr = 0.8, 0.05
    xs = own_iterates(f, lam, lr, 30)
    laws = [h for _, h in model.conservation_laws().laws()]

    def Q(h, x):
        # exact rational evaluation at the float64 point
        return float(h(*[QQ(float(v)) for v in x]))

    worst, wrong = 0.0, 0.0
    for k in range(1, len(xs) - 1):
        for h in laws:
            lhs = (Q(h, xs[k + 1]) - Q(h, xs[k])) - lam * (Q(h, xs[k]) - Q(h, xs[k - 1]))
            rhs = Q(h, xs[k + 1] - xs[k]) + lam * Q(h, xs[k] - xs[k - 1])
            worst = max(worst, abs(lhs - rhs))
            wrong = max(wrong, abs(lhs - Q(h, xs[k + 1] - xs[k])))  # the GD identity: fails
    assert worst < 1e-12
    assert wrong > 1e-6


def test_gd_per_neuron_identity_of_the_notes():
    # D_{k+1} - D_k = eta^2 (||G_1[i,:]||^2 + G_b[i]^2 - ||G_2[:,i]||^2), written with names
    model = ReLUNetwork([4, 3, 3], bias=True)
    f = float_model(model, IRIS)
    names = model.ring().variable_names()
    eta, x = 0.1, f.initial_point(seed=4)

    def neuron(v, i):
        p = dict(zip(names, v))
        return (sum(p[f"w1_{i}_{j}"]**2 for j in range(4)) + p[f"b1_{i}"]**2
                - sum(p[f"w2_{k}_{i}"]**2 for k in range(3)))

    for _ in range(20):
        g = f.loss_and_gradient(x)[1]
        x_next = x - eta * g
        for i in range(3):
            change = neuron(x_next, i) - neuron(x, i)
            assert change == pytest.approx(eta**2 * neuron(g, i), rel=1e-9, abs=1e-15)
        x = x_next


# ----------------------------------------------------------------------------
# Divergence, progress, interruption, bad input
# ----------------------------------------------------------------------------

def test_divergence_is_detected():
    with pytest.raises(TrainingDiverged, match="diverged at step .*smaller than 1e\\+06"):
        simulate(RELU, "gd", lr=1e6, steps=200)
    assert issubclass(TrainingDiverged, ValueError)


def test_progress_goes_to_stderr(capsys):
    simulate(ReLUNetwork([4, 2, 3]), "gd", lr=0.1, steps=10, progress=True)
    captured = capsys.readouterr()
    assert captured.out == "" and "training" in captured.err


def test_keyboard_interrupt_propagates(monkeypatch):
    from sage_conslaws.training.network import FeedForwardNetwork
    calls = []

    def interrupted(self, theta):
        calls.append(1)
        if len(calls) == 5:
            raise KeyboardInterrupt
        return original(self, theta)
    original = FeedForwardNetwork.loss_and_gradient
    monkeypatch.setattr(FeedForwardNetwork, "loss_and_gradient", interrupted)
    with pytest.raises(KeyboardInterrupt):
        simulate(ReLUNetwork([4, 2, 3]), "gd", lr=0.1, steps=100)


@pytest.mark.parametrize("kwargs, message", [
    (dict(optimizer="adam"), "unknown optimizer 'adam'; known: gd, hb, nag, nag-gu, nd, md"),
    (dict(lr=0), "learning rate must be a finite number > 0, got 0"),
    (dict(lr=-0.1), "learning rate must be a finite number > 0"),
    (dict(lr=float("inf")), "learning rate must be a finite number > 0, got inf"),
    (dict(optimizer="hb", momentum=1.0), r"momentum must be a number in \[0, 1\), got 1"),
    (dict(optimizer="nag", momentum=-0.1), r"momentum must be a number in \[0, 1\)"),
    (dict(optimizer="gd", momentum=0.5), "a momentum applies to hb and nag only, not to gd"),
    (dict(optimizer="nd", momentum=0.5), "not to nd"),
    (dict(steps=0), "number of steps must be a positive integer, got 0"),
    (dict(steps=2.5), "number of steps must be a positive integer"),
    (dict(optimizer="md"), "md .* applies to non-negative models"),
    (dict(data="mnist"), "unknown data set 'mnist'"),
    (dict(data="wine"), "wine needs a network with 13 inputs and 3 outputs, got widths \\[4, 8, 3\\]"),
])
def test_bad_input(kwargs, message):
    options = dict(optimizer="gd", lr=0.1, steps=5)
    options.update(kwargs)
    with pytest.raises(ValueError, match=message):
        simulate(RELU, **options)


def test_bad_nmf_sizes_and_swish_mirror_laws():
    with pytest.raises(ValueError, match="n1 <= 150 .* and n3 <= 4"):
        simulate(NMF(10, 2, 5), "md", lr=0.1, steps=5, data="iris")
    with pytest.raises(ValueError, match="Swish activations: only its Euclidean laws"):
        simulate(MODELS["swish+bias"], "gd", lr=0.1, steps=5, laws="entropic")
    with pytest.raises(TypeError, match="support LinearNetwork, ReLUNetwork, MLP, NMF, LoRA"):
        from sage_conslaws import ICNN
        simulate(ICNN(2, 2, 1), "gd", lr=0.1, steps=5)


# ----------------------------------------------------------------------------
# Command line
# ----------------------------------------------------------------------------

def test_cli_json():
    result = run_cli("simulate", "relu", "4,8,3", "--bias", "--optimizer", "gd", "--lr", "0.05",
                     "--steps", "500", "--json")
    assert result.returncode == 0, result.stderr
    d = json.loads(result.stdout)
    required = {"drift", "loss_initial", "loss_final", "steps", "optimizer", "lr", "momentum",
                "identity_residual", "laws_certified", "data"}
    assert required <= set(d)
    # one law per hidden neuron (8 of them), certified by the engine
    assert sorted(d["drift"]) == [f"neuron 1.{i}" for i in range(8)]
    assert (d["optimizer"], d["lr"], d["momentum"], d["steps"], d["data"]) == ("gd", 0.05, None, 500, "iris")
    assert d["laws_certified"] is True and d["identity_residual"] < 1e-12
    assert d["loss_final"] < d["loss_initial"]


def test_cli_text_report_and_plot(tmp_path):
    png = tmp_path / "run.png"
    result = run_cli("simulate", "nmf", "12,2,10", "--optimizer", "md", "--lr", "0.3",
                     "--steps", "50", "--plot", str(png))
    assert result.returncode == 0, result.stderr
    assert "sum U[:,0] - sum V[0,:]" in result.stdout and "digits" in result.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_diverged_runs_are_errors_and_write_no_plot(tmp_path):
    png = tmp_path / "diverged.png"
    result = run_cli("simulate", "relu", "4,8,3", "--lr", "1e6", "--steps", "300",
                     "--plot", str(png))
    assert result.returncode == 2 and not png.exists()
    assert result.stderr.count("\n") == 1 and "diverged" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--lr", "fast"], "learning rate must be a finite number > 0, got 'fast'"),
    (["--lr", "0.1", "--optimizer", "sgd"], "unknown optimizer 'sgd'"),
    (["--lr", "0.1", "--steps", "ten"], "number of steps must be a positive integer, got 'ten'"),
    (["--lr", "0.1", "--momentum", "0.9"], "a momentum applies to hb and nag only"),
    (["--lr", "0.1", "--data", "wine"], "wine needs a network with 13 inputs and 3 outputs"),
    (["--lr", "0.1", "--plot", "run.svg"], "figures are PNG files"),
    (["--lr", "0.1", "--plot", "/nonexistent/folder/run.png"], "no folder '/nonexistent/folder'"),
])
def test_cli_bad_input_is_one_line(args, message, capsys):
    from sage_conslaws.interface.cli import main
    assert main(["simulate", "relu", "4,8,3", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
