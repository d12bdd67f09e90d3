"""Shared helpers for the tests: where the notebooks are, and a JupyterLab server started exactly
as ``make lab`` starts it (through ``tools/lab_command.py``), headless on loopback.

Set ``MINIGRAD_NOTEBOOKS_DIR`` to point the notebook tests (metadata, lab, browser) at another
folder of notebooks, for example while developing them.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SANITIZE_FILE = REPO_ROOT / "notebooks" / "nbval-sanitize.cfg"
# Where `make docs` builds the course site (``MINIGRAD_SITE_DIR`` chooses another build).
SITE_DIR = REPO_ROOT / "docs" / "_build" / "html"

# Flags that work for Debian's chromium as root on a machine with no outside network.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# How long the server may take to answer, and to stop.
SERVER_START_TIMEOUT = 90.0
SERVER_STOP_TIMEOUT = 15.0


def notebooks_dir() -> Path:
    """The folder of notebooks under test: ``notebooks/``, or ``$MINIGRAD_NOTEBOOKS_DIR``."""
    override = os.environ.get("MINIGRAD_NOTEBOOKS_DIR")
    return Path(override).resolve() if override else REPO_ROOT / "notebooks"


def notebook_paths(root: Path | None = None) -> list[Path]:
    """Every ``*.ipynb`` under ``root`` (default :func:`notebooks_dir`), checkpoints excluded."""
    root = notebooks_dir() if root is None else root
    return sorted(path for path in root.rglob("*.ipynb") if ".ipynb_checkpoints" not in path.parts)


def notebook_params() -> list[Any]:
    """Parameters for a test run once per notebook. With no notebook at all there is one
    parameter, ``None``, that the test must fail on: a test over zero notebooks never passes."""
    paths = notebook_paths()
    if not paths:
        return [pytest.param(None, id="no-notebooks")]
    root = notebooks_dir()
    return [pytest.param(path, id=path.relative_to(root).as_posix()) for path in paths]


def require_notebook(path: Path | None) -> Path:
    """Fail (never skip) when there is no notebook to test."""
    if path is None:
        pytest.fail(f"no notebook found in {notebooks_dir()}: there must be at least one")
    return path


def sanitize_patterns() -> list[tuple[str, str]]:
    """The (regex, replacement) pairs of ``notebooks/nbval-sanitize.cfg``, read by nbval's own
    parser, so the tests see exactly what ``pytest --nbval-sanitize-with`` applies."""
    from nbval.plugin import get_sanitize_patterns

    return list(get_sanitize_patterns(SANITIZE_FILE.read_text()))


def sanitize(text: str) -> str:
    """Apply the sanitize file to ``text`` as nbval does (``re.sub`` of each pair, in order)."""
    for regex, replacement in sanitize_patterns():
        text = re.sub(regex, replacement, text)
    return text


def load_lab_command() -> ModuleType:
    """Import ``tools/lab_command.py``, the single source of the ``jupyter lab`` command line."""
    spec = importlib.util.spec_from_file_location(
        "minigrad_lab_command", REPO_ROOT / "tools" / "lab_command.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LabServer:
    """A running ``jupyter lab`` process started by :func:`start_lab_server`."""

    def __init__(
        self, process: subprocess.Popen[bytes], port: int, token: str, root: Path, log: Path
    ):
        self.process = process
        self.port = port
        self.token = token
        self.root = root
        self.log = log
        self.base_url = f"http://127.0.0.1:{port}"

    def url(self, path: str) -> str:
        """The address of ``path`` on this server, token included (for a browser)."""
        separator = "&" if "?" in path else "?"
        return f"{self.base_url}/{path.lstrip('/')}{separator}token={self.token}"

    def request(self, path: str, method: str = "GET", timeout: float = 10.0) -> tuple[int, bytes]:
        """Send one request with the token in the Authorization header; return status, body."""
        req = urllib.request.Request(
            f"{self.base_url}/{path.lstrip('/')}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def api(self, path: str) -> Any:
        """GET a JSON document from the server's REST API."""
        status, body = self.request(path)
        if status != 200:
            raise AssertionError(f"GET {path} answered {status}: {body[:500]!r}")
        return json.loads(body)

    def log_tail(self, lines: int = 40) -> str:
        """The last lines the server printed (for failure messages)."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the server by its PID: SIGTERM (the server then shuts its kernels down), wait,
        and SIGKILL only if it did not stop in time."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=SERVER_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=SERVER_STOP_TIMEOUT)


def lab_environment(work_dir: Path) -> dict[str, str]:
    """The lab's environment, with every Jupyter data, config, runtime and settings folder in
    ``work_dir``, so a test neither reads nor writes the user's own Jupyter files."""
    env = load_lab_command().lab_environment()
    folders = {
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",
        "JUPYTER_RUNTIME_DIR": "runtime",
        "JUPYTERLAB_SETTINGS_DIR": "user-settings",
        "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
    }
    for variable, name in folders.items():
        folder = work_dir / name
        folder.mkdir(parents=True, exist_ok=True)
        env[variable] = str(folder)
    # No "news" toast over the notebook, no request to the outside world.
    notification = work_dir / "user-settings" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True, exist_ok=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    env.pop("JUPYTER_TOKEN", None)
    env.pop("JUPYTER_PORT", None)
    return env


@contextlib.contextmanager
def start_lab_server(root: Path, work_dir: Path) -> Iterator[LabServer]:
    """Start ``jupyter lab`` on ``root`` as ``make lab`` does, plus the flags for a headless
    test: loopback, a free port (never silently another one), a random token, no browser.
    Wait until ``/api/status`` answers; stop the server by its PID on exit."""
    lab_command = load_lab_command()
    work_dir.mkdir(parents=True, exist_ok=True)
    env = lab_environment(work_dir)
    last_error = ""
    for attempt in range(3):  # a free port can be taken between choosing and binding it
        port, token = free_port(), secrets.token_hex(24)
        command = lab_command.lab_command(
            root,
            [
                "--no-browser",
                "--ip",
                "127.0.0.1",
                "--port",
                str(port),
                f"--IdentityProvider.token={token}",
                "--ServerApp.port_retries=0",
            ],
            python=sys.executable,
        )
        log = work_dir / f"jupyter-lab-{attempt}.log"
        with log.open("wb") as log_file:
            process = subprocess.Popen(
                command,
                cwd=root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        server = LabServer(process, port, token, root, log)
        try:
            if _wait_until_up(server):
                yield server
                return
            last_error = server.log_tail()
        finally:
            server.stop()
    pytest.fail(f"jupyter lab did not start ({' '.join(command)}):\n{last_error}")


def _wait_until_up(server: LabServer) -> bool:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        with contextlib.suppress(OSError):
            status, _ = server.request("api/status", timeout=2.0)
            if status == 200:
                return True
        time.sleep(0.2)
    pytest.fail(
        f"jupyter lab did not answer within {SERVER_START_TIMEOUT:.0f} s:\n{server.log_tail()}"
    )


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """A lab server on the notebooks folder, as ``make lab`` serves it."""
    with start_lab_server(notebooks_dir(), tmp_path_factory.mktemp("jupyter")) as server:
        yield server


def chromium_executable() -> str:
    """Debian's chromium (or ``$CHROMIUM``). Missing, the test fails: it is never skipped."""
    import shutil

    wanted = os.environ.get("CHROMIUM") or "chromium"
    found = shutil.which(wanted) or shutil.which("chromium-browser")
    if found is None:
        pytest.fail(
            f"Chromium ({wanted}) is not installed, so the browser test cannot run: `make test` "
            "installs it when run as root with apt; otherwise `sudo apt-get install chromium`, "
            "or set CHROMIUM=/path/to/chromium."
        )
    return found


def screenshot_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """``$MINIGRAD_SCREENSHOT_DIR`` (created if needed), else a new temporary folder."""
    chosen = os.environ.get("MINIGRAD_SCREENSHOT_DIR")
    if chosen:
        path = Path(chosen)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp(name)


# -- the summary of the comparisons with PyTorch (tests/test_torch_docs.py, test_lessons.py) ----

# The parametrized test of each comparison module, and the label of its summary line.
COMPARISONS = {
    "tests/test_torch_docs.py::test_torch_doc_example": "torch's documentation examples",
    "tests/test_lessons.py::test_lesson": "lesson scripts",
}
_outcomes: dict[str, dict[str, int]] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Count each comparison's outcomes (also on xdist's controller, which gets all reports)."""
    test = report.nodeid.split("[")[0]
    if test not in COMPARISONS or (report.when != "call" and report.passed):
        return
    if hasattr(report, "wasxfail"):
        outcome = "differ as listed (strict xfail)"
    elif report.passed:
        outcome = "identical"
    elif report.skipped:
        outcome = "skipped"
    else:
        outcome = "differ (failed)"
    counts = _outcomes.setdefault(test, {})
    counts[outcome] = counts.get(outcome, 0) + 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """One section per comparison run: how many compared, identical, listed, excluded."""
    for test, counts in _outcomes.items():
        module = importlib.import_module(test.split("::")[0].removesuffix(".py").replace("/", "."))
        excluded = getattr(module, "EXCLUDED", {})
        if hasattr(module, "NAMES"):  # only the exclusions that name a collected example
            excluded = {name: why for name, why in excluded.items() if name in module.NAMES}
        terminalreporter.section(f"comparison with PyTorch: {COMPARISONS[test]}")
        compared = sum(counts.values())
        details = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
        terminalreporter.line(f"{compared} compared: {details}; {len(excluded)} excluded:")
        for name, reason in excluded.items():
            terminalreporter.line(f"  {name}: {reason}")
