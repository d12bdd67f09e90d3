"""Gradient descent, momentum and Adam written by hand (d2l chapter 12) on
f(x1, x2) = 0.1 x1^2 + 2 x2^2, each compared with torch.optim's implementation from the
same starting point."""

import torch


def f(x):
    return 0.1 * x[0] ** 2 + 2 * x[1] ** 2


def descend(update, steps=20):
    x = torch.tensor([-5.0, -2.0], requires_grad=True)
    state = {}
    for t in range(1, steps + 1):
        (g,) = torch.autograd.grad(f(x), x)
        with torch.no_grad():
            x -= update(g, state, t)
    return x.detach()


def gd(g, state, t, lr=0.4):
    return lr * g


def momentum(g, state, t, lr=0.05, beta=0.5):
    state["v"] = beta * state.get("v", torch.zeros_like(g)) + g
    return lr * state["v"]


def adam(g, state, t, lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8):
    state["m"] = beta1 * state.get("m", torch.zeros_like(g)) + (1 - beta1) * g
    state["v"] = beta2 * state.get("v", torch.zeros_like(g)) + (1 - beta2) * g * g
    m_hat = state["m"] / (1 - beta1**t)
    v_hat = state["v"] / (1 - beta2**t)
    return lr * m_hat / (v_hat.sqrt() + eps)


def with_optimizer(make, steps=20):
    x = torch.tensor([-5.0, -2.0], requires_grad=True)
    optimizer = make([x])
    for _ in range(steps):
        optimizer.zero_grad()
        f(x).backward()
        optimizer.step()
    return x.detach()


cases = [
    ("gradient descent", gd, lambda p: torch.optim.SGD(p, lr=0.4)),
    ("momentum", momentum, lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.5)),
    ("adam", adam, lambda p: torch.optim.Adam(p, lr=0.1)),
]
for name, update, make in cases:
    by_hand = descend(update)
    library = with_optimizer(make)
    print(f"{name:16s} x = ({by_hand[0].item():.4f}, {by_hand[1].item():.4f})", end="  ")
    print(f"f = {f(by_hand).item():.5f}  optimizer agrees: {torch.allclose(by_hand, library)}")
