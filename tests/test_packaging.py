"""README.rst gives the two commands that CI runs, and they do what it says."""
import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands():
    lines = (ROOT / "README.rst").read_text().splitlines()
    return [line.strip() for line in lines if line.strip().startswith(("python3 -m venv", ". .venv"))]


def _extras():
    """The names of the extras of setup.py, read from its text (running it would install)."""
    setup = (ROOT / "setup.py").read_text()
    block = setup[setup.index("extras_require={"):setup.index("entry_points=")]
    return re.findall(r'^\s*"([\w-]+)": \[', block, flags=re.M)


def test_ci_runs_exactly_the_commands_of_the_readme():
    readme = _readme_commands()
    assert len(readme) == 2, readme
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
          if line.strip() and not line.startswith(("#", "set ", "cd ", "rm "))]
    assert ci == readme


def test_install_command_runs_the_main_job_on_a_built_in_example(capsys):
    # the install line ends with the command line on the paper's example; run that very
    # command (the console script sage-conslaws is cli.entry_point) and check its count:
    # a ReLU network 3-4-2 with biases has 4 laws, one per hidden neuron ([MGP2023])
    from sage_conslaws.interface.cli import main
    install = _readme_commands()[0]
    steps = [shlex.split(step) for step in install.split("&&")]
    assert steps[-2][:3] == ["pip", "install", "-e"]
    assert "sage-conslaws=sage_conslaws.interface.cli:entry_point" in (ROOT / "setup.py").read_text()
    program, *argv = steps[-1]
    assert program == "sage-conslaws"
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("ReLUNetwork([3, 4, 2], bias=True) with 24 parameters\n")
    assert "  laws                  : 4 independent conservation laws (certified)\n" in out
    assert "pytest" in _readme_commands()[1]


def test_the_extras_of_the_install_command_exist():
    install = shlex.split(_readme_commands()[0].split("&&")[2])
    extras = re.fullmatch(r"\.\[([\w,-]+)\]", install[-1]).group(1).split(",")
    assert set(extras) <= set(_extras()), (extras, _extras())


def test_the_readme_names_every_extra():
    readme = (ROOT / "README.rst").read_text()
    for extra in _extras():
        assert f"``[{extra}]``" in readme, extra
