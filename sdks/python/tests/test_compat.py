"""The package promises Python >= 3.9 while CI runs a newer Python: check what a newer interpreter
would let slip through. Grammar is checked with ast's 3.9 parser; annotations with 3.10+ syntax
(`X | None`) must not be evaluated at runtime, so every module that writes them postpones
annotations; a few 3.10+ library keywords are looked for by name."""

from __future__ import annotations

import ast
import pathlib
import unittest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "agentgate"
NEWER_KEYWORDS = {
    ("dataclass", "slots"): "3.10",
    ("dataclass", "kw_only"): "3.10",
    ("zip", "strict"): "3.10",
}


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _postpones_annotations(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "__future__"
        and any(alias.name == "annotations" for alias in node.names)
        for node in tree.body
    )


def _union_annotations(tree: ast.Module) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        annotations = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            every = args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]
            annotations = [a.annotation for a in every if a.annotation is not None]
            if node.returns is not None:
                annotations.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            annotations = [node.annotation]
        for annotation in annotations:
            if any(isinstance(part, ast.BinOp) and isinstance(part.op, ast.BitOr) for part in ast.walk(annotation)):
                lines.append(annotation.lineno)
    return lines


class PythonCompatibilityTest(unittest.TestCase):
    def test_modules_parse_with_the_python_3_9_grammar(self) -> None:
        modules = sorted(PACKAGE.glob("*.py"))
        self.assertGreater(len(modules), 5)
        for path in modules:
            with self.subTest(module=path.name):
                ast.parse(path.read_text(encoding="utf-8"), filename=str(path), feature_version=(3, 9))

    def test_union_annotations_are_never_evaluated(self) -> None:
        for path in sorted(PACKAGE.glob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            unions = _union_annotations(tree)
            if unions:
                with self.subTest(module=path.name):
                    self.assertTrue(_postpones_annotations(tree), f"{path.name} lines {unions} use X | Y without `from __future__ import annotations`")

    def test_no_keyword_arguments_newer_than_3_9(self) -> None:
        for path in sorted(PACKAGE.glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call):
                    for keyword in node.keywords:
                        version = NEWER_KEYWORDS.get((_call_name(node), keyword.arg or ""))
                        with self.subTest(module=path.name, line=node.lineno):
                            self.assertIsNone(version, f"{path.name}:{node.lineno} {_call_name(node)}({keyword.arg}=...) needs Python {version}")


if __name__ == "__main__":
    unittest.main()
