"""The one place that says how minigrad's JupyterLab is started.

``make lab`` runs this file with the project's virtual environment (``.venv/bin/python
tools/lab_command.py``), which replaces itself with ``jupyter lab`` serving ``notebooks/``.
The tests import :func:`lab_command` and :func:`lab_environment` to start the very same server
headless on loopback.

Example::

    .venv/bin/python tools/lab_command.py --no-browser   # extra arguments go to jupyter lab
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"


def is_root() -> bool:
    """Return True when running as the superuser (``jupyter lab`` then needs ``--allow-root``).

    >>> isinstance(is_root(), bool)
    True
    """
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab_command(
    notebooks_dir: str | os.PathLike[str] = NOTEBOOKS_DIR,
    extra_args: Sequence[str] = (),
    python: str | os.PathLike[str] | None = None,
) -> list[str]:
    """Return the ``jupyter lab`` command line that serves ``notebooks_dir``.

    The ``jupyter`` used is the one beside ``python`` (by default the running interpreter),
    so the notebooks' kernel is the project's environment, where minigrad is installed.

    >>> cmd = lab_command("/tmp/nb", ["--no-browser"], python="/p/.venv/bin/python")
    >>> cmd[:2], cmd[-1]
    (['/p/.venv/bin/jupyter', 'lab'], '--no-browser')
    """
    python_path = Path(python if python is not None else sys.executable)
    jupyter = python_path.parent / "jupyter"
    command = [str(jupyter), "lab", f"--ServerApp.root_dir={Path(notebooks_dir)}"]
    if is_root():
        command.append("--allow-root")
    command.extend(extra_args)
    return command


def lab_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return the environment for the lab server: ``base`` (default ``os.environ``) plus
    ``JUPYTER_PREFER_ENV_PATH=1``, so the environment's own ``python3`` kernel wins over any
    kernel of the same name registered for the user elsewhere.

    >>> lab_environment({"HOME": "/home/me"})["JUPYTER_PREFER_ENV_PATH"]
    '1'
    """
    env = dict(os.environ if base is None else base)
    env["JUPYTER_PREFER_ENV_PATH"] = "1"
    return env


def main(argv: Sequence[str]) -> None:
    """Replace this process with ``jupyter lab`` serving the notebooks (``make lab``)."""
    command = lab_command(extra_args=argv)
    print("Starting:", " ".join(command), flush=True)
    os.execve(command[0], command, lab_environment())


if __name__ == "__main__":
    main(sys.argv[1:])
