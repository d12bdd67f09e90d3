"""The operations: one ``Function`` per operation, its forward and backward side by side."""

# Every operation module builds on Tensor, and tensor.py imports the operation modules at its
# end: loading tensor.py first, whichever module is imported first, keeps that cycle working.
from minigrad import tensor as _tensor  # noqa: F401
