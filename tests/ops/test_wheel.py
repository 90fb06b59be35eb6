"""`pip install .` (not editable) is enough for the demo: a wheel built from a copy of the checkout, installed into a
fresh venv, serves /health and answers a chat message with `--backend yclients-fake`, started from a folder outside
the checkout — so the catalogs, the QR page and the fake YClients server must all come from the installed package.

To stay fast the venv installs only the wheel (`--no-deps`) and borrows this venv's dependencies through a .pth line;
such a line adds the folder to sys.path without running the editable install's finder, so the checkout's packages
cannot be imported from there.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD_INPUTS = ("pyproject.toml", "README.md", "booking_bot", "integrations", "locales", "qr_page")
START_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(*argv: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, f"{argv}: {done.stdout}\n{done.stderr}"
    return done.stdout


def installed_venv(tmp: Path) -> Path:
    """A venv with the wheel of a copy of the checkout installed, and this venv's dependencies on its path."""
    source = tmp / "source"
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", tmp / "dist", source)
    (wheel,) = (tmp / "dist").glob("booking_bot-*.whl")
    venv = tmp / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel)
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    (Path(site) / "borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def get(url: str, body: dict[str, str] | None = None) -> tuple[int, dict[str, object]]:
    data = None if body is None else json.dumps(body).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=30) as response:
        return response.status, json.loads(response.read())


def test_the_installed_wheel_runs_the_demo_against_the_fake_yclients_from_outside_the_checkout(tmp_path: Path) -> None:
    venv = installed_venv(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOOKING_BOT_") and k != "PYTHONPATH"}
    port = free_port()
    command = [venv / "bin" / "booking-bot", "demo", "--backend", "yclients-fake", "--port", str(port)]
    log = tmp_path / "demo.log"
    with log.open("w") as output:
        demo = subprocess.Popen(
            [*map(str, command), "--data-dir", str(tmp_path / "data")],
            cwd=elsewhere,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + START_SECONDS
            while True:
                assert demo.poll() is None, f"the demo stopped:\n{log.read_text()}"
                try:
                    status, _ = get(f"http://127.0.0.1:{port}/health")
                    break
                except (urllib.error.URLError, ConnectionError):
                    assert time.monotonic() < deadline, f"the demo did not answer /health:\n{log.read_text()}"
                    time.sleep(0.2)
            assert status == 200
            status, answer = get(f"http://127.0.0.1:{port}/demo/api/chat", {"customer": "+15550000001", "text": "hi"})
            assert status == 200
            replies = answer["replies"]
            assert isinstance(replies, list) and replies and all(isinstance(r, str) and r for r in replies)
        finally:
            demo.terminate()
            try:
                demo.wait(timeout=20)
            except subprocess.TimeoutExpired:
                demo.kill()
                demo.wait()
    # What answered came from the venv: the package, the fake, the catalogs and the QR page it reads.
    where = run(
        venv / "bin" / "python",
        "-c",
        "import booking_bot, booking_bot.gateway.api as api, booking_bot.settings as s,"
        " integrations.scheduling.yclients.fake as f;"
        " print(booking_bot.__file__, f.__file__, s.Settings().locales_dir, api.QR_PAGE_DIR, sep='\\n')",
        cwd=elsewhere,
        env=env,
    ).split()
    assert all(Path(path).resolve().is_relative_to(venv.resolve()) for path in where), where
    assert sorted(p.name for p in Path(where[2]).iterdir()) == sorted(p.name for p in (ROOT / "locales").iterdir())
    assert (Path(where[3]) / "index.html").is_file()
