"""How tensors print: the text of ``repr(tensor)``, the same as PyTorch 2.13 prints.

The rules are PyTorch's (``torch/_tensor_str.py``), re-done with NumPy:

* One formatter is chosen for the whole tensor, so every element gets the same width.
  Integer and bool tensors print each value with ``str``. A floating-point tensor looks
  only at its finite nonzero values:

  - if all of them are whole numbers it prints them with no decimals and a trailing
    dot (``4.``), so the reader still sees a float;
  - otherwise it prints ``precision`` decimals (4 by default);
  - it switches to scientific notation (``1.0000e+09``) when the largest value is more
    than 1000 times the smallest, or above 1e8, or the smallest is below 1e-4 (unless
    ``set_printoptions(sci_mode=...)`` forces the choice).

* Rows are wrapped to ``linewidth`` (80) columns; nested rows are indented one column per
  level under the ``tensor(`` prefix and separated by ``ndim - 1`` newlines.

* A tensor with more than ``threshold`` (1000) elements is summarized: along every
  dimension longer than ``2 * edgeitems`` only the first and last ``edgeitems`` (3) entries
  are shown, with ``...`` between them.

* Suffixes follow the values: ``size=`` for an empty tensor that is not 1-d, ``dtype=``
  when the values alone do not tell the dtype, then the autograd ``tail``. A suffix moves
  to its own line when it would make the line longer than ``linewidth``.

>>> import numpy as np
>>> from minigrad import _dtype
>>> print(format_tensor(np.array([[1.0, 2.5], [-3.0, 4.0]], dtype=np.float32), _dtype.float32))
tensor([[ 1.0000,  2.5000],
        [-3.0000,  4.0000]])
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from minigrad import _dtype

_PREFIX = "tensor("


@dataclasses.dataclass
class _PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


_OPTIONS = _PrintOptions()

_PROFILES = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Set how tensors print, as ``torch.set_printoptions`` does.

    ``profile`` (``"default"``, ``"short"`` or ``"full"``) first resets precision,
    threshold, edgeitems and linewidth; the other arguments then override it. As in
    torch, ``sci_mode`` is always set: leaving it out turns the automatic choice back on.

    >>> import numpy as np
    >>> from minigrad import _dtype
    >>> set_printoptions(precision=2)
    >>> format_tensor(np.array([1.12345], dtype=np.float32), _dtype.float32)
    'tensor([1.12])'
    >>> set_printoptions(profile="default")
    >>> format_tensor(np.array([1.12345], dtype=np.float32), _dtype.float32)
    'tensor([1.1235])'
    """
    if profile is not None:
        # torch ignores an unknown profile name silently; so do we.
        for name, value in _PROFILES.get(profile, {}).items():
            setattr(_OPTIONS, name, value)
    if precision is not None:
        _OPTIONS.precision = precision
    if threshold is not None:
        _OPTIONS.threshold = threshold
    if edgeitems is not None:
        _OPTIONS.edgeitems = edgeitems
    if linewidth is not None:
        _OPTIONS.linewidth = linewidth
    _OPTIONS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """The current print options, as keyword arguments for :func:`set_printoptions`.

    >>> get_printoptions()
    {'precision': 4, 'threshold': 1000, 'edgeitems': 3, 'linewidth': 80, 'sci_mode': None}
    """
    return dataclasses.asdict(_OPTIONS)


@contextlib.contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """Change the print options inside a ``with`` block only (``torch.printoptions``).

    >>> import numpy as np
    >>> from minigrad import _dtype
    >>> with printoptions(sci_mode=True):
    ...     print(format_tensor(np.array([2.0, 3.0]), _dtype.float64))
    tensor([2.0000e+00, 3.0000e+00], dtype=torch.float64)
    >>> get_printoptions()["sci_mode"] is None
    True
    """
    saved = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**saved)


class _Formatter:
    """Turns one element into text; the same width and style for every element."""

    def __init__(self, values: np.ndarray, is_float: bool) -> None:
        self.is_float = is_float
        self.int_mode = True  # floats that are all whole numbers: "4."
        self.sci_mode = False
        self.width = 1
        flat = values.reshape(-1)

        if not is_float:
            for value in flat.tolist():
                self.width = max(self.width, len(str(value)))
            return

        shown = flat[np.isfinite(flat) & (flat != 0)]
        if shown.size == 0:
            return  # only zeros, nan and inf: whole-number style, width 1
        magnitudes = np.abs(shown).astype(np.float64)
        smallest, largest = magnitudes.min(), magnitudes.max()
        self.int_mode = bool(np.all(shown == np.ceil(shown)))
        if _OPTIONS.sci_mode is None:
            self.sci_mode = bool(
                largest / smallest > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4
            )
        else:
            self.sci_mode = _OPTIONS.sci_mode

        precision = _OPTIONS.precision
        for value in shown.tolist():
            if self.sci_mode:
                text_width = len(f"{value:.{precision}e}")
            elif self.int_mode:
                text_width = len(f"{value:.0f}") + 1  # room for the trailing dot
            else:
                text_width = len(f"{value:.{precision}f}")
            self.width = max(self.width, text_width)

    def format(self, value: float | int | bool) -> str:
        """The text of one element (a Python number), right-aligned to the common width."""
        if not self.is_float:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.width}.{_OPTIONS.precision}e}"
        elif self.int_mode:
            text = f"{value:.0f}"
            if math.isfinite(value):
                text += "."
        else:
            text = f"{value:.{_OPTIONS.precision}f}"
        return text.rjust(self.width)


def _summarized(array: np.ndarray) -> np.ndarray:
    """The elements a summarized print shows: edge entries along every long dimension."""
    edge = _OPTIONS.edgeitems
    if array.ndim == 0:
        return array
    if edge == 0:
        # Nothing but "..." is printed, so no element sets the format. (torch keeps a whole
        # vector here, by a[:0] + a[-0:], but prints only "[...]" all the same.)
        return array[(slice(0, 0),) * array.ndim]
    for axis, size in enumerate(array.shape):
        if size > 2 * edge:
            keep = np.r_[0:edge, size - edge : size]
            array = np.take(array, keep, axis=axis)
    return array


def _vector_str(vector: np.ndarray, indent: int, summarize: bool, formatter: _Formatter) -> str:
    edge = _OPTIONS.edgeitems
    if summarize and not edge:
        items = ["..."]
    elif summarize and len(vector) > 2 * edge:
        items = (
            [formatter.format(v) for v in vector[:edge].tolist()]
            + [" ..."]
            + [formatter.format(v) for v in vector[len(vector) - edge :].tolist()]
        )
    else:
        items = [formatter.format(v) for v in vector.tolist()]

    per_line = max(1, math.floor((_OPTIONS.linewidth - indent) / (formatter.width + 2)))
    lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested_str(array: np.ndarray, indent: int, summarize: bool, formatter: _Formatter) -> str:
    """Text of the values of ``array``, whose opening bracket is at column ``indent``."""
    if array.ndim == 0:
        return formatter.format(array.item())
    if array.ndim == 1:
        return _vector_str(array, indent, summarize, formatter)

    edge = _OPTIONS.edgeitems
    size = len(array)
    if summarize and size > 2 * edge:
        rows = [*range(edge), None, *range(size - edge, size)]  # None stands for "..."
    else:
        rows = list(range(size))
    parts = [
        "..." if row is None else _nested_str(array[row], indent + 1, summarize, formatter)
        for row in rows
    ]
    return "[" + ("," + "\n" * (array.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    """Append ``, suffix`` items and the closing parenthesis, wrapping long lines."""
    pieces = [text]
    # torch's measure of the last line (two more than its length when there is one line).
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > _OPTIONS.linewidth:
            pieces.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            pieces.append(", " + suffix)
            last_line_len += len(suffix) + 2
    pieces.append(")")
    return "".join(pieces)


def format_tensor(array: np.ndarray, dtype: _dtype.dtype, tail: str | None = None) -> str:
    """Return torch's ``repr`` of a tensor holding ``array`` (of NumPy dtype ``dtype.numpy``).

    ``tail`` is the autograd suffix, e.g. ``"grad_fn=<AddBackward0>"`` or
    ``"requires_grad=True"``; it comes after any ``size=`` and ``dtype=`` suffix.

    >>> import numpy as np
    >>> from minigrad import _dtype
    >>> format_tensor(np.array([1.0, 2.0, 3.0], dtype=np.float32), _dtype.float32)
    'tensor([1., 2., 3.])'
    >>> format_tensor(np.array(7), _dtype.int64, "requires_grad=True")
    'tensor(7, requires_grad=True)'
    >>> format_tensor(np.zeros((0, 3)), _dtype.float64)
    'tensor([], size=(0, 3), dtype=torch.float64)'
    >>> print(format_tensor(np.array([1e-5, 1.0, 300.0]), _dtype.float64, "grad_fn=<MulBackward0>"))
    tensor([1.0000e-05, 1.0000e+00, 3.0000e+02], dtype=torch.float64,
           grad_fn=<MulBackward0>)
    """
    array = np.asarray(array)
    indent = len(_PREFIX)
    suffixes = []
    default = _dtype.get_default_dtype()
    if array.size == 0:
        # Like NumPy, show the shape unless it is (0,); and the dtype, which no value shows.
        if array.ndim != 1:
            suffixes.append(f"size={tuple(array.shape)}")
        if dtype is not default:
            suffixes.append(f"dtype={dtype!r}")
        text = "[]"
    else:
        if not _OPTIONS.edgeitems:
            suffixes.append(f"size={tuple(array.shape)}")
        if dtype not in (default, _dtype.int64, _dtype.bool):
            suffixes.append(f"dtype={dtype!r}")
        summarize = array.size > _OPTIONS.threshold
        shown = _summarized(array) if summarize else array
        formatter = _Formatter(shown, dtype.is_floating_point)
        text = _nested_str(array, indent, summarize, formatter)
    if tail is not None:
        suffixes.append(tail)
    return _add_suffixes(_PREFIX + text, suffixes, indent)
