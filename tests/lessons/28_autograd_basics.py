"""The first autograd lesson (d2l 2.5 and the PyTorch tutorial): y = 2 x.x and its gradient
4x, a binary cross-entropy through a linear layer, grad_fn names, and the gradient of a
non-scalar output with an explicit vector."""

import torch

x = torch.arange(4.0, requires_grad=True)
print("x.grad before:", x.grad)
y = 2 * torch.dot(x, x)
print("y:", y)
y.backward()
print("x.grad:", x.grad, "== 4x:", (x.grad == 4 * x).all().item())

x.grad.zero_()
y = x.sum()
y.backward()
print("gradient of sum:", x.grad)

x.grad.zero_()
y = x * x
y.backward(gradient=torch.ones(len(y)))
print("gradient of x*x with ones:", x.grad)

inputs = torch.ones(5)
target = torch.zeros(3)
w = torch.tensor(
    [[0.1, -0.2, 0.3], [0.0, 0.5, -0.5], [0.2, 0.2, 0.2], [-0.3, 0.1, 0.0], [0.4, -0.4, 0.1]],
    requires_grad=True,
)
b = torch.tensor([0.1, 0.0, -0.1], requires_grad=True)
z = torch.matmul(inputs, w) + b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, target)
print(f"Gradient function for z = {z.grad_fn}")
print(f"Gradient function for loss = {loss.grad_fn}")
loss.backward()
print("w.grad:\n", w.grad)
print("b.grad:", b.grad)
