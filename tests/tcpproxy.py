"""A TCP proxy between the importer and a database server, that a test cuts and restores: what a server going down
and coming back looks like from the client, without touching the server others use."""

from __future__ import annotations

import socket
import threading
from contextlib import suppress
from types import TracebackType

from sqlalchemy.engine import make_url

DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306, "mariadb": 3306}


class Proxy:
    """Listens on a port of its own once `up`; `cut` drops every connection through it and refuses new ones."""

    def __init__(self, url: str) -> None:
        server = make_url(url)
        self.upstream = (server.host or "127.0.0.1", server.port or DEFAULT_PORTS[server.get_backend_name()])
        with socket.socket() as probe:  # a port nothing listens on
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = server.set(host="127.0.0.1", port=self.port).render_as_string(hide_password=False)
        self.listener: socket.socket | None = None
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()

    def __enter__(self) -> Proxy:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.cut()

    def up(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port))  # SO_REUSEADDR: the same port again
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def cut(self) -> None:
        listener, self.listener = self.listener, None
        with self.lock:
            sockets, self.sockets = self.sockets, set()
        for sock in ([listener] if listener else []) + list(sockets):
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes the thread waiting on it, which a close would not
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # cut
                return
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            for sock in (client, server):  # pass each message on at once, as the client and server send it
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self.lock:
                self.sockets |= {client, server}
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(1 << 16):
                sink.sendall(data)
        except OSError:
            pass
        finally:  # one side ended: end the other too
            for sock in (source, sink):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            with self.lock:
                self.sockets.discard(source)
            source.close()
