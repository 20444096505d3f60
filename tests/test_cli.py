"""The command line: results, JSON keys, sweeps and errors, run as a user runs it."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent


def test_count_relu_with_bias_json():
    # 3 inputs, 4 hidden ReLU units with biases, 2 outputs: D = 12 + 4 + 8 = 24 and
    # one law per hidden neuron (Marcotte et al. 2023)
    result = run_cli("count", "relu", "3,4,2", "--bias", "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["parameters"] == 24
    assert record["laws"] == 4
    assert record["lie_dimension"] == 20
    assert record["certified"] is True


def test_count_linear_report_shows_the_balancedness_matrix():
    # U V^T with U 2x3, V 2x3: r = 3 <= k = 4 so r(r+1)/2 = 6 laws, the entries of a
    # symmetric 3x3 matrix
    result = run_cli("count", "linear", "2,3,2")
    assert result.returncode == 0, result.stderr
    assert "conservation laws     : 6 (certified)" in result.stdout
    assert "W1 W1^T - W2^T W2 =" in result.stdout


def test_count_with_degree_reports_polynomial_laws():
    result = run_cli("count", "linear", "1,1,1", "--degree", "2", "--json")
    record = json.loads(result.stdout)
    # x -> u v x: the only law is u^2 - v^2, up to scaling
    assert record["laws"] == 1
    assert record["polynomial_laws"] == ["w1_0_0^2 - w2_0_0^2"]


def test_sweep_prints_one_json_object_per_case_and_totals(tmp_path):
    cases = tmp_path / "cases.txt"
    cases.write_text("linear 1,2,1\n\n# a comment\nrelu 2,2,1 --bias\n")
    result = run_cli("sweep", str(cases), "--json")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r.get("case") for r in records[:2]] == ["linear 1,2,1", "relu 2,2,1 --bias"]
    # linear 1,2,1: r = 2 = k, r(r+1)/2 = 3; relu 2,2,1 with bias: 2 hidden neurons
    assert [r["laws"] for r in records[:2]] == [3, 2]
    assert all("seconds" in r for r in records[:2])
    assert records[2] == {"totals": {"cases": 2, "certified": 2, "laws": 5,
                                     "seconds": records[2]["totals"]["seconds"]}}


@pytest.mark.parametrize("args, message", [
    (("count", "relu", "3,0,2"), "layer widths must be positive integers, got [3, 0, 2]"),
    (("count", "relu", "3,x"), "layer widths must be positive integers separated by commas"),
    (("count", "relu", "4"), "a network needs at least an input and an output width"),
    (("count", "cnn", "3,2"), "unknown model 'cnn'"),
    (("count", "linear", "3,2", "--bias"), "model 'linear' has no biases"),
    (("count", "linear", "2,2,2", "--degree", "-1"), "must be a positive integer, got -1"),
    (("sweep", "/nonexistent/cases.txt"), "cannot read /nonexistent/cases.txt"),
])
def test_bad_input_gives_one_line_and_a_non_zero_exit(args, message):
    result = run_cli(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("sage-conslaws: error: ") and message in lines[0]


def test_bad_line_in_a_sweep_file_names_the_line(tmp_path):
    cases = tmp_path / "cases.txt"
    cases.write_text("linear 2,2\nrelu 2,-1,2\n")
    result = run_cli("sweep", str(cases))
    assert result.returncode == 2
    assert result.stderr.strip() == (f"sage-conslaws: error: {cases}, line 2: layer widths "
                                     "must be positive integers, got [2, -1, 2]")


def test_ctrl_c_stops_cleanly():
    import signal
    import time
    # 9*9*9*9*9 = 59049 paths: long enough to be interrupted
    process = subprocess.Popen([sys.executable, "-m", "sage_conslaws", "count", "relu",
                                "9,9,9,9,9", "--bias"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    time.sleep(4)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1] == "sage-conslaws: interrupted"
    assert "Traceback" not in stderr


def test_a_loss_that_explodes_and_comes_back_is_a_diverged_run(capsys):
    # lr 20: the loss reaches 1e20 by step 10, then dead ReLU units bring it back to 0.73;
    # such a run was reported as a success, its loss printed with hundreds of digits
    from sage_conslaws.cli import main
    status = main(["simulate", "relu", "4,8,3", "--bias", "--optimizer", "gd", "--lr", "20",
                   "--quiet"])
    captured = capsys.readouterr()
    assert status == 2 and captured.out == ""
    assert captured.err == ("sage-conslaws: error: training diverged at step 4 (the loss grew "
                            "from 1.1344 to 7.315e+07, more than 1e+06 times its initial "
                            "value): try a learning rate smaller than 20\n")
