"""The conda route (environment.yml) installs the same packages at the same versions as the lock."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _lock() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text()
    return {k.lower().replace("_", "-"): v for k, v in re.findall(r"^([A-Za-z0-9_.-]+)==([^\s\\]+)", text, re.M)}


def _direct() -> list[str]:
    lines = (ROOT / "requirements.in").read_text().splitlines()
    return [ln.split("#")[0].strip().lower().replace("_", "-") for ln in lines if ln.split("#")[0].strip()]


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    out = {}
    for dep in env["dependencies"]:
        specs = dep["pip"] if isinstance(dep, dict) else [dep]
        for spec in specs:
            if spec.startswith("-e") or "==" not in spec:
                continue
            name, version = spec.split("==")
            out[name.strip().lower().replace("_", "-")] = version.split()[0]  # conda spells some with _
    return out


class TestEnvironmentMatchesLock:
    def test_every_direct_dependency_is_in_environment_with_the_locked_version(self):
        lock, env = _lock(), _environment()
        for name in _direct():
            assert name in env, f"{name} (requirements.in) is missing from environment.yml"
            assert env[name] == lock[name], f"{name}: environment.yml {env[name]} != requirements.lock {lock[name]}"

    def test_environment_has_nothing_the_lock_lacks(self):
        lock, env = _lock(), _environment()
        extra = sorted(set(env) - set(lock))
        assert not extra, f"environment.yml lists packages not in requirements.lock: {extra}"

    def test_environment_uses_python_311(self):
        env = yaml.safe_load((ROOT / "environment.yml").read_text())
        assert "python=3.11" in env["dependencies"]

    def test_lock_is_hashed(self):
        text = (ROOT / "requirements.lock").read_text()
        assert "--hash=sha256:" in text
        pins = re.findall(r"^[A-Za-z0-9_.-]+==\S+ \\\n\s+--hash", text, re.M)
        assert len(pins) == len(_lock())


def _imported_distributions() -> dict[str, set[str]]:
    """Distribution → the third-party top-level modules ``lib/lagesbild`` imports from it."""
    import ast
    import importlib.metadata
    import sys

    by_module = importlib.metadata.packages_distributions()
    found: dict[str, set[str]] = {}
    for path in (ROOT / "lib" / "lagesbild").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top == "lagesbild":
                    continue
                for dist in by_module.get(top, [top]):
                    found.setdefault(dist.lower().replace("_", "-"), set()).add(top)
    return found


def _pyproject_dependencies() -> set[str]:
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    return {re.split(r"[<>=!~\[ ;]", d)[0].lower().replace("_", "-") for d in deps}


class TestPyprojectIsComplete:
    """``pip install .`` installs everything the library imports (and requirements.in pins it)."""

    def test_every_imported_distribution_is_a_dependency(self):
        missing = {d: m for d, m in _imported_distributions().items() if d not in _pyproject_dependencies()}
        assert not missing, f"pyproject.toml [project] dependencies lacks {missing} (distribution: modules)"

    def test_every_dependency_is_pinned(self):
        direct = {n.replace("_", "-") for n in _direct()}
        assert _pyproject_dependencies() <= direct, sorted(_pyproject_dependencies() - direct)
