"""Linear regression from scratch (d2l 3.2): synthetic data y = X w + b + noise, a data
iterator over minibatches in a fixed order, the model, the squared loss and minibatch SGD
written by hand."""

import torch

torch.manual_seed(0)
true_w = torch.tensor([2.0, -3.4])
true_b = 4.2
num_examples = 200
X = torch.randn(num_examples, len(true_w))
y = X @ true_w + true_b + 0.01 * torch.randn(num_examples)
y = y.reshape((-1, 1))
print("features:", X[0], "label:", y[0])


def data_iter(batch_size, features, labels):
    # A fixed order instead of random.shuffle: every third example first, then the rest.
    indices = list(range(0, len(features), 3)) + [i for i in range(len(features)) if i % 3]
    for i in range(0, len(indices), batch_size):
        batch = torch.tensor(indices[i : i + batch_size])
        yield features[batch], labels[batch]


def linreg(X, w, b):
    return X @ w + b


def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


w = (0.01 * torch.randn(2, 1)).requires_grad_()
b = torch.zeros(1, requires_grad=True)
lr, num_epochs, batch_size = 0.05, 4, 10
for epoch in range(num_epochs):
    for features, labels in data_iter(batch_size, X, y):
        loss = squared_loss(linreg(features, w, b), labels)
        loss.sum().backward()
        sgd([w, b], lr, batch_size)
    with torch.no_grad():
        train_l = squared_loss(linreg(X, w, b), y)
        print(f"epoch {epoch + 1}, loss {float(train_l.mean()):.6f}")

print(f"error in estimating w: {(true_w - w.reshape(true_w.shape)).abs().max().item():.3f}")
print(f"error in estimating b: {abs(true_b - b.item()):.3f}")
