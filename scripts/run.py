"""``make run``: set up, start web + worker + beat from the Procfile, print the logins last.

Why not honcho: its banner-less start let the logins of the first start scroll away under
the worker's sixty lines of start-up banner, and on Ctrl+C it killed the worker after a
five-second grace period, while an idle Celery worker with the embedded (filesystem)
broker needs about ten seconds for its warm shutdown. This script

- runs ``migrate``, ``ensure_dev_admin`` and (unless ``DEMO=0``) ``seed_demo --if-missing``,
  holding back the login lines they print on a first start;
- starts every Procfile process in its own process group (so the terminal's Ctrl+C reaches
  only this script), prefixing each output line with the process name;
- prints one final banner, with the address and those logins, once the web server and the
  worker have said they are ready (or after ``READY_TIMEOUT`` seconds);
- on Ctrl+C (SIGINT) or SIGTERM sends SIGTERM to every process group and waits for them to
  exit on their own (``STOP_TIMEOUT`` seconds at most, then SIGKILL as a last resort).

Standard library only: it runs before anything else is certain to work.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

COMPARE_PREFIX = "Demo scenarios compared at "
READY_TIMEOUT = 90.0
STOP_TIMEOUT = 30.0
LOGIN = re.compile(
    r"(?P<what>Dev admin|Demo data) created -> "
    r"username: (?P<user>\S+)\s+password: (?P<password>\S+)"
)
# What a process prints when it is ready to serve: the web server and the worker. Beat
# has no such line; it starts within a second.
READY = {
    "web": re.compile(r"Quit the server with|Listening at|Booting worker"),
    "worker": re.compile(r"celery@\S+ ready\."),
}


@dataclass(frozen=True)
class Login:
    role: str  # "admin" or "demo"
    username: str
    password: str


@dataclass
class Setup:
    """What the set-up commands left to say in the final banner."""

    logins: list[Login] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    compare_path: str = ""  # the demo's two scenarios side by side


def parse_procfile(text: str, *, port: str) -> list[tuple[str, str]]:
    """The ``name: command`` lines of a Procfile, with ``${PORT:-8000}`` / ``$PORT`` filled in."""
    processes = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        name, command = line.split(":", 1)
        command = re.sub(r"\$\{PORT(:-[^}]*)?\}|\$PORT\b", port, command.strip())
        processes.append((name.strip(), command))
    return processes


def logins_in(lines: Iterable[str]) -> list[Login]:
    """The logins the set-up commands printed on creating an account (once, ever)."""
    found = []
    for line in lines:
        match = LOGIN.search(line)
        if match:
            role = "admin" if match["what"] == "Dev admin" else "demo"
            found.append(Login(role=role, username=match["user"], password=match["password"]))
    return found


def banner(*, port: str, setup: Setup) -> str:
    """The last thing ``make run`` prints: where to go and, on a first start, how to log in."""
    url = f"http://127.0.0.1:{port}/"
    lines = [
        "",
        "=" * 72,
        f"  Ertrag is running on {url}",
        f"  admin: {url}admin/   API docs: {url}api/docs/",
    ]
    for login in setup.logins:
        label = "Admin login" if login.role == "admin" else "Demo login "
        lines.append(f"  {label}: username {login.username}   password {login.password}")
    if setup.logins:
        lines.append("  (shown this once: note the passwords now)")
    if setup.compare_path:
        lines.append(f"  The demo's scenarios compared: {url.rstrip('/')}{setup.compare_path}")
    lines.extend(f"  {note}" for note in setup.notes)
    lines.extend(["  Stop with Ctrl+C.", "=" * 72, ""])
    return "\n".join(lines)


def run_setup(commands: Sequence[Sequence[str]], *, env: dict[str, str]) -> Setup:
    """Run the set-up commands in order; print their output except the login lines, which
    the banner shows at the end. A failing command stops ``make run`` with its status."""
    setup = Setup()
    for command in commands:
        result = subprocess.run(  # noqa: S603 - our own manage.py commands
            list(command), env=env, capture_output=True, text=True, check=False
        )
        sys.stderr.write(result.stderr)
        logins = logins_in(result.stdout.splitlines())
        setup.logins.extend(logins)
        for line in result.stdout.splitlines():
            if LOGIN.search(line):
                continue
            if "exists" in line and ("Dev admin" in line or "Demo user" in line):
                setup.notes.append(line.strip())
            elif line.startswith(COMPARE_PREFIX):
                setup.compare_path = line[len(COMPARE_PREFIX) :].strip()
            else:
                print(line)
        if result.returncode != 0:
            raise SystemExit(result.returncode)
    return setup


class Supervisor:
    """The Procfile's processes, each in a process group of its own."""

    def __init__(self, processes: Sequence[tuple[str, str]], *, env: dict[str, str]) -> None:
        self.processes = processes
        self.env = env
        self.children: dict[str, subprocess.Popen[str]] = {}
        self.ready: dict[str, threading.Event] = {name: threading.Event() for name in READY}
        self.stopping = threading.Event()
        self.width = max((len(name) for name, _ in processes), default=0)
        self.lock = threading.Lock()
        self.pumps: dict[str, threading.Thread] = {}

    def start(self) -> None:
        for name, command in self.processes:
            # ``exec``: the shell becomes the process, so a signal reaches it, not a shell.
            child = subprocess.Popen(  # noqa: S602 - a Procfile line is a shell command
                f"exec {command}",
                shell=True,
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                bufsize=1,
                start_new_session=True,
            )
            self.children[name] = child
            pump = threading.Thread(target=self._pump, args=(name, child), daemon=True)
            pump.start()
            self.pumps[name] = pump

    def _pump(self, name: str, child: subprocess.Popen[str]) -> None:
        if child.stdout is None:  # started with stdout=PIPE: never
            return
        pattern = READY.get(name)
        for line in child.stdout:
            self.say(name, line.rstrip("\n"))
            if pattern is not None and pattern.search(line):
                self.ready[name].set()

    def say(self, name: str, line: str) -> None:
        with self.lock:
            print(f"{name.ljust(self.width)} | {line}", flush=True)

    def wait_ready(self, timeout: float) -> None:
        """Until every started process that announces readiness has, or ``timeout``."""
        deadline = time.monotonic() + timeout
        for name, event in self.ready.items():
            if name in self.children:
                event.wait(max(deadline - time.monotonic(), 0))

    def first_exit(self) -> tuple[str, int] | None:
        for name, child in self.children.items():
            code = child.poll()
            if code is not None:
                return name, code
        return None

    def stop(self, timeout: float = STOP_TIMEOUT) -> dict[str, int]:
        """SIGTERM to each process, which stops its own children (the worker its pool,
        after a warm shutdown), and a wait for it to exit by itself; then SIGTERM to what
        is left in its group (the web server's reloader child). SIGKILL only for a process
        still there after ``timeout``: a last resort, not a grace period."""
        self.stopping.set()
        for child in self.children.values():
            if child.poll() is None:
                _signal(child.pid, signal.SIGTERM, group=False)
        deadline = time.monotonic() + timeout
        codes: dict[str, int] = {}
        for name, child in self.children.items():
            try:
                codes[name] = child.wait(max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                self.say(name, f"did not stop within {timeout:.0f} s: killed")
                _signal(child.pid, signal.SIGKILL, group=True)
                codes[name] = child.wait()
            _signal(child.pid, signal.SIGTERM, group=True)
            self.pumps[name].join(2)  # its last lines, before "Stopped"
        return codes


def _signal(pid: int, signum: int, *, group: bool) -> None:
    try:
        if group:
            os.killpg(pid, signum)
        else:
            os.kill(pid, signum)
    except ProcessLookupError:
        pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procfile", default="Procfile")
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--no-setup", action="store_true", help="skip migrate and the accounts")
    parser.add_argument("--demo", default=os.environ.get("DEMO", "1"))
    parser.add_argument("--ready-timeout", type=float, default=READY_TIMEOUT)
    parser.add_argument("--stop-timeout", type=float, default=STOP_TIMEOUT)
    args = parser.parse_args(argv)

    env = dict(os.environ, PORT=args.port, PYTHONUNBUFFERED="1")
    env["PATH"] = f"{Path(args.python).parent}{os.pathsep}{env.get('PATH', '')}"
    setup = Setup()
    if not args.no_setup:
        manage = [args.python, "manage.py"]
        commands = [[*manage, "migrate", "--no-input"], [*manage, "ensure_dev_admin"]]
        if args.demo == "1":
            commands.append([*manage, "seed_demo", "--if-missing"])
        setup = run_setup(commands, env=env)

    supervisor = Supervisor(
        parse_procfile(Path(args.procfile).read_text(), port=args.port), env=env
    )
    interrupted = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        interrupted.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    supervisor.start()
    waiter = threading.Thread(target=supervisor.wait_ready, args=(args.ready_timeout,), daemon=True)
    waiter.start()
    shown = False
    exited: tuple[str, int] | None = None
    while not interrupted.is_set():
        if not shown and not waiter.is_alive():
            with supervisor.lock:
                print(banner(port=args.port, setup=setup), flush=True)
            shown = True
        exited = supervisor.first_exit()
        if exited is not None:
            break
        interrupted.wait(0.2)
    with supervisor.lock:
        if exited is not None:
            print(f"\n{exited[0]} exited with status {exited[1]}: stopping the others.", flush=True)
        else:
            print("\nStopping: web, worker and beat finish what they are doing…", flush=True)
    codes = supervisor.stop(args.stop_timeout)
    with supervisor.lock:
        print(
            "Stopped: " + ", ".join(f"{name} ({code})" for name, code in codes.items()), flush=True
        )
    return 0 if exited is None else (exited[1] or 1)


if __name__ == "__main__":
    sys.exit(main())
