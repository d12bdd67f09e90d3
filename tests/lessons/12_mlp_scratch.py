"""A multilayer perceptron from scratch (d2l 5.2): parameters as tensors, relu written with
torch.max, nn.CrossEntropyLoss, batches from a DataLoader (shuffle=False), and
torch.optim.SGD over the hand-made parameters."""

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
num_inputs, num_hiddens, num_outputs = 6, 16, 3
X = torch.randn(90, num_inputs)
y = (X[:, 0] + X[:, 1] > 0).long() + (X[:, 2] > 0.5).long()
print("class counts:", [int((y == k).sum()) for k in range(3)])
loader = DataLoader(TensorDataset(X, y), batch_size=30, shuffle=False)

W1 = nn.Parameter(torch.randn(num_inputs, num_hiddens) * 0.1)
b1 = nn.Parameter(torch.zeros(num_hiddens))
W2 = nn.Parameter(torch.randn(num_hiddens, num_outputs) * 0.1)
b2 = nn.Parameter(torch.zeros(num_outputs))
params = [W1, b1, W2, b2]


def relu(X):
    a = torch.zeros_like(X)
    return torch.max(X, a)


def net(X):
    H = relu(X @ W1 + b1)
    return H @ W2 + b2


loss = nn.CrossEntropyLoss(reduction="none")
updater = torch.optim.SGD(params, lr=0.5)
for epoch in range(6):
    for features, labels in loader:
        batch_loss = loss(net(features), labels)
        updater.zero_grad()
        batch_loss.mean().backward()
        updater.step()
    with torch.no_grad():
        logits = net(X)
        acc = (logits.argmax(dim=1) == y).float().mean().item()
        print(f"epoch {epoch + 1}: loss {loss(logits, y).mean().item():.4f}, accuracy {acc:.3f}")
