"""Checking a gradient numerically: torch.autograd.gradcheck compares autograd's gradient with
central differences in float64, and catches a wrong backward."""

import torch


class GoodSquare(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return 2 * x * grad_output


class BadSquare(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return x * grad_output  # the factor 2 is missing


x = torch.tensor([0.3, -1.2, 2.0], dtype=torch.float64, requires_grad=True)
print("good:", torch.autograd.gradcheck(GoodSquare.apply, (x,)))
bad = torch.autograd.gradcheck(BadSquare.apply, (x,), raise_exception=False)
print("bad (raise_exception=False):", bad)
try:
    torch.autograd.gradcheck(BadSquare.apply, (x,))
except RuntimeError as error:
    print("bad raises:", str(error).splitlines()[0])

# Central differences by hand for the first entry.
eps = 1e-6
e0 = torch.tensor([eps, 0.0, 0.0], dtype=torch.float64)
numeric = ((x.detach() + e0) ** 2 - (x.detach() - e0) ** 2).sum() / (2 * eps)
print(f"numeric d/dx0: {numeric.item():.6f}, analytic: {2 * x[0].item():.6f}")
print("built-in ops pass too:", torch.autograd.gradcheck(lambda t: t.tanh() * t.exp(), (x,)))
