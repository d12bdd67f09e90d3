"""Forward-mode automatic differentiation with dual numbers: the tangent of f(x) in a
direction v (a Jacobian-vector product in one forward pass), compared with reverse mode."""

import torch
import torch.autograd.forward_ad as fwAD


def f(x):
    return (x.sin() * x).sum() + (x**2).prod()


x = torch.tensor([0.5, 1.0, 2.0], dtype=torch.float64)
v = torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64)

with fwAD.dual_level():
    dual = fwAD.make_dual(x, v)
    out = f(dual)
    primal, tangent = fwAD.unpack_dual(out)
print(f"f(x) = {primal.item():.6f}")
print(f"directional derivative along e1: {tangent.item():.6f}")

xr = x.clone().requires_grad_()
(grad,) = torch.autograd.grad(f(xr), xr)
print(f"reverse mode, grad[0]: {grad[0].item():.6f}")
print("forward and reverse agree:", torch.allclose(tangent, grad @ v))

# Every direction: the full gradient, one forward pass per basis vector.
columns = []
for i in range(3):
    with fwAD.dual_level():
        columns.append(fwAD.unpack_dual(f(fwAD.make_dual(x, torch.eye(3, dtype=x.dtype)[i])))[1])
print("gradient from forward mode:", [f"{c.item():.4f}" for c in columns])
