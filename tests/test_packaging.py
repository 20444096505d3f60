"""README.rst gives the two commands that CI runs."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands():
    lines = (ROOT / "README.rst").read_text().splitlines()
    return [line.strip() for line in lines if line.strip().startswith(("python3 -m venv", ". .venv"))]


def test_ci_runs_exactly_the_commands_of_the_readme():
    readme = _readme_commands()
    assert len(readme) == 2, readme
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
          if line.strip() and not line.startswith(("#", "set ", "cd ", "rm "))]
    assert ci == readme


def test_install_command_runs_the_main_job_on_a_built_in_example():
    install = _readme_commands()[0]
    assert "pip install" in install and "sage-conslaws count" in install
    assert "pytest" in _readme_commands()[1]
