"""``make run``'s supervisor (scripts/run.py): logins last, once; a clean stop on Ctrl+C."""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _run_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ertrag_run", ROOT / "scripts" / "run.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["ertrag_run"] = module
    spec.loader.exec_module(module)
    return module


run = _run_module()


def test_the_procfile_is_read_with_the_port_filled_in() -> None:
    processes = run.parse_procfile((ROOT / "Procfile").read_text(), port="8123")
    assert [name for name, _ in processes] == ["web", "worker", "beat"]
    assert processes[0][1].endswith("runserver 127.0.0.1:8123")


def test_the_logins_the_commands_print_are_found() -> None:
    lines = [
        "Operations to perform:",
        "Dev admin created -> username: admin  password: s3cret-A  (shown only this once)",
        "Demo data created -> username: demo  password: s3cret-D  (7 sources, 250 payments)",
    ]
    assert run.logins_in(lines) == [
        run.Login(role="admin", username="admin", password="s3cret-A"),
        run.Login(role="demo", username="demo", password="s3cret-D"),
    ]


def test_the_banner_shows_the_address_and_the_logins() -> None:
    setup = run.Setup(
        logins=[run.Login(role="admin", username="admin", password="pw-1")],
        compare_path="/scenarios/compare/?ids=3,4",
    )
    text = run.banner(port="8000", setup=setup)
    assert "http://127.0.0.1:8000/scenarios/compare/?ids=3,4" in text
    assert "http://127.0.0.1:8000/" in text
    assert "Admin login: username admin   password pw-1" in text
    assert "Stop with Ctrl+C." in text


FAKE_PROCFILE = """\
web: {python} -c "import time; print('Quit the server with CONTROL-C.'); time.sleep(600)"
worker: {python} {worker}
"""

# A worker that announces itself after a banner, then on SIGTERM takes a while (longer
# than honcho's five-second grace) to shut down warmly, and exits 0 by itself.
FAKE_WORKER = """\
import signal, sys, time
def stop(signum, frame):
    print("worker: Warm shutdown", flush=True)
    time.sleep(6)
    print("worker: bye", flush=True)
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
for n in range(60):
    print(f"banner line {n}", flush=True)
print("[INFO/MainProcess] celery@host ready.", flush=True)
while True:
    time.sleep(0.1)
"""


def test_the_banner_comes_last_and_ctrl_c_lets_the_worker_finish(tmp_path: Path) -> None:
    worker = tmp_path / "worker.py"
    worker.write_text(FAKE_WORKER)
    procfile = tmp_path / "Procfile"
    procfile.write_text(FAKE_PROCFILE.format(python=sys.executable, worker=worker))
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "run.py"), "--procfile", str(procfile),
         "--no-setup", "--port", "8765"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    seen: list[str] = []
    for line in process.stdout:
        seen.append(line)
        if "Stop with Ctrl+C." in line:
            break
    ready = next(i for i, line in enumerate(seen) if "celery@host ready." in line)
    banner = next(i for i, line in enumerate(seen) if "Ertrag is running on" in line)
    assert banner > ready  # after the worker's banner, so it does not scroll away
    assert sum("Ertrag is running on" in line for line in seen) == 1
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    rest = process.stdout.read()
    assert process.wait(20) == 0
    assert time.monotonic() - started >= 5  # the worker's warm shutdown was waited for
    assert "worker | worker: bye" in rest  # it exited by itself, not killed
    assert "killed" not in rest
    assert "Stopped: web" in rest
