"""Softmax regression from scratch (d2l 4.4) on three Gaussian blobs: softmax, cross-entropy
through indexing, accuracy, minibatch SGD by hand, batches from a DataLoader (shuffle=False)."""

import torch
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
num_inputs, num_outputs, per_class = 4, 3, 40
centers = torch.tensor([[2.0, 0.0, 0.0, 1.0], [0.0, 2.0, 0.0, -1.0], [0.0, 0.0, 2.0, 0.0]])
X = torch.cat([centers[k] + torch.randn(per_class, num_inputs) for k in range(3)])
y = torch.tensor([k for k in range(3) for _ in range(per_class)])
loader = DataLoader(TensorDataset(X, y), batch_size=20, shuffle=False)

W = (0.01 * torch.randn(num_inputs, num_outputs)).requires_grad_()
b = torch.zeros(num_outputs, requires_grad=True)


def softmax(X):
    X_exp = torch.exp(X)
    return X_exp / X_exp.sum(1, keepdim=True)


def net(X):
    return softmax(X.reshape((-1, W.shape[0])) @ W + b)


def cross_entropy(y_hat, y):
    return -torch.log(y_hat[range(len(y_hat)), y])


def accuracy(y_hat, y):
    return float((y_hat.argmax(axis=1).type(y.dtype) == y).type(y.dtype).sum())


print("softmax rows sum to one:", softmax(torch.tensor([[1.0, 2.0, 3.0]])).sum().item())
lr = 0.1
for epoch in range(5):
    for features, labels in loader:
        loss = cross_entropy(net(features), labels)
        loss.mean().backward()
        with torch.no_grad():
            for param in (W, b):
                param -= lr * param.grad
                param.grad.zero_()
    with torch.no_grad():
        y_hat = net(X)
        print(
            f"epoch {epoch + 1}: loss {cross_entropy(y_hat, y).mean().item():.4f},"
            f" accuracy {accuracy(y_hat, y) / len(y):.3f}"
        )
