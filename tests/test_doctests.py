"""
The doctests of the whole package and of the documentation, run by ``sage -t``.

Every public function documents its use in examples that ``sage -t`` runs; this
test makes the pytest run fail whenever one of them does.
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _sage():
    return str(Path(sys.executable).parent / "sage")


def test_sage_doctests_of_package_and_documentation():
    command = [_sage(), "-t", "-p", "2", "--environment=sage.all__sagemath_singular",
               "sage_conslaws", "doc", "README.rst"]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-20000:]
    assert "All tests passed!" in output
