"""Detaching computation (d2l 2.5.3): u = y.detach() is a constant for autograd, so the
gradient of u * x is u; the gradient of y itself still flows through y's own graph."""

import torch

x = torch.arange(4.0, requires_grad=True)
y = x * x
u = y.detach()
z = u * x
z.sum().backward()
print("x.grad == u:", (x.grad == u).all().item(), x.grad)
print("u requires grad:", u.requires_grad, "u.grad_fn:", u.grad_fn)

x.grad.zero_()
y.sum().backward()
print("x.grad == 2x:", (x.grad == 2 * x).all().item(), x.grad)

# The detached tensor shares its values with the original: writing to it changes both.
w = torch.ones(3, requires_grad=True)
v = w * 2
d = v.detach()
d[0] = 10.0
print("v after writing through the detached view:", v)
print("stop the gradient in a loss: ", end="")
target = (w * 3).detach()
loss = ((w - target) ** 2).sum()
loss.backward()
print(w.grad)
