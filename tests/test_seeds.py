"""The seed notebooks' own code (../shared/seeds/*.txt) gives the same printed text with both.

Each test below is one seed notebook: its ``In [..]`` cells, in order, written once as a
function of the library ``L`` (``minigrad`` or ``torch``). ``torch.randn`` is replaced by
fixed numbers from a seeded NumPy generator, so both libraries see the same values. What a
cell prints, and the value a notebook would display for a cell's last expression (through
IPython's pretty printer, as Jupyter does), is captured; memory addresses are masked.
The two texts must be identical.
"""

import contextlib
import io

import numpy as np
import torch
from IPython.lib.pretty import pretty

import minigrad
from tests._oracle import sanitize


def _fixed(seed, *shape):
    """The numbers a seed's ``torch.randn(*shape)`` is replaced with (float32)."""
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def _run(cells, L):
    """Everything the cells print or display when run with library L, addresses masked."""
    out = io.StringIO()

    def show(value):  # what Jupyter displays for a cell's last expression
        if value is not None:
            print(pretty(value))

    with contextlib.redirect_stdout(out):
        cells(L, show)
    return sanitize(out.getvalue())


def _compare(cells, expected_fragments):
    mine, theirs = _run(cells, minigrad), _run(cells, torch)
    assert mine == theirs
    for fragment in expected_fragments:  # the run really reached the interesting parts
        assert fragment in theirs


# -- 000: Automatic differentiation (the PyTorch autograd tutorial) -------------------------------


def seed_000(L, show):
    # In [2]
    x = L.ones(5)  # input tensor
    y = L.zeros(3)  # expected output
    w = L.tensor(_fixed(0, 5, 3), requires_grad=True)
    b = L.tensor(_fixed(1, 3), requires_grad=True)
    z = L.matmul(x, w) + b
    show(z)
    # In [4]
    loss = L.nn.functional.binary_cross_entropy_with_logits(z, y)
    show(loss)
    # In [5]
    print(f"Gradient function for z = {z.grad_fn}")
    print(f"Gradient function for loss = {loss.grad_fn}")
    # In [6]
    loss.backward()
    print(w.grad)
    print(b.grad)
    # In [8]
    z = L.matmul(x, w) + b
    z_det = z.detach()
    print(z_det.requires_grad)
    # In [9]
    inp = L.eye(4, 5, requires_grad=True)
    out = (inp + 1).pow(2).t()
    out.backward(L.ones_like(out), retain_graph=True)
    print(f"First call\n{inp.grad}")
    out.backward(L.ones_like(out), retain_graph=True)
    print(f"\nSecond call\n{inp.grad}")
    inp.grad.zero_()
    out.backward(L.ones_like(out), retain_graph=True)
    print(f"\nCall after zeroing gradients\n{inp.grad}")


def test_seed_000_autograd_tutorial():
    _compare(
        seed_000,
        [
            "grad_fn=<AddBackward0>)",
            "grad_fn=<BinaryCrossEntropyWithLogitsBackward0>)",
            "Gradient function for z = <AddBackward0 object at 0x...>",
            "Call after zeroing gradients\ntensor([[4., 2., 2., 2., 2.],",
        ],
    )


# -- 001: Automatic differentiation, with notes --------------------------------------------------


def seed_001(L, show):
    # In [2]
    x = L.ones(5)
    y = L.zeros(3)
    w = L.tensor(_fixed(10, 5, 3), requires_grad=True)
    b = L.tensor(_fixed(11, 3), requires_grad=True)
    z = L.matmul(x, w) + b
    loss = L.nn.functional.binary_cross_entropy_with_logits(z, y)
    # In [5]
    print(f"Gradient function for z = {z.grad_fn}")
    print(f"Gradient function for loss = {loss.grad_fn}")
    # In [6]
    loss.backward()
    print("dLoss/dw:", w.grad)
    print("dLoss/db:", b.grad)
    # In [8]
    z = L.matmul(x, w) + b
    print(z.requires_grad)
    with L.no_grad():
        z = L.matmul(x, w) + b
    print(z.requires_grad)
    z = L.matmul(x, w) + b
    z_det = z.detach()
    print(z_det.requires_grad)


def test_seed_001_autograd_notes():
    _compare(
        seed_001,
        [
            "Gradient function for loss = <BinaryCrossEntropyWithLogitsBackward0 object at 0x...>",
            "dLoss/dw: tensor([[",
            "True\nFalse\nFalse\n",
        ],
    )


# -- 002: d2l.ai 2.5, Automatic Differentiation ----------------------------------------------------


def seed_002(L, show):
    # In [42]
    x = L.arange(4.0, requires_grad=True)
    show(x)
    # In [43]
    show(x.grad)  # The gradient is None by default
    # In [44]
    y = 2 * L.dot(x, x)
    show(y)
    # In [45]
    y.backward()
    show(x.grad)
    # In [46]
    show(x.grad == 4 * x)
    # In [47]
    x.grad.zero_()  # Reset gradient
    y = x.sum()
    y.backward()
    show(x.grad)
    # In [48]
    show((x, x.grad))
    # In [49]
    x.grad.zero_()
    show((x, x.grad))
    # In [50]
    y = x * x
    y.backward(gradient=L.ones(len(y)))
    show(x.grad)
    # In [51]
    x.grad.zero_()
    show((x, x.grad))
    # In [52]
    y = x * x
    u = y.detach()
    z = u * x
    show((u, z))
    # In [53]
    z.sum().backward()
    show((x.grad, x.grad == u))
    # In [54]
    x.grad.zero_()
    show(x.grad)
    # In [55]
    y.sum().backward()
    show((x.grad, x.grad == 2 * x))

    # In [56]
    def f(a):
        b = a * 2
        while b.norm() < 1000:
            b = b * 2
        if b.sum() > 0:
            c = b
        else:
            c = 100 * b
        return c

    # In [57]
    a = L.tensor(_fixed(20), requires_grad=True)  # torch.randn(size=(), requires_grad=True)
    show(a)
    # In [58]
    d = f(a)
    show(d)
    # In [59]
    d.backward()
    # In [60]
    show((a.grad, a.grad == d / a))
    # In [61]
    a = L.tensor(_fixed(21, 3), requires_grad=True)  # torch.randn(size=(3,), ...)
    d = f(a)
    scalar_d = d.sum()
    scalar_d.backward()
    print(d, scalar_d, a, a.grad)
    # the other branch of f (In [57]'s number is negative): a positive one
    a = L.tensor(np.abs(_fixed(22)), requires_grad=True)
    d = f(a)
    d.backward()
    show((a, d, a.grad, a.grad == d / a))


def test_seed_002_d2l_autograd():
    _compare(
        seed_002,
        [
            "tensor([0., 1., 2., 3.], requires_grad=True)",
            "tensor(28., grad_fn=<MulBackward0>)",
            "tensor([True, True, True, True])",
            "(tensor([0., 1., 2., 3.], requires_grad=True), tensor([1., 1., 1., 1.]))",
            "grad_fn=<SumBackward0>)",
            "tensor(True))",
        ],
    )


# -- 003: Automatic Differentiation with torch.autograd -----------------------------------------


def seed_003(L, show):
    # In [1]
    x = L.ones(5)  # input tensor
    y = L.zeros(3)  # expected output
    w = L.tensor(_fixed(30, 5, 3), requires_grad=True)
    b = L.tensor(_fixed(31, 3), requires_grad=True)
    z = L.matmul(x, w) + b
    loss = L.nn.functional.binary_cross_entropy_with_logits(z, y)
    print(f"Gradient function for z = {z.grad_fn}")
    print(f"Gradient function for loss = {loss.grad_fn}")
    loss.backward()
    print("w.grad", w.grad)
    print("Arithmetic error", b.grad)
    # In [2]
    z = L.matmul(x, w) + b
    print("requires grad:", z.requires_grad)
    with L.no_grad():
        z = L.matmul(x, w) + b
    print("requires grad:", z.requires_grad)
    # In [3]
    z = L.matmul(x, w) + b
    z_det = z.detach()
    print(z_det.requires_grad)
    # In [4]
    x = L.tensor(2.0, requires_grad=True)
    y = L.tensor(3.0, requires_grad=True)
    z = x * y + y**2
    print(f"Computation graph for z: {z}")
    z.backward()
    print(f"Gradient of x: {x.grad}")  # dz/dx
    print(f"Gradient of y: {y.grad}")  # dz/dy


def test_seed_003_torch_autograd():
    _compare(
        seed_003,
        [
            "w.grad tensor([[",
            "requires grad: True\nrequires grad: False\nFalse\n",
            "Computation graph for z: 15.0\nGradient of x: 3.0\nGradient of y: 8.0\n",
        ],
    )


# -- 004: autograd with the Jacobian cell ---------------------------------------------------------


def seed_004(L, show):
    # In [2]
    x = L.ones(5)
    y = L.zeros(3)
    w = L.tensor(_fixed(40, 5, 3), requires_grad=True)
    b = L.tensor(_fixed(41, 3), requires_grad=True)
    z = L.matmul(x, w) + b
    loss = L.nn.functional.binary_cross_entropy_with_logits(z, y)
    # In [3]
    print(f"Gradint function for z = {z.grad_fn}")
    print(f"Gradint function for loss = {loss.grad_fn}")
    # In [4]
    loss.backward()
    print(w.grad)
    print(b.grad)
    # In [6]
    z = L.matmul(x, w) + b
    print(z.requires_grad)
    with L.no_grad():
        z = L.matmul(x, w) + b
        print(z.requires_grad)
    z = L.matmul(x, w) + b
    z = z.detach()
    print(z.requires_grad)
    # In [10]
    inp = L.eye(4, 5, requires_grad=True)
    out = (inp + 1).pow(2).t()
    out.backward(L.ones_like(out), retain_graph=True)
    print(f"First call\n{inp.grad}")
    out.backward(L.ones_like(out), retain_graph=True)
    print(f"\nSecond call\n{inp.grad}")
    inp.grad.zero_()
    out.backward(L.ones_like(out), retain_graph=True)
    print(f"\nCall after zeroing gradients\n{inp.grad}")


def test_seed_004_jacobian():
    _compare(
        seed_004,
        [
            "Gradint function for z = <AddBackward0 object at 0x...>",
            "Second call\ntensor([[8., 4., 4., 4., 4.],",
        ],
    )


def test_the_fixed_numbers_reach_both_libraries_unchanged():
    """The replacement for randn is the same float32 numbers in both libraries."""
    w = _fixed(0, 5, 3)
    assert w.dtype == np.float32 and w.shape == (5, 3)
    assert np.array_equal(minigrad.tensor(w).numpy(), torch.tensor(w).numpy())
