"""The registry of the training dynamics (sage_conslaws.dynamics.ode) and the shared steps.

The expected values are written here, independently of the registry:

- which dynamics each name stands for, and the coefficients (kappa2, kappa1) of
  kappa2 theta'' + kappa1 theta' + grad L = 0, are those of the notes
  (Gluch-Urbanke A1, Kovachki-Stuart B1-B2);
- the engine flow of a dynamics follows from kappa1/kappa2 (0 / constant / 3/t);
- the steps are checked against iterates computed by hand on f = x^2/2.
"""
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy

from sage_conslaws import LinearNetwork
from sage_conslaws.interface import cli
from sage_conslaws.dynamics.continuous_limits.methods import METHODS
from sage_conslaws.dynamics.continuous_limits.methods import momentum_method
from sage_conslaws.dynamics import ode
from sage_conslaws.dynamics.flows import FLOWS
from sage_conslaws.dynamics.ode import MOMENTUM_FLOWS
from sage_conslaws.dynamics.phase_space import MomentumFlow
from sage_conslaws.dynamics.steps import (gradient_point, mirror_step, momentum_step,
                                          momentum_update)
from sage_conslaws.dynamics.equations import ALIASES, NAMED_DYNAMICS, dynamics
from sage_conslaws.dynamics.equations import t as time
from sage_conslaws.training.optimizers import OPTIMIZERS, optimizer

ROOT = Path(__file__).resolve().parent.parent

# What each name of each vocabulary stands for (the notes, and the docstrings of the
# modules that named them before the registry).
EXPECTED = {
    # the engine's flows
    "gradient": "gradient", "momentum": "damped", "nesterov": "nesterov",
    # Noether's names and aliases
    "newtonian": "newtonian", "damped": "damped", "heavy-ball": "heavy-ball", "nag": "nag",
    "GF": "gradient", "ND": "newtonian", "NAGF": "nesterov", "HB": "heavy-ball", "NAG": "nag",
    # the optimizers (and the momentum methods hb, nag)
    "gd": "gradient", "hb": "heavy-ball", "nag-gu": "nesterov", "nd": "newtonian",
    "md": "mirror",
}

h, lam, tau = (sympy.Symbol(name, positive=True) for name in ("h", "lambda", "tau"))
# (kappa2, kappa1) of the notes: GU2021 A1 and KS2021 B2 (alpha of HB and NAG)
COEFFICIENTS = {
    "gradient": (0, 1), "newtonian": (1, 0), "nesterov": (1, 3 / time), "damped": (1, tau),
    "heavy-ball": (h * (1 + lam) / 2, 1 - lam),
    "nag": (h * (1 - lam + 2 * lam**2) / 2, 1 - lam),
}


# ----------------------------------------------------------------------------
# Every name of every vocabulary stands for one entry
# ----------------------------------------------------------------------------

def vocabularies():
    """Each vocabulary of the package, with the entry each of its names stands for there."""
    return {
        "flows": {f: ode.resolve(f) for f in FLOWS},
        "momentum flows": {f: ode.resolve(f) for f in MOMENTUM_FLOWS},
        "Noether names": {n: NAMED_DYNAMICS[n] for n in NAMED_DYNAMICS},
        "Noether aliases": {a: NAMED_DYNAMICS[n] for a, n in ALIASES.items()},
        "methods": {m: METHODS[m].entry() for m in METHODS},
        "optimizers": {o: OPTIMIZERS[o].entry() for o in OPTIMIZERS},
    }


@pytest.mark.parametrize("vocabulary", sorted(vocabularies()))
def test_every_name_stands_for_the_expected_entry(vocabulary):
    for name, entry in vocabularies()[vocabulary].items():
        assert entry is ode.DYNAMICS[EXPECTED[name]], (vocabulary, name)
        assert ode.resolve(name) is entry, (vocabulary, name)


def test_a_name_in_two_vocabularies_means_one_dynamics():
    meaning = {}
    for vocabulary, names in vocabularies().items():
        for name, entry in names.items():
            assert meaning.setdefault(name, entry) is entry, (vocabulary, name)
    assert set(meaning) == set(EXPECTED)


def test_the_public_names_are_the_registry():
    assert FLOWS == ode.FLOWS == ("gradient", "momentum", "nesterov")
    assert MOMENTUM_FLOWS == ode.MOMENTUM_FLOWS == ("momentum", "nesterov")
    assert NAMED_DYNAMICS is ode.NAMED_DYNAMICS
    assert list(NAMED_DYNAMICS) == ["gradient", "newtonian", "nesterov", "damped", "heavy-ball",
                                    "nag"]
    assert ALIASES == {"GF": "gradient", "ND": "newtonian", "NAGF": "nesterov",
                       "momentum": "damped", "HB": "heavy-ball", "NAG": "nag"}
    assert OPTIMIZERS is ode.OPTIMIZERS and list(OPTIMIZERS) == ["gd", "hb", "nag", "nag-gu",
                                                                 "nd", "md"]
    assert METHODS is ode.METHODS and list(METHODS) == ["hb", "nag"]


def test_each_optimizer_discretizes_one_dynamics():
    listed = [o for entry in ode.DYNAMICS.values() for o in entry.optimizers()]
    assert sorted(listed) == sorted(OPTIMIZERS)
    assert [m for entry in ode.DYNAMICS.values() for m in entry.methods()] == ["hb", "nag"]


def test_each_flow_is_the_entry_of_its_name():
    for flow in FLOWS:
        assert ode.resolve(flow).flow == flow


def test_unknown_names():
    with pytest.raises(ValueError, match="unknown dynamics 'adam'; known: gradient"):
        ode.resolve("adam")
    with pytest.raises(ValueError, match="unknown flow 'GF'"):
        ode.flow_dynamics("GF")


# ----------------------------------------------------------------------------
# The ODEs: coefficients, engine flows, and the two classes that model them
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(COEFFICIENTS))
def test_coefficients_are_those_of_the_notes(name):
    D = dynamics(name)
    assert D.entry() is ode.DYNAMICS[name]
    kappa2, kappa1 = COEFFICIENTS[name]
    assert sympy.simplify(D.kappa2() - kappa2) == 0
    assert sympy.simplify(D.kappa1() - kappa1) == 0


@pytest.mark.parametrize("name", sorted(COEFFICIENTS))
def test_the_engine_flow_follows_from_the_coefficients(name):
    kappa2, kappa1 = COEFFICIENTS[name]
    if kappa2 == 0:
        expected = ("gradient", None)
    elif sympy.simplify(kappa1 / kappa2 - 3 / time) == 0:
        expected = ("nesterov", None)
    else:
        damping = sympy.simplify(kappa1 / kappa2)
        assert time not in damping.free_symbols
        expected = ("momentum", damping)
    flow, damping = dynamics(name).engine_flow()
    assert ode.DYNAMICS[name].flow == flow == expected[0]
    if flow == "momentum":
        assert sympy.simplify(sympy.sympify(damping) - expected[1]) == 0
    else:
        assert damping is None


def test_engine_flow_with_given_parameters_is_a_rational_damping():
    # h = 1/10, lambda = 1/2: kappa2 = 3/40, kappa1 = 1/2, damping 20/3
    assert dynamics("HB", h="1/10", lam="1/2").engine_flow() == ("momentum", Fraction(20, 3))
    assert dynamics("damped", tau="1/2").engine_flow() == ("momentum", Fraction(1, 2))
    assert dynamics("ND").engine_flow() == ("momentum", Fraction(0))
    from sage_conslaws.dynamics.equations import Dynamics
    assert Dynamics("my flow", 1, 2).engine_flow() is None


def test_the_modified_equations_are_those_of_the_methods():
    # kappa2 = h alpha, alpha = (1 + lam - 2 a (1 - lam))/2, a the look-ahead of the method
    for name, method in METHODS.items():
        a = {"0": 0, "lam": lam}[method.look_ahead]
        [entry] = [e for e in ode.DYNAMICS.values() if name in e.methods()]
        kappa2 = dynamics(entry.name).kappa2()
        assert sympy.simplify(kappa2 - h * (1 + lam - 2 * a * (1 - lam)) / 2) == 0
        alpha = sympy.sympify(str(momentum_method(name).alpha()), locals={"lam": lam})
        assert sympy.simplify(kappa2 - h * alpha) == 0


@pytest.mark.parametrize("flow, damping, expected, tau", [
    ("momentum", 0, "newtonian", Fraction(0)), ("momentum", "1/2", "damped", Fraction(1, 2)),
    ("nesterov", None, "nesterov", None)])
def test_a_momentum_flow_and_its_dynamics_are_one_entry(flow, damping, expected, tau):
    F = MomentumFlow(LinearNetwork([1, 2, 1]), flow=flow, damping=damping)
    D = F.dynamics()
    assert F.entry() is D.entry() is ode.DYNAMICS[expected]
    assert D.engine_flow() == (flow, tau)


def test_the_gradient_flow_is_its_own_engine_flow():
    name, parameters = ode.flow_dynamics("gradient")
    assert dynamics(name, **parameters).engine_flow() == ("gradient", None)


# ----------------------------------------------------------------------------
# The steps, against iterates computed by hand on f = x^2/2 (gradient x)
# ----------------------------------------------------------------------------

def identity(x):
    return x


def test_heavy_ball_from_rest_by_hand():
    step, momentum, x0 = 0.1, 0.5, np.array([1.0])
    x1 = momentum_step(x0, x0, identity, step, momentum)
    x2 = momentum_step(x1, x0, identity, step, momentum)
    assert x1[0] == pytest.approx((1 - step) * 1.0, rel=1e-15)
    assert x2[0] == pytest.approx(x1[0] + momentum * (x1[0] - 1.0) - step * x1[0], rel=1e-15)
    assert x2[0] == pytest.approx(0.76, rel=1e-15)


def test_nesterov_takes_the_gradient_at_the_look_ahead_point():
    x, x_previous = np.array([2.0]), np.array([1.0])
    assert gradient_point(x, x_previous, 0.5)[0] == 2.5
    assert gradient_point(x, x_previous) is x
    # x1 = 2 + 0.5 (2 - 1) - 0.1 * 2.5
    assert momentum_step(x, x_previous, identity, 0.1, 0.5, 0.5)[0] == pytest.approx(2.25)
    # the update alone, given that gradient
    assert momentum_update(x, x_previous, np.array([2.5]), 0.1, 0.5)[0] == pytest.approx(2.25)


def test_mirror_step_by_hand():
    # 2 exp(-0.5 log 4) = 1
    assert mirror_step(np.array([2.0]), np.array([np.log(4.0)]), 0.5)[0] == pytest.approx(1.0)


def optimizer_iterates(opt, x0, n):
    x = x_previous = np.array(x0)
    iterates = [x]
    for k in range(n):
        z = opt.gradient_point(x, x_previous, k)
        x_previous, x = x, opt.step(x, x_previous, k, identity(z))
        iterates.append(x)
    return np.array(iterates)


@pytest.mark.parametrize("name", ["hb", "nag"])
def test_the_optimizer_and_the_continuous_limit_method_take_the_same_steps(name):
    iterates = momentum_method(name, Fraction(1, 2)).run(identity, [1.0, -2.0], 0.1, 20)
    assert np.array_equal(optimizer_iterates(optimizer(name, 0.1, 0.5), [1.0, -2.0], 20),
                          iterates)


def test_nag_gu_is_equation_20_of_gluch_urbanke():
    # y_0 = w_0; w_k = y_{k-1} - eta grad L(y_{k-1}); y_k = w_k + (k-1)/(k+2) (w_k - w_{k-1})
    eta, w = 0.1, [np.array([1.0])]
    y = w[0]
    for k in range(1, 8):
        w.append(y - eta * identity(y))
        y = w[k] + (k - 1) / (k + 2) * (w[k] - w[k - 1])
    assert np.allclose(optimizer_iterates(optimizer("nag-gu", eta), [1.0], 7)[:, 0],
                       [v[0] for v in w], rtol=1e-14, atol=0)


def test_gd_and_nd_by_hand():
    x0 = np.array([1.0])
    gd = optimizer_iterates(optimizer("gd", 0.1), x0, 2)[:, 0]
    assert gd == pytest.approx([1.0, 0.9, 0.81])
    # nd: w_2 = 2 w_1 - w_0 - eta w_1, from rest
    nd = optimizer_iterates(optimizer("nd", 0.1), x0, 2)[:, 0]
    assert nd == pytest.approx([1.0, 0.9, 2 * 0.9 - 1.0 - 0.1 * 0.9])


def test_time_steps_and_metrics_of_the_optimizers():
    # t = k h for first-order limits and fixed momenta, t = k sqrt(eta) for ND and NAG-GU
    assert {name: optimizer(name, 0.04).time_step() for name in OPTIMIZERS} == pytest.approx(
        {"gd": 0.04, "hb": 0.04, "nag": 0.04, "nag-gu": 0.2, "nd": 0.2, "md": 0.04})
    assert {name: optimizer(name, 0.1).entry().metric for name in OPTIMIZERS} == {
        "gd": "euclidean", "hb": "euclidean", "nag": "euclidean", "nag-gu": "euclidean",
        "nd": "euclidean", "md": "entropic"}


# ----------------------------------------------------------------------------
# The command line's help tables, and importing the registry without Sage
# ----------------------------------------------------------------------------

def test_the_help_tables_are_the_registry():
    assert list(cli.FLOW_HELP) == list(ode.FLOWS)
    assert list(cli.OPTIMIZER_HELP) == list(ode.OPTIMIZERS)
    assert list(cli.DYNAMICS_HELP) == list(ode.NAMED_DYNAMICS)
    for flow, text in cli.FLOW_HELP.items():
        assert text.startswith(ode.resolve(flow).summary())
    for name, text in cli.OPTIMIZER_HELP.items():
        assert text.startswith(ode.OPTIMIZERS[name].description)
    for name, text in cli.DYNAMICS_HELP.items():
        entry = ode.NAMED_DYNAMICS[name]
        assert text.startswith(entry.summary())
        assert all(alias in text for alias in entry.aliases)


def test_the_registry_and_the_steps_import_neither_sage_nor_sympy_nor_numpy():
    code = ("import sys\n"
            "from sage_conslaws.dynamics import ode, steps\n"
            "assert ode.resolve('nag-gu').name == 'nesterov'\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('sage', 'sympy', 'numpy')))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]", result.stdout
