"""RMSprop and Adagrad: the cubic fit of sin(x) with torch.optim.RMSprop (as the PyTorch
tutorial does) and torch.optim.Adagrad, and one RMSprop step written by hand."""

import math

import torch

x = torch.linspace(-math.pi, math.pi, 400)
y = torch.sin(x)
xx = x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))
loss_fn = torch.nn.MSELoss(reduction="sum")

for name in ("RMSprop", "Adagrad"):
    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[0.5, -0.1, 0.05]]))
        model[0].bias.fill_(0.2)
    if name == "RMSprop":
        optimizer = torch.optim.RMSprop(model.parameters(), lr=3e-3)
    else:
        optimizer = torch.optim.Adagrad(model.parameters(), lr=0.1)
    for t in range(150):
        loss = loss_fn(model(xx), y)
        if t % 50 == 49:
            print(f"{name} step {t + 1:3d}  loss {loss.item():.3f}")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

# One RMSprop step by hand: v = alpha v + (1 - alpha) g^2; w -= lr g / (sqrt(v) + eps).
w = torch.tensor([1.0, -2.0], requires_grad=True)
optimizer = torch.optim.RMSprop([w], lr=0.01, alpha=0.99, eps=1e-8)
(w**2).sum().backward()
g = w.grad.clone()
expected = w.detach() - 0.01 * g / ((0.01 * g * g).sqrt() + 1e-8)
optimizer.step()
print("RMSprop by hand:", torch.allclose(w.detach(), expected), w.detach())
