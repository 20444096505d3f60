"""The command line: results, JSON keys, sweeps, errors, start-up.

Every test runs :func:`sage_conslaws.interface.cli.main` in this process, but one: the smoke test
of the installed command ``sage-conslaws`` (and the check, in a fresh interpreter, that
``--help`` does not import Sage).
"""
import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sage_conslaws.interface import cases as case_module
from sage_conslaws.interface import cli

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv, out=None):
    """Return the exit status, standard output and standard error of ``sage-conslaws ARGV``."""
    status = cli.main(list(argv), out)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def one_error_line(err):
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("sage-conslaws: error: "), err
    return lines[0]


# ----------------------------------------------------------------------------
# Results
# ----------------------------------------------------------------------------

def test_count_relu_with_bias_json(capsys):
    # 3 inputs, 4 hidden ReLU units with biases, 2 outputs: D = 12 + 4 + 8 = 24 and
    # one law per hidden neuron (Marcotte et al. 2023)
    status, out, err = run(capsys, "count", "relu", "3,4,2", "--bias", "--json")
    assert status == 0, err
    record = json.loads(out)
    assert (record["parameters"], record["laws"], record["lie_dimension"],
            record["certified"]) == (24, 4, 20, True)


def test_count_linear_report_shows_the_balancedness_matrix(capsys):
    # U V^T with U 2x3, V 2x3: r = 3 <= k = 4 so r(r+1)/2 = 6 laws, the entries of a
    # symmetric 3x3 matrix
    status, out, err = run(capsys, "count", "linear", "2,3,2")
    assert status == 0, err
    assert "W1 W1^T - W2^T W2 =" in out


def test_count_report_says_what_was_proven_once(capsys):
    # x -> u v x: one law; a report used to say "certificate : certified: ..." after
    # "conservation laws : 1 (certified)", and "1 independent conservation laws"
    status, out, err = run(capsys, "count", "linear", "1,1,1")
    assert status == 0, err
    lines = [line.strip() for line in out.splitlines()]
    assert "laws                  : 1 independent conservation law (certified)" in lines
    assert ("bounds                : 1 <= dim Lie(W) <= 1 (upper bound: 1 independent "
            "conservation law verified by the structure of the network (symmetries of its layers))") in lines
    assert "certified:" not in out and "1 independent conservation laws" not in out
    status, out, err = run(capsys, "count", "relu", "3,4,2", "--bias")
    assert "laws                  : 4 independent conservation laws (certified)" in out


def test_count_with_degree_reports_polynomial_laws(capsys):
    # with the model's known laws the count is proven before any search: --discover makes
    # the engine search them itself, here up to degree 2
    status, out, err = run(capsys, "count", "linear", "1,1,1", "--degree", "2", "--discover",
                           "--json")
    assert status == 0, err
    record = json.loads(out)
    # x -> u v x: the only law is u^2 - v^2, up to scaling
    assert (record["laws"], record["discover"], record["proof"]) == (1, True, "discovered laws")
    assert record["known_laws"] == {} and len(record["polynomial_laws"]) == 1
    assert is_multiple(record["polynomial_laws"][0], "w1_0_0^2 - w2_0_0^2", "w1_0_0, w2_0_0")


def is_multiple(text, expected, names):
    """Whether the polynomial ``text`` is a non-zero rational multiple of ``expected``."""
    from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
    from sage.rings.rational_field import QQ
    from sage_conslaws.expressions.polynomials import parse_polynomial
    ring = PolynomialRing(QQ, names)
    h, g = parse_polynomial(text, ring), parse_polynomial(expected, ring)
    return h != 0 and h * g.lc() == g * h.lc()


def test_count_map_of_one_component(capsys):
    # one field, grad(xyz): dim Lie(W) = 1, D - 1 = 2 laws (x^2 - y^2, y^2 - z^2)
    status, out, err = run(capsys, "count", "map", "x*y*z", "--json")
    assert status == 0, err
    record = json.loads(out)
    assert (record["parameters"], record["laws"], record["certificate_kind"]) == (3, 2, "proven")
    assert record["discover"] is True  # a map knows no law: discovery mode by default


def test_count_map_of_two_components(capsys):
    # (u1 v1 + u2 v2, u1 v1) has the fields of (u1 v1, u2 v2): grad(u1 v1) and grad(u2 v2)
    # act on disjoint variables, so they commute; dim Lie(W) = 2 and D - 2 = 2 laws,
    # u1^2 - v1^2 and u2^2 - v2^2
    status, out, err = run(capsys, "count", "map", "u1*v1 + u2*v2;u1*v1", "--json")
    assert status == 0, err
    record = json.loads(out)
    assert (record["parameters"], record["lie_dimension"], record["laws"],
            record["certified"]) == (4, 2, 2, True)


def test_count_relu_in_discovery_mode(capsys):
    # ReLU 2-2-1 without bias: one law per hidden neuron, 2, found by the engine itself
    status, out, err = run(capsys, "count", "relu", "2,2,1", "--discover", "--json")
    assert status == 0, err
    record = json.loads(out)
    assert (record["discover"], record["certified"], record["proof"], record["laws"]) == (
        True, True, "discovered laws", 2)
    assert record["known_laws"] == {} and len(record["polynomial_laws"]) == 2


@pytest.mark.parametrize("flow", ["momentum", "nesterov"])
def test_discover_reaches_every_flow(flow, capsys):
    status, out, err = run(capsys, "count", "linear", "1,2,1", "--flow", flow, "--discover",
                           "--budget", "30", "--json")
    assert status == 0, err
    assert json.loads(out)["discover"] is True


def test_count_linear_in_discovery_mode_is_proven(capsys):
    # U V^T with r = 2 <= k = 4: r(r+1)/2 = 3 laws, the entries of U^T U - V^T V
    status, out, err = run(capsys, "count", "linear", "2,2,2", "--discover")
    assert status == 0, err
    assert "laws                  : 3 independent conservation laws (certified)" in out


def test_a_loss_that_explodes_and_comes_back_is_a_diverged_run(capsys):
    # lr 20: the loss reaches 1e20 by step 10, then dead ReLU units bring it back to 0.73;
    # such a run was reported as a success, its loss printed with hundreds of digits
    status, out, err = run(capsys, "simulate", "relu", "4,8,3", "--bias", "--optimizer", "gd",
                           "--lr", "20", "--quiet")
    assert status == 2 and out == ""
    assert err == ("sage-conslaws: error: training diverged at step 4 (the loss grew from "
                   "1.1344 to 7.315e+07, more than 1e+06 times its initial value): try a "
                   "learning rate smaller than 20\n")


# ----------------------------------------------------------------------------
# Sweeps
# ----------------------------------------------------------------------------

def test_sweep_prints_one_json_object_per_case_and_totals(tmp_path, capsys):
    cases = tmp_path / "cases.txt"
    cases.write_text("linear 1,2,1\n\n# a comment\nrelu 2,2,1 --bias\n")
    status, out, err = run(capsys, "sweep", str(cases), "--json")
    assert status == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert [r.get("case") for r in records[:2]] == ["linear 1,2,1", "relu 2,2,1 --bias"]
    # linear 1,2,1: r = 2 = k, r(r+1)/2 = 3; relu 2,2,1 with bias: 2 hidden neurons
    assert [r["laws"] for r in records[:2]] == [3, 2]
    assert all("seconds" in r for r in records[:2])
    assert records[2] == {"totals": {"cases": 2, "proven": 2, "probabilistic": 0,
                                     "not_verified": 0, "max_error_bound": None, "refused": 0,
                                     "failed": 0, "timed_out": 0, "laws": 5,
                                     "seconds": records[2]["totals"]["seconds"]}}


def test_sweep_with_a_map_in_discovery_mode(tmp_path, capsys):
    cases = tmp_path / "cases.txt"
    # the map is quoted, as in a shell; the last line has no budget for the exact rungs
    cases.write_text("map 'x*y*z'  # D - 1 = 2\nrelu 2,2,1\n"
                     "linear 2,3,2 --budget 0  # 6 laws, all quadratic\n")
    status, out, err = run(capsys, "sweep", str(cases), "--discover", "--budget", "30")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("map 'x*y*z'  ") and "laws=2 " in lines[0]
    assert "proven: discovered" in lines[0] and "proven: discovered" in lines[1]
    # no search, no Groebner rung: the count of 6 is verified at random points only
    assert "laws=6 " in lines[2] and "probabilistic: random, p <= " in lines[2]
    assert lines[3].startswith("3 cases: 2 proven, 1 probabilistic (largest error bound ")
    assert "), 0 not verified; 10 laws in all, " in lines[3]


def test_sweep_json_totals_count_each_kind(tmp_path, capsys):
    cases = tmp_path / "cases.txt"
    cases.write_text("map 'x*y*z;x+y'\nlinear 2,3,2 --budget 0\n")
    status, out, err = run(capsys, "sweep", str(cases), "--discover", "--json")
    assert status == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["discover"], r["certificate_kind"], r["proof"]) for r in records[:2]] == [
        (True, "proven", "rank D"), (True, "probabilistic", "random verification")]
    totals = records[2]["totals"]
    assert (totals["proven"], totals["probabilistic"], totals["not_verified"]) == (1, 1, 0)
    assert totals["max_error_bound"] == records[1]["error_bound"] < 1e-12


def test_a_case_refused_while_it_runs_does_not_stop_the_sweep(tmp_path, capsys, monkeypatch):
    count = case_module.count_case

    def refusing(case, *args):
        if case.model == "relu":
            raise ValueError("beyond reach: too large")
        return count(case, *args)
    monkeypatch.setattr(case_module, "count_case", refusing)
    cases = tmp_path / "cases.txt"
    cases.write_text("linear 1,2,1\nrelu 2,2,1\nlinear 1,1,1\n")
    status, out, err = run(capsys, "sweep", str(cases))
    lines = out.splitlines()
    assert status == 2 and len(lines) == 4
    assert lines[1] == "relu 2,2,1    refused: beyond reach: too large"
    assert lines[3].startswith("3 cases: 2 proven, 0 probabilistic, 0 not verified, 1 refused; ")
    assert one_error_line(err) == "sage-conslaws: error: 1 of 3 cases refused (see their lines)"


def test_sweep_accepts_a_byte_order_mark_and_trailing_comments(tmp_path, capsys):
    # an editor on Windows saves UTF-8 with a BOM; a trailing comment documents a case
    cases = tmp_path / "cases.txt"
    cases.write_bytes("\ufefflinear 1,2,1   # r(r+1)/2 = 3\n  # indented comment\n"
                      "relu 2,2,1 --bias --degree 2  # one law per hidden neuron\n"
                      .encode("utf-8"))
    status, out, err = run(capsys, "sweep", str(cases), "--json")
    assert status == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r.get("case"), r.get("laws")) for r in records[:2]] == [
        ("linear 1,2,1", 3), ("relu 2,2,1 --bias --degree 2", 2)]


@pytest.mark.parametrize("line, message", [
    ("relu 2,-1,2", "layer widths must be positive integers, got [2, -1, 2]"),
    ("relu 2,2,1 --degree 0",
     "argument --degree: the degree of polynomial laws must be a positive integer, got 0"),
    ("relu 2,2,1 --degree two", "the degree of polynomial laws must be a positive integer"),
    ("linear 2,2,1 --flow adam", "unknown flow 'adam'"),
    ("linear 2,2,1 --damping 1", "a damping applies to the momentum flow only"),
    ("linear 2,2,1 --metric fisher", "unknown metric 'fisher'"),
    ("linear 2,2,1 --bias", "model 'linear' has no biases"),
    ("linear 2,2,1 --depth 3", "unrecognized arguments: --depth 3"),
    ("linear 2,2,1 'open quote", "No closing quotation"),
    ("map 'x;;y'", "component 2 of the map 'x;;y' is empty"),
    ("map 'x*y' --bias", "model 'map' has no biases"),
    ("relu 2,2,1 --budget -1", "the budget must be a non-negative number of seconds, got -1"),
])
def test_every_option_of_every_line_is_checked_before_the_first_case_runs(
        line, message, tmp_path, capsys, monkeypatch):
    # a typo on the last line of a long sweep used to be found after hours of work
    ran = []
    monkeypatch.setattr(case_module, "count_case", lambda *args: ran.append(args))
    cases = tmp_path / "cases.txt"
    cases.write_text(f"linear 1,2,1\n# comment\n{line}\n")
    status, out, err = run(capsys, "sweep", str(cases))
    assert status == 2 and ran == [] and out == ""
    line = one_error_line(err)
    assert line.startswith(f"sage-conslaws: error: {cases}:3: ") and message in line, line


def test_a_sweep_line_that_is_not_utf8_is_named(tmp_path, capsys):
    cases = tmp_path / "cases.txt"
    cases.write_bytes(b"linear 1,2,1\nrelu 2,2,1 # caf\xe9\n")
    status, out, err = run(capsys, "sweep", str(cases))
    assert status == 2
    assert one_error_line(err) == f"sage-conslaws: error: {cases}:2: not UTF-8 text"


def test_the_shared_benchmark_files_are_valid_sweeps():
    bench = Path("/work/shared/bench")
    if not bench.is_dir():
        pytest.skip("no benchmark folder on this machine")
    cases = cli.read_cases(bench / "sweep-linear-50.txt")
    assert len(cases) == 50 and cases[0][0] == "linear 5,3,2"
    assert len(cli.read_cases(bench / "sweep-relu-50.txt")) == 50


# ----------------------------------------------------------------------------
# Errors and the end of a run
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (("count", "relu", "3,0,2"), "layer widths must be positive integers, got [3, 0, 2]"),
    (("count", "relu", "3,x"), "layer widths must be positive integers separated by commas"),
    (("count", "relu", "4"), "a network needs at least an input and an output width"),
    (("count", "cnn", "3,2"), "unknown model 'cnn'"),
    (("count", "linear", "3,2", "--bias"), "model 'linear' has no biases"),
    (("count", "linear", "2,2,2", "--degree", "-1"), "must be a positive integer, got -1"),
    (("count", "linear", "2,2,1", "--flow", "adam"), "unknown flow 'adam'"),
    (("count", "linear", "2,2,1", "--metric", "fisher"), "unknown metric 'fisher'"),
    (("count", "linear", "2,2,1", "--flow", "momentum", "--damping", "-1"), "non-negative"),
    (("count", "linear", "2,2,1", "--damping", "1"), "momentum flow only"),
    (("count", "nmf", "2,0,3"), "NMF sizes n1, r, n3 must be positive integers"),
    (("count", "nmf", "2,3"), "takes three sizes n1,r,n3"),
    (("count", "relu"), "the following arguments are required: sizes "
                        "(see: sage-conslaws count --help)"),
    (("count", "relu", "3,4,2", "--seed", "x"), "argument --seed: invalid int value: 'x'"),
    (("counts", "relu", "3,4,2"), "argument COMMAND: invalid choice: 'counts'"),
    (("sweep", "/nonexistent/cases.txt"), "cannot read /nonexistent/cases.txt"),
    (("count", "relu", "2,2,1", "--budget", "-0.5"), "the budget must be a non-negative number"),
    (("count", "relu", "2,2,1", "--budget", "-5"), "the budget must be a non-negative number"),
    (("count", "relu", "2,2,1", "--budget", "nan"), "the budget must be a non-negative number"),
    (("count", "relu", "2,2,1", "--budget", "inf"), "the budget must be a non-negative number"),
    (("sweep", "cases.txt", "--budget", "-1"), "the budget must be a non-negative number"),
])
def test_bad_input_gives_one_line_and_a_non_zero_exit(args, message, capsys):
    status, out, err = run(capsys, *args)
    assert status == 2 and out == ""
    assert message in one_error_line(err)


@pytest.mark.parametrize("text, message", [
    ("x*(y+", "cannot read the map phi: the expression ends too early"),
    ("", "component 1 of the map '' is empty"),
    (";;", "component 1 of the map ';;' is empty"),
    ("x*y;;z", "component 2 of the map 'x*y;;z' is empty"),
    ("x*y;", "component 2 of the map 'x*y;' is empty"),
    ("__import__('os').system('touch pwned')", "cannot read the map phi: unexpected \"'\""),
    ("__import__", "variable name '__import__' does not start with a letter"),
    ("x/y", "the map is not polynomial"),
    ("x - x", "the map 'x - x' is constant"),
    ("x^5000", "beyond reach: the exponent 5000"),
    ("x+" * 6000 + "x", "beyond reach: a map of 12001 characters"),
])
def test_a_bad_map_is_one_line_and_status_2(text, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "count", "map", text)
    assert status == 2 and out == ""
    assert message in one_error_line(err)
    assert list(tmp_path.iterdir()) == []  # nothing was run


def test_ctrl_c_stops_with_one_line_and_status_130(capsys, monkeypatch):
    def interrupted(*args):
        raise KeyboardInterrupt
    monkeypatch.setattr(case_module, "count_case", interrupted)
    assert run(capsys, "count", "relu", "9,9,9,9,9", "--bias") == (
        130, "", "sage-conslaws: interrupted\n")


class FailingOutput:
    """A standard output whose writes fail with ``error``."""

    def __init__(self, error):
        self.error = error

    def write(self, text):
        raise self.error

    def flush(self):
        pass


def test_a_closed_pipe_ends_quietly(capsys):
    # sage-conslaws count ... | head -1: the reader is gone, no message, the status of SIGPIPE
    status, out, err = run(capsys, "count", "relu", "2,2,1", out=FailingOutput(BrokenPipeError()))
    assert (status, err) == (128 + 13, "")


def test_a_full_disk_is_one_line_and_status_1(capsys):
    full = FailingOutput(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    status, out, err = run(capsys, "count", "relu", "2,2,1", out=full)
    assert status == 1
    assert err == f"sage-conslaws: error: cannot write the output: {os.strerror(errno.ENOSPC)}\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("argv", [["count", "relu", "2,2,1"], ["--help"], ["--version"]])
def test_writing_to_dev_full_is_one_line_and_status_1(argv, capsys):
    # argparse ignores the write errors of --help and --version: they are reported too
    with open("/dev/full", "w") as full:
        status, out, err = run(capsys, *argv, out=full)
    assert status == 1
    assert err == "sage-conslaws: error: cannot write the output: No space left on device\n"


def test_simulate_without_the_extra_names_it(capsys, monkeypatch):
    # sys.modules[name] = None makes "import name" fail, as on an install without the extra
    monkeypatch.setitem(sys.modules, "sklearn", None)
    status, out, err = run(capsys, "simulate", "relu", "4,8,3", "--lr", "0.1")
    assert status == 2
    assert one_error_line(err) == ("sage-conslaws: error: simulate needs scikit-learn, from "
                                   "the extra [simulate]: pip install 'sage-conslaws[simulate]'")


def test_simulate_plot_without_matplotlib_fails_before_the_run(capsys, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    status, out, err = run(capsys, "simulate", "relu", "4,8,3", "--lr", "0.1", "--plot",
                           str(tmp_path / "run.png"))
    assert status == 2 and "simulate needs matplotlib" in one_error_line(err)
    assert not (tmp_path / "run.png").exists()


# ----------------------------------------------------------------------------
# --version, --help, start-up
# ----------------------------------------------------------------------------

def test_version(capsys):
    from sage_conslaws import __version__
    assert run(capsys, "--version") == (0, f"sage-conslaws {__version__}\n", "")


def test_help_explains_every_optimizer_and_every_flow(capsys):
    from sage_conslaws.dynamics.flows import FLOWS
    from sage_conslaws.training.optimizers import OPTIMIZERS
    status, out, err = run(capsys, "--help")
    assert status == 0
    lines = out.splitlines()
    for name in [*FLOWS, *OPTIMIZERS]:
        explained = [line for line in lines if line.split()[:1] == [name]]
        assert len(explained) == 1 and len(explained[0].split()) > 2, (name, out)
    assert any(line.split()[:4] == ["hb", "heavy", "ball,", "Polyak"] for line in lines)


def test_the_names_in_help_are_the_names_of_the_library():
    # --help does not import the library: its tables must follow the library's names
    from sage_conslaws.models.registry import MODELS
    from sage_conslaws.dynamics.flows import FLOWS
    from sage_conslaws.dynamics.ode import MOMENTUM_FLOWS
    from sage_conslaws.fields.metrics import METRICS
    from sage_conslaws.dynamics.equations import NAMED_DYNAMICS
    from sage_conslaws.training.datasets import DATASETS
    from sage_conslaws.training.optimizers import OPTIMIZERS
    assert list(cli.MODEL_HELP) == list(MODELS)
    assert list(cli.FLOW_HELP) == list(FLOWS)
    assert set(MOMENTUM_FLOWS) < set(cli.FLOW_HELP)
    assert list(cli.METRIC_HELP) == list(METRICS)
    assert list(cli.OPTIMIZER_HELP) == list(OPTIMIZERS)
    assert list(cli.DATA_HELP) == list(DATASETS)
    assert list(cli.DYNAMICS_HELP) == list(NAMED_DYNAMICS)


def test_help_and_version_do_not_import_sage():
    # Sage takes about a second to start: --help and --version must not wait for it
    code = ("import sys\n"
            "from sage_conslaws.interface.cli import main\n"
            "for argv in (['--help'], ['--version'], ['count', '--help'], ['simulate', '-h']):\n"
            "    assert main(argv) == 0\n"
            "print(sorted(m for m in sys.modules if m == 'sage' or m.startswith('sage.')))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.returncode == 0, result.stderr
    # the last line is written only if every main() returned
    assert result.stdout.splitlines()[-1] == "[]", result.stdout


# ----------------------------------------------------------------------------
# The installed command
# ----------------------------------------------------------------------------

def test_the_installed_command_runs():
    command = shutil.which("sage-conslaws")
    if command is None:
        pytest.skip("sage-conslaws is not installed")
    # PYTHONPATH: the package of this tree, whichever tree the command was installed from
    result = subprocess.run([command, "count", "relu", "3,4,2", "--bias", "--json"],
                            capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["laws"] == 4


def test_python_dash_m_runs_the_command_line():
    # doc/cli.rst: ``python -m sage_conslaws`` is the same command
    result = subprocess.run([sys.executable, "-m", "sage_conslaws", "count", "linear", "1,1,1",
                             "--json"], capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["laws"] == 1
