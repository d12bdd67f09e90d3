"""A custom autograd Function whose backward is itself differentiable (written with
differentiable tensor operations), so that second derivatives work: d/dx and d2/dx2 of
x^3, checked against the formulas 3x^2 and 6x and with gradcheck/gradgradcheck."""

import torch


class Cube(torch.autograd.Function):
    """y = x^3; dy/dx = 3 x^2, computed in backward from the saved input."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x**2


x = torch.tensor([-1.0, 0.5, 2.0], dtype=torch.float64, requires_grad=True)
y = Cube.apply(x)
print("y:", y)
(dy,) = torch.autograd.grad(y.sum(), x, create_graph=True)
print("dy/dx:", dy)
print("dy/dx requires grad:", dy.requires_grad, dy.grad_fn.name())
(d2y,) = torch.autograd.grad(dy.sum(), x)
print("d2y/dx2:", d2y)
print("matches 3x^2 and 6x:", torch.allclose(dy, 3 * x**2), torch.allclose(d2y, 6 * x))

# backward(create_graph=True) then a second backward: x.grad holds the sum of both.
x.grad = None
z = Cube.apply(x).sum()
z.backward(create_graph=True)
first = x.grad.detach().clone()
print("first derivative:", first)
x.grad.sum().backward()
print("after the second backward, x.grad - 3x^2 =", (x.grad - first).detach())

print("gradcheck:", torch.autograd.gradcheck(Cube.apply, (x,)))
print("gradgradcheck:", torch.autograd.gradgradcheck(Cube.apply, (x,)))
