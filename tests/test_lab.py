"""`make lab` serves the notebooks: its server starts headless on loopback, answers, lists every
notebook, opens one, and stops by its PID with its kernels."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import (
    REPO_ROOT,
    LabServer,
    load_lab_command,
    notebook_paths,
    notebooks_dir,
    start_lab_server,
)


def test_make_lab_runs_the_lab_command_helper() -> None:
    # The test below starts the server through tools/lab_command.py; make lab must too.
    # (Run from inside `make test`, make passes its flags down; start a make of our own.)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "lab", "LAB_ARGS=--an-extra-flag"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    last_line = result.stdout.strip().splitlines()[-1]
    assert last_line == ".venv/bin/python tools/lab_command.py --an-extra-flag"


def test_lab_command_serves_the_notebooks_folder_with_the_environments_jupyter() -> None:
    lab_command = load_lab_command()
    python = REPO_ROOT / ".venv" / "bin" / "python"
    command = lab_command.lab_command(extra_args=["--no-browser"], python=python)
    assert command[0] == str(REPO_ROOT / ".venv" / "bin" / "jupyter")
    assert command[1] == "lab"
    assert f"--ServerApp.root_dir={REPO_ROOT / 'notebooks'}" in command
    assert ("--allow-root" in command) == lab_command.is_root()
    assert command[-1] == "--no-browser"
    env = lab_command.lab_environment({})
    assert env == {"JUPYTER_PREFER_ENV_PATH": "1"}


def test_lab_server_answers_and_lists_the_notebooks(lab_server: LabServer) -> None:
    status = lab_server.api("api/status")
    assert "started" in status

    expected = {path.name for path in notebook_paths() if path.parent == notebooks_dir()}
    assert expected, f"no notebook in {notebooks_dir()}"
    listing = lab_server.api("api/contents/")
    listed = {item["name"] for item in listing["content"] if item["type"] == "notebook"}
    assert listed == expected

    # The token is required: without it the API refuses.
    code, _ = _request_without_token(lab_server, "api/contents/")
    assert code == 403

    # The JupyterLab page itself is served.
    code, body = lab_server.request("lab")
    assert code == 200
    assert b"JupyterLab" in body


def test_lab_server_opens_a_notebook_and_has_the_python3_kernel(lab_server: LabServer) -> None:
    first = notebook_paths()[0]
    relative = first.relative_to(notebooks_dir()).as_posix()
    model = lab_server.api(f"api/contents/{relative}")
    assert model["type"] == "notebook"
    assert model["content"]["metadata"]["kernelspec"]["name"] == "python3"

    specs = lab_server.api("api/kernelspecs")
    assert "python3" in specs["kernelspecs"]
    # The kernel is the project's own environment (where minigrad is installed).
    argv = specs["kernelspecs"]["python3"]["spec"]["argv"]
    assert argv[0] in {"python", "python3", sys.executable} or argv[0].startswith(str(REPO_ROOT)), (
        argv
    )


def test_lab_server_stops_by_pid_with_its_kernels(tmp_path) -> None:
    with start_lab_server(notebooks_dir(), tmp_path / "jupyter") as server:
        code, body = server.request("api/kernels", method="POST")
        assert code == 201, body
        kernel_id = json.loads(body)["id"]
        kernel_pids = _wait_for_kernel_pids(server.process.pid, timeout=30.0)
        assert kernel_pids, f"kernel {kernel_id} has no process"
        server.stop()
        assert server.process.returncode is not None
    try:
        server.request("api/status", timeout=2.0)
    except (urllib.error.URLError, ConnectionError):
        pass
    else:
        raise AssertionError("the server still answers after stop()")
    deadline = time.monotonic() + 15.0
    while time.monotonic() < deadline and any(_alive(pid) for pid in kernel_pids):
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in kernel_pids), "a kernel outlived its server"


def _request_without_token(server: LabServer, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"{server.base_url}/{path}", timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _children(pid: int) -> list[int]:
    children_file = Path(f"/proc/{pid}/task/{pid}/children")
    if children_file.exists():
        return [int(child) for child in children_file.read_text().split()]
    result = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(child) for child in result.stdout.split()]


def _wait_for_kernel_pids(server_pid: int, timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = _children(server_pid)
        if pids:
            return pids
        time.sleep(0.1)
    return []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():  # a zombie is dead but still listed
        with contextlib.suppress(OSError):
            return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True
