"""The apps depend downwards only (stores ← tasks ← reports ← kpi), and no module imports another in
a circle, not even inside a function: read from the source, every import statement wherever it is."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("stores", "tasks", "reports", "kpi")  # each may import only those before it
# What opsdesk offers every app: the queue, the page sections' registry, the job model, settings.
WIRING = {"opsdesk.queue", "opsdesk.sections", "opsdesk.models", "opsdesk.settings"}
PACKAGES = (*APPS, "opsdesk")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project's modules `path` imports, anywhere in it (`from a import b` counts a.b when b is
    a module, else a)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        resolved = set()
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                resolved.add(name)
        # `from a import b` with b a module imports a.b; a, the package, only for what it defines
        # itself, which a package re-exporting its modules would make look like a circle.
        found |= {name for name in resolved if not _is_parent(name, resolved)}
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, modules) - {name} for name, path in modules.items()}


def _is_parent(candidate: str, targets: set[str]) -> bool:
    return any(other.startswith(candidate + ".") for other in targets)


def _app(module: str) -> str:
    return module.split(".")[0]


def test_apps_import_only_the_apps_below_them_and_opsdesk_wiring():
    wrong = []
    for module, targets in _graph().items():
        app = _app(module)
        if app not in APPS:
            continue
        for target in targets:
            other = _app(target)
            if other == "opsdesk":
                if not any(target == wiring or target.startswith(wiring + ".") for wiring in WIRING):
                    wrong.append((module, target))
            elif other in APPS and APPS.index(other) > APPS.index(app):
                wrong.append((module, target))
    assert wrong == []


def test_no_module_imports_another_in_a_circle():
    graph = _graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    circles = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                circles.append([*path[path.index(target) :], target] if target in path else [module, target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    source = tmp_path / "example.py"
    source.write_text("def f():\n    from kpi import pacing\n    return pacing\n", encoding="utf-8")
    assert _imports(source, _modules()) == {"kpi.pacing"}
