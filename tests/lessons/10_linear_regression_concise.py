"""Linear regression the concise way (d2l 3.3): a TensorDataset and a DataLoader over it
(shuffle=False), nn.Linear initialised by hand, nn.MSELoss and torch.optim.SGD."""

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
true_w = torch.tensor([2.0, -3.4])
true_b = 4.2
X = torch.randn(120, 2)
y = (X @ true_w + true_b + 0.01 * torch.randn(120)).reshape(-1, 1)

dataset = TensorDataset(X, y)
loader = DataLoader(dataset, batch_size=16, shuffle=False)
print("examples:", len(dataset), "batches:", len(loader))
features, labels = next(iter(loader))
print("first batch:", tuple(features.shape), tuple(labels.shape))

net = nn.Sequential(nn.Linear(2, 1))
net[0].weight.data.fill_(0.01)
net[0].bias.data.fill_(0)
loss = nn.MSELoss()
trainer = torch.optim.SGD(net.parameters(), lr=0.1)

for epoch in range(4):
    for features, labels in loader:
        batch_loss = loss(net(features), labels)
        trainer.zero_grad()
        batch_loss.backward()
        trainer.step()
    print(f"epoch {epoch + 1}, loss {loss(net(X), y).item():.6f}")

w = net[0].weight.data
b = net[0].bias.data
print(f"error in estimating w: {(true_w - w.reshape(true_w.shape)).abs().max().item():.3f}")
print(f"error in estimating b: {abs(true_b - b.item()):.3f}")
