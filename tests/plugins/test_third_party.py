"""A third-party plugin, built during the test, is discovered, enabled, used in a lesson and disabled.

The package is written to a temporary directory with the metadata ``pip install`` would leave
(``*.dist-info`` with ``entry_points.txt`` in the ``skills_gansu.plugins`` group), and a child process
runs Django with that directory on its path — so discovery goes through ``importlib.metadata`` exactly
as for a pip-installed distribution, while the shared virtualenv (and every other test run on this
machine) never sees it. Deleting the directory uninstalls it.
"""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FILES = {
    "sg_hello_plugin/__init__.py": '"""A tiny third-party Skills Gansu plugin."""\n',
    "sg_hello_plugin/apps.py": """
        from django.apps import AppConfig


        class HelloConfig(AppConfig):
            name = "sg_hello_plugin"
            label = "sg_hello_plugin"
        """,
    "sg_hello_plugin/plugin.py": """
        from django.utils.html import format_html

        from plugins.core.interfaces import ActivityType, PluginSpec


        class Hello(ActivityType):
            slug = "hello"
            label = "Say hello"

            def render(self, *, config, context):
                return format_html('<p class="hello-activity" data-activity="{}">{}</p>',
                                   context.get("activity_id", ""), config.get("greeting", "你好"))


        PLUGIN = PluginSpec(id="hello", name="Hello", version="0.1.0", activity_types=(Hello,),
                            default_config={"greeting": "你好"})
        """,
    "sg_hello_plugin-0.1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: sg-hello-plugin\nVersion: 0.1.0\n",
    "sg_hello_plugin-0.1.0.dist-info/entry_points.txt": "[skills_gansu.plugins]\nhello = sg_hello_plugin\n",
    "sg_hello_plugin-0.1.0.dist-info/top_level.txt": "sg_hello_plugin\n",
    "sg_hello_plugin-0.1.0.dist-info/RECORD": "",
}


def build(target: Path) -> None:
    for name, text in FILES.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())


def child_env(site_dir: Path | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_SETTINGS"))}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(site_dir) if site_dir else "", str(ROOT)) if p)
    if env.get("DATABASE_URL"):
        env["DATABASE_URL"] = env["DATABASE_URL"].rstrip("/") + "_plugin"  # its own test database
    return env


@pytest.mark.slow
def test_third_party_plugin_lifecycle(tmp_path):
    site_dir = tmp_path / "site-packages"
    build(site_dir)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/plugins/scenario_third_party.py", "-q", "-p", "no:randomly",
         "--create-db"],
        cwd=ROOT, env=child_env(site_dir), capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout

    # Uninstalled (the directory is gone from the path): no longer discovered.
    probe = "from plugins.core.discovery import discover_plugin_apps; print(discover_plugin_apps([]))"
    found = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=child_env(None), capture_output=True,
                           text=True, timeout=60)
    assert found.returncode == 0 and "sg_hello_plugin" not in found.stdout
