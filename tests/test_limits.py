"""
Bounded resources: inputs too large for the exact engine are refused at once, in one line.

Each command line case is an input that, before the checks, ran for minutes and
passed several GB. They run here in a subprocess with at most 3 GB of address
space and a time limit, so that a regression fails the test instead of taking
the machine down.
"""
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: The address space of a bounded run: Python and Sage alone take 1.8 GB.
MEMORY = 3 * 2**30


def _bounded():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _environment():
    """Return the environment of a bounded run: the package under test comes first on the path."""
    path = [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(path)}


def run_bounded(*args, seconds=60):
    """Run ``python -m sage_conslaws ARGS`` with bounded memory and time; return (result, seconds)."""
    start = time.monotonic()
    try:
        result = subprocess.run([sys.executable, "-m", "sage_conslaws", *args], cwd=ROOT,
                                env=_environment(), capture_output=True, text=True,
                                timeout=seconds, preexec_fn=_bounded)
    except subprocess.TimeoutExpired:
        pytest.fail(f"sage-conslaws {' '.join(args)} still ran after {seconds} s")
    return result, time.monotonic() - start


def assert_refused(result, *fragments):
    assert result.returncode == 2, result.stderr[-3000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[-3000:]
    assert lines[0].startswith("sage-conslaws: error: ")
    assert "beyond reach" in lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


# ----------------------------------------------------------------------------
# Models: parameters, phi and known laws counted from the widths
# ----------------------------------------------------------------------------

# a layered network up to 5,000,000 parameters is built without a ring (its structure and
# laws as quadratic forms); what needs the ring refuses it beyond 32767 (here the general
# path of repu2, whose phi is refused first)
@pytest.mark.parametrize("model, sizes, fragments", [
    ("relu", "100000000,2", ("has 200000000 parameters", "(at most 5000000 parameters)")),
    ("linear", "100000,100000", ("has 10000000000 parameters", "(at most 5000000 parameters)")),
    ("repu2", "100000,2,2", ("phi has up to 20000200000 terms", "(at most 2000 MB)")),
    ("nmf", "100000,1000,100000", ("has 200000000 parameters", "(at most 32767 parameters)")),
    ("icnn", "100000,1000,2", ("has 100002000 parameters", "(at most 5000000 parameters)")),
])
def test_huge_widths_are_refused_before_the_names_are_built(model, sizes, fragments):
    # was (relu 100000000,2): 8 GB in 45 s, building the names
    result, seconds = run_bounded("count", model, sizes, seconds=30)
    assert_refused(result, *fragments)
    assert seconds < 30


def test_huge_networks_are_refused_by_the_python_api_at_once():
    from sage_conslaws import ICNN, MLP, NMF, LinearNetwork, ReLUNetwork
    from sage_conslaws.limits import BeyondReach
    start = time.monotonic()
    for build in (lambda: ReLUNetwork([10**8, 2], bias=True), lambda: LinearNetwork([10**5] * 3),
                  lambda: MLP([10**7, 2, 2], "swish", bias=True), lambda: NMF(10**5, 10, 10**5),
                  lambda: ICNN(10**5, 10**3, 2, bias=True)):
        with pytest.raises(BeyondReach, match="parameters, beyond reach"):
            build()
    assert time.monotonic() - start < 1


def test_count_of_known_laws_too_large_as_polynomials_is_proven_with_their_forms():
    # was refused: the 700 x 701 / 2 entries of W1 W1^T - W2^T W2 have 490,700 terms in 1400
    # variables as polynomials; the count holds the 2h - 1 = 1399 it needs as forms
    # (linear 50,50,50, refused the same way, is proven in benchmarks/scale.py)
    result, seconds = run_bounded("count", "linear", "1,700,1", "--json", seconds=60)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["laws"] == 1399 and report["certified"] and report["lie_dimension"] == 1
    assert report["known_laws"]["W1 W1^T - W2^T W2 [0,699]"] == "w1_0_0*w1_699_0 - w2_0_0*w2_0_699"


def test_count_of_laws_on_several_layers_too_many_to_rank_is_refused_before_their_proof():
    # 2 x 20100 laws on 44,000 parameters (no polynomial ring): their independence is a dense
    # rank of 40200 x 44000 gradients, refused as soon as the forms are built (was 11 s)
    result, seconds = run_bounded("count", "linear", "10,200,200,10", seconds=60)
    assert_refused(result, "the gradients of 40200 known laws on 44000 parameters",
                   "(at most 250000000 entries)")
    assert seconds < 30


def test_count_relu_35_35_35_is_refused_before_its_dense_matrix():
    # the general path (discovery mode does not take the structured one) was: 79 s and
    # 3.1 GB, for a 42875 x 2450 dense matrix over GF(p)
    result, seconds = run_bounded("count", "relu", "35,35,35", "--discover", seconds=30)
    assert_refused(result, "42875 gradient fields", "(at most 100000000 entries)")
    assert seconds < 30


def test_the_structured_path_proves_what_the_general_path_refuses():
    # one law per hidden neuron ([MGP2023]); for linear 22,22,22, the 22 x 23 / 2 entries of
    # W1 W1^T - W2^T W2, and dim Lie(W) = D - 253 (two-layer formula, r = 22 <= n + m)
    for args, laws in ((("relu", "35,35,35"), 35), (("relu", ",".join(["3"] * 12)), 30),
                       (("linear", "22,22,22"), 253)):
        result, seconds = run_bounded("count", *args, "--json", seconds=60)
        assert result.returncode == 0, result.stderr[-3000:]
        answer = json.loads(result.stdout)
        assert answer["laws"] == laws and answer["certified"], answer


def test_deep_narrow_relu_is_refused_before_phi():
    # was: Singular stopped the process ("no more memory") at 4 GB after 29 s
    result, seconds = run_bounded("count", "relu", ",".join(["3"] * 12), "--discover", seconds=30)
    assert_refused(result, "phi has up to 531441 terms of degree 11", "(at most 2000 MB)")


def test_known_laws_too_large_to_build_are_refused_at_once():
    # 40000 terms in 30000 variables: Singular stopped the process at 4 GB after 8 s
    from sage_conslaws import ReLUNetwork
    from sage_conslaws.limits import BeyondReach
    network = ReLUNetwork([100, 100, 100, 100])
    start = time.monotonic()
    with pytest.raises(BeyondReach, match="its known laws have up to 40000 terms"):
        network.known_laws()
    # the count needs them as forms only, and refuses its dense 30000 x 30000 rank
    with pytest.raises(BeyondReach, match="the values of 29802 brackets"):
        network.conservation_laws()
    assert time.monotonic() - start < 1


def test_known_laws_too_large_as_polynomials_are_tracked_as_forms():
    # the 200 neuron laws, read from the layers as quadratic forms: no polynomial is built
    from sage_conslaws import ReLUNetwork
    from sage_conslaws.training.laws import tracked_laws
    start = time.monotonic()
    laws = tracked_laws(ReLUNetwork([100, 100, 100, 100]))
    assert len(laws) == 200 and not laws.is_certified()
    assert "the values of 29802 brackets" in repr(laws)
    assert time.monotonic() - start < 5


def test_large_networks_are_still_built_and_trained_with_their_known_laws():
    # a model is a light description: phi beyond reach (30^4 = 810,000 paths of degree 3), yet the
    # structured path proves the 60 neuron laws (one per hidden neuron) complete
    from sage_conslaws import ReLUNetwork
    from sage_conslaws.limits import BeyondReach
    from sage_conslaws.training.laws import tracked_laws
    network = ReLUNetwork([30, 30, 30, 30])
    assert network.dimension() == 2700
    with pytest.raises(BeyondReach, match="phi has up to 810000 terms of degree 3"):
        network.check_within_reach()
    laws = tracked_laws(network)
    assert len(laws.names()) == 60 and laws.is_certified()
    # without the count, the same laws, not proven complete
    known = tracked_laws(network, proof_seconds=0)
    assert known.names() == laws.names() and not known.is_certified()
    assert "the exact count was not attempted" in repr(known)


def test_simulate_at_scale_trains_in_seconds():
    # issue "Scale", item 7: simulate relu 4,50,50,3 --bias took 101 s and 3.7 GB in the
    # exact count before its first step (phi has 37,650 paths); simulate linear 4,20,20,3 did
    # not finish in 300 s. Now the first is proven by the structured path, and the second
    # tracks its known laws at once when asked to skip the proof
    result, seconds = run_bounded("simulate", "relu", "4,50,50,3", "--bias", "--lr", "0.01",
                                  "--steps", "50", "--json", seconds=60)
    assert result.returncode == 0, result.stderr[-3000:]
    run = json.loads(result.stdout)
    assert run["laws_certified"] and len(run["drift"]) == 100
    result, seconds = run_bounded("simulate", "linear", "4,20,20,3", "--lr", "0.01",
                                  "--steps", "50", "--json", "--proof-seconds", "0", seconds=60)
    assert result.returncode == 0, result.stderr[-3000:]
    run = json.loads(result.stdout)
    assert not run["laws_certified"] and len(run["drift"]) == 420
    assert seconds < 30


def test_a_training_run_stops_the_exact_count_when_its_time_is_up():
    # the closure of linear 4,20,20,3 needs 11 bracket depths (about 17 s): stopped after
    # 1 s by the alarm, the run tracks the 2 x 20 x 21 / 2 = 420 known laws (one per entry
    # of the two symmetric matrices W_l W_l^T - W_{l+1}^T W_{l+1}), not certified
    from sage_conslaws import LinearNetwork
    from sage_conslaws.training.laws import tracked_laws
    start = time.monotonic()
    laws = tracked_laws(LinearNetwork([4, 20, 20, 3]), proof_seconds=1)
    assert time.monotonic() - start < 8
    assert len(laws) == 420 and not laws.is_certified()
    assert "the exact count was stopped after 1 s" in repr(laws)


# ----------------------------------------------------------------------------
# The engine: dense matrices, bracket levels, metrics, verification
# ----------------------------------------------------------------------------

def test_first_bracket_level_of_a_wide_linear_network_is_refused():
    # phi is small, but the first bracket level of the symbolic closure needs 2 x 484 x 484 x
    # 968 dense entries (linear 20,20,20, smaller, ran out of 4 GB after 4 minutes); a count
    # takes the structured path instead (test_the_structured_path_proves_what_...)
    from sage_conslaws import LinearNetwork, lie_closure
    from sage_conslaws.limits import BeyondReach
    start = time.monotonic()
    with pytest.raises(BeyondReach, match=r"bracket level 1 of the Lie closure \(484 generators, "
                       r"484 new fields, on R\^968\).*\(at most 100000000 entries\)"):
        lie_closure(LinearNetwork([22, 22, 22]).fields())
    assert time.monotonic() - start < 30


def test_training_falls_back_to_the_known_laws_when_the_engine_refuses():
    # phi of the square activation's 22,22,22 network is beyond reach, and it has no
    # structured path (z^2 is not linear in z)
    from sage_conslaws import MLP
    from sage_conslaws.training.laws import tracked_laws
    laws = tracked_laws(MLP([22, 22, 22], "pow2"))
    assert len(laws.names()) == 22
    assert not laws.is_certified()


def test_metric_fields_of_a_large_nmf_are_refused():
    # 1600 gradients times a dense 1600 x 1600 inverse metric over the fraction field
    result, seconds = run_bounded("count", "nmf", "40,20,40", seconds=30)
    assert_refused(result, "the 1600 gradient fields under a metric on R^1600",
                   "(at most 1000000000 products)")


def test_verification_of_a_closure_on_a_large_space_is_refused():
    from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
    from sage.rings.rational_field import QQ
    from sage_conslaws import PolynomialVectorField, lie_closure
    from sage_conslaws.closure.verification import verify_closure
    from sage_conslaws.limits import BeyondReach
    R = PolynomialRing(QQ, "x", 3000)
    x = R.gens()
    closure = lie_closure([PolynomialVectorField(R, {i: x[i]}) for i in range(3)], max_depth=0)
    with pytest.raises(BeyondReach, match="forms 6 Jacobians of size 3000 x 3000 over QQ"):
        verify_closure(closure)


# ----------------------------------------------------------------------------
# The search of polynomial laws
# ----------------------------------------------------------------------------

def test_discovery_refuses_a_degree_whose_monomials_are_too_many_at_once():
    # the monomials of degree <= 4 in 200 variables: 70 million, counted before any is built
    from sage_conslaws import PolynomialMap
    from sage_conslaws.fields.evaluation import ModularPoint
    from sage_conslaws.laws.discovery import laws_of_degree
    from sage_conslaws.limits import BeyondReach
    M = PolynomialMap([" + ".join(f"x{i}*x{i + 1}" for i in range(199))])
    start = time.monotonic()
    with pytest.raises(BeyondReach, match="the laws of degree at most 4 in 200 variables have "
                                          "70058750 monomials"):
        laws_of_degree(M.fields(), 4, ModularPoint(200))
    assert time.monotonic() - start < 5


def test_polynomial_laws_refuse_at_once():
    from sage_conslaws import ReLUNetwork, gradient_fields, polynomial_laws
    from sage_conslaws.limits import BeyondReach
    fields = ReLUNetwork([3, 4, 2]).fields()
    start = time.monotonic()
    with pytest.raises(BeyondReach, match="8855 unknowns, beyond reach"):
        polynomial_laws(fields, 4, homogeneous=True)
    with pytest.raises(BeyondReach, match="degree 4 on R\\^20 have 8855 unknowns"):
        polynomial_laws(fields, 4)
    # a non-homogeneous family solves all degrees at once: C(24, 4) - 1 unknowns
    x = fields[0].ring().gens()
    with pytest.raises(BeyondReach, match="degrees 1 to 4 on R\\^20 have 10625 unknowns"):
        polynomial_laws(gradient_fields([x[0] * x[1] + x[2]]), 4)
    assert time.monotonic() - start < 1


# ----------------------------------------------------------------------------
# Linear symmetries
# ----------------------------------------------------------------------------

def test_symmetries_of_a_wide_linear_network_are_refused():
    # linear 30,30,30 (54000 unknowns) was refused, and FLINT could not allocate 4 GB after
    # 42 s without the limit; it now takes 44 s, and 35,35,35 is refused at once
    result, seconds = run_bounded("symmetries", "linear", "35,35,35", seconds=60)
    assert_refused(result, "the linear symmetries of LinearNetwork([35, 35, 35]) with 2450 "
                   "parameters have 85750 unknowns", "(at most 60000 unknowns)")
    assert seconds < 20


def test_symmetries_of_linear_5_10_10_5_in_seconds():
    # issue "Scale", item 7: more than 300 CPU s, then refused (21000 unknowns). The
    # symmetries of W3 W2 W1 are the mixings of each hidden layer, gl(10) + gl(10), of
    # dimension 200 (110 symmetric: 2 x 10 x 11 / 2, one law each), and the derived algebra
    # is sl(10) + sl(10), of dimension 198
    result, seconds = run_bounded("symmetries", "linear", "5,10,10,5", "--json", seconds=120)
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout)
    assert answer["dimension"] == 200 and answer["derived_dimension"] == 198
    assert answer["symmetric_dimension"] == 110


def test_derived_algebra_of_many_symmetries_is_refused():
    # 32640 commutators on R^512: refused before they are formed (16.7 s here, in the solve)
    result, seconds = run_bounded("symmetries", "linear", "16,16,16", seconds=90)
    assert_refused(result, "the derived algebra takes 32640 commutators of sparse 512 x 512 "
                   "matrices", "(at most 10000000 rows)")


def test_derived_algebra_of_gl_10_in_seconds():
    # was refused (and 96 s before the limit, 87 of them in the commutators): the symmetries
    # of linear 10,10,10 are gl(10), whose derived algebra is sl(10), of dimension 99
    result, seconds = run_bounded("symmetries", "linear", "10,10,10", "--json", seconds=60)
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout)
    assert answer["dimension"] == 100 and answer["derived_dimension"] == 99


def test_symmetry_algebra_of_a_large_quadratic_form_is_refused():
    # the symmetries of x1^2 + ... + x100^2 are so(100), of dimension 4950: the kernels of
    # the algebra ran out of 4 GB after 13 s; on their distinct columns (B - B^T repeats each
    # column of a skew B up to sign) the kernels are still 4950 x 4950
    from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
    from sage.rings.rational_field import QQ
    from sage_conslaws import PolynomialMap
    from sage_conslaws.limits import BeyondReach
    from sage_conslaws.symmetries.solve import linear_symmetries
    R = PolynomialRing(QQ, "x", 100)
    with pytest.raises(BeyondReach, match="4950 x 4950 system over QQ"):
        linear_symmetries(PolynomialMap([sum(x**2 for x in R.gens())]))


@pytest.mark.parametrize("delay", [1.5, 4.0])
def test_ctrl_c_stops_a_large_structured_count_at_once(delay):
    # the values of the brackets (numpy) and their rank (LinBox) both stop on SIGINT
    import signal
    process = subprocess.Popen([sys.executable, "-m", "sage_conslaws", "count", "relu",
                                "30,60,30,10", "--bias"], cwd=ROOT, env=_environment(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130 and out == ""
    assert err.strip().splitlines()[-1] == "sage-conslaws: interrupted"
    assert time.monotonic() - sent < 10
