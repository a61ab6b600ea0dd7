"""A small loopback HTTP proxy in front of the server, for the reconnect tests (test_reconnect.py).

It plays the reverse proxy of a rolling deploy: in "forward" mode it passes each request to the
server (event streams included, byte for byte as they come); in "502" mode it answers 502 with an
HTML page, as nginx does while no upstream is up, and so it does whenever the server cannot be
reached. `cut()` closes every connection it carries (a proxy restart: all streams drop at once).

Every request is recorded as (monotonic time, listening port index, method, path, status sent).
With `ports=N` it listens on N loopback ports: a page can then hold more event streams than the 6
connections per origin a browser allows over HTTP/1.1 (one origin per port); `cors=True` makes the
proxy answer preflights and allow any origin, so a page on one port may use the others. Each request
is sent upstream with `Connection: close`, so each one is seen (and recorded) separately.
`files` maps a path (e.g. "/__test__/many_clients.html") to a local file the proxy serves itself.
"""

import asyncio
import mimetypes
import threading
import time

CORS_HEADERS = (
    b"Access-Control-Allow-Origin: *\r\n"
    b"Access-Control-Allow-Methods: GET, POST, PATCH, DELETE, OPTIONS\r\n"
    b"Access-Control-Allow-Headers: Authorization, Content-Type, If-Match, X-Client-Id, Last-Event-ID, Accept\r\n"
    b"Access-Control-Max-Age: 600\r\n"
)
BAD_GATEWAY = b"<html><body><h1>502 Bad Gateway</h1></body></html>\n"


class StreamProxy:
    def __init__(self, upstream_port, ports=1, cors=False, files=None):
        self.upstream_port = upstream_port
        self.port_count = ports
        self.cors = cors
        self.files = dict(files or {})
        self.mode = "forward"
        self.ports = []
        self.records = []
        self._records_lock = threading.Lock()
        self._connections = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="stream-proxy", daemon=True)
        self._servers = []

    # ---- control (from the test's thread) ----

    def start(self):
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(timeout=10)
        return self

    def stop(self):
        async def close():
            for server in self._servers:
                server.close()
            for writer in list(self._connections):
                writer.close()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def url(self, index=0):
        return f"http://127.0.0.1:{self.ports[index]}"

    def set_mode(self, mode):
        assert mode in ("forward", "502")
        self.mode = mode

    def cut(self):
        """Closes every connection the proxy carries (each one's client side and upstream)."""
        async def close():
            for writer in list(self._connections):
                writer.close()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=10)

    def requests(self, path_prefix="", status=None, since=0.0):
        with self._records_lock:
            return [record for record in self.records
                    if record[3].startswith(path_prefix) and (status is None or record[4] == status) and record[0] >= since]

    # ---- the proxy (on its own event loop) ----

    async def _listen(self):
        for index in range(self.port_count):
            server = await asyncio.start_server(lambda r, w, index=index: self._serve(r, w, index), "127.0.0.1", 0)
            self._servers.append(server)
            self.ports.append(server.sockets[0].getsockname()[1])

    def _record(self, index, method, path, status):
        with self._records_lock:
            self.records.append((time.monotonic(), index, method, path, status))

    async def _serve(self, reader, writer, index):
        self._connections.add(writer)
        upstream_writer = None
        try:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                return
            request_line, _, header_block = head.partition(b"\r\n")
            method, target = request_line.decode("latin-1").split(" ")[:2]
            path = target.split("?")[0]
            if self.cors and method == "OPTIONS":
                self._record(index, method, path, 204)
                writer.write(b"HTTP/1.1 204 No Content\r\n" + CORS_HEADERS + b"Content-Length: 0\r\nConnection: close\r\n\r\n")
                return
            if path in self.files:
                self._record(index, method, path, 200)
                body = open(self.files[path], "rb").read()
                kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
                if path.endswith(".js"):
                    kind = "text/javascript"
                writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n"
                             "Cache-Control: no-store\r\nConnection: close\r\n\r\n".encode() + body)
                return
            upstream = None
            if self.mode == "forward":
                try:
                    upstream = await asyncio.open_connection("127.0.0.1", self.upstream_port)
                except OSError:
                    upstream = None  # the server is down: a proxy answers 502
            if upstream is None:
                self._record(index, method, path, 502)
                writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\n"
                             + (CORS_HEADERS if self.cors else b"")
                             + f"Content-Length: {len(BAD_GATEWAY)}\r\nConnection: close\r\n\r\n".encode() + BAD_GATEWAY)
                return
            upstream_reader, upstream_writer = upstream
            self._connections.add(upstream_writer)
            headers = [line for line in header_block.split(b"\r\n") if line and not line.lower().startswith(b"connection:")]
            upstream_writer.write(request_line + b"\r\n" + b"\r\n".join(headers + [b"Connection: close"]) + b"\r\n\r\n")
            # The request body, if any (the board's writes), then the answer back.
            pump_up = asyncio.ensure_future(self._pipe(reader, upstream_writer))
            try:
                response_head = await upstream_reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                self._record(index, method, path, 502)
                return
            status = int(response_head.split(b" ", 2)[1])
            self._record(index, method, path, status)
            if self.cors:
                response_head = response_head[:-2] + CORS_HEADERS + b"\r\n"
            writer.write(response_head)
            # Until either end is done: the server ended the answer, or the browser hung up (then the
            # server must see it at once, as it would without the proxy, not at its next write).
            pump_down = asyncio.ensure_future(self._pipe(upstream_reader, writer))
            await asyncio.wait({pump_up, pump_down}, return_when=asyncio.FIRST_COMPLETED)
            pump_up.cancel()
            pump_down.cancel()
        except (ConnectionError, OSError):
            pass
        finally:
            for end in (writer, upstream_writer):
                if end is not None:
                    self._connections.discard(end)
                    end.close()

    @staticmethod
    async def _pipe(source, destination):
        try:
            while True:
                chunk = await source.read(65536)
                if not chunk:
                    return
                destination.write(chunk)
                await destination.drain()
        except (ConnectionError, OSError, asyncio.CancelledError):
            return
