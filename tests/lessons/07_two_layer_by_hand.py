"""A two-layer network, y = relu(x W1) W2, trained with gradients computed by hand (the
chain rule written out with matrix products), then the same gradients from autograd."""

import torch

torch.manual_seed(0)
N, D_in, H, D_out = 16, 8, 12, 3
x = torch.randn(N, D_in)
y = torch.randn(N, D_out)
w1 = torch.randn(D_in, H) * 0.5
w2 = torch.randn(H, D_out) * 0.5

learning_rate = 1e-3
for t in range(100):
    h = x.mm(w1)
    h_relu = h.clamp(min=0)
    y_pred = h_relu.mm(w2)
    loss = (y_pred - y).pow(2).sum()
    if t % 20 == 19:
        print(f"step {t + 1:3d}  loss {loss.item():.4f}")
    # Backward by hand.
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.t().mm(grad_y_pred)
    grad_h_relu = grad_y_pred.mm(w2.t())
    grad_h = grad_h_relu.clone()
    grad_h[h < 0] = 0
    grad_w1 = x.t().mm(grad_h)
    w1 -= learning_rate * grad_w1
    w2 -= learning_rate * grad_w2

# Autograd gives the same gradients.
w1a = w1.clone().requires_grad_()
w2a = w2.clone().requires_grad_()
loss = (x.mm(w1a).clamp(min=0).mm(w2a) - y).pow(2).sum()
loss.backward()
h = x.mm(w1)
grad_y_pred = 2.0 * (h.clamp(min=0).mm(w2) - y)
grad_w2 = h.clamp(min=0).t().mm(grad_y_pred)
grad_h = grad_y_pred.mm(w2.t())
grad_h[h < 0] = 0
grad_w1 = x.t().mm(grad_h)
print("w1 grads agree:", torch.allclose(w1a.grad, grad_w1, rtol=1e-4, atol=1e-5))
print("w2 grads agree:", torch.allclose(w2a.grad, grad_w2, rtol=1e-4, atol=1e-5))
print(f"final loss {loss.item():.4f}")
print("grad_fn chain:", loss.grad_fn.name(), loss.grad_fn.next_functions[0][0].name())
