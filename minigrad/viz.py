"""Drawing the backward graph, the way torchviz does, for minigrad and PyTorch alike.

Every differentiable operation leaves a node behind (``z.grad_fn``); ``next_functions``
links each node to the nodes that made its inputs, and a leaf that requires grad ends in
an ``AccumulateGrad`` node whose ``.variable`` is the leaf. :func:`make_dot` walks these
links (duck-typed: the same walk reads a minigrad graph and a PyTorch graph) and returns
a :class:`Drawing`, a ``graphviz.Digraph``. The conventions are torchviz's:

* arrows point the way the forward computation went, from the leaves to the output
  (gradients travel against them); the step-by-step drawings of :func:`draw_step` point them
  the other way, the way each gradient travels;
* grey boxes: backward nodes, labelled with their class name (``AddBackward0``);
* light blue: leaves that require grad, labelled with their name from ``params`` (matched
  by identity) and their shape, e.g. ``w`` over ``(5, 3)``;
* orange: tensors a node saved for backward (``show_saved=True``), joined to their node
  by a dashed line without arrow; ``show_attrs=True`` lists a node's saved values;
* green: the output tensor(s) ``var`` (a tensor, or a tuple of tensors).

Beyond torchviz: a tensor of ``params`` (or ``names``) that is not a leaf is drawn beside the
node that made it, and a named output carries its name; ``show_data=True`` writes each drawn
tensor's values into its box and ``show_grads=True`` each leaf's ``.grad`` (and that of a
drawn non-leaf that called ``retain_grad()``), as micrograd's drawings do; one font is used
throughout, and a drawing is at most 7 inches wide (``rankdir="LR"`` lays it out from left to
right); node ids come from the order of the walk
(``n0``, ``n1``, ...), so the DOT text is the same byte for byte from run to run; the walk
uses an explicit stack, so a chain of 20,000 operations draws at the default recursion
limit. :func:`backward_steps`, :func:`steps_table` and :func:`draw_step` replay a backward
pass node by node, in the order the engine runs them.

>>> import minigrad
>>> from minigrad.viz import make_dot
>>> x = minigrad.ones(5)
>>> w = minigrad.ones(5, 3, requires_grad=True)
>>> b = minigrad.zeros(3, requires_grad=True)
>>> z = minigrad.matmul(x, w) + b
>>> dot = make_dot(z, params={"w": w, "b": b})
>>> for statement in dot.body:
...     print(statement.strip())
n0 [label="\\n (3)" fillcolor=darkolivegreen1]
n1 -> n0
n1 [label=AddBackward0]
n2 -> n1
n3 -> n1
n2 [label=SqueezeBackward4]
n4 -> n2
n4 [label=MmBackward0]
n5 -> n4
n5 [label=AccumulateGrad]
n6 [label="w\\n (5, 3)" fillcolor=lightblue]
n6 -> n5
n3 [label=AccumulateGrad]
n7 [label="b\\n (3)" fillcolor=lightblue]
n7 -> n3

In Jupyter the last expression of a cell, ``dot``, shows as a picture. Elsewhere, save it
with graphviz's own API (this needs the ``dot`` program of Graphviz)::

    dot.render("graph", format="svg")  # writes graph (the DOT text) and graph.svg
    dot.render("graph", format="png")  # graph.png; format="pdf" gives graph.pdf
    dot.view()  # render and open in the system's viewer
    svg_text = dot.pipe(format="svg", encoding="utf-8")

Without the ``dot`` program Jupyter shows the DOT text and how to install Graphviz
(``apt-get install graphviz``, ``brew install graphviz`` or
``conda install -c conda-forge python-graphviz``); ``render`` and ``pipe`` raise
:class:`GraphvizNotFoundError` saying the same.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

try:
    import graphviz
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "minigrad.viz needs the graphviz Python package: pip install graphviz "
        "(or pip install 'minigrad[notebooks]')"
    ) from error

__all__ = [
    "EDGE_ATTR",
    "FONT",
    "INSTALL_HINT",
    "MAX_WIDTH_INCHES",
    "NODE_ATTR",
    "Drawing",
    "GraphvizNotFoundError",
    "Step",
    "backward_steps",
    "draw_step",
    "make_dot",
    "steps_table",
]

INSTALL_HINT = (
    "Graphviz's `dot` program was not found on PATH; install it with "
    "`apt-get install graphviz`, `brew install graphviz` or "
    "`conda install -c conda-forge python-graphviz`."
)

#: One font for every text of a drawing: nodes, edge labels, step labels.
FONT = "monospace"
#: Graphviz's attributes of every node box.
NODE_ATTR = {
    "style": "filled",
    "shape": "box",
    "align": "left",
    "fontsize": "10",
    "ranksep": "0.1",
    "height": "0.2",
    "fontname": FONT,
}
#: Graphviz's attributes of every edge.
EDGE_ATTR = {"fontname": FONT, "fontsize": "9"}
# A drawing is at most this many inches wide (Graphviz scales a wider one down): 7 in is 504 pt,
# 672 CSS pixels, which fits the cells of a 1000-pixel-wide JupyterLab page.
MAX_WIDTH_INCHES = 7
OUTPUT_COLOR = "darkolivegreen1"
LEAF_COLOR = "lightblue"
SAVED_COLOR = "orange"
NAMED_COLOR = "darkolivegreen3"  # a named tensor that is not a leaf
SAVED_PREFIX = "_saved_"
SMALL_GRAD = 6  # gradients and values with at most this many elements are written out in full


class GraphvizNotFoundError(RuntimeError):
    """Rendering needs Graphviz's ``dot`` program and it is not installed."""


class Drawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` that explains, instead of failing, when ``dot`` is missing.

    >>> d = Drawing()
    >>> d.node("n0", "x")
    >>> d.body
    ['\\tn0 [label=x]\\n']
    """

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except (GraphvizNotFoundError, graphviz.ExecutableNotFound):
            return {"text/plain": f"{INSTALL_HINT}\n\n{self.source}"}

    def render(self, *args: Any, **kwargs: Any) -> Any:
        """Save the drawing: ``render("graph", format="svg")`` writes ``graph.svg``."""
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            raise GraphvizNotFoundError(INSTALL_HINT) from error

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        """The rendered drawing as bytes (or text, given ``encoding``)."""
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            raise GraphvizNotFoundError(INSTALL_HINT) from error


# -- reading tensors and nodes (duck-typed) ---------------------------------------------


def _is_tensor(value: Any) -> bool:
    return all(hasattr(value, a) for a in ("grad_fn", "requires_grad", "shape"))


def _size_text(tensor: Any) -> str:
    return "(" + ", ".join(str(int(n)) for n in tuple(tensor.shape)) + ")"


def _to_numpy(tensor: Any) -> np.ndarray:
    tensor = tensor.detach()
    if hasattr(tensor, "cpu"):
        tensor = tensor.cpu()
    return np.asarray(tensor.numpy())


def _format_grad(grad: Any, digits: int = 2) -> str:
    """``[0.22, 0.18]`` for a small gradient, ``shape (5, 3), min .., max ..`` for a big one."""
    if grad is None:
        return "None"
    array = _to_numpy(grad)
    number = f"{{:.{digits}g}}".format
    if array.size <= SMALL_GRAD:
        text = np.array2string(array, separator=", ", formatter={"all": lambda v: number(float(v))})
        return " ".join(text.split())
    shape = "(" + ", ".join(str(n) for n in array.shape) + ")"
    return f"shape {shape}, min {number(float(array.min()))}, max {number(float(array.max()))}"


def _grad_line(tensor: Any) -> str:
    grad = tensor.grad
    if grad is not None and grad.detach().numel() > SMALL_GRAD:
        return f"grad: {_format_grad(grad)}"
    return f"grad={_format_grad(grad)}"


def _data_line(tensor: Any) -> str:
    """``data=0.2011`` for a small tensor, ``data: shape (5, 3), min .., max ..`` for a big one."""
    if tensor.detach().numel() > SMALL_GRAD:
        return f"data: {_format_grad(tensor, 4)}"
    return f"data={_format_grad(tensor, 4)}"


def _has_grad(tensor: Any) -> bool:
    """True when reading ``.grad`` is meaningful: a leaf, or a non-leaf that retains it."""
    return bool(tensor.is_leaf or getattr(tensor, "retains_grad", False))


def _saved_items(fn: Any) -> tuple[list[tuple[str, Any]], bool]:
    """A node's saved values as ``(name, value)`` pairs, and whether they were freed."""
    if hasattr(fn, "variable"):  # AccumulateGrad saves nothing
        return [], False
    method = getattr(fn, "saved_items", None)
    if callable(method):  # minigrad
        try:
            return list(method()), False
        except RuntimeError:
            return [], True
    names = [a for a in dir(fn) if a.startswith(SAVED_PREFIX)]  # PyTorch
    if hasattr(fn, "saved_tensors"):  # a custom torch.autograd.Function
        names.append("saved_tensors")
    items, freed = [], False
    for name in names:
        try:
            items.append((name.removeprefix(SAVED_PREFIX), getattr(fn, name)))
        except RuntimeError:
            freed = True
    return items, freed


def _saved_tensors(items: list[tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
    for name, value in items:
        if _is_tensor(value):
            yield name, value
        elif isinstance(value, (tuple, list)):
            for i, item in enumerate(value):
                if _is_tensor(item):
                    yield f"{name}[{i}]", item


def _attr_text(value: Any) -> str:
    if _is_tensor(value):
        return "[saved tensor]"
    if isinstance(value, (tuple, list)) and any(_is_tensor(v) for v in value):
        return "[saved tensors]"
    return str(value)


def _attr_table(title: str, items: list[tuple[str, Any]], max_chars: int) -> list[str]:
    """The node's name over a two-column table of its saved values, as torchviz writes it."""
    if not items:
        return [title]
    rows = [(name, _attr_text(value)) for name, value in items]
    width = min(max(len(v) for _, v in rows), max(max_chars, 3))
    key_width = max(len(k) for k, _ in rows)

    def cut(text: str) -> str:
        return text if len(text) <= width else text[: width - 3] + "..."

    lines = [f"{k:<{key_width}}: {cut(v):>{width}}" for k, v in rows]
    rule = "-" * max(key_width + width + 2, len(title))
    return [title, rule, *lines]


def _iter_nodes(roots: Sequence[Any]) -> Iterator[Any]:
    """Every node reachable from ``roots``, once, in depth-first preorder (explicit stack)."""
    stack = list(reversed(roots))
    seen: set[Any] = set()
    while stack:
        fn = stack.pop()
        if fn in seen:
            continue
        seen.add(fn)
        yield fn
        stack.extend(reversed([n for n, _ in fn.next_functions if n is not None]))


# -- the drawing --------------------------------------------------------------------------


@dataclasses.dataclass
class _Marks:
    """Extra decoration for :func:`draw_step`: node attributes and edge labels."""

    node_attrs: dict[Any, dict[str, str]] = dataclasses.field(default_factory=dict)
    edge_labels: dict[tuple[Any, int], str] = dataclasses.field(default_factory=dict)
    output_labels: dict[Any, str] = dataclasses.field(default_factory=dict)
    step_numbers: dict[Any, int] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class _Options:
    show_attrs: bool = False
    show_saved: bool = False
    max_attr_chars: int = 50
    show_grads: bool = False
    show_data: bool = False
    rankdir: str | None = None
    backward: bool = False  # arrows point the way gradients travel (draw_step)


class _Drawer:
    """Builds one drawing; ids ``n0``, ``n1``, ... are handed out in order of first use."""

    def __init__(self, params: Mapping[str, Any] | None, options: _Options, marks: _Marks):
        graph_attr = {"size": f"{MAX_WIDTH_INCHES},12", "fontname": FONT}
        if options.rankdir:
            graph_attr["rankdir"] = options.rankdir
        edge_attr = dict(EDGE_ATTR, dir="back") if options.backward else EDGE_ATTR
        self.dot = Drawing(node_attr=NODE_ATTR, edge_attr=edge_attr, graph_attr=graph_attr)
        self.options = options
        self.marks = marks
        self.ids: dict[Any, str] = {}
        self.count = 0
        self.names, self.named = _index_params(params or {})
        self.output_ids: set[int] = set()

    def fresh(self) -> str:
        self.count += 1
        return f"n{self.count - 1}"

    def id_of(self, fn: Any) -> str:
        if fn not in self.ids:
            self.ids[fn] = self.fresh()
        return self.ids[fn]

    def tensor(self, name: str, tensor: Any, color: str, grad: bool) -> str:
        lines = [name, f" {_size_text(tensor)}"]
        if self.options.show_data:
            lines.append(_data_line(tensor))
        if grad and self.options.show_grads and _has_grad(tensor):
            lines.append(_grad_line(tensor))
        node_id = self.fresh()
        self.dot.node(node_id, _label(lines), fillcolor=color)
        return node_id

    def output(self, tensor: Any) -> None:
        name = self.names.get(id(tensor), "")
        node_id = self.tensor(name, tensor, OUTPUT_COLOR, grad=True)
        fn = tensor.grad_fn
        if fn is not None:
            self.dot.edge(self.id_of(fn), node_id, **self.output_edge(fn))

    def output_edge(self, fn: Any) -> dict[str, str]:
        return _edge_label(self.marks.output_labels.get(fn))

    def function(self, fn: Any) -> None:
        fn_id = self.id_of(fn)
        items, freed = [], False
        if self.options.show_attrs or self.options.show_saved:
            items, freed = _saved_items(fn)
        self.dot.node(fn_id, _label(self.label(fn, items, freed)), **self.node_attrs(fn))
        if self.options.show_saved:
            self.saved(fn_id, items)
        self.leaf(fn, fn_id)
        for name, tensor in self.named.get(fn, ()):
            if id(tensor) in self.output_ids:  # already drawn, with its name, as an output
                continue
            beside = {"dir": "none", "style": "dotted"} if self.options.backward else {}
            self.dot.edge(fn_id, self.tensor(name, tensor, NAMED_COLOR, grad=True), **beside)
        for i, (child, _) in enumerate(fn.next_functions):
            if child is not None:
                self.dot.edge(self.id_of(child), fn_id, **self.edge_attrs(fn, i))

    def label(self, fn: Any, items: list[tuple[str, Any]], freed: bool) -> list[str]:
        lines = [type(fn).__name__]
        if fn in self.marks.step_numbers:
            lines = [f"step {self.marks.step_numbers[fn]}: {lines[0]}"]
        if self.options.show_attrs:
            lines = _attr_table(lines[0], items, self.options.max_attr_chars)
        return [*lines, "(freed)"] if freed else lines

    def node_attrs(self, fn: Any) -> dict[str, str]:
        return self.marks.node_attrs.get(fn, {})

    def edge_attrs(self, fn: Any, index: int) -> dict[str, str]:
        return _edge_label(self.marks.edge_labels.get((fn, index)))

    def saved(self, fn_id: str, items: list[tuple[str, Any]]) -> None:
        for name, tensor in _saved_tensors(items):
            node_id = self.tensor(name, tensor, SAVED_COLOR, grad=False)
            self.dot.edge(fn_id, node_id, dir="none", style="dashed")

    def leaf(self, fn: Any, fn_id: str) -> None:
        variable = getattr(fn, "variable", None)
        if variable is not None:
            name = self.names.get(id(variable), "")
            self.dot.edge(self.tensor(name, variable, LEAF_COLOR, grad=True), fn_id)

    def draw(self, outputs: Sequence[Any]) -> Drawing:
        self.output_ids = {id(tensor) for tensor in outputs}
        for tensor in outputs:
            self.output(tensor)
        for fn in _iter_nodes([t.grad_fn for t in outputs if t.grad_fn is not None]):
            self.function(fn)
        _resize(self.dot)
        return self.dot


def _label(lines: Sequence[str]) -> str:
    """A DOT label: each line escaped (backslashes, ``<...>``), joined by DOT's ``\\n``."""
    parts = [part for line in lines for part in line.split("\n")]
    return graphviz.nohtml("\\n".join(graphviz.escape(part) for part in parts))


def _edge_label(text: str | None) -> dict[str, str]:
    if text is None:
        return {}
    return {"label": _label([text])}


def _index_params(params: Mapping[str, Any]) -> tuple[dict[int, str], dict[Any, list]]:
    """Names by tensor identity, and the named non-leaf tensors grouped by their grad_fn."""
    names: dict[int, str] = {}
    named: dict[Any, list[tuple[str, Any]]] = {}
    for name, tensor in params.items():
        if not _is_tensor(tensor):
            raise TypeError(f"params[{name!r}] is not a tensor: {type(tensor).__name__}")
        names[id(tensor)] = str(name)
        if tensor.grad_fn is not None:
            named.setdefault(tensor.grad_fn, []).append((str(name), tensor))
    return names, named


def _resize(dot: Drawing, per_row: float = 0.15, minimum: float = 12) -> None:
    """Let the drawing's height grow with its number of statements, as torchviz does; its width
    stays at most :data:`MAX_WIDTH_INCHES`, so that it fits a notebook's page."""
    height = max(minimum, round(len(dot.body) * per_row, 2))
    dot.graph_attr["size"] = f"{MAX_WIDTH_INCHES},{height:g}"


def _outputs(var: Any) -> list[Any]:
    outputs = list(var) if isinstance(var, (tuple, list)) else [var]
    for i, tensor in enumerate(outputs):
        if not _is_tensor(tensor):
            raise TypeError(f"var[{i}] is not a tensor: {type(tensor).__name__}")
    return outputs


def make_dot(
    var: Any,
    params: Mapping[str, Any] | None = None,
    show_attrs: bool = False,
    show_saved: bool = False,
    max_attr_chars: int = 50,
    show_grads: bool = False,
    show_data: bool = False,
    names: Mapping[str, Any] | None = None,
    rankdir: str | None = None,
) -> Drawing:
    """Draw the backward graph that ends in ``var`` (a tensor or a tuple of tensors).

    ``params`` names tensors (``dict(model.named_parameters())`` works), and so does ``names``
    (the two are merged): a named output is labelled with its name, a named leaf too, and a
    named intermediate tensor is drawn beside the node that made it. ``show_attrs`` lists each
    node's saved values, ``show_saved`` draws its saved tensors, ``show_data`` writes each drawn
    tensor's values into its box and ``show_grads`` its ``.grad`` (leaves, and tensors that
    called ``retain_grad()``), as micrograd's drawings do. ``rankdir="LR"`` lays the graph out
    from left to right. Works on minigrad and on PyTorch tensors.

    Arrows point as torchviz draws them: from the leaves towards the output, the way the
    forward computation went (gradients travel against them; :func:`draw_step` draws them
    the other way round).

    >>> import minigrad
    >>> a = minigrad.ones(2, requires_grad=True)
    >>> for statement in make_dot((a * a).sum(), params={"a": a}).body:
    ...     print(statement.strip())
    n0 [label="\\n ()" fillcolor=darkolivegreen1]
    n1 -> n0
    n1 [label=SumBackward0]
    n2 -> n1
    n2 [label=MulBackward0]
    n3 -> n2
    n3 -> n2
    n3 [label=AccumulateGrad]
    n4 [label="a\\n (2)" fillcolor=lightblue]
    n4 -> n3
    """
    options = _Options(show_attrs, show_saved, max_attr_chars, show_grads, show_data, rankdir)
    merged = {**(params or {}), **(names or {})}
    return _Drawer(merged, options, _Marks()).draw(_outputs(var))


# -- the backward pass, step by step --------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Step:
    """One node run by the backward pass.

    ``grads_in``: the gradients flowing into the node, one per output of its forward;
    ``grads_out``: what it passes to each entry of ``node.next_functions`` (None: nothing).
    """

    index: int
    node: Any
    grads_in: tuple[Any, ...]
    grads_out: tuple[Any, ...]

    @property
    def name(self) -> str:
        """The node's class name, e.g. ``AddBackward0``."""
        return type(self.node).__name__


def _snapshot(grad: Any) -> Any:
    """A copy, so that a later in-place accumulation cannot change the record."""
    return None if grad is None else grad.detach().clone()


def backward_steps(var: Any, gradient: Any = None) -> list[Step]:
    """Run ``var.backward(gradient, retain_graph=True)`` and record each node as it runs.

    The leaves' ``.grad`` accumulate as in any backward pass.

    >>> import minigrad
    >>> a = minigrad.tensor([1.0, 2.0], requires_grad=True)
    >>> b = a + a
    >>> c = b + b
    >>> [s.name for s in backward_steps(c, minigrad.ones(2))]
    ['AddBackward0', 'AddBackward0', 'AccumulateGrad']
    """
    steps: list[Step] = []

    def observe(node: Any, grads_in: Sequence[Any], grads_out: Sequence[Any]) -> None:
        record = Step(len(steps), node, *(tuple(map(_snapshot, g)) for g in (grads_in, grads_out)))
        steps.append(record)

    _backward_with_hooks(var, gradient, observe)
    return steps


def _backward_with_hooks(var: Any, gradient: Any, observe: Any) -> None:
    """Run backward with a post-hook on every node (minigrad's or PyTorch's), removed afterwards."""
    roots = [] if var.grad_fn is None else [var.grad_fn]

    def hook_for(node: Any) -> Any:
        return lambda grad_inputs, grad_outputs: observe(node, grad_outputs, grad_inputs)

    handles = [node.register_hook(hook_for(node)) for node in _iter_nodes(roots)]
    try:
        var.backward(gradient, retain_graph=True)
    finally:
        for handle in handles:
            handle.remove()


def _step_rows(steps: Sequence[Step]) -> list[tuple[str, str, str, str]]:
    first_step: dict[Any, int] = {}
    for step in steps:
        first_step.setdefault(step.node, step.index)
    rows = []
    for step in steps:
        grads_in = "; ".join(_format_grad(g, 4) for g in step.grads_in)
        pairs = zip(step.node.next_functions, step.grads_out, strict=False)
        outs = [_passed(first_step, n, g) for (n, _), g in pairs]
        outs = outs or ["added to the leaf's .grad" if hasattr(step.node, "variable") else "-"]
        rows.append((str(step.index), step.name, grads_in, outs[0]))
        rows.extend(("", "", "", out) for out in outs[1:])
    return rows


def _passed(first_step: dict[Any, int], node: Any, grad: Any) -> str:
    if node is None:
        return f"{_format_grad(grad, 4)} -> (an input that needs no grad)"
    where = f"step {first_step[node]}" if node in first_step else "not run"
    return f"{_format_grad(grad, 4)} -> {type(node).__name__} ({where})"


def steps_table(steps: Sequence[Step]) -> str:
    """A plain-text table of a backward pass: one row per gradient a node passes on.

    >>> import minigrad
    >>> a = minigrad.tensor([1.0, 2.0], requires_grad=True)
    >>> c = (a + a) * 3
    >>> print(steps_table(backward_steps(c, minigrad.ones(2))))
    step  node            gradient in  gradient out -> to
       0  MulBackward0    [1, 1]       [3, 3] -> AddBackward0 (step 1)
                                       None -> (an input that needs no grad)
       1  AddBackward0    [3, 3]       [3, 3] -> AccumulateGrad (step 2)
                                       [3, 3] -> AccumulateGrad (step 2)
       2  AccumulateGrad  [6, 6]       added to the leaf's .grad
    """
    header = ("step", "node", "gradient in", "gradient out -> to")
    rows = _step_rows(steps)
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(3)]
    lines = []
    for r in [header, *rows]:
        step = r[0].ljust(widths[0]) if r is header else r[0].rjust(widths[0])
        lines.append(f"{step}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}".rstrip())
    return "\n".join(lines)


def draw_step(
    var: Any,
    steps: Sequence[Step],
    k: int,
    params: Mapping[str, Any] | None = None,
    rankdir: str | None = None,
) -> Drawing:
    """The graph of ``var`` after the first ``k + 1`` steps: step ``k``'s node highlighted.

    The arrows point the way the gradients travel, from the output to the leaves. Each node
    run so far carries its step number in its box; each edge a gradient crossed so far is
    labelled with that gradient.

    >>> import minigrad
    >>> a = minigrad.tensor([1.0, 2.0], requires_grad=True)
    >>> c = (a + a) * 3
    >>> steps = backward_steps(c, minigrad.ones(2))
    >>> "fillcolor=yellow" in draw_step(c, steps, 1).source
    True
    """
    k = range(len(steps))[k]
    marks = _Marks()
    for step in steps[: k + 1]:
        marks.step_numbers[step.node] = step.index
        for i, grad in enumerate(step.grads_out):
            if grad is not None:
                marks.edge_labels[(step.node, i)] = _format_grad(grad)
    marks.output_labels[steps[0].node] = "; ".join(_format_grad(g) for g in steps[0].grads_in)
    marks.node_attrs[steps[k].node] = {"color": "red", "penwidth": "2", "fillcolor": "yellow"}
    options = _Options(rankdir=rankdir, backward=True)
    return _Drawer(params, options, marks).draw(_outputs(var))
