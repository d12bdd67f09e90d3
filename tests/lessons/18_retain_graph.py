"""retain_graph: a second backward pass through the same graph needs the buffers the first
one freed; with retain_graph=True the gradients of the passes add up."""

import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x.exp() * x).sum()
y.backward(retain_graph=True)
print("first:", x.grad)
y.backward(retain_graph=True)
print("second (accumulated):", x.grad)
y.backward()
print("third:", x.grad)
try:
    y.backward()
except RuntimeError as error:
    print("fourth:", type(error).__name__)
    print(str(error).split(".")[0] + ".")

# torch.autograd.grad frees the graph too, unless told to keep it.
x.grad = None
z = (x.sin() * x).sum()
(g1,) = torch.autograd.grad(z, x, retain_graph=True)
(g2,) = torch.autograd.grad(z, x)
print("grad twice:", torch.equal(g1, g2), g1)
print("x.grad untouched by autograd.grad:", x.grad)
