"""The foundation: package metadata, the pip extras and environment.yml kept in step, the two
set-up commands named by the README and run by CI, the nbval sanitize file, and the one clear
line printed when a system program is missing."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO_ROOT, SANITIZE_FILE, notebook_paths, sanitize, sanitize_patterns
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]
README = (REPO_ROOT / "README.md").read_text()
CI_RUN = (REPO_ROOT / ".ci" / "run").read_text()
# pip name -> conda-forge name, where they differ.
CONDA_NAMES = {"graphviz": "python-graphviz", "torch": "pytorch"}
# Conda packages with no pip counterpart in the extras.
CONDA_ONLY = {"python", "pip"}
ORACLE = "torch==2.13.0"
# The other NumPy engines the benchmarks measure minigrad against: pinned too, installed from PyPI
# (environment.yml's pip section).
BENCHMARK_PEERS = ["autograd==1.9.1", "mygrad==2.5.0"]


def _requirements(extra: str) -> list[Requirement]:
    """The requirements of an extra, with references to minigrad's own extras expanded."""
    result = []
    for text in PROJECT["optional-dependencies"][extra]:
        requirement = Requirement(text)
        if canonicalize_name(requirement.name) == "minigrad":
            for inner in sorted(requirement.extras):
                result += _requirements(inner)
        else:
            result.append(requirement)
    return result


def _pip_packages(extras: list[str] | None = None) -> dict[str, str]:
    """The packages pyproject.toml names (runtime, and ``extras``, by default all of them):
    conda name -> version spec."""
    requirements = [Requirement(text) for text in PROJECT["dependencies"]]
    for extra in PROJECT["optional-dependencies"] if extras is None else extras:
        requirements += _requirements(extra)
    packages = {}
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        packages[CONDA_NAMES.get(name, name)] = str(requirement.specifier)
    return packages


# The two conda files: the learners' (notebooks only) and the developers' (everything).
LEARNER_ENVIRONMENT, DEV_ENVIRONMENT = "environment.yml", "environment-dev.yml"
# What each holds, as pyproject.toml's extras.
ENVIRONMENT_EXTRAS = {LEARNER_ENVIRONMENT: ["notebooks"], DEV_ENVIRONMENT: None}
# Packages that conda-forge does not carry: the developers' file installs them with pip.
PIP_ONLY = {"django-static-mathjax", "autograd", "mygrad"}


def _conda_environment(file: str = LEARNER_ENVIRONMENT) -> dict:
    return yaml.safe_load((REPO_ROOT / file).read_text())


def _pip_section(file: str) -> list[str]:
    sections = [e for e in _conda_environment(file)["dependencies"] if isinstance(e, dict)]
    assert len(sections) == 1 and list(sections[0]) == ["pip"], sections
    return sections[0]["pip"]


def _conda_packages(file: str = LEARNER_ENVIRONMENT) -> dict[str, str]:
    """Every package the file installs (conda's, and pip's but ``-e .``): name -> spec."""
    packages = {}
    entries = [e for e in _conda_environment(file)["dependencies"] if isinstance(e, str)]
    for entry in entries + [e for e in _pip_section(file) if e != "-e ."]:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*(.*)", entry.strip())
        assert match, f"unreadable dependency {entry!r} in {file}"
        name, spec = match.groups()
        packages[canonicalize_name(name)] = spec.replace(" ", "")
    return packages


def _environment_pip_packages() -> dict[str, str]:
    """The packages of environment.yml's pip section, other than minigrad itself."""
    packages = {}
    for entry in _conda_environment()["dependencies"]:
        if isinstance(entry, dict):
            for text in entry["pip"]:
                if text != "-e .":
                    requirement = Requirement(text)
                    packages[canonicalize_name(requirement.name)] = str(requirement.specifier)
    return packages


def _commands(markdown_or_shell: str) -> list[str]:
    """Shell commands: the lines, without comments, that are not empty."""
    commands = [re.sub(r"(^|\s)#.*$", "", line).strip() for line in markdown_or_shell.splitlines()]
    return [command for command in commands if command]


def _readme_code_blocks() -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```", README, flags=re.MULTILINE | re.DOTALL)


# --- pyproject.toml -------------------------------------------------------------------------


def test_project_metadata() -> None:
    assert PROJECT["name"] == "minigrad"
    assert re.fullmatch(r"\d+\.\d+\.\d+", PROJECT["version"])
    assert PROJECT["requires-python"] == ">=3.10"
    assert PROJECT["license"] == "MIT"
    assert PROJECT["readme"] == "README.md"
    assert PYPROJECT["build-system"]["build-backend"] == "hatchling.build"
    license_text = (REPO_ROOT / "LICENSE").read_text()
    assert license_text.startswith("MIT License")
    assert "minigrad developers" in license_text


def test_numpy_is_the_only_runtime_dependency() -> None:
    runtime = [Requirement(text) for text in PROJECT["dependencies"]]
    assert [requirement.name for requirement in runtime] == ["numpy"]
    assert str(runtime[0].specifier).startswith(">=")


def test_extras_hold_the_notebook_and_test_tools_and_pin_only_the_oracle_and_peers() -> None:
    notebooks = {canonicalize_name(r.name) for r in _requirements("notebooks")}
    assert {"jupyterlab", "ipykernel", "matplotlib", "graphviz", "ipywidgets"} <= notebooks
    test = {canonicalize_name(r.name): r for r in _requirements("test")}
    assert {"pytest", "nbval", "hypothesis", "ruff", "pytest-xdist", "playwright"} <= set(test)
    assert notebooks <= set(test), "the test extra includes the notebook extra"
    docs = {canonicalize_name(r.name) for r in _requirements("docs")}
    assert {"sphinx", "myst-nb", "sphinx-book-theme", "django-static-mathjax"} <= docs
    assert docs <= set(test), "the test extra includes the site's extra (make test builds it)"
    assert str(test["torch"]) == ORACLE
    pinned = [str(r) for r in test.values() if "==" in str(r.specifier)]
    assert pinned == [ORACLE, *BENCHMARK_PEERS], "only the oracle and the peers are pinned"
    everything = [Requirement(t) for t in PROJECT["dependencies"]] + list(test.values())
    unbounded = [str(r) for r in everything if not str(r.specifier)]
    assert not unbounded, f"give these a lower bound: {unbounded}"


def test_minigrad_imports_from_this_repository_at_the_project_version() -> None:
    import minigrad

    assert Path(minigrad.__file__).resolve().is_relative_to(REPO_ROOT / "minigrad")
    assert minigrad.__version__ == PROJECT["version"]
    # Installed (editable) with the same metadata, as `make lab` and `make test` install it.
    assert importlib.metadata.version("minigrad") == PROJECT["version"]


def test_the_package_never_imports_torch() -> None:
    offenders = []
    for path in sorted((REPO_ROOT / "minigrad").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            offenders += [
                f"{path.relative_to(REPO_ROOT)}:{node.lineno}"
                for name in names
                if name == "torch" or name.startswith("torch.")
            ]
    assert not offenders, f"minigrad must not import torch: {offenders}"


# --- environment.yml ------------------------------------------------------------------------


@pytest.mark.parametrize("file", list(ENVIRONMENT_EXTRAS))
def test_environment_files_name_the_same_packages_as_pyproject(file: str) -> None:
    conda = _conda_packages(file)
    expected = _pip_packages(ENVIRONMENT_EXTRAS[file])
    assert set(conda) - CONDA_ONLY == set(expected), file
    assert conda == {**expected, **{name: conda[name] for name in CONDA_ONLY}}, file
    # The packages conda-forge lacks come from pip, and only those.
    pip_named = {canonicalize_name(re.split(r"[<>=!~ ]", e)[0]) for e in _pip_section(file)}
    assert pip_named - {"-e"} == PIP_ONLY & set(expected), file


def test_the_learners_environment_has_no_test_or_site_tools() -> None:
    learner = set(_conda_packages(LEARNER_ENVIRONMENT))
    for tool in ("pytorch", "torch", "playwright", "pytest", "nbval", "ruff", "sphinx"):
        assert tool not in learner
    assert {"numpy", "jupyterlab", "python-graphviz", "matplotlib"} <= learner


@pytest.mark.parametrize("file", list(ENVIRONMENT_EXTRAS))
def test_environment_files_use_conda_forge_and_install_minigrad_editable(file: str) -> None:
    environment = _conda_environment(file)
    assert environment["name"] == ("minigrad" if file == LEARNER_ENVIRONMENT else "minigrad-dev")
    assert environment["channels"] == ["conda-forge"]
    assert _conda_packages(file)["python"] == PROJECT["requires-python"]
    assert _pip_section(file)[-1] == "-e ."


@pytest.mark.parametrize("extra", ["notebooks", "docs", "test"])
def test_the_environment_comparison_catches_drift(
    monkeypatch: pytest.MonkeyPatch, extra: str
) -> None:
    drifted = {**PROJECT["optional-dependencies"]}
    drifted[extra] = [*drifted[extra], "seaborn>=0.13"]
    monkeypatch.setitem(PROJECT, "optional-dependencies", drifted)
    with pytest.raises(AssertionError):
        test_environment_files_name_the_same_packages_as_pyproject(DEV_ENVIRONMENT)
    if extra == "notebooks":
        with pytest.raises(AssertionError):
            test_environment_files_name_the_same_packages_as_pyproject(LEARNER_ENVIRONMENT)
    else:
        test_environment_files_name_the_same_packages_as_pyproject(LEARNER_ENVIRONMENT)


# --- README and CI --------------------------------------------------------------------------


def _readme_first_commands() -> list[str]:
    before_first_heading_2 = README.split("\n## ", 1)[0]
    first_blocks = re.findall(r"^```[a-z]*\n(.*?)^```", before_first_heading_2, re.M | re.S)
    return [command for block in first_blocks for command in _commands(block)]


def test_readme_opens_with_the_two_commands() -> None:
    assert _readme_first_commands()[:2] == ["make lab", "make test"]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    lines = _commands(CI_RUN)
    assert CI_RUN.startswith("#!/usr/bin/env bash\n") or CI_RUN.startswith("#!/bin/bash\n")
    assert "set -euo pipefail" in lines
    assert lines[-1] == _readme_first_commands()[1]
    assert lines.count(lines[-1]) == 1
    # Anything else .ci/run does, the README tells a newcomer to do as well.
    for line in lines:
        if line in {"set -euo pipefail", "make test"} or line.startswith("cd "):
            continue
        install = re.search(r"apt-get update && apt-get install -y make", line)
        assert install and install.group() in README, f".ci/run does what README doesn't: {line}"


def test_readme_lists_every_notebook() -> None:
    missing = [path.stem for path in notebook_paths() if path.stem not in README]
    assert not missing, f"README does not list {missing}"


def test_readme_one_notebook_command_uses_the_makefile_nbval_flags() -> None:
    makefile = (REPO_ROOT / "Makefile").read_text()
    make_line = re.search(r"^\t\$\(BIN\)/pytest --nbval (.*) \$\(NOTEBOOKS\)$", makefile, re.M)
    assert make_line
    flags = make_line.group(1).replace("$(SANITIZE)", "notebooks/nbval-sanitize.cfg")
    readme_lines = [
        command
        for block in _readme_code_blocks()
        for command in _commands(block)
        if command.startswith(".venv/bin/pytest --nbval ")
    ]
    assert readme_lines, "README shows how to run one notebook's tests"
    for line in readme_lines:
        assert line.startswith(f".venv/bin/pytest --nbval {flags} notebooks/")


# --- the one clear line when a system program is missing ------------------------------------


def _make(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MAKEFLAGS": ""}
    return subprocess.run(
        ["make", "--no-print-directory", "-s", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


@pytest.mark.parametrize(
    "how", [["APT_GET=no-such-apt-get"], ["is_root="]], ids=["no-apt", "not-root"]
)
def test_missing_dot_stops_with_one_clear_line(how: list[str]) -> None:
    result = _make("check-dot", "DOT=no-such-dot-program", *how)
    output = (result.stdout + result.stderr).strip().splitlines()
    assert result.returncode != 0
    assert len(output) == 1, output
    for install in (
        "apt-get install graphviz",
        "brew install graphviz",
        "conda install -c conda-forge python-graphviz",
    ):
        assert install in output[0]
    assert "Traceback" not in output[0]


def test_missing_chromium_stops_with_one_clear_line() -> None:
    result = _make("check-chromium", "CHROMIUM=no-such-chromium", "APT_GET=no-such-apt-get")
    output = (result.stdout + result.stderr).strip().splitlines()
    assert result.returncode != 0
    assert len(output) == 1, output
    assert "apt-get install chromium" in output[0]


def test_present_programs_pass_the_checks() -> None:
    result = _make("check-dot", "APT_GET=no-such-apt-get")
    assert result.returncode == 0, result.stderr


SITE_BUILD = ".venv/bin/sphinx-build -W --keep-going -q -b html docs docs/_build/html"
BROWSER_TESTS = "tests/test_browser.py tests/test_site.py"


def test_make_test_runs_each_phase_under_its_heading() -> None:
    result = _make("-n", "test")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    first_heading = next(i for i, line in enumerate(lines) if line.startswith('echo "==> 1/5'))
    phases = lines[first_heading:]
    assert phases == [
        'echo "==> 1/5 lint: ruff check, ruff format --check"',
        ".venv/bin/ruff check .",
        ".venv/bin/ruff format --check .",
        'echo "==> 2/5 unit and comparison tests (against PyTorch)"',
        ".venv/bin/pytest tests -n 2 --ignore=tests/test_browser.py --ignore=tests/test_site.py",
        'echo "==> 3/5 notebooks: each re-run and compared with its stored outputs (nbval)"',
        ".venv/bin/pytest --nbval --nbval-current-env --nbval-sanitize-with "
        "notebooks/nbval-sanitize.cfg notebooks",
        'echo "==> 4/5 course site: make docs (Sphinx warnings are errors)"',
        SITE_BUILD,
        'echo "==> 5/5 browser: the notebooks in JupyterLab, the site from disk (headless '
        'Chromium)"',
        f".venv/bin/pytest {BROWSER_TESTS} -n 2",
    ]
    # Every test file runs in exactly one phase.
    ignored = re.findall(r"--ignore=(\S+)", phases[4])
    assert " ".join(ignored) == BROWSER_TESTS
    assert all((REPO_ROOT / path).is_file() for path in ignored)


def test_make_docs_builds_the_site_as_make_test_does() -> None:
    result = _make("-n", "docs")
    assert result.returncode == 0, result.stderr
    assert SITE_BUILD in result.stdout.splitlines()
    assert "make docs" in [c for block in _readme_code_blocks() for c in _commands(block)]


def test_installers_are_quiet_and_log_to_a_file() -> None:
    # apt and pip print one line per step; their output goes to the log named in that line.
    result = _make("-n", "-B", ".venv/.installed-test")
    assert result.returncode == 0, result.stderr
    makefile = (REPO_ROOT / "Makefile").read_text()
    assert "-qq" not in makefile, "apt's output goes to the log, not to -qq"
    for installer in ("apt.log", "pip.log"):
        assert installer in makefile
    assert "apt may also upgrade system packages" in makefile
    assert "--quiet" not in makefile, "pip's output goes to the log (warnings included)"
    pip_lines = [line for line in result.stdout.splitlines() if "pip install" in line]
    assert pip_lines and all(">>build/logs/pip.log 2>&1" in line for line in pip_lines)


# --- notebooks/nbval-sanitize.cfg -----------------------------------------------------------


def test_sanitize_file_is_well_formed() -> None:
    lines = SANITIZE_FILE.read_text().splitlines()
    assert lines and len(lines) % 2 == 0, "pairs of lines, no blank line"
    for regex_line, replace_line in zip(lines[::2], lines[1::2], strict=True):
        assert re.fullmatch(r"regex: \S.*", regex_line), regex_line
        assert re.fullmatch(r"replace: \S.*", replace_line), replace_line
        re.compile(regex_line.removeprefix("regex: "))
    # nbval silently drops a malformed pair: it must read every pair.
    assert len(sanitize_patterns()) == len(lines) // 2


def test_sanitize_rewrites_memory_addresses_only() -> None:
    text = "<AddBackward0 object at 0x7f3a2c1d5e80>"
    assert sanitize(text) == "<AddBackward0 object at 0xADDRESS>"
    assert sanitize("<MulBackward0 object at 0x55d0c0ffee00>") == (
        "<MulBackward0 object at 0xADDRESS>"
    )
    assert sanitize("shapes (10x5 and 3x3)") == "shapes (10x5 and 3x3)"


def test_sanitize_rewrites_machine_paths_in_warnings() -> None:
    pid_path = "/tmp/ipykernel_8879/2087223586.py:3: UserWarning: careful"
    other_pid = "/var/folders/x1/T/ipykernel_12/2087223586.py:3: UserWarning: careful"
    assert sanitize(pid_path) == sanitize(other_pid) == "CELL.py:3: UserWarning: careful"
    package = "/work/main/minigrad/tensor.py:88: UserWarning: careful"
    assert sanitize(package) == "minigrad/tensor.py:88: UserWarning: careful"


def test_sanitize_makes_graphviz_svg_independent_of_the_graphviz_version() -> None:
    import graphviz

    svg = graphviz.Digraph(body=["a -> b"]).pipe(format="svg", encoding="utf-8")
    assert "<svg" in svg
    other_version = svg.replace("Generated by graphviz version", "Generated by graphviz version 9")
    other_version = other_version.replace('width="', 'width="1')
    assert sanitize(svg) == sanitize(other_version) == "<svg>SVG IMAGE</svg>"
    assert sanitize("tensor([1., 2.])") == "tensor([1., 2.])"


# --- warnings: the suite ends with none, and the one it silences is still raised -----------

CREATE_GRAPH_SNIPPET = """
import warnings
warnings.simplefilter("always")
import {module} as lib
x = lib.tensor(2.0, requires_grad=True)
(x ** 3).backward(create_graph=True)
"""


def _silenced_messages() -> list[str]:
    entries = PYPROJECT["tool"]["pytest"]["ini_options"].get("filterwarnings", [])
    silenced = []
    for entry in entries:
        action, message, category = (entry.split(":") + ["", ""])[:3]
        assert action == "ignore" and message and category == "UserWarning", entry
        silenced.append(message)
    return silenced


@pytest.mark.parametrize("module", ["minigrad", "torch"])
def test_backward_with_create_graph_warns_as_pytorch_does(module: str) -> None:
    # The scenario tests call backward(create_graph=True) on purpose, in minigrad and PyTorch
    # alike, and pyproject.toml silences the warning for them: here it is asserted, once per
    # library, in a fresh process (both warn once per process).
    result = subprocess.run(
        [sys.executable, "-c", CREATE_GRAPH_SNIPPET.format(module=module)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    warned = [line for line in result.stderr.splitlines() if "UserWarning: " in line]
    assert len(warned) == 1, result.stderr
    message = warned[0].split("UserWarning: ", 1)[1]
    assert message.startswith("Using backward() with create_graph=True will create a reference")
    assert [pattern for pattern in _silenced_messages() if re.match(pattern, message)]


def test_only_the_create_graph_warning_is_silenced() -> None:
    assert _silenced_messages() == [
        r"Using backward\(\) with create_graph=True will create a reference cycle"
    ]


FAKE_APT = """#!/bin/sh
# A stand-in for apt-get: talks a lot, and fails on `install` when FAKE_APT_FAIL is set.
for i in $(seq 1 60); do echo "apt says line $i of $*"; done
if [ "$1" = install ] && [ -n "$FAKE_APT_FAIL" ]; then
  echo "E: Unable to locate package" >&2
  exit 100
fi
exit 0
"""


@pytest.mark.parametrize("fail", [False, True], ids=["succeeds", "fails"])
def test_apt_prints_one_line_per_step_and_its_log_tail_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail: bool
) -> None:
    fake = tmp_path / "fake-apt-get"
    fake.write_text(FAKE_APT)
    fake.chmod(0o755)
    log_dir = tmp_path / "logs"
    if fail:
        monkeypatch.setenv("FAKE_APT_FAIL", "1")
    result = _make(
        "system-packages",
        f"APT_GET={fake}",
        "is_root=1",
        "DOT=no-such-dot-program",
        f"LOG_DIR={log_dir}",
    )
    output = (result.stdout + result.stderr).splitlines()
    log = (log_dir / "apt.log").read_text()
    assert "apt says line 60 of update" in log
    assert not any("apt says" in line for line in output[:6]), output
    assert output[0].startswith("Installing graphviz from Debian's packages with ")
    assert "apt may also upgrade system packages" in " ".join(output[:3])
    steps = [line for line in output if line.startswith("  ")]
    assert steps[0] == f"  {fake} update (log: {log_dir}/apt.log)"
    assert steps[1] == f"  {fake} install graphviz (log: {log_dir}/apt.log)"
    if not fail:
        assert result.returncode == 0, output
        assert len(output) == 5, output
    else:
        assert result.returncode != 0
        heading = f"Failed: {fake} install graphviz. The last lines of {log_dir}/apt.log:"
        failed = output.index(heading)
        assert output[failed + 1 : failed + 26] == log.splitlines()[-25:]
        assert log.splitlines()[-1] == "E: Unable to locate package"
