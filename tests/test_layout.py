"""The layout's promises (docs/architecture.md), checked on the source: every import points downward through the
layers, none goes round in a circle, nothing shipped imports the tests, the core loads neither the HTTP API nor the
WhatsApp adapter, and no source file grows past one sitting's read.

Imports are read with `ast` from every module of booking_bot/ and integrations/ — at module level, inside
functions and under `if TYPE_CHECKING:` alike: a cycle hidden by a local import is still a cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("booking_bot", "integrations")
MAX_LINES = 450
DATA_TABLES: frozenset[str] = frozenset()  # modules that are data, not logic, and may be longer

# Lower layers never import higher ones. A module's layer is that of its longest matching prefix.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("booking_bot.domain",),
    ("booking_bot.config",),
    ("booking_bot.ports", "booking_bot.settings", "booking_bot.resources"),
    (
        "booking_bot.metrics",
        "booking_bot.i18n",
        "booking_bot.nlu",
        "booking_bot.outbox",
        "booking_bot.webhooks",
    ),
    ("booking_bot.understanding",),
    ("booking_bot.dialogue",),
    ("booking_bot.services",),
    (
        "booking_bot.pipeline",
        "booking_bot.inbound",
        "booking_bot.reminders",
        "booking_bot.sweep",
        "booking_bot.waitlist",
    ),
    ("booking_bot.jobs",),
    ("integrations",),  # adapters: the domain, the ports and the pure helpers of the core, never its spine
    ("booking_bot.composition",),
    (  # processes and tools: they build a stack and run it
        "booking_bot.worker",
        "booking_bot.scheduler",
        "booking_bot.gateway",
        "booking_bot.web",
        "booking_bot.ops",
        "booking_bot.cli",
        "booking_bot.i18n_tools",
        "booking_bot.nlu.evalcli",
    ),
)
CORE_LAST_LAYER = 10  # booking_bot.composition: everything up to it is "the core" for the rule below
GATEWAY_ONLY = ("booking_bot.gateway", "integrations.whatsapp")


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


@cache
def _graph() -> dict[str, set[str]]:
    """module -> the modules (of these packages, or tests.*) it imports. `from pkg import sub` imports `pkg.sub`."""
    modules = _modules()

    def resolve(name: str) -> str | None:
        while name:
            if name in modules or name.split(".")[0] == "tests":
                return name if name in modules else "tests"
            name = name.rpartition(".")[0]
        return None

    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    names.append(full if full in modules else node.module)
            for name in names:
                target = resolve(name)
                if target is not None and target != module:
                    edges.add(target)
        graph[module] = edges
    return graph


def _layer(module: str) -> int:
    if module == "booking_bot":
        return 0  # the package itself holds nothing
    best, best_length = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_length:
                best, best_length = index, len(prefix)
    assert best >= 0, f"{module} is in no layer of tests/test_layout.py: place it"
    return best


def _cycles(graph: dict[str, set[str]]) -> Iterator[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = 0

    def visit(node: str) -> Iterator[list[str]]:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in graph:
                continue
            if nxt not in index:
                yield from visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                yield sorted(component)

    for node in sorted(graph):
        if node not in index:
            yield from visit(node)


def test_no_import_cycle_between_modules() -> None:
    assert list(_cycles(_graph())) == []


def test_no_shipped_module_imports_the_tests() -> None:
    offenders = sorted(m for m, edges in _graph().items() if "tests" in edges)
    assert offenders == [], "the package must work without tests/ (a normal install has none)"


def test_core_loads_neither_the_http_api_nor_the_whatsapp_adapter() -> None:
    """Worker, scheduler and demo build the core's stack: the WhatsApp session code and the gateway's API are the
    gateway's own, loaded by nothing below it."""
    offenders = {
        module: sorted(e for e in edges if e.startswith(GATEWAY_ONLY))
        for module, edges in _graph().items()
        if _layer(module) <= CORE_LAST_LAYER and not module.startswith(GATEWAY_ONLY)
    }
    assert {m: e for m, e in offenders.items() if e} == {}


def test_every_import_points_down_the_layers() -> None:
    upward = sorted(
        f"{module} (layer {_layer(module)}) imports {target} (layer {_layer(target)})"
        for module, edges in _graph().items()
        for target in edges
        if target != "tests" and _layer(target) > _layer(module)
    )
    assert upward == []


def test_no_source_file_is_longer_than_one_sitting() -> None:
    long = sorted(
        f"{module}: {lines} lines"
        for module, path in _modules().items()
        if module not in DATA_TABLES and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    )
    assert long == []


def test_the_layer_table_names_real_modules() -> None:
    """A renamed module must not leave a stale prefix behind (it would hide the new name from the rules)."""
    modules = _modules()
    stale = [p for layer in LAYERS for p in layer if not any(m == p or m.startswith(p + ".") for m in modules)]
    assert stale == []
