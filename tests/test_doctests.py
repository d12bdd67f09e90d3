"""Every docstring example in the package runs and prints what it says."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import minigrad

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(minigrad.__path__, prefix="minigrad.")
) + ["minigrad"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_the_public_api_has_examples() -> None:
    # Every public function and class exported at the top level carries a runnable example.
    missing = []
    for name in minigrad.__all__:
        obj = getattr(minigrad, name)
        if callable(obj) and not isinstance(obj, minigrad.dtype):
            doc = getattr(obj, "__doc__", "") or ""
            if ">>>" not in doc:
                missing.append(name)
    assert not missing, f"public functions without a docstring example: {missing}"
