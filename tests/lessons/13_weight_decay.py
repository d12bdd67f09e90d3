"""Weight decay (d2l 3.7): high-dimensional linear regression with few examples, trained
without and with an L2 penalty written by hand, then with SGD's weight_decay option, which
gives the same weights as the penalty."""

import torch

torch.manual_seed(0)
n_train, num_inputs, batch_size = 20, 50, 5
true_w, true_b = torch.ones((num_inputs, 1)) * 0.01, 0.05
X = torch.randn(n_train, num_inputs)
y = X @ true_w + true_b + 0.01 * torch.randn(n_train, 1)
X_test = torch.randn(40, num_inputs)
y_test = X_test @ true_w + true_b


def batches():
    for i in range(0, n_train, batch_size):
        yield X[i : i + batch_size], y[i : i + batch_size]


def l2_penalty(w):
    return torch.sum(w.pow(2)) / 2


def init_params():
    w = (0.1 * torch.randn(num_inputs, 1)).requires_grad_()
    b = torch.zeros(1, requires_grad=True)
    return w, b


def train(lambd):
    w, b = init_params()
    start = w.detach().clone()
    lr = 0.003
    for _ in range(40):
        for features, labels in batches():
            loss = ((features @ w + b - labels) ** 2 / 2).sum() + lambd * l2_penalty(w)
            loss.backward()
            with torch.no_grad():
                w -= lr * w.grad
                b -= lr * b.grad
                w.grad.zero_()
                b.grad.zero_()
    test_loss = ((X_test @ w + b - y_test) ** 2 / 2).mean().item()
    print(f"lambda {lambd}: L2 norm of w {torch.norm(w).item():.4f}, test loss {test_loss:.4f}")
    return start, w


train(0)
start, w_penalty = train(3)

# The same with the optimizer's weight_decay, from the same start.
w = start.clone().requires_grad_()
b = torch.zeros(1, requires_grad=True)
trainer = torch.optim.SGD([{"params": w, "weight_decay": 3}, {"params": b}], lr=0.003)
for _ in range(40):
    for features, labels in batches():
        trainer.zero_grad()
        ((features @ w + b - labels) ** 2 / 2).sum().backward()
        trainer.step()
print(f"weight_decay=3: L2 norm of w {torch.norm(w).item():.4f}")
print("same weights as the penalty:", torch.allclose(w, w_penalty, atol=1e-5))
