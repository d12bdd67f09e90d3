"""A model as a subclass of nn.Module: its coefficients one nn.Parameter, a forward method and
a string method, trained with SGD."""

import math

import torch


class Polynomial3(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.coefficients = torch.nn.Parameter(torch.randn(4))

    def forward(self, x):
        powers = x.unsqueeze(-1) ** torch.arange(4)
        return powers @ self.coefficients

    def string(self):
        a, b, c, d = self.coefficients.tolist()
        return f"y = {a:.4f} + {b:.4f} x + {c:.4f} x^2 + {d:.4f} x^3"


torch.manual_seed(0)
x = torch.linspace(-math.pi, math.pi, 400)
y = torch.sin(x)

model = Polynomial3()
print("parameters:", [name for name, _ in model.named_parameters()])
print("trainable values:", sum(p.numel() for p in model.parameters()))

criterion = torch.nn.MSELoss(reduction="sum")
optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
for t in range(300):
    loss = criterion(model(x), y)
    if t % 60 == 59:
        print(f"step {t + 1:3d}  loss {loss.item():.3f}")
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

print("Result:", model.string())
print("last gradient:", [f"{g:.1f}" for g in model.coefficients.grad.tolist()])
print(model)
