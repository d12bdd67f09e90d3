"""The cubic fit of sin(x) with an optimizer doing the update: Adam, then SGD with momentum,
from the same starting weights."""

import math

import torch

x = torch.linspace(-math.pi, math.pi, 400)
y = torch.sin(x)
xx = x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))


def make_model():
    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[0.5, -0.1, 0.05]]))
        model[0].bias.fill_(0.2)
    return model


loss_fn = torch.nn.MSELoss(reduction="sum")
for name in ("Adam", "SGD"):
    model = make_model()
    if name == "Adam":
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=1e-6, momentum=0.9)
    print(name, optimizer.defaults["lr"])
    for t in range(200):
        loss = loss_fn(model(xx), y)
        if t % 40 == 39:
            print(f"  step {t + 1:3d}  loss {loss.item():.3f}")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    weight = model[0].weight.detach()
    print("  weight:", [f"{v:.4f}" for v in weight[0].tolist()], f"bias {model[0].bias.item():.4f}")
