"""The gradient of Python control flow (d2l 2.5.4): f doubles its input until the norm
passes 1000 and keeps it or scales it depending on the sign of the sum, so f(a) = k a with
k depending on a, and a.grad must be d / a."""

import torch


def f(a):
    b = a * 2
    steps = 0
    while b.norm() < 1000:
        b = b * 2
        steps += 1
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c, steps


torch.manual_seed(0)
for shape in ((), (3,)):
    a = torch.randn(shape, requires_grad=True) if shape else torch.tensor(-0.7, requires_grad=True)
    d, steps = f(a)
    d.sum().backward()
    print(f"shape {shape}: {steps} doublings, a.grad == d / a:", torch.allclose(a.grad, d / a))
    print("  gradient:", a.grad)
