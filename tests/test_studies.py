r"""
Studies (issue "Studies at scale"): the results store, Dask workers, interruption and resume,
generated studies, reports.

Oracles: a study's results are those of the serial run of the same cases (every case's
count is deterministic for its seed); an interrupted and resumed study stores every case
exactly once; a file that is not a store is left byte for byte as it was.
"""
import io
import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from sage_conslaws.interface.cli import main
from sage_conslaws.studies.run import run_cases
from sage_conslaws.studies.store import ResultsStore

CASES = ["linear 1,2,1", "relu 2,2,1 --bias", "nmf 2,2,2", "linear 2,3,2", "relu 3,3,2",
         "lora 3,2,2", "map 'x*y*z;x+y'", "relu 2,0,1"]


def _run(argv):
    out = io.StringIO()
    code = main(argv, out)
    return code, out.getvalue()


def _sweep_file(tmp_path, lines, name="cases.txt"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def _summary(outcome):
    result = outcome["result"]
    return (outcome["line"], outcome["status"], result.get("laws"), result.get("lie_dimension"),
            result.get("error"))


def test_store_records_each_case_once_and_skips_them_on_rerun(tmp_path, capsys):
    cases = _sweep_file(tmp_path, CASES[:-1])
    store = str(tmp_path / "results.sqlite")
    code, out = _run(["sweep", cases, "--store", store, "--quiet"])
    assert code == 0 and len(out.splitlines()) == len(CASES)
    rows = ResultsStore(store).rows()
    assert [row["line"] for row in rows] == CASES[:-1]
    assert all(row["status"] == "proven" and row["seed"] == 0 for row in rows)
    assert rows[0]["result"]["laws"] == 3 and rows[0]["version"] and rows[0]["host"]
    capsys.readouterr()
    code, out = _run(["sweep", cases, "--store", store, "--quiet"])
    assert code == 0 and out.startswith("0 cases")
    assert "7 of 7 cases already in" in capsys.readouterr().err
    code, out = _run(["sweep", cases, "--store", store, "--quiet", "--rerun"])
    assert code == 0 and out.splitlines()[-1].startswith("7 cases: 7 proven")
    assert len(ResultsStore(store).rows()) == len(CASES) - 1


def test_a_refused_case_is_stored_and_the_others_run(tmp_path):
    store = str(tmp_path / "results.sqlite")
    outcomes = list(run_cases(["relu 2,0,1", "linear 1,1,1"], store=ResultsStore(store)))
    assert [o["status"] for o in outcomes] == ["refused", "proven"]
    assert ResultsStore(store).rows()[0]["result"]["error"].startswith("layer widths")


def _writer(path, lines, barrier):
    store = ResultsStore(path)
    barrier.wait()
    for line in lines:
        store.record(line, 0, "proven", {"laws": 1}, 0.0)


def test_two_writers_at_once_neither_lose_nor_duplicate_rows(tmp_path):
    path = str(tmp_path / "results.sqlite")
    ResultsStore(path).close()
    first = [f"case {i}" for i in range(0, 120)]
    second = [f"case {i}" for i in range(60, 180)]
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    writers = [context.Process(target=_writer, args=(path, lines, barrier))
               for lines in (first, second)]
    for w in writers:
        w.start()
    for w in writers:
        w.join(120)
    assert [w.exitcode for w in writers] == [0, 0]
    lines = [row["line"] for row in ResultsStore(path).rows()]
    assert len(lines) == len(set(lines)) == 180


@pytest.mark.parametrize("content", [
    b"my notes about the study\n",
    b"SQLite format 3\x00" + b"\x13" * 200,
], ids=["text", "corrupted"])
def test_a_foreign_or_corrupted_store_is_refused_and_left_untouched(tmp_path, content, capsys):
    store = tmp_path / "results.sqlite"
    store.write_bytes(content)
    cases = _sweep_file(tmp_path, ["linear 1,1,1"])
    assert main(["sweep", cases, "--store", str(store), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is not a results store of sage-conslaws" in err[0]
    assert store.read_bytes() == content
    assert main(["report", str(store)]) == 2


def test_an_sqlite_file_of_another_program_is_refused_and_left_untouched(tmp_path, capsys):
    store = tmp_path / "other.sqlite"
    connection = sqlite3.connect(store)
    connection.execute("CREATE TABLE accounts (name TEXT, balance REAL)")
    connection.execute("INSERT INTO accounts VALUES ('ada', 1.5)")
    connection.commit()
    connection.close()
    before = store.read_bytes()
    cases = _sweep_file(tmp_path, ["linear 1,1,1"])
    assert main(["sweep", cases, "--store", str(store), "--quiet"]) == 2
    assert "without its format" in capsys.readouterr().err
    assert store.read_bytes() == before


def test_a_case_past_its_timeout_is_recorded_as_timed_out(tmp_path):
    store = ResultsStore(str(tmp_path / "results.sqlite"))
    outcomes = list(run_cases(["linear 1,1,1", "linear 10,20,20,10 --flow momentum --damping 1"],
                              store=store, timeout=1.0))
    assert [o["status"] for o in outcomes] == ["proven", "timed out"]
    assert [row["status"] for row in store.rows()] == ["proven", "timed out"]


def test_a_case_past_its_memory_fails_with_a_clear_message():
    # 50 MB more than the process maps: the count of relu 40,80,40 needs more
    [outcome] = run_cases(["relu 40,80,40 --bias"], memory=0.05, timeout=300)
    assert outcome["status"] == "failed"
    [outcome] = run_cases(["linear 1,2,1"], memory=2, timeout=300)
    assert outcome["status"] == "proven"


def test_local_dask_workers_give_the_serial_results(tmp_path):
    serial = sorted(_summary(o) for o in run_cases(CASES))
    store = ResultsStore(str(tmp_path / "results.sqlite"))
    parallel = sorted(_summary(o) for o in run_cases(CASES, workers=2, store=store,
                                                     timeout=120))
    assert parallel == serial
    assert sorted(row["line"] for row in store.rows()) == sorted(CASES)


def test_a_dask_scheduler_given_by_its_address(tmp_path):
    from distributed import LocalCluster
    with LocalCluster(n_workers=1, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=":0") as cluster:
        cases = _sweep_file(tmp_path, CASES[:3])
        code, out = _run(["sweep", cases, "--scheduler", cluster.scheduler_address, "--json",
                          "--quiet"])
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and sorted(d["case"] for d in lines[:-1]) == sorted(CASES[:3])
    assert lines[-1]["totals"]["proven"] == 3


SLOW = [f"linear {n},{n + 2},{n + 1} --flow momentum" for n in range(2, 9)]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_study_resumes_with_every_case_exactly_once(tmp_path, signum):
    cases = _sweep_file(tmp_path, SLOW)
    store = str(tmp_path / "results.sqlite")
    command = [sys.executable, "-m", "sage_conslaws", "sweep", cases, "--store", store, "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 240
    while time.time() < deadline and process.poll() is None:
        if os.path.exists(store) and len(ResultsStore(store).rows()) >= 2:
            break
        time.sleep(0.2)
    process.send_signal(signum)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    stored = [row["line"] for row in ResultsStore(store).rows()]
    assert 2 <= len(stored) < len(SLOW)
    resumed = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{len(stored)} of {len(SLOW)} cases already in" in resumed.stderr
    lines = [row["line"] for row in ResultsStore(store).rows()]
    assert sorted(lines) == sorted(SLOW)


def test_a_generated_study_is_the_same_for_the_same_seed(tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    for path in (first, second):
        code, out = _run(["study", "linear", "--depth", "2..3", "--widths", "2..4", "--random",
                          "20", "--seed", "7", "--output", str(path)])
        assert code == 0 and out.startswith("wrote 20 cases of linear")
    assert first.read_text() == second.read_text()
    lines = first.read_text().splitlines()
    assert lines[0].startswith("# sage-conslaws study linear") and len(lines) == 21
    for line in lines[1:]:
        model, sizes = line.split()
        widths = [int(w) for w in sizes.split(",")]
        assert model == "linear" and len(widths) in (3, 4) and all(2 <= w <= 4 for w in widths)


def test_a_study_runs_directly_into_a_store_and_reports(tmp_path):
    store = str(tmp_path / "results.sqlite")
    code, out = _run(["study", "relu", "--widths", "2..3", "--random", "6", "--options=--bias",
                      "--store", store, "--quiet"])
    assert code == 0 and out.splitlines()[-1].startswith("6 cases: 6 proven")
    plot, table = tmp_path / "study.png", tmp_path / "study.csv"
    code, out = _run(["report", store, "--plot", str(plot), "--csv", str(table)])
    assert code == 0 and out.startswith("6 cases: 6 proven")
    assert "slowest cases:" in out and "time ~ D^" in out
    assert plot.read_bytes()[:4] == b"\x89PNG"
    rows = table.read_text().splitlines()
    assert rows[0].startswith("case,seed,status,D,laws") and len(rows) == 7
    code, out = _run(["report", store, "--json"])
    assert json.loads(out)["totals"]["proven"] == 6


@pytest.mark.parametrize("argv, message", [
    (["study", "relu", "--widths", "5..2"], "--widths must be a range A..B"),
    (["study", "relu", "--random", "0"], "the number of cases must be a positive integer"),
    (["report", "/nonexistent/results.sqlite"], "no results store at"),
    (["sweep", "/dev/null", "--workers", "0"], "the number of workers must be a positive integer"),
    (["sweep", "/dev/null", "--case-timeout", "-1"], "the case timeout must be a positive number"),
])
def test_bad_study_options_are_one_line(argv, message, capsys):
    try:
        code = main(argv)
    except SystemExit as exit:
        code = exit.code
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and message in err[0]
