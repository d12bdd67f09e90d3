"""NumPy's floating point warnings, switched off while minigrad computes.

torch computes with NaN and infinity silently (log(0) is -inf, inf - inf is nan), where NumPy
warns ("RuntimeWarning: divide by zero encountered in log"). The operations that can meet
such values (``Function.quiet = True``) and the backward pass run with the warnings off.

``np.errstate`` does that, but costs more than a small operation itself. NumPy 2 keeps the
setting in a context variable, which is set and reset directly here; and when the warnings
are already off (an operation inside the backward pass), nothing is done at all.

>>> token = silence()
>>> np.log(np.zeros(1))
array([-inf])
>>> restore(token)
"""

from __future__ import annotations

from typing import Any

import numpy as np

try:
    from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj
except ImportError:  # NumPy 1.x
    _extobj_contextvar = None

if _extobj_contextvar is not None:
    _IGNORE_ALL = _make_extobj(all="ignore")
    # (bound once: these two run around every quiet operation)
    _current, _set = _extobj_contextvar.get, _extobj_contextvar.set

    def silence() -> Any:
        """Switch the warnings off; returns what ``restore`` needs (None: they were off)."""
        return None if _current() is _IGNORE_ALL else _set(_IGNORE_ALL)

    def restore(token: Any) -> None:
        """Put the warnings back as ``silence`` found them."""
        if token is not None:
            _extobj_contextvar.reset(token)

else:

    def silence() -> Any:
        """Switch the warnings off; returns what ``restore`` needs."""
        return np.seterr(all="ignore")

    def restore(token: Any) -> None:
        """Put the warnings back as ``silence`` found them."""
        if token is not None:
            np.seterr(**token)
