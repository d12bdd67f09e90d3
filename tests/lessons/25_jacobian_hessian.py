"""Jacobians and Hessians with torch.autograd.functional, and the vector products that avoid
building them: vjp, jvp, hvp, checked against the full matrices."""

import torch
from torch.autograd.functional import hessian, hvp, jacobian, jvp, vjp


def f(x):
    return torch.stack([x[0] * x[1], x[1].sin(), x[0] ** 2 + x[2]])


def energy(x):
    return (x**3).sum() + x[0] * x[1]


x = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64)
v = torch.tensor([1.0, -1.0, 0.5], dtype=torch.float64)

J = jacobian(f, x)
print("jacobian:\n", J)
out, vjp_value = vjp(f, x, v)
print("vjp:", vjp_value, "matches v @ J:", torch.allclose(vjp_value, v @ J))
out, jvp_value = jvp(f, x, v)
print("jvp:", jvp_value, "matches J @ v:", torch.allclose(jvp_value, J @ v))

H = hessian(energy, x)
print("hessian:\n", H)
value, hvp_value = hvp(energy, x, v)
print(f"energy {value.item():.4f}, hvp matches H @ v: {torch.allclose(hvp_value, H @ v)}")
