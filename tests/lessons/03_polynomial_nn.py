"""Fit sin(x) with a cubic written as an nn.Linear layer on the features (x, x^2, x^3), the
loss from nn.MSELoss, and the update by hand over model.parameters()."""

import math

import torch

torch.manual_seed(0)
x = torch.linspace(-math.pi, math.pi, 400)
y = torch.sin(x)

p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)
print("features:", tuple(xx.shape))

model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
print(model)
loss_fn = torch.nn.MSELoss(reduction="sum")

learning_rate = 1e-6
for t in range(300):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    if t % 50 == 49:
        print(f"step {t + 1:3d}  loss {loss.item():.3f}")
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad

linear_layer = model[0]
w = linear_layer.weight[:, 0].item(), linear_layer.weight[:, 1].item()
print(f"Result: y = {linear_layer.bias.item():.4f} + {w[0]:.4f} x + {w[1]:.4f} x^2 + ...")
print("parameter names:", [name for name, _ in model.named_parameters()])
