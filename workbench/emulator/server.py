"""Serve the emulator with uvicorn: in a background thread (demo mode, tests) or in the
foreground (`workbench emulator`)."""

from __future__ import annotations

import asyncio
import socket
import threading

from workbench.emulator.config import EmulatorConfig


def _config(app, host: str, port: int, log_level: str):
    import uvicorn

    return uvicorn.Config(app, host=host, port=port, log_level=log_level, access_log=False,
                          lifespan="off", timeout_graceful_shutdown=1, ws="none")


class EmulatorThread:
    """The emulator on its own event loop in a daemon thread, so a busy UI loop never slows it."""

    def __init__(self, config: EmulatorConfig | None = None, host: str = "127.0.0.1",
                 port: int = 0) -> None:
        self.config = config or EmulatorConfig()
        self.host = host
        self.port = port
        self.base_url = ""
        self._server = None
        self._thread: threading.Thread | None = None
        self._app = None

    def start(self, timeout: float = 10.0) -> str:
        """Start and block until it accepts connections; returns its base URL."""
        import uvicorn

        from workbench.emulator.app import create_app

        self._app = create_app(self.config)
        # proto IPPROTO_TCP, so asyncio sets TCP_NODELAY on accepted connections (no Nagle
        # + delayed-ACK stalls of ~40 ms on small responses).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        self._server = uvicorn.Server(_config(self._app, self.host, self.port, "critical"))
        self._server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)

            async def serve() -> None:
                task = asyncio.ensure_future(self._server.serve(sockets=[sock]))
                while not self._server.started and not task.done():
                    await asyncio.sleep(0.005)
                ready.set()
                await task

            try:
                loop.run_until_complete(serve())
            except BaseException as exc:  # reported to start()
                failure.append(exc)
                ready.set()
            finally:
                loop.close()

        self._thread = threading.Thread(target=run, name="workbench-emulator", daemon=True)
        self._thread.start()
        if not ready.wait(timeout) or failure:
            raise RuntimeError(f"emulator did not start: {failure[0] if failure else 'timeout'}")
        self.base_url = f"http://{self.host}:{self.port}"
        return self.base_url

    @property
    def state(self):
        """The emulator's store (tests may inspect it)."""
        return self._app.state.store if self._app else None

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._app is not None:
            self._app.state.store.close()


def bind_socket(host: str, port: int) -> socket.socket:
    """A TCP socket listening on host:port (0: a free port); connections wait in its backlog
    until the server runs. OSError when the port is taken: reported before anything says
    "listening"."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(0)


def serve_forever(config: EmulatorConfig, sock: socket.socket) -> None:
    """Foreground server for the CLI on an already bound socket. Ctrl+C or SIGTERM stop it
    gracefully, and its storage (a temp dir of uploads) is removed either way."""
    import signal

    import uvicorn

    from workbench.emulator.app import create_app

    app = create_app(config)
    host, port = sock.getsockname()[:2]
    server = uvicorn.Server(_config(app, host, port, "warning"))
    # uvicorn shuts down gracefully on SIGTERM, then raises the signal again: our handler
    # turns that into SystemExit, so the `finally` below still runs (the default would not)
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        server.run(sockets=[sock])
    finally:
        signal.signal(signal.SIGTERM, previous)
        app.state.store.close()
        sock.close()
