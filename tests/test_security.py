"""Static security checks: no HTML built from data or links, XSRF on, no upload, pinned dependencies, loopback run."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT

APP_FILES = sorted([ROOT / "dashboard.py", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "components").glob("*.py")])
# Calls that put raw HTML (or a script) on the page: only constant text may reach them.
RAW_HTML_CALLS = {"html", "iframe"}  # st.html, components.v1.html / iframe
UPLOAD_CALLS = {"file_uploader", "camera_input", "audio_input"}


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _is_literal_text(node: ast.AST | None, constants: dict[str, ast.AST] | None = None) -> bool:
    """A string constant, constants joined with +, or a module constant assigned once from such text.

    An f-string, a call or any other name is not: it may carry data or link text."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_literal_text(node.left, constants) and _is_literal_text(node.right, constants)
    if isinstance(node, ast.Name) and constants and node.id in constants:
        return _is_literal_text(constants[node.id])  # no chains: a constant must be literal text itself
    return False


def _module_constants(tree: ast.Module) -> dict[str, ast.AST]:
    """UPPER_CASE names assigned exactly once, at module level."""
    assigned: dict[str, list[ast.AST]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(node if node in tree.body else None)
    return {name: nodes[0].value for name, nodes in assigned.items()
            if name.isupper() and len(nodes) == 1 and nodes[0] is not None and not isinstance(nodes[0], ast.AugAssign)}


def _body_argument(call: ast.Call) -> ast.AST | None:
    if call.args:
        return call.args[0]
    return next((kw.value for kw in call.keywords if kw.arg in ("body", "html", "src")), None)


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _calls(path: Path) -> list[ast.Call]:
    return [node for node in ast.walk(_parse(path)) if isinstance(node, ast.Call)]


def test_app_files_are_found():
    names = {p.name for p in APP_FILES}
    assert {"dashboard.py", "data.py", "filters.py", "frame.py", "overview.py"} <= names


@pytest.mark.parametrize("path", APP_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_html_from_data_or_links(path):
    constants = _module_constants(_parse(path))
    for call in _calls(path):
        where = f"{path.relative_to(ROOT)}:{call.lineno}"
        unsafe = next((kw.value for kw in call.keywords if kw.arg == "unsafe_allow_html"), None)
        if unsafe is not None and not (isinstance(unsafe, ast.Constant) and unsafe.value is False):
            assert isinstance(unsafe, ast.Constant) and unsafe.value is True, (
                f"{where}: unsafe_allow_html must be a literal, so a reviewer sees when HTML is allowed")
            assert _is_literal_text(_body_argument(call), constants), (
                f"{where}: unsafe_allow_html=True with text built at run time; data- or link-derived text must "
                "never be rendered as HTML. Use plain Markdown (escape it with core.explorer.escape_markdown).")
        if _call_name(call) in RAW_HTML_CALLS and isinstance(call.func, ast.Attribute):
            assert _is_literal_text(_body_argument(call), constants), (
                f"{where}: {_call_name(call)}() with text built at run time renders raw HTML; use Markdown instead.")


@pytest.mark.parametrize("path", APP_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_file_upload(path):
    used = sorted({_call_name(c) for c in _calls(path)} & UPLOAD_CALLS)
    assert not used, (f"{path.relative_to(ROOT)} uses {used}: the dashboard takes no uploads; if one is ever needed "
                      "it must be size- and type-limited and validated before use (and this test updated).")


def test_streamlit_config_protects_the_server():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server = config.get("server", {})
    assert server.get("enableXsrfProtection") is True, "set enableXsrfProtection = true under [server]"
    assert server.get("maxUploadSize", 200) <= 1, "keep maxUploadSize tiny (1 MB): the app takes no uploads"
    assert config.get("client", {}).get("showErrorDetails") in ("none", False), (
        "set [client] showErrorDetails = \"none\": users must never see a traceback")
    assert config.get("browser", {}).get("gatherUsageStats") is False, "no usage statistics may leave the machine"


REQUIREMENTS = sorted(ROOT.glob("requirements*.txt"))
PINNED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[A-Za-z0-9.+!_-]+$")


def test_requirements_files_exist():
    assert {p.name for p in REQUIREMENTS} >= {"requirements.txt", "requirements-dev.txt"}


@pytest.mark.parametrize("path", REQUIREMENTS, ids=lambda p: p.name)
def test_every_dependency_is_pinned(path):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        spec = line.split("#", 1)[0].strip()
        if not spec:
            continue
        if spec.startswith("-r ") or spec.startswith("--requirement "):
            included = ROOT / spec.split(maxsplit=1)[1]
            assert included in REQUIREMENTS, f"{path.name}:{number}: includes {included.name}, not a pinned file"
            continue
        assert PINNED.match(spec), (f"{path.name}:{number}: '{spec}' is not pinned; write name==version "
                                    "(the version the app is tested with)")


def test_readme_run_command_binds_to_loopback():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [line for line in readme.splitlines() if re.search(r"\bstreamlit run\b", line)]
    assert commands, "the README must give the command that runs the dashboard"
    first = commands[0]
    assert re.search(r"--server\.address[ =]127\.0\.0\.1\b", first), (
        f"the README's run command must bind to loopback (--server.address 127.0.0.1): {first.strip()}")
    for line in commands:
        assert "--server.address" in line, (
            f"every `streamlit run` in the README names its address (Streamlit listens on all interfaces "
            f"otherwise): {line.strip()}")
