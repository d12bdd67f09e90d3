"""Fit sin(x) with y = a + b P3(c + d x), where P3(x) = (5x^3 - 3x) / 2 is the Legendre
polynomial of degree 3, written as a custom autograd Function with its own backward."""

import math

import torch


class LegendrePolynomial3(torch.autograd.Function):
    """P3(x) = (5x^3 - 3x) / 2, and dP3/dx = 1.5 (5x^2 - 1)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 0.5 * (5 * x**3 - 3 * x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * x**2 - 1)


dtype = torch.float32
x = torch.linspace(-math.pi, math.pi, 400, dtype=dtype)
y = torch.sin(x)

# Weights start near the solution so that few steps converge.
a = torch.full((), 0.0, dtype=dtype, requires_grad=True)
b = torch.full((), -1.0, dtype=dtype, requires_grad=True)
c = torch.full((), 0.0, dtype=dtype, requires_grad=True)
d = torch.full((), 0.3, dtype=dtype, requires_grad=True)

P3 = LegendrePolynomial3.apply
y_pred = P3(c + d * x)
print("grad_fn of P3's output:", type(y_pred.grad_fn).__name__)

learning_rate = 5e-6
for t in range(300):
    y_pred = a + b * P3(c + d * x)
    loss = (y_pred - y).pow(2).sum()
    if t % 50 == 49:
        print(f"step {t + 1:3d}  loss {loss.item():.3f}")
    loss.backward()
    with torch.no_grad():
        for p in (a, b, c, d):
            p -= learning_rate * p.grad
            p.grad = None

# a and c stay within rounding of 0: round first, and + 0.0 turns -0.0 into 0.0.
a_, b_, c_, d_ = (round(p.item(), 4) + 0.0 for p in (a, b, c, d))
print(f"Result: y = {a_:.4f} + {b_:.4f} * P3({c_:.4f} + {d_:.4f} x)")

# The hand-written backward agrees with autograd through the formula.
z = torch.tensor([-0.5, 0.25, 1.5], dtype=torch.float64, requires_grad=True)
(g_custom,) = torch.autograd.grad(P3(z).sum(), z)
(g_auto,) = torch.autograd.grad((0.5 * (5 * z**3 - 3 * z)).sum(), z)
print("custom backward:", g_custom)
print("same as autograd:", torch.allclose(g_custom, g_auto))
print("gradcheck:", torch.autograd.gradcheck(P3, (z,)))
