"""BatchNorm1d and Dropout in a small classifier: training mode normalises with the batch's
statistics and updates the running ones; evaluation mode uses the running statistics and
turns dropout off."""

import torch
from torch import nn

torch.manual_seed(0)
X = torch.randn(32, 4) * 3 + 1
y = (X[:, 0] > 1).long()
model = nn.Sequential(
    nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.0), nn.Linear(8, 2)
)
print(model)
bn = model[1]
print("running mean before:", bn.running_mean)

optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
model.train()
for epoch in range(5):
    loss = loss_fn(model(X), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(f"epoch {epoch + 1}: loss {loss.item():.4f}")
print("running mean after:", [f"{v:.4f}" for v in bn.running_mean.tolist()])
print("batches tracked:", bn.num_batches_tracked.item())

model.eval()
with torch.no_grad():
    accuracy = (model(X).argmax(dim=1) == y).float().mean().item()
print(f"eval accuracy: {accuracy:.3f}")
drop = nn.Dropout(0.5)
drop.eval()
print("dropout in eval mode is the identity:", torch.equal(drop(X), X))
