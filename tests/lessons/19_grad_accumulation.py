"""Gradients accumulate in .grad: summing the gradients of four micro-batches (each loss
scaled by its share) gives the gradient of the whole batch; zero_grad starts over."""

import torch

torch.manual_seed(0)
model = torch.nn.Linear(5, 2)
X = torch.randn(12, 5)
y = torch.randn(12, 2)
loss_fn = torch.nn.MSELoss()

model.zero_grad()
loss_fn(model(X), y).backward()
full = [p.grad.clone() for p in model.parameters()]
print("full-batch weight grad:\n", full[0])

model.zero_grad()
for i in range(0, len(X), 3):
    chunk_loss = loss_fn(model(X[i : i + 3]), y[i : i + 3])
    (chunk_loss * 3 / len(X)).backward()
accumulated = [p.grad for p in model.parameters()]
print("accumulated weight grad:\n", accumulated[0])
print("same:", all(torch.allclose(a, b, atol=1e-6) for a, b in zip(full, accumulated)))

optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
optimizer.zero_grad()
print("after zero_grad:", [p.grad for p in model.parameters()])

# Accumulating over steps on purpose: a step every second micro-batch.
for i in range(4):
    loss = loss_fn(model(X[3 * i : 3 * i + 3]), y[3 * i : 3 * i + 3]) / 2
    loss.backward()
    if i % 2 == 1:
        optimizer.step()
        optimizer.zero_grad()
        print(f"step after micro-batch {i}: bias {[round(v, 4) for v in model.bias.tolist()]}")
