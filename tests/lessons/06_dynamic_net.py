"""A network whose depth changes from step to step: the forward pass adds 0 to 2 extra terms
that share one parameter, following a fixed schedule (a lesson would draw it at random).
Autograd follows whatever graph the Python code built this time."""

import math

import torch


class DynamicNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Parameter(torch.tensor(0.1))
        self.b = torch.nn.Parameter(torch.tensor(0.8))
        self.c = torch.nn.Parameter(torch.tensor(-0.05))
        self.d = torch.nn.Parameter(torch.tensor(-0.1))
        self.e = torch.nn.Parameter(torch.tensor(0.0))

    def forward(self, x, extra_layers):
        y = self.a + self.b * x + self.c * x**2 + self.d * x**3
        for exp in range(4, 4 + extra_layers):
            y = y + self.e * x**exp
        return y


SCHEDULE = [0, 1, 2, 1, 0, 2]

x = torch.linspace(-math.pi, math.pi, 400)
y = torch.sin(x)
model = DynamicNet()
criterion = torch.nn.MSELoss(reduction="sum")
optimizer = torch.optim.SGD(model.parameters(), lr=1e-9, momentum=0.9)

for t in range(240):
    extra = SCHEDULE[t % len(SCHEDULE)]
    loss = criterion(model(x, extra), y)
    if t % 40 == 39:
        print(f"step {t + 1:3d}  extra layers {extra}  loss {loss.item():.3f}")
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

# The graph of one forward pass has one more node for each extra layer.
for extra in (0, 2):
    out = model(x, extra).sum()
    node, depth = out.grad_fn, 0
    while node is not None and node.next_functions:
        node = node.next_functions[0][0]
        depth += 1
    print(f"extra layers {extra}: first-input chain of {depth} nodes")
print(f"e = {model.e.item():.6f}")
print(f"b = {model.b.item():.4f}, d = {model.d.item():.4f}")
