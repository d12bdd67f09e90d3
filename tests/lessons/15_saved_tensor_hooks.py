"""Saved-tensor hooks: see what autograd keeps for the backward pass, and keep it in another
form (here: a copy whose values are rounded to float16 precision and back) with
torch.autograd.graph.saved_tensors_hooks."""

import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
saved = []


def pack(t):
    saved.append(tuple(t.shape))
    print("pack", t)
    return t.detach().clone()


def unpack(t):
    print("unpack", t)
    return t


with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    y = x * x
    z = y.exp().sum()
print("shapes saved:", saved)
z.backward()
print("x.grad:", x.grad)

# Hooks that change what is kept: a lossy copy.
x.grad = None
with torch.autograd.graph.saved_tensors_hooks(
    lambda t: t.detach().double().numpy().round(2), lambda a: torch.tensor(a).float()
):
    y = (x * 1.234567).sin()
y.sum().backward()
print("gradient from the rounded copy:", [f"{v:.4f}" for v in x.grad.tolist()])
