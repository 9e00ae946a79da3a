"""The conda route (environment.yml) installs the same packages at the same versions as the lock."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _lock() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text()
    return {k.lower(): v for k, v in re.findall(r"^([A-Za-z0-9_.-]+)==([^\s\\]+)", text, re.M)}


def _direct() -> list[str]:
    lines = (ROOT / "requirements.in").read_text().splitlines()
    return [ln.split("#")[0].strip().lower() for ln in lines if ln.split("#")[0].strip()]


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    out = {}
    for dep in env["dependencies"]:
        specs = dep["pip"] if isinstance(dep, dict) else [dep]
        for spec in specs:
            if spec.startswith("-e") or "==" not in spec:
                continue
            name, version = spec.split("==")
            out[name.strip().lower()] = version.split()[0]
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
