"""What a reader must read: every minigrad function a program runs, in order, with its size.

    python tools/reading_path.py                 # the two programs of the README
    python tools/reading_path.py mul-sum         # (a * b).sum().backward()
    python tools/reading_path.py tutorial        # the tutorial's network, forward and backward
    python tools/reading_path.py -c "CODE" [--setup "CODE"]

The set-up (``import minigrad``, making the leaves) is not traced; the program is. Each
function that runs is listed once, at its first call, with its file, its first line and its
*code lines*: the lines of its definition that hold code, not counting its docstring, comments
and blank lines. Comprehensions and lambdas count as part of the function that holds them.
The totals are what a reader who follows the program through the engine must read.
"""

from __future__ import annotations

import argparse
import ast
import io
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

PROGRAMS = {
    "mul-sum": (
        "import minigrad as torch\n"
        "a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\n"
        "b = torch.tensor([4.0, 5.0, 6.0], requires_grad=True)\n",
        "(a * b).sum().backward()\n",
    ),
    "tutorial": (
        "import minigrad as torch\n"
        "torch.manual_seed(0)\n"
        "x = torch.ones(5)\n"
        "y = torch.zeros(3)\n"
        "w = torch.randn(5, 3, requires_grad=True)\n"
        "b = torch.randn(3, requires_grad=True)\n",
        "z = torch.matmul(x, w) + b\n"
        "loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)\n"
        "loss.backward()\n",
    ),
}


@dataclass(frozen=True)
class Function:
    """One function definition of the package: where it is and how many code lines it has."""

    path: Path
    line: int
    name: str
    code_lines: int


def code_lines_of(source: str) -> set[int]:
    """The line numbers of ``source`` that hold code: no blank, comment-only or docstring line."""
    docstring_lines: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                docstring_lines.update(range(body[0].lineno, body[0].end_lineno + 1))
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
    lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in skip or token.type == tokenize.ENDMARKER:
            continue
        lines.update(range(token.start[0], token.end[0] + 1))
    return lines - docstring_lines


class Package:
    """The function definitions of a package's files, found by the line a call starts at."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._files: dict[Path, tuple[list[ast.AST], set[int]]] = {}

    def contains(self, filename: str) -> bool:
        return Path(filename).resolve().is_relative_to(self.root)

    def function_at(self, filename: str, line: int) -> Function | None:
        """The outermost function (or method) whose definition holds ``line``."""
        path = Path(filename).resolve()
        if path not in self._files:
            source = path.read_text()
            definitions = [
                node
                for node in ast.walk(ast.parse(source))
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            ]
            self._files[path] = (definitions, code_lines_of(source))
        definitions, code = self._files[path]
        # The innermost def that holds the line, then out to the function a reader opens:
        # a def nested in a def is read as part of it.
        holding = [d for d in definitions if _first_line(d) <= line <= d.end_lineno]
        if not holding:
            return None
        outer = min(holding, key=_first_line)
        start, end = _first_line(outer), outer.end_lineno
        return Function(path, outer.lineno, outer.name, len([n for n in code if start <= n <= end]))


def _first_line(definition: ast.AST) -> int:
    decorators = getattr(definition, "decorator_list", [])
    return min([definition.lineno] + [d.lineno for d in decorators])


def trace(setup: str, program: str, package: Package) -> list[Function]:
    """Run ``setup``, then ``program`` under a tracer: the package's functions, in call order."""
    namespace: dict[str, object] = {}
    exec(compile(setup, "<setup>", "exec"), namespace)
    seen: dict[Function, None] = {}

    def on_call(frame, event, arg):  # noqa: ANN001, ANN202 - sys.setprofile's signature
        if event == "call":
            code = frame.f_code
            if package.contains(code.co_filename):
                function = package.function_at(code.co_filename, code.co_firstlineno)
                if function is not None:
                    seen.setdefault(function)

    compiled = compile(program, "<program>", "exec")
    sys.setprofile(on_call)
    try:
        exec(compiled, namespace)
    finally:
        sys.setprofile(None)
    return list(seen)


def report(title: str, functions: list[Function], root: Path) -> str:
    lines = [title]
    for f in functions:
        where = f"{f.path.relative_to(root.parent)}:{f.line}"
        lines.append(f"  {where:<42} {f.name:<32} {f.code_lines:>4}")
    files = {f.path for f in functions}
    total = sum(f.code_lines for f in functions)
    lines.append(f"  {len(functions)} functions in {len(files)} files: {total} code lines")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("programs", nargs="*", metavar="PROGRAM", help=", ".join(PROGRAMS))
    parser.add_argument("-c", dest="code", help="a program to trace instead")
    parser.add_argument("--setup", default="import minigrad as torch\n", help="run untraced")
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parent.parent / "minigrad"
    package = Package(root)
    unknown = [n for n in args.programs if n not in PROGRAMS]
    if unknown:
        parser.error(f"unknown program {unknown[0]!r}: choose from {', '.join(PROGRAMS)}")
    if args.code:
        chosen = [(args.code, (args.setup, args.code + "\n"))]
    else:
        names = args.programs or list(PROGRAMS)
        chosen = [(PROGRAMS[n][1].strip().replace("\n", "; "), PROGRAMS[n]) for n in names]
    for title, (setup, program) in chosen:
        print(report(title, trace(setup, program, package), root))
    return 0


if __name__ == "__main__":
    sys.exit(main())
