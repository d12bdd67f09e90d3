"""Switching gradient tracking off: torch.no_grad for evaluation and for updating weights,
torch.set_grad_enabled, requires_grad_(False) to freeze a layer, and the effect on
requires_grad and grad_fn."""

import torch

torch.manual_seed(0)
x = torch.randn(4, 3)
model = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))

out = model(x)
print("training:", out.requires_grad, out.grad_fn.name())
with torch.no_grad():
    out = model(x)
print("no_grad:", out.requires_grad, out.grad_fn)
for enabled in (False, True):
    with torch.set_grad_enabled(enabled):
        print(f"set_grad_enabled({enabled}):", model(x).requires_grad)
print("grad mode restored:", torch.is_grad_enabled())


@torch.no_grad()
def evaluate(m, data):
    return m(data).mean().item()


print(f"evaluate: {evaluate(model, x):.4f}, tracking inside: {evaluate(model, x) is not None}")

# Freezing the first layer: its parameters get no gradient.
for p in model[0].parameters():
    p.requires_grad_(False)
model(x).sum().backward()
print("frozen layer grads:", [p.grad for p in model[0].parameters()])
print("trained layer grad shapes:", [tuple(p.grad.shape) for p in model[2].parameters()])

# Operations on tensors that do not require grad are not recorded even in grad mode.
a = torch.ones(2)
b = a * 3
print("b:", b.requires_grad, b.grad_fn, b.is_leaf)
