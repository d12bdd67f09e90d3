"""The benchmark workloads, each written once for any torch-like module and once by hand in NumPy.

Every workload has these parts:

* ``setup(smoke)``: the data and the initial parameters, as float32 NumPy arrays made by a seeded
  generator. It is not timed. ``smoke=True`` gives tiny sizes for the smoke test.
* ``build(T, data)``: a :class:`Runner` for a torch-like module ``T`` (``torch`` or ``minigrad``),
  written with the API both share (``T.tensor``, ``@``, ``.relu()``, ``.backward()``, ``.grad``,
  ``T.no_grad()``, ``T.nn.functional.cross_entropy``, ...).
* ``build_numpy(data, dtype)``: the same computation with the forward and backward passes written
  by hand in NumPy: the least work any NumPy engine must do. With ``dtype=np.float64`` it is the
  reference every engine's numbers are checked against before timing.
* ``peers`` (W1, W2 and W2t): the same computation on the other NumPy engines, HIPS autograd
  (``"autograd"``) and MyGrad (``"mygrad"``), each with its own API, from the same
  data and initial parameters, in float32.

A :class:`Runner` has ``step()`` (the timed unit of work) and ``outputs()`` (one forward and
backward pass from the current parameters, returning the loss and the gradients as NumPy arrays,
with no parameter update). Call ``outputs()`` before ``step()`` to check the initial numbers.

>>> from workloads import WORKLOADS, build, check  # with benchmarks/ on sys.path
>>> w = WORKLOADS["W2t"]
>>> data = w.setup(smoke=True)
>>> errors = check(w, build(w, "numpy", data).outputs(), data)
>>> max(errors.values()) < w.tol
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import numpy as np

Data = dict[str, Any]
Outputs = dict[str, np.ndarray]


@dataclass
class Runner:
    """A prepared workload for one engine: ``step()`` is timed, ``outputs()`` is checked."""

    step: Callable[[], None]
    outputs: Callable[[], Outputs]


@dataclass
class Workload:
    """One row of the benchmark table."""

    id: str
    title: str
    goal: str
    setup: Callable[[bool], Data]
    build: Callable[[ModuleType, Data], Runner]
    build_numpy: Callable[[Data, type], Runner]
    tol: float  # largest accepted max|x - ref| / max|ref|, per output
    # the other NumPy engines ("autograd", "mygrad"): a builder from the data to a Runner
    peers: dict[str, Callable[[Data], Runner]] = field(default_factory=dict)


# -- helpers shared by the torch-like versions ---------------------------------------------------


def _leaf(T: ModuleType, array: np.ndarray) -> Any:
    """A leaf tensor that requires grad, holding a copy of ``array``."""
    return T.tensor(array.copy(), requires_grad=True)


def _const(T: ModuleType, array: np.ndarray) -> Any:
    return T.tensor(array.copy())


def _np(t: Any) -> np.ndarray:
    """A NumPy copy of a tensor's values."""
    return np.array(t.detach().numpy(), copy=True)


def _sgd(T: ModuleType, params: list[Any], lr: float) -> None:
    with T.no_grad():
        for p in params:
            p -= lr * p.grad
    for p in params:
        p.grad = None


def _grads_and_clear(params: list[Any], names: list[str]) -> Outputs:
    out = {f"d{name}": _np(p.grad) for name, p in zip(names, params, strict=True)}
    for p in params:
        p.grad = None
    return out


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _uniform(rng: np.random.Generator, bound: float, shape: tuple[int, ...]) -> np.ndarray:
    return rng.uniform(-bound, bound, size=shape).astype(np.float32)


# -- helpers shared by the other NumPy engines (HIPS autograd, MyGrad) ---------------------------
# They are imported inside the builders, so that this module (and run.py, which reports a missing
# engine) imports without them. Both are NumPy engines like minigrad: HIPS autograd traces a
# function of NumPy arrays (``autograd.numpy``) and returns the gradient of its result with
# ``autograd.grad``; MyGrad records operations on ``mygrad.Tensor`` and fills ``.grad`` on
# ``backward()``, as PyTorch does.


def _relu_autograd(z: Any) -> Any:
    """ReLU for HIPS autograd, as a mask product.

    autograd's gradients of ``anp.maximum`` (a float64 mask) and ``anp.mean`` (float64 ones) are
    float64: with them, the rest of its backward pass, the large matrix products included, would
    run in float64 (W2's step took 2.2 times as long). Written as a mask product, and the mean as a
    sum divided by a count, autograd stays float32 like the other engines.
    """
    return z * (z > 0)


def _sgd_arrays(params: list[np.ndarray], grads: list[np.ndarray], lr: np.float32) -> None:
    """HIPS autograd's parameters are plain arrays: the SGD update in place."""
    for p, g in zip(params, grads, strict=True):
        p -= lr * g


def _autograd_runner(
    loss_fn: Callable[[list[Any]], Any], params: list[np.ndarray], names: list[str], lr: Any
) -> Runner:
    """A HIPS autograd runner: SGD on the parameter arrays, and the loss and gradients by name."""
    from autograd import grad, value_and_grad

    grads_of, loss_and_grads = grad(loss_fn), value_and_grad(loss_fn)

    def step() -> None:
        _sgd_arrays(params, grads_of(params), lr)

    def outputs() -> Outputs:
        loss, grads = loss_and_grads(params)
        return {"loss": np.array(loss), **{f"d{n}": g for n, g in zip(names, grads, strict=True)}}

    return Runner(step, outputs)


def _sgd_mygrad(params: list[Any], lr: np.float32) -> None:
    """SGD for MyGrad: update the underlying array ``.data`` in place (MyGrad does not track it, as
    the torch-like versions update under ``no_grad``), then clear the gradient.

    (MyGrad would also clear a tensor's gradient when the tensor enters a new operation.)
    """
    for p in params:
        p.data -= lr * p.grad
        p.null_grad()


def _mygrad_outputs(loss: Any, params: list[Any], names: list[str]) -> Outputs:
    loss.backward()
    out = {"loss": np.array(loss.item())}
    for name, p in zip(names, params, strict=True):
        out[f"d{name}"] = np.array(p.grad, copy=True)
        p.null_grad()
    return out


# -- W1: a chain of 1,000 elementwise ops on a 10-element vector ---------------------------------
# The ops cycle add-constant, mul-constant, tanh. The constants keep the values near tanh's
# linear part so that the gradient after 1,000 ops is still far from zero (a meaningful check);
# they are exact in float32 (2**-10 and 1 + 2**-10), so float32 and float64 use the same ones.
W1_ADD = 0.0009765625
W1_MUL = 1.0009765625


def w1_setup(smoke: bool) -> Data:
    rng = _rng(1)
    return {"x": rng.standard_normal(10).astype(np.float32), "n_ops": 30 if smoke else 1000}


def w1_forward(x: Any, n_ops: int) -> Any:
    """The chain for any torch-like tensor ``x``: ``x + c``, ``x * c``, ``tanh``, repeated."""
    for i in range(n_ops):
        kind = i % 3
        if kind == 0:
            x = x + W1_ADD
        elif kind == 1:
            x = x * W1_MUL
        else:
            x = x.tanh()
    return x.sum()


def w1_build(T: ModuleType, data: Data) -> Runner:
    x = _leaf(T, data["x"])
    n_ops = data["n_ops"]

    def step() -> None:
        w1_forward(x, n_ops).backward()
        x.grad = None

    def outputs() -> Outputs:
        loss = w1_forward(x, n_ops)
        loss.backward()
        out = {"loss": np.array(loss.item()), "dx": _np(x.grad)}
        x.grad = None
        return out

    return Runner(step, outputs)


def w1_build_numpy(data: Data, dtype: type = np.float32) -> Runner:
    x = data["x"].astype(dtype)
    n_ops = data["n_ops"]
    add, mul = dtype(W1_ADD), dtype(W1_MUL)

    def forward_backward() -> tuple[np.ndarray, np.ndarray]:
        y = x
        tanh_outputs = []  # the only values the backward pass needs
        for i in range(n_ops):
            kind = i % 3
            if kind == 0:
                y = y + add
            elif kind == 1:
                y = y * mul
            else:
                y = np.tanh(y)
                tanh_outputs.append(y)
        loss = y.sum()
        grad = np.ones_like(x)
        for i in reversed(range(n_ops)):
            kind = i % 3
            if kind == 1:
                grad = grad * mul
            elif kind == 2:
                t = tanh_outputs.pop()
                grad = grad * (1 - t * t)
        return loss, grad

    def step() -> None:
        forward_backward()

    def outputs() -> Outputs:
        loss, grad = forward_backward()
        return {"loss": np.array(loss), "dx": grad.copy()}

    return Runner(step, outputs)


# MyGrad turns a Python number into a float64 array, which makes float32 arithmetic float64 (PyTorch
# and minigrad treat a Python number as having the tensor's dtype): its versions use the constants
# as float32 NumPy scalars, the same values (W1's are exact in float32), and stay float32.


def w1_build_autograd(data: Data) -> Runner:
    import autograd.numpy as anp
    from autograd import value_and_grad

    x = data["x"].copy()
    n_ops = data["n_ops"]

    def chain(x: Any) -> Any:
        for i in range(n_ops):
            kind = i % 3
            if kind == 0:
                x = x + W1_ADD
            elif kind == 1:
                x = x * W1_MUL
            else:
                x = anp.tanh(x)
        return anp.sum(x)

    loss_and_grad = value_and_grad(chain)

    def step() -> None:
        loss_and_grad(x)

    def outputs() -> Outputs:
        loss, dx = loss_and_grad(x)
        return {"loss": np.array(loss), "dx": np.array(dx, copy=True)}

    return Runner(step, outputs)


def w1_build_mygrad(data: Data) -> Runner:
    import mygrad as mg

    x = mg.tensor(data["x"].copy())
    n_ops = data["n_ops"]
    add, mul = np.float32(W1_ADD), np.float32(W1_MUL)

    def chain() -> Any:
        y = x
        for i in range(n_ops):
            kind = i % 3
            if kind == 0:
                y = y + add
            elif kind == 1:
                y = y * mul
            else:
                y = mg.tanh(y)
        return y.sum()

    def step() -> None:
        chain().backward()
        x.null_grad()

    def outputs() -> Outputs:
        return _mygrad_outputs(chain(), [x], ["x"])

    return Runner(step, outputs)


# -- W2: MLP 784 -> 128 ReLU -> 10, batch 64, softmax cross-entropy, SGD ---------------------------
W2_LR = 0.05
W2_NAMES = ["W1", "b1", "W2", "b2"]


def w2_setup(smoke: bool) -> Data:
    n_in, n_hidden, n_out, batch = (32, 16, 10, 8) if smoke else (784, 128, 10, 64)
    rng = _rng(2)
    b_in, b_hidden = 1 / np.sqrt(n_in), 1 / np.sqrt(n_hidden)  # torch.nn.Linear's init bounds
    return {
        "X": rng.random((batch, n_in)).astype(np.float32),
        "y": rng.integers(0, n_out, size=batch).astype(np.int64),
        # weights are stored (in, out) so that the layer is x @ W + b
        "W1": _uniform(rng, b_in, (n_in, n_hidden)),
        "b1": _uniform(rng, b_in, (n_hidden,)),
        "W2": _uniform(rng, b_hidden, (n_hidden, n_out)),
        "b2": _uniform(rng, b_hidden, (n_out,)),
    }


def w2_build(T: ModuleType, data: Data) -> Runner:
    X, y = _const(T, data["X"]), _const(T, data["y"])
    W1, b1, W2, b2 = params = [_leaf(T, data[name]) for name in W2_NAMES]
    cross_entropy = T.nn.functional.cross_entropy

    def loss_fn() -> Any:
        h = (X @ W1 + b1).relu()
        return cross_entropy(h @ W2 + b2, y)

    def step() -> None:
        loss_fn().backward()
        _sgd(T, params, W2_LR)

    def outputs() -> Outputs:
        loss = loss_fn()
        loss.backward()
        return {"loss": np.array(loss.item()), **_grads_and_clear(params, W2_NAMES)}

    return Runner(step, outputs)


def w2_build_numpy(data: Data, dtype: type = np.float32) -> Runner:
    X, y = data["X"].astype(dtype), data["y"]
    W1, b1, W2, b2 = params = [data[name].astype(dtype) for name in W2_NAMES]
    rows = np.arange(len(y))
    lr = dtype(W2_LR)

    def forward_backward() -> tuple[Any, list[np.ndarray]]:
        z1 = X @ W1 + b1
        h = np.maximum(z1, 0)
        logits = h @ W2 + b2
        shifted = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        s = e.sum(axis=1, keepdims=True)
        loss = (np.log(s[:, 0]) - shifted[rows, y]).mean()
        # backward: d loss / d logits = (softmax - onehot) / batch
        dlogits = e / s
        dlogits[rows, y] -= 1
        dlogits /= len(y)
        dW2 = h.T @ dlogits
        db2 = dlogits.sum(axis=0)
        dz1 = (dlogits @ W2.T) * (z1 > 0)
        dW1 = X.T @ dz1
        db1 = dz1.sum(axis=0)
        return loss, [dW1, db1, dW2, db2]

    def step() -> None:
        _, grads = forward_backward()
        for p, g in zip(params, grads, strict=True):
            p -= lr * g

    def outputs() -> Outputs:
        loss, grads = forward_backward()
        return {
            "loss": np.array(loss),
            **{f"d{n}": g for n, g in zip(W2_NAMES, grads, strict=True)},
        }

    return Runner(step, outputs)


def w2_build_autograd(data: Data) -> Runner:
    import autograd.numpy as anp
    from autograd.tracer import getval

    X, y = data["X"], data["y"]
    params = [data[name].copy() for name in W2_NAMES]
    rows = np.arange(len(y))
    lr = np.float32(W2_LR)

    def loss_fn(params: list[Any]) -> Any:
        W1, b1, W2, b2 = params
        h = _relu_autograd(X @ W1 + b1)
        logits = h @ W2 + b2
        # log-softmax; the shift by the row maximum is a constant (its gradient is zero), as in the
        # hand-written version (autograd's own logsumexp needs SciPy)
        shifted = logits - np.max(getval(logits), axis=1, keepdims=True)
        log_probs = shifted - anp.log(anp.sum(anp.exp(shifted), axis=1, keepdims=True))
        return -anp.sum(log_probs[rows, y]) / len(y)  # the mean (see _relu_autograd)

    return _autograd_runner(loss_fn, params, W2_NAMES, lr)


def w2_build_mygrad(data: Data) -> Runner:
    import mygrad as mg
    from mygrad.nnet.activations import relu
    from mygrad.nnet.losses import softmax_crossentropy

    X, y = data["X"], data["y"]  # NumPy arrays are constants to MyGrad
    W1, b1, W2, b2 = params = [mg.tensor(data[name].copy()) for name in W2_NAMES]
    lr = np.float32(W2_LR)

    def loss_fn() -> Any:
        h = relu(X @ W1 + b1)
        return softmax_crossentropy(h @ W2 + b2, y)  # the mean over the batch, as PyTorch's

    def step() -> None:
        loss_fn().backward()
        _sgd_mygrad(params, lr)

    def outputs() -> Outputs:
        return _mygrad_outputs(loss_fn(), params, W2_NAMES)

    return Runner(step, outputs)


# -- W2t: micrograd's demo, MLP 2 -> 16 -> 16 -> 1 on two moons, hinge loss + L2 -------------------
W2T_LR = 0.1
W2T_ALPHA = 1e-4
W2T_NAMES = ["W1", "b1", "W2", "b2", "W3", "b3"]


def two_moons(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (as sklearn's ``make_moons``), labels -1 and +1.

    >>> X, y = two_moons(10, 0.1, np.random.default_rng(0))
    >>> X.shape, y.shape, sorted(set(y.tolist()))
    ((10, 2), (10,), [-1.0, 1.0])
    """
    n_outer = n // 2
    n_inner = n - n_outer
    t_outer = np.linspace(0, np.pi, n_outer)
    t_inner = np.linspace(0, np.pi, n_inner)
    X = np.concatenate(
        [
            np.stack([np.cos(t_outer), np.sin(t_outer)], axis=1),
            np.stack([1 - np.cos(t_inner), 0.5 - np.sin(t_inner)], axis=1),
        ]
    )
    X = X + rng.normal(scale=noise, size=X.shape)
    y = np.concatenate([-np.ones(n_outer), np.ones(n_inner)])
    return X.astype(np.float32), y.astype(np.float32)


def w2t_setup(smoke: bool) -> Data:
    rng = _rng(3)
    X, y = two_moons(20 if smoke else 100, 0.1, rng)
    sizes = [2, 16, 16, 1]
    data: Data = {"X": X, "y": y[:, None]}
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
        data[f"W{k}"] = _uniform(rng, 1.0, (n_in, n_out))  # micrograd's init: uniform(-1, 1)
        data[f"b{k}"] = _uniform(rng, 1.0, (n_out,))
    return data


def w2t_build(T: ModuleType, data: Data) -> Runner:
    X, y = _const(T, data["X"]), _const(T, data["y"])
    W1, b1, W2, b2, W3, b3 = params = [_leaf(T, data[name]) for name in W2T_NAMES]

    def loss_fn() -> Any:
        h1 = (X @ W1 + b1).relu()
        h2 = (h1 @ W2 + b2).relu()
        scores = h2 @ W3 + b3
        data_loss = (1 - y * scores).relu().mean()
        reg = (params[0] * params[0]).sum()
        for p in params[1:]:
            reg = reg + (p * p).sum()
        return data_loss + W2T_ALPHA * reg

    def step() -> None:
        loss_fn().backward()
        _sgd(T, params, W2T_LR)

    def outputs() -> Outputs:
        loss = loss_fn()
        loss.backward()
        return {"loss": np.array(loss.item()), **_grads_and_clear(params, W2T_NAMES)}

    return Runner(step, outputs)


def w2t_build_numpy(data: Data, dtype: type = np.float32) -> Runner:
    X, y = data["X"].astype(dtype), data["y"].astype(dtype)
    W1, b1, W2, b2, W3, b3 = params = [data[name].astype(dtype) for name in W2T_NAMES]
    lr, alpha = dtype(W2T_LR), dtype(W2T_ALPHA)

    def forward_backward() -> tuple[Any, list[np.ndarray]]:
        z1 = X @ W1 + b1
        h1 = np.maximum(z1, 0)
        z2 = h1 @ W2 + b2
        h2 = np.maximum(z2, 0)
        scores = h2 @ W3 + b3
        margins = 1 - y * scores
        reg = sum((p * p).sum() for p in params)
        loss = np.maximum(margins, 0).mean() + alpha * reg
        # backward
        dscores = -y * (margins > 0) / len(y)
        dW3 = h2.T @ dscores
        db3 = dscores.sum(axis=0)
        dz2 = (dscores @ W3.T) * (z2 > 0)
        dW2 = h1.T @ dz2
        db2 = dz2.sum(axis=0)
        dz1 = (dz2 @ W2.T) * (z1 > 0)
        dW1 = X.T @ dz1
        db1 = dz1.sum(axis=0)
        grads = [dW1, db1, dW2, db2, dW3, db3]
        return loss, [g + 2 * alpha * p for g, p in zip(grads, params, strict=True)]

    def step() -> None:
        _, grads = forward_backward()
        for p, g in zip(params, grads, strict=True):
            p -= lr * g

    def outputs() -> Outputs:
        loss, grads = forward_backward()
        return {
            "loss": np.array(loss),
            **{f"d{n}": g for n, g in zip(W2T_NAMES, grads, strict=True)},
        }

    return Runner(step, outputs)


def w2t_build_autograd(data: Data) -> Runner:
    import autograd.numpy as anp

    X, y = data["X"], data["y"]
    params = [data[name].copy() for name in W2T_NAMES]
    lr = np.float32(W2T_LR)

    def loss_fn(params: list[Any]) -> Any:
        W1, b1, W2, b2, W3, b3 = params
        h1 = _relu_autograd(X @ W1 + b1)
        h2 = _relu_autograd(h1 @ W2 + b2)
        scores = h2 @ W3 + b3
        data_loss = anp.sum(_relu_autograd(1 - y * scores)) / len(y)  # the mean
        reg = anp.sum(params[0] * params[0])
        for p in params[1:]:
            reg = reg + anp.sum(p * p)
        return data_loss + W2T_ALPHA * reg

    return _autograd_runner(loss_fn, params, W2T_NAMES, lr)


def w2t_build_mygrad(data: Data) -> Runner:
    import mygrad as mg
    from mygrad.nnet.activations import relu

    X, y = data["X"], data["y"]  # NumPy arrays are constants to MyGrad
    W1, b1, W2, b2, W3, b3 = params = [mg.tensor(data[name].copy()) for name in W2T_NAMES]
    one, alpha, lr = np.float32(1), np.float32(W2T_ALPHA), np.float32(W2T_LR)  # (see W1)

    def loss_fn() -> Any:
        h1 = relu(X @ W1 + b1)
        h2 = relu(h1 @ W2 + b2)
        scores = h2 @ W3 + b3
        data_loss = relu(one - y * scores).mean()
        reg = (params[0] * params[0]).sum()
        for p in params[1:]:
            reg = reg + (p * p).sum()
        return data_loss + alpha * reg

    def step() -> None:
        loss_fn().backward()
        _sgd_mygrad(params, lr)

    def outputs() -> Outputs:
        return _mygrad_outputs(loss_fn(), params, W2T_NAMES)

    return Runner(step, outputs)


# -- W3: 100,000 chained scalar ops, x = x * 1.0001 + 0.0001 -------------------------------------
# 100,000 ops are 50,000 repetitions of the statement (one mul and one add each).
W3_MUL = 1.0001
W3_ADD = 0.0001


def w3_setup(smoke: bool) -> Data:
    # the smoke size is still deeper than the default recursion limit (1,000)
    return {"x": np.array(1.0, dtype=np.float32), "n_ops": 3_000 if smoke else 100_000}


def w3_build(T: ModuleType, data: Data) -> Runner:
    x0 = _leaf(T, data["x"])
    repeats = data["n_ops"] // 2

    def forward() -> Any:
        x = x0
        for _ in range(repeats):
            x = x * W3_MUL + W3_ADD
        return x

    def step() -> None:
        forward().backward()
        x0.grad = None

    def outputs() -> Outputs:
        y = forward()
        y.backward()
        out = {"loss": np.array(y.item()), "dx": _np(x0.grad)}
        x0.grad = None
        return out

    return Runner(step, outputs)


def w3_build_numpy(data: Data, dtype: type = np.float32) -> Runner:
    x0 = dtype(data["x"])
    mul, add = dtype(np.float32(W3_MUL)), dtype(np.float32(W3_ADD))  # as float32 sees them
    repeats = data["n_ops"] // 2

    def forward_backward() -> tuple[Any, Any]:
        x = x0
        for _ in range(repeats):
            x = x * mul + add
        grad = dtype(1.0)
        for _ in range(repeats):  # the backward of each mul node; an add passes grad through
            grad = grad * mul
        return x, grad

    def step() -> None:
        forward_backward()

    def outputs() -> Outputs:
        y, grad = forward_backward()
        return {"loss": np.array(y), "dx": np.array(grad)}

    return Runner(step, outputs)


# -- W4: (2048 x 2048) @ (2048 x 2048) float32, forward and backward ------------------------------


def w4_setup(smoke: bool) -> Data:
    n = 64 if smoke else 2048
    rng = _rng(4)
    return {name: rng.standard_normal((n, n), dtype=np.float32) for name in ["A", "B", "G"]}


def w4_build(T: ModuleType, data: Data) -> Runner:
    A, B = _leaf(T, data["A"]), _leaf(T, data["B"])
    G = _const(T, data["G"])  # the gradient of some loss with respect to A @ B

    def step() -> None:
        (A @ B).backward(G)
        A.grad = None
        B.grad = None

    def outputs() -> Outputs:
        C = A @ B
        C.backward(G)
        out = {"C": _np(C), "dA": _np(A.grad), "dB": _np(B.grad)}
        A.grad = None
        B.grad = None
        return out

    return Runner(step, outputs)


def w4_build_numpy(data: Data, dtype: type = np.float32) -> Runner:
    A, B, G = (data[name].astype(dtype) for name in ["A", "B", "G"])

    def forward_backward() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        C = A @ B
        return C, G @ B.T, A.T @ G

    def step() -> None:
        forward_backward()

    def outputs() -> Outputs:
        C, dA, dB = forward_backward()
        return {"C": C, "dA": dA, "dB": dB}

    return Runner(step, outputs)


# -- the table -----------------------------------------------------------------------------------

# W1, W2 and W2t also run on the other NumPy engines (Workload.peers); their goal is to beat them.
PEER_GOAL = "faster than every other NumPy engine (HIPS autograd, MyGrad)"

WORKLOADS: dict[str, Workload] = {
    w.id: w
    for w in [
        Workload(
            "W1",
            "chain of 1,000 elementwise ops (add, mul, tanh) on a 10-element vector, sum, backward",
            PEER_GOAL,
            w1_setup,
            w1_build,
            w1_build_numpy,
            1e-4,
            {"autograd": w1_build_autograd, "mygrad": w1_build_mygrad},
        ),
        Workload(
            "W2",
            "MLP 784→128 ReLU→10, batch 64, cross-entropy, backward, SGD step",
            PEER_GOAL,
            w2_setup,
            w2_build,
            w2_build_numpy,
            1e-4,
            {"autograd": w2_build_autograd, "mygrad": w2_build_mygrad},
        ),
        Workload(
            "W2t",
            "MLP 2→16→16→1 on 100 two-moons points, hinge loss + L2, SGD step",
            PEER_GOAL,
            w2t_setup,
            w2t_build,
            w2t_build_numpy,
            1e-4,
            {"autograd": w2t_build_autograd, "mygrad": w2t_build_mygrad},
        ),
        Workload(
            "W3",
            "100,000 chained scalar ops (x = x * 1.0001 + 0.0001), backward",
            "completes at the default recursion limit; at or below PyTorch",
            w3_setup,
            w3_build,
            w3_build_numpy,
            1e-3,
        ),
        Workload(
            "W4",
            "(2048×2048) @ (2048×2048) float32, forward and backward",
            "≤ 1.05× hand-written NumPy",
            w4_setup,
            w4_build,
            w4_build_numpy,
            1e-4,
        ),
    ]
}

# W5 and NB are measured by run.py: W5 runs W2's runner for 1,000 steps with the garbage collector
# off and reads the resident set size; NB executes every notebook in a fresh kernel.
EXTRA_ROWS = {
    "W5": (
        "W2 for 1,000 steps with the garbage collector off",
        "RSS flat; peak ≤ 1.5× hand-written NumPy's",
    ),
    "NB": ("every notebook executed in a fresh kernel", "≤ 60 s in total"),
}


def build(workload: Workload, engine: str | ModuleType, data: Data) -> Runner:
    """A runner for ``engine``: a torch-like module, ``"numpy"`` (hand-written, float32), or one of
    the other NumPy engines the workload has (``"autograd"``, ``"mygrad"``: ``workload.peers``).
    """
    if isinstance(engine, str):
        if engine == "numpy":
            return workload.build_numpy(data, np.float32)
        if engine in workload.peers:
            return workload.peers[engine](data)
        known = ["numpy", *workload.peers]
        raise ValueError(
            f"{workload.id}: engine must be a module or one of {known}, got {engine!r}"
        )
    return workload.build(engine, data)


def reference(workload: Workload, data: Data) -> Outputs:
    """The float64 reference outputs: the hand-written NumPy version run in float64."""
    return workload.build_numpy(data, np.float64).outputs()


def check(
    workload: Workload, outputs: Outputs, data: Data, ref: Outputs | None = None
) -> dict[str, float]:
    """For each output, ``max|x - ref| / max|ref|`` against the float64 reference.

    Raises ``ValueError`` if the outputs do not have the reference's names and shapes.
    """
    ref = reference(workload, data) if ref is None else ref
    if sorted(outputs) != sorted(ref):
        raise ValueError(f"{workload.id}: outputs {sorted(outputs)} != reference {sorted(ref)}")
    errors = {}
    for name, expected in ref.items():
        got = np.asarray(outputs[name], dtype=np.float64)
        if got.shape != expected.shape:
            raise ValueError(
                f"{workload.id}: {name} has shape {got.shape}, expected {expected.shape}"
            )
        scale = float(np.max(np.abs(expected))) if expected.size else 0.0
        diff = float(np.max(np.abs(got - expected))) if expected.size else 0.0
        errors[name] = diff / scale if scale > 0 else diff
        if not np.all(np.isfinite(got)):
            errors[name] = float("inf")
    return errors
