"""The reduction named by the deprecated ``size_average`` and ``reduce`` arguments of the losses,
as ``torch.nn._reduction.legacy_get_string``: one function for ``nn.functional`` and the loss
layers."""

from __future__ import annotations

import warnings
from typing import Any

__all__ = ["legacy_reduction_name"]


def legacy_reduction_name(size_average: Any, reduce: Any) -> str:
    """The reduction ("mean", "sum" or "none") that the deprecated arguments ask for (None counts
    as True), with torch's warning, which names the line that called this function's caller.

    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     legacy_reduction_name(size_average=False, reduce=None)
    'sum'
    """
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    name = "none" if not reduce else "mean" if size_average else "sum"
    warnings.warn(
        f"size_average and reduce args will be deprecated, please use reduction='{name}' instead.",
        UserWarning,
        stacklevel=3,
    )
    return name
