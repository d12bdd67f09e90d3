"""Hooks: a tensor hook that sees and changes a gradient, retain_grad for an intermediate
value, a hook on a graph node, and a module's forward hook."""

import torch

x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = x * 2
y.retain_grad()
seen = []
handle = y.register_hook(lambda g: seen.append(g.clone()))
z = (y**2).sum()
z.backward()
print("gradient seen by the hook:", seen[0])
print("y.grad (retained):", y.grad)
print("x.grad:", x.grad)
handle.remove()

# A hook that returns a new gradient replaces it.
x.grad = None
y = x * 2
y.register_hook(lambda g: g.clamp(min=0))
(y**2).sum().backward()
print("clamped gradient reaches x:", x.grad)

# A hook on the node that computed y.
x.grad = None
y = x * 2
calls = []
y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: calls.append(y.grad_fn.name()))
y.sum().backward()
print("node hook called for:", calls)

# A module's forward hook sees inputs and output.
layer = torch.nn.Linear(3, 1)
with torch.no_grad():
    layer.weight.copy_(torch.tensor([[0.5, -1.0, 0.25]]))
    layer.bias.fill_(0.1)
shapes = []
h = layer.register_forward_hook(lambda m, inputs, out: shapes.append(tuple(out.shape)))
out = layer(torch.ones(4, 3))
h.remove()
layer(torch.ones(2, 3))
print("forward hook saw:", shapes, "output:", out[0])
