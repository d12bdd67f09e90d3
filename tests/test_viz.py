"""minigrad.viz: drawing backward graphs, checked against PyTorch's graphs (the oracle).

Most tests read the DOT text, so they need no `dot` program; the rendering tests do use it.
The expected graph of each test is read straight from PyTorch's own ``grad_fn`` graph.
"""

import collections
import dataclasses
import doctest
import inspect
import re
import subprocess
import sys
import time
import warnings
from pathlib import Path

import graphviz
import numpy as np
import pytest
import torch
from IPython.core.formatters import DisplayFormatter

import minigrad
import minigrad.viz
from minigrad.viz import (
    INSTALL_HINT,
    Drawing,
    GraphvizNotFoundError,
    backward_steps,
    draw_step,
    make_dot,
    steps_table,
)

ROOT = Path(__file__).resolve().parents[1]
RNG = np.random.default_rng(0)
W0 = RNG.standard_normal((5, 3)).astype(np.float32)
B0 = RNG.standard_normal(3).astype(np.float32)


# -- reading DOT text ----------------------------------------------------------------------

NODE = re.compile(r"^\t(n\d+) \[(.*)\]$")
EDGE = re.compile(r"^\t(n\d+) -> (n\d+)(?: \[(.*)\])?$")
ATTR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|[^ "]+)')


def _unquote(value):
    if not value.startswith('"'):
        return value
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), value[1:-1])


def _attrs(text):
    return {k: _unquote(v) for k, v in ATTR.findall(text or "")}


@dataclasses.dataclass
class Graph:
    nodes: dict  # id -> attributes (label unescaped)
    edges: list  # (from id, to id, attributes)
    order: list  # ids in order of first appearance

    def label(self, node_id):
        return self.nodes[node_id]["label"]

    def color(self, node_id):
        return self.nodes[node_id].get("fillcolor", "grey")

    def labels(self, color):
        return sorted(self.label(n) for n in self.nodes if self.color(n) == color)

    def named_edges(self, **match):
        """The edges as (from label, to label) pairs, keeping those whose attributes match."""
        return collections.Counter(
            (self.label(a), self.label(b))
            for a, b, attrs in self.edges
            if all(attrs.get(k) == v for k, v in match.items())
        )


def parse(source):
    """Every statement of the drawing: node and edge lines only, nothing else is allowed."""
    nodes, edges, order, order_set = {}, [], [], set()
    lines = source.splitlines()
    assert lines[0] == "digraph {" and lines[-1] == "}"
    assert lines[3].startswith("\tedge ["), lines[3]  # graph, node and edge attributes
    for line in lines[4:-1]:
        edge, node = EDGE.match(line), NODE.match(line)
        assert edge or node, f"unexpected statement {line!r}"
        ids = edge.group(1, 2) if edge else (node.group(1),)
        order += [i for i in ids if i not in order_set]
        order_set.update(ids)
        if edge:
            edges.append((edge.group(1), edge.group(2), _attrs(edge.group(3))))
        else:
            assert node.group(1) not in nodes, f"node {node.group(1)} defined twice"
            nodes[node.group(1)] = _attrs(node.group(2))
    assert set(order) == set(nodes), "every node referenced is defined"
    return Graph(nodes, edges, order)


# -- the graphs, built with torch or with minigrad ------------------------------------------


def _tensor_label(tensor, names):
    name = next((k for k, v in names.items() if v is tensor), "")
    return f"{name}\n ({', '.join(str(n) for n in tensor.shape)})"


def reference(outputs, names):
    """What the drawing must show, read directly from a (PyTorch) graph.

    Returns the (from label, to label) edges and the number of distinct backward nodes.
    """
    edges = collections.Counter()
    stack, seen = [], set()
    for t in outputs:
        if t.grad_fn is not None:
            edges[(type(t.grad_fn).__name__, _tensor_label(t, names))] += 1
            stack.append(t.grad_fn)
    while stack:
        fn = stack.pop()
        if fn in seen:
            continue
        seen.add(fn)
        if hasattr(fn, "variable"):
            edges[(_tensor_label(fn.variable, names), type(fn).__name__)] += 1
        for child, _ in fn.next_functions:
            if child is not None:
                edges[(type(child).__name__, type(fn).__name__)] += 1
                stack.append(child)
    for tensor in names.values():
        is_output = any(tensor is t for t in outputs)  # an output is named in its own box
        if tensor.grad_fn in seen and not is_output:  # a named non-leaf hangs off its node
            edges[(type(tensor.grad_fn).__name__, _tensor_label(tensor, names))] += 1
    return edges, len(seen)


def tutorial(lib):
    """The PyTorch autograd tutorial's graph (fixed weights instead of randn)."""
    x, y = lib.ones(5), lib.zeros(3)
    w = lib.tensor(W0.tolist(), requires_grad=True)
    b = lib.tensor(B0.tolist(), requires_grad=True)
    z = lib.matmul(x, w) + b
    loss = lib.nn.functional.binary_cross_entropy_with_logits(z, y)
    return loss, {"w": w, "b": b, "z": z}


def d2l_dot(lib):
    x = lib.arange(4.0, requires_grad=True)
    return 2 * lib.dot(x, x), {"x": x}


def d2l_detach(lib):
    x = lib.arange(4.0, requires_grad=True)
    y = x * x
    u = y.detach()
    z = u * x
    return z.sum(), {"x": x}


def d2l_control_flow(lib):
    a = lib.tensor(0.4857, requires_grad=True)
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    c = b if b.sum() > 0 else 100 * b
    return c, {"a": a}


def jacobian(lib):
    inp = lib.eye(4, 5, requires_grad=True)
    return (inp + 1).pow(2).t().sum(), {"inp": inp}


def two_leaves(lib):
    x = lib.tensor(2.0, requires_grad=True)
    y = lib.tensor(3.0, requires_grad=True)
    return x * y + y**2, {"x": x, "y": y}


def two_outputs(lib):
    loss, names = tutorial(lib)
    return (names["z"], loss), {"w": names["w"], "b": names["b"]}


def repeated_input(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = a + a
    return b + b, {"a": a}


CASES = [tutorial, d2l_dot, d2l_detach, d2l_control_flow, jacobian, two_leaves, two_outputs]


def chain(lib, n):
    x = lib.ones(3, requires_grad=True)
    y = x
    for _ in range(n):
        y = y * 1.0
    return y, x


@pytest.fixture
def default_recursion_limit():
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)  # Python's default
    yield
    sys.setrecursionlimit(old)


# -- the drawing of PyTorch graphs -------------------------------------------------------------


def test_header_follows_torchviz_with_one_font_and_a_width_that_fits_the_page():
    loss, names = tutorial(torch)
    lines = make_dot(loss).source.splitlines()
    assert lines[1] == '\tgraph [fontname=monospace size="7,12"]'
    assert lines[2] == (
        "\tnode [align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 "
        "shape=box style=filled]"
    )
    assert lines[3] == "\tedge [fontname=monospace fontsize=9]"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__)
def test_torch_graph_nodes_colours_and_edges(case):
    var, names = case(torch)
    outputs = var if isinstance(var, tuple) else (var,)
    graph = parse(make_dot(var, params=names).source)
    edges, n_functions = reference(outputs, names)
    assert graph.named_edges() == edges
    assert len(graph.labels("grey")) == n_functions
    assert graph.labels("darkolivegreen1") == sorted(_tensor_label(t, names) for t in outputs)
    leaves = {_tensor_label(v, names) for v in names.values() if v.is_leaf}
    assert set(graph.labels("lightblue")) <= leaves
    assert set(graph.nodes) == {f"n{i}" for i in range(len(graph.nodes))}


def test_tutorial_graph_spelled_out():
    loss, names = tutorial(torch)
    graph = parse(make_dot(loss, params={"w": names["w"], "b": names["b"]}).source)
    assert graph.labels("darkolivegreen1") == ["\n ()"]
    assert graph.labels("lightblue") == ["b\n (3)", "w\n (5, 3)"]
    assert graph.labels("grey") == sorted(
        [
            "AccumulateGrad",
            "AccumulateGrad",
            "AddBackward0",
            "BinaryCrossEntropyWithLogitsBackward0",
            "MmBackward0",
            "SqueezeBackward4",
        ]
    )
    assert graph.named_edges()[("w\n (5, 3)", "AccumulateGrad")] == 1
    assert graph.named_edges()[("AddBackward0", "BinaryCrossEntropyWithLogitsBackward0")] == 1


def test_ids_follow_the_walk():
    loss, _ = tutorial(torch)
    graph = parse(make_dot(loss).source)
    assert graph.order == [f"n{i}" for i in range(len(graph.order))]
    assert graph.color("n0") == "darkolivegreen1"
    assert graph.label("n1") == type(loss.grad_fn).__name__


def test_unnamed_leaves_show_their_shape_only():
    loss, names = tutorial(torch)
    graph = parse(make_dot(loss).source)
    assert graph.labels("lightblue") == ["\n (3)", "\n (5, 3)"]


def test_two_outputs_share_their_graph():
    (z, loss), names = two_outputs(torch)
    graph = parse(make_dot((z, loss), params=names).source)
    assert graph.labels("darkolivegreen1") == ["\n ()", "\n (3)"]
    assert graph.labels("grey").count("AddBackward0") == 1
    assert graph.named_edges()[("AddBackward0", "\n (3)")] == 1


def test_an_output_that_is_a_leaf_is_a_single_node():
    _, names = tutorial(torch)
    graph = parse(make_dot(names["w"], params=names).source)
    assert graph.nodes == {"n0": {"label": "w\n (5, 3)", "fillcolor": "darkolivegreen1"}}
    assert graph.edges == []


def test_a_named_non_leaf_is_drawn_beside_its_node():
    loss, names = tutorial(torch)
    graph = parse(make_dot(loss, params=names).source)
    assert graph.labels("darkolivegreen3") == ["z\n (3)"]
    assert graph.named_edges()[("AddBackward0", "z\n (3)")] == 1


def test_params_and_var_must_be_tensors():
    loss, _ = tutorial(torch)
    with pytest.raises(TypeError, match=r"params\['w'\] is not a tensor: list"):
        make_dot(loss, params={"w": [1.0]})
    with pytest.raises(TypeError, match=r"var\[1\] is not a tensor: int"):
        make_dot((loss, 3))


def _torch_saved(outputs):
    """(node name, saved name, shape label) of every saved tensor, from ``_saved_*``."""
    found = collections.Counter()
    stack = [t.grad_fn for t in outputs]
    seen = set()
    while stack:
        fn = stack.pop()
        if fn in seen:
            continue
        seen.add(fn)
        for attr in dir(fn):
            value = getattr(fn, attr) if attr.startswith("_saved_") else None
            if isinstance(value, torch.Tensor):
                found[(type(fn).__name__, _tensor_label(value, {attr[7:]: value}))] += 1
        stack.extend(n for n, _ in fn.next_functions if n is not None)
    return found


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__)
def test_saved_tensors_of_torch_nodes(case):
    var, names = case(torch)
    outputs = var if isinstance(var, tuple) else (var,)
    graph = parse(make_dot(var, params=names, show_saved=True).source)
    saved = graph.named_edges(dir="none", style="dashed")
    assert saved == _torch_saved(outputs)
    assert sum(saved.values()) == len(graph.labels("orange"))
    without = parse(make_dot(var, params=names).source)
    assert graph.named_edges() - saved == without.named_edges()


def test_attribute_tables_of_torch_nodes():
    loss, _ = tutorial(torch)
    fn = loss.grad_fn
    graph = parse(make_dot(loss, show_attrs=True).source)
    title, rule, *rows = graph.label("n1").split("\n")
    attrs = sorted(a for a in dir(fn) if a.startswith("_saved_"))
    assert title == type(fn).__name__
    assert set(rule) == {"-"} and len(rule) >= len(title)
    assert [r.split(":")[0].rstrip() for r in rows] == [a[len("_saved_") :] for a in attrs]
    assert len({r.index(":") for r in rows}) == 1  # the colons line up
    values = {r.split(":")[0].rstrip(): r.split(": ", 1)[1].strip() for r in rows}
    assert values["reduction"] == str(fn._saved_reduction)
    assert values["self"] == "[saved tensor]"
    assert values["weight"] == "None"


def test_long_attributes_are_cut():
    x = torch.ones(2, 3, 4, requires_grad=True)
    y = x.permute(2, 0, 1).sum()
    graph = parse(make_dot(y, show_attrs=True, max_attr_chars=6).source)
    rows = [r for n in graph.nodes for r in graph.label(n).split("\n") if ": " in r]
    assert rows and all(len(r.split(": ", 1)[1]) <= 6 for r in rows)
    assert "dims: (2,..." in rows


def test_freed_torch_nodes_are_noted_not_fatal():
    loss, names = tutorial(torch)
    loss.backward()
    graph = parse(make_dot(loss, show_attrs=True, show_saved=True).source)
    bce = graph.label("n1").split("\n")
    assert bce[0] == "BinaryCrossEntropyWithLogitsBackward0" and bce[-1] == "(freed)"
    assert "(freed)" not in make_dot(loss).source


def _grad_text(grad):
    values = grad.detach().numpy()
    if values.size > 6:
        return f"grad: shape {tuple(values.shape)}, min {values.min():.2g}, max {values.max():.2g}"
    return "grad=[" + ", ".join(f"{v:.2g}" for v in values.ravel()) + "]"


def test_show_grads_on_leaves_and_retained_non_leaves():
    loss, names = tutorial(torch)
    before = parse(make_dot(loss, params=names, show_grads=True).source)
    assert before.labels("lightblue") == ["b\n (3)\ngrad=None", "w\n (5, 3)\ngrad=None"]
    names["z"].retain_grad()
    loss.backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "accessing .grad of a non-leaf" warning
        after = parse(make_dot(loss, params=names, show_grads=True).source)
    w, b, z = names["w"], names["b"], names["z"]
    assert after.labels("lightblue") == [
        f"b\n (3)\n{_grad_text(b.grad)}",
        f"w\n (5, 3)\n{_grad_text(w.grad)}",
    ]
    assert after.labels("darkolivegreen3") == [f"z\n (3)\n{_grad_text(z.grad)}"]
    assert after.labels("darkolivegreen1") == ["\n ()"]  # loss does not retain its grad


def test_small_grads_keep_their_shape():
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    (x * x).sum().backward()
    label = parse(make_dot(x, params={"x": x}, show_grads=True).source).label("n0")
    assert label.split("\n")[2] == "grad=[[2, 4], [6, 8]]"
    assert x.grad.tolist() == [[2, 4], [6, 8]]


def test_a_chain_of_20000_nodes_needs_no_recursion(default_recursion_limit):
    y, x = chain(torch, 20000)
    graph = parse(make_dot(y, params={"x": x}).source)
    assert len(graph.nodes) == 20000 + 3  # output, the nodes, AccumulateGrad, the leaf
    assert len(graph.edges) == 20000 + 2


def _best_time(function, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def test_drawing_time_grows_linearly():
    small, _ = chain(torch, 2000)
    big, _ = chain(torch, 20000)
    ratio = _best_time(lambda: make_dot(big).source) / _best_time(lambda: make_dot(small).source)
    assert ratio < 30  # 10 when linear, 100 when quadratic


SCRIPT = """
import numpy as np
import {lib} as lib
from minigrad.viz import make_dot
RNG = np.random.default_rng(0)
W0 = RNG.standard_normal((5, 3)).astype(np.float32)
B0 = RNG.standard_normal(3).astype(np.float32)
{tutorial}
loss, names = tutorial(lib)
text = make_dot(loss, params=names, show_attrs=True, show_saved=True).source
loss.backward()
print(text + make_dot(loss, params=names, show_grads=True, show_attrs=True).source, end="")
"""


def _run_elsewhere(lib, hash_seeds=(1, 2)):
    """The script's output in fresh processes (run side by side), one per hash seed."""
    code = SCRIPT.format(lib=lib, tutorial=inspect.getsource(tutorial))
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={"PYTHONPATH": str(ROOT), "PYTHONHASHSEED": str(seed), "PATH": "/usr/bin:/bin"},
        )
        for seed in hash_seeds
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0] * len(runs)
    return outputs


def _same_text_here(lib):
    loss, names = tutorial(lib)
    text = make_dot(loss, params=names, show_attrs=True, show_saved=True).source
    loss.backward()
    return text + make_dot(loss, params=names, show_grads=True, show_attrs=True).source


def test_torch_drawing_is_the_same_in_two_processes():
    first, second = _run_elsewhere("torch")
    assert first == second == _same_text_here(torch)
    assert "[saved tensor]" in first and "grad=[" in first


def test_labels_are_escaped():
    name = 'we"ird\\<b>&\nname'
    x = torch.ones(5, 3, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dot = make_dot(x * 2, params={name: x})
        source = dot.source
    assert '[label="we\\"ird\\\\<b>&\\nname\\n (5, 3)" fillcolor=lightblue]' in source
    assert parse(source).labels("lightblue") == [f"{name}\n (5, 3)"]
    svg = dot.pipe(format="svg", encoding="utf-8")
    assert ">we&quot;ird\\&lt;b&gt;&amp;</text>" in svg
    assert ">name</text>" in svg


def test_a_node_name_that_looks_like_html_stays_text():
    x = torch.ones(2, requires_grad=True)
    source = make_dot(x, params={"<b>": x}).source
    assert 'n0 [label="<b>\\n (2)"' in source


# -- rendering with the `dot` program --------------------------------------------------------


def test_render_svg_png_pdf(tmp_path):
    loss, names = tutorial(torch)
    dot = make_dot(loss, params=names, show_saved=True)
    svg_path = dot.render(tmp_path / "graph", format="svg")
    assert Path(svg_path) == tmp_path / "graph.svg"
    svg = Path(svg_path).read_text()
    assert "<svg" in svg and ">BinaryCrossEntropyWithLogitsBackward0</text>" in svg
    assert Path(dot.render(tmp_path / "graph", format="png")).read_bytes()[:4] == b"\x89PNG"
    assert Path(dot.render(tmp_path / "graph", format="pdf")).read_bytes()[:4] == b"%PDF"
    assert (tmp_path / "graph").read_text() == dot.source


def test_jupyter_shows_svg_when_dot_is_installed():
    loss, names = tutorial(torch)
    data, _ = DisplayFormatter().format(make_dot(loss, params=names))
    assert "<svg" in data["image/svg+xml"]


def test_pipe_svg():
    loss, _ = tutorial(torch)
    assert make_dot(loss).pipe(format="svg", encoding="utf-8").lstrip().startswith("<?xml")


@pytest.fixture
def no_dot(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def test_without_dot_jupyter_shows_the_source_and_how_to_install(no_dot):
    loss, names = tutorial(torch)
    dot = make_dot(loss, params=names)
    with pytest.raises(graphviz.ExecutableNotFound):
        graphviz.Digraph(body=dot.body).pipe(format="svg")  # what plain graphviz does
    data, _ = DisplayFormatter().format(dot)
    assert list(data) == ["text/plain"]
    hint, blank, *source = data["text/plain"].split("\n")
    assert hint == INSTALL_HINT and blank == ""
    assert "\n".join(source) == dot.source
    for command in (
        "apt-get install graphviz",
        "brew install graphviz",
        "conda install -c conda-forge python-graphviz",
    ):
        assert command in hint


@pytest.mark.parametrize("method", ["render", "pipe", "view"])
def test_without_dot_render_and_pipe_raise_a_clear_error(no_dot, tmp_path, method):
    loss, _ = tutorial(torch)
    dot = make_dot(loss)
    call = {
        "render": lambda: dot.render(tmp_path / "g", format="svg"),
        "pipe": lambda: dot.pipe(format="svg"),
        "view": lambda: dot.view(tmp_path / "g"),
    }[method]
    with pytest.raises(GraphvizNotFoundError) as info:
        call()
    assert isinstance(info.value, RuntimeError)
    assert str(info.value) == INSTALL_HINT
    assert isinstance(info.value.__cause__, graphviz.ExecutableNotFound)


def test_drawing_is_a_digraph():
    loss, _ = tutorial(torch)
    assert isinstance(make_dot(loss), Drawing)
    assert isinstance(make_dot(loss), graphviz.Digraph)


# -- the backward pass step by step, on PyTorch ----------------------------------------------


def test_torch_steps_of_a_plus_a():
    c, names = repeated_input(torch)
    a = names["a"]
    b = c.grad_fn.next_functions[0][0]  # b's grad_fn
    steps = backward_steps(c, torch.ones(2))
    assert [s.index for s in steps] == [0, 1, 2]
    assert [s.node for s in steps] == [c.grad_fn, b, b.next_functions[0][0]]
    assert [s.name for s in steps] == ["AddBackward0", "AddBackward0", "AccumulateGrad"]
    assert torch.equal(steps[0].grads_in[0], torch.ones(2))
    assert torch.equal(steps[1].grads_in[0], steps[0].grads_out[0] + steps[0].grads_out[1])
    assert torch.equal(steps[2].grads_in[0], a.grad)
    assert steps[2].grads_out == ()
    c.backward(torch.ones(2))  # the graph was retained; the record is a copy
    assert torch.equal(steps[2].grads_in[0], a.grad / 2)


def test_torch_steps_table():
    c, _ = repeated_input(torch)
    steps = backward_steps(c, torch.ones(2))
    lines = steps_table(steps).split("\n")
    assert lines[0].split() == ["step", "node", "gradient", "in", "gradient", "out", "->", "to"]
    assert [line.split()[:2] for line in lines[1::2]] == [
        ["0", "AddBackward0"],
        ["1", "AddBackward0"],
        ["2", "AccumulateGrad"],
    ]
    assert lines[1].endswith("[1, 1] -> AddBackward0 (step 1)")
    assert lines[2].strip() == "[1, 1] -> AddBackward0 (step 1)"
    assert lines[4].strip() == "[2, 2] -> AccumulateGrad (step 2)"
    assert lines[5].endswith("added to the leaf's .grad")
    assert len(lines) == 6


def test_torch_draw_step_highlights_the_node_and_the_gradients_so_far():
    c, names = repeated_input(torch)
    steps = backward_steps(c, torch.ones(2))
    graph = parse(draw_step(c, steps, 1, params=names).source)
    current = [n for n in graph.nodes if graph.nodes[n].get("fillcolor") == "yellow"]
    assert len(current) == 1 and graph.nodes[current[0]]["color"] == "red"
    into_current = [attrs["label"] for a, b, attrs in graph.edges if b == current[0]]
    assert into_current == ["[2, 2]", "[2, 2]"]  # passed on, not yet accumulated
    assert graph.label(current[0]) == "step 1: AddBackward0"
    stepped = sorted(v["label"] for v in graph.nodes.values() if v["label"].startswith("step"))
    assert stepped == ["step 0: AddBackward0", "step 1: AddBackward0"]
    assert not any("xlabel" in v for v in graph.nodes.values())  # no label outside a box
    assert parse(draw_step(c, steps, -1).source).nodes == parse(draw_step(c, steps, 2).source).nodes
    with pytest.raises(IndexError):
        draw_step(c, steps, 3)


# -- minigrad graphs: drawn like PyTorch's -----------------------------------------------------


@pytest.mark.parametrize("case", [*CASES, repeated_input], ids=lambda c: c.__name__)
def test_minigrad_drawing_equals_torch_drawing(case):
    var_t, names_t = case(torch)
    var_m, names_m = case(minigrad)
    assert make_dot(var_m, params=names_m).source == make_dot(var_t, params=names_t).source
    for lib, var in ((torch, var_t), (minigrad, var_m)):
        var = var[1] if isinstance(var, tuple) else var
        var.backward(lib.ones_like(var))
    assert (
        make_dot(var_m, params=names_m, show_grads=True).source
        == make_dot(var_t, params=names_t, show_grads=True).source
    )


def test_minigrad_tutorial_graph_matches_the_torch_reference():
    loss, names = tutorial(minigrad)
    graph = parse(make_dot(loss, params=names).source)
    edges, n_functions = reference([tutorial(torch)[0]], {})
    unnamed = parse(make_dot(loss).source)
    assert unnamed.named_edges() == edges
    assert len(graph.labels("grey")) == n_functions


def _minigrad_saved(var):
    found = collections.Counter()
    stack, seen = [var.grad_fn], set()
    while stack:
        fn = stack.pop()
        if fn in seen:
            continue
        seen.add(fn)
        if not hasattr(fn, "variable"):
            for name, value in fn.saved_items():
                if isinstance(value, minigrad.Tensor):
                    found[(type(fn).__name__, _tensor_label(value, {name: value}))] += 1
        stack.extend(n for n, _ in fn.next_functions if n is not None)
    return found


@pytest.mark.parametrize("case", CASES[:-1], ids=lambda c: c.__name__)
def test_minigrad_saved_tensors(case):
    var, names = case(minigrad)
    graph = parse(make_dot(var, params=names, show_saved=True).source)
    saved = graph.named_edges(dir="none", style="dashed")
    assert saved == _minigrad_saved(var)
    assert sum(saved.values()) == len(graph.labels("orange"))


def test_minigrad_saved_tensor_names_are_torch_names():
    for lib in (torch, minigrad):
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        b = lib.tensor([3.0, 4.0], requires_grad=True)
        graph = parse(make_dot(a * b, show_saved=True).source)
        assert graph.labels("orange") == ["other\n (2)", "self\n (2)"], lib.__name__


def test_minigrad_attribute_table():
    x = minigrad.ones(2, 3, requires_grad=True)
    y = x.sum(1)
    label = parse(make_dot(y, show_attrs=True).source).label("n1")
    title, rule, *rows = label.split("\n")
    items = y.grad_fn.saved_items()
    assert title == "SumBackward1" and set(rule) == {"-"}
    assert [r.split(":")[0].rstrip() for r in rows] == [name for name, _ in items]


def test_freed_minigrad_nodes_are_noted_not_fatal():
    loss, names = tutorial(minigrad)
    loss.backward()
    with pytest.raises(RuntimeError):
        loss.grad_fn.saved_items()
    graph = parse(make_dot(loss, show_attrs=True, show_saved=True).source)
    assert graph.label("n1").split("\n") == ["BinaryCrossEntropyWithLogitsBackward0", "(freed)"]


def test_minigrad_chain_of_20000_nodes(default_recursion_limit):
    y, x = chain(minigrad, 20000)
    graph = parse(make_dot(y, params={"x": x}).source)
    assert len(graph.nodes) == 20000 + 3
    assert graph.labels("lightblue") == ["x\n (3)"]


def test_minigrad_drawing_is_the_same_in_two_processes():
    first, second = _run_elsewhere("minigrad")
    assert first == second == _same_text_here(minigrad)


def _steps_as_data(steps):
    def values(grads):
        return [None if g is None else g.detach().numpy().tolist() for g in grads]

    return [(s.index, s.name, values(s.grads_in), values(s.grads_out)) for s in steps]


@pytest.mark.parametrize("case", [repeated_input, tutorial, two_leaves, d2l_detach])
def test_minigrad_steps_match_torch(case):
    var_t, names_t = case(torch)
    var_m, names_m = case(minigrad)
    steps_t = backward_steps(var_t, torch.ones_like(var_t))
    steps_m = backward_steps(var_m, minigrad.ones_like(var_m))
    data_t, data_m = _steps_as_data(steps_t), _steps_as_data(steps_m)
    assert [d[:2] for d in data_m] == [d[:2] for d in data_t]
    for got, expected in zip(data_m, data_t, strict=True):
        for g, e in zip(got[2:], expected[2:], strict=True):
            assert [x is None for x in g] == [x is None for x in e]
            for x, y in zip(g, e, strict=True):
                if x is not None:
                    np.testing.assert_allclose(x, y, rtol=1e-6)
    assert steps_table(steps_m) == steps_table(steps_t)
    for k in range(len(steps_t)):
        drawn_m = draw_step(var_m, steps_m, k, names_m).source
        assert drawn_m == draw_step(var_t, steps_t, k, names_t).source


def test_minigrad_steps_of_a_plus_a():
    c, names = repeated_input(minigrad)
    steps = backward_steps(c, minigrad.ones(2))
    assert [s.node for s in steps[:2]] == [c.grad_fn, c.grad_fn.next_functions[0][0]]
    assert steps[2].grads_out == ()
    assert steps[2].grads_in[0].tolist() == names["a"].grad.tolist()


def test_docstring_examples_run():
    result = doctest.testmod(minigrad.viz, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


# -- values, gradients and names in the boxes; which way the arrows point; the page's width ----


def test_a_named_output_carries_its_name_and_is_drawn_once():
    loss, names = tutorial(minigrad)
    graph = parse(make_dot(loss, params={"w": names["w"]}, names={"loss": loss}).source)
    assert graph.labels("darkolivegreen1") == ["loss\n ()"]
    assert graph.labels("darkolivegreen3") == []  # not drawn a second time beside its node
    assert graph.labels("lightblue") == ["\n (3)", "w\n (5, 3)"]


def test_show_data_and_show_grads_write_values_and_gradients_into_the_boxes():
    a = minigrad.tensor([1.0, 2.0], requires_grad=True)
    s = (a * a).sum()
    s.retain_grad()
    s.backward()
    big = minigrad.ones(4, 3, requires_grad=True)
    dot = make_dot((s, big), names={"a": a, "s": s}, show_data=True, show_grads=True)
    graph = parse(dot.source)
    assert graph.labels("darkolivegreen1") == [
        "\n (4, 3)\ndata: shape (4, 3), min 1, max 1\ngrad=None",
        "s\n ()\ndata=5\ngrad=1",
    ]
    assert graph.labels("lightblue") == ["a\n (2)\ndata=[1, 2]\ngrad=[2, 4]"]
    plain = parse(make_dot(s, names={"a": a, "s": s}).source)
    assert plain.labels("lightblue") == ["a\n (2)"]  # nothing written unless asked for


def test_forward_drawings_point_from_the_leaves_to_the_output():
    loss, names = tutorial(minigrad)
    graph = parse(make_dot(loss, params=names).source)
    assert graph.named_edges()[("w\n (5, 3)", "AccumulateGrad")] == 1
    assert graph.named_edges()[("BinaryCrossEntropyWithLogitsBackward0", "\n ()")] == 1
    assert all("dir" not in attrs for _, _, attrs in graph.edges)


def test_step_drawings_point_the_way_the_gradients_travel():
    c, names = repeated_input(minigrad)
    steps = backward_steps(c, minigrad.ones(2))
    source = draw_step(c, steps, len(steps) - 1, params=names).source
    # Every edge is drawn with its arrowhead at its tail: from the output towards the leaves.
    assert source.splitlines()[3] == "\tedge [dir=back fontname=monospace fontsize=9]"
    graph = parse(source)
    assert all(attrs.get("dir", "back") in {"back", "none"} for _, _, attrs in graph.edges)
    assert "dir=back" not in make_dot(c, params=names).source


def test_rankdir_lays_the_graph_out_left_to_right():
    loss, names = tutorial(minigrad)
    assert "rankdir=LR" in make_dot(loss, rankdir="LR").source.splitlines()[1]
    steps = backward_steps(loss)
    assert "rankdir=LR" in draw_step(loss, steps, 0, rankdir="LR").source.splitlines()[1]
    assert "rankdir" not in make_dot(loss).source


def _svg_width_pt(dot):
    svg = dot.pipe(format="svg", encoding="utf-8")
    return float(re.search(r'<svg width="([\d.]+)pt"', svg).group(1))


def test_a_wide_drawing_is_scaled_to_fit_the_page():
    xs = [minigrad.tensor(float(i), requires_grad=True) for i in range(12)]
    total = xs[0]
    for x in xs[1:]:
        total = total + x * x
    names = {f"a_long_parameter_name_{i}": x for i, x in enumerate(xs)}
    dot = make_dot(total, params=names, show_data=True)
    assert _svg_width_pt(dot) <= minigrad.viz.MAX_WIDTH_INCHES * 72
    dot.graph_attr["size"] = "100,100"  # without the limit, the same graph is much wider
    assert _svg_width_pt(dot) > minigrad.viz.MAX_WIDTH_INCHES * 72
