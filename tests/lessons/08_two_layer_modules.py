"""The two-layer network again, as nn.Sequential with nn.Linear and nn.ReLU, trained with
torch.optim.SGD; then as a subclass of nn.Module with the same weights, which gives the
same losses."""

import torch

torch.manual_seed(0)
N, D_in, H, D_out = 16, 8, 12, 3
x = torch.randn(N, D_in)
y = torch.randn(N, D_out)

model = torch.nn.Sequential(
    torch.nn.Linear(D_in, H),
    torch.nn.ReLU(),
    torch.nn.Linear(H, D_out),
)
print(model)


class TwoLayerNet(torch.nn.Module):
    def __init__(self, D_in, H, D_out):
        super().__init__()
        self.linear1 = torch.nn.Linear(D_in, H)
        self.linear2 = torch.nn.Linear(H, D_out)

    def forward(self, x):
        return self.linear2(self.linear1(x).clamp(min=0))


net = TwoLayerNet(D_in, H, D_out)
net.load_state_dict(
    {
        "linear1.weight": model[0].weight.detach().clone(),
        "linear1.bias": model[0].bias.detach().clone(),
        "linear2.weight": model[2].weight.detach().clone(),
        "linear2.bias": model[2].bias.detach().clone(),
    }
)
print(net)

loss_fn = torch.nn.MSELoss(reduction="sum")
for name, m in (("Sequential", model), ("TwoLayerNet", net)):
    optimizer = torch.optim.SGD(m.parameters(), lr=1e-3)
    for t in range(60):
        loss = loss_fn(m(x), y)
        if t % 20 == 19:
            print(f"{name:11s} step {t + 1:2d}  loss {loss.item():.4f}")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

print("same weights:", torch.allclose(model[0].weight, net.linear1.weight))
print("state_dict keys:", list(net.state_dict().keys()))
