"""S3 Control: a CONNECT proxy so account-prefixed S3 Control hosts reach the emulator.

Why: S3 Control puts the account id in the host name. With a custom endpoint the SDK's endpoint
rules still call `https://<account-id>.<endpoint host>:<port>/v20180820/...`, so against the
emulator at https://127.0.0.1:PORT the AWS provider reads bucket tags (ListTagsForResource) from
`https://123456789012.127.0.0.1:PORT`, a name no resolver knows. Pointing the provider's
`https_proxy` at this proxy (root.hcl does, in local mode) makes that host reachable: the
provider never proxies loopback addresses or `localhost`, so only the account-prefixed S3 Control
calls come here, and each CONNECT is tunnelled to the emulator's own port, whatever host it
names. The emulator's certificate also names `<account-id>.127.0.0.1` (orchestrator.emulator),
so TLS stays verified end to end. moto then routes `/v20180820/tags/...` to its S3 Control
backend, which reads the same tags as S3's GetBucketTagging.

The proxy only ever connects to 127.0.0.1 on the emulator's port: it is not a general proxy.
Started when the emulator process has ORCH_EMULATOR_PROXY_PORT and ORCH_EMULATOR_PORT.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading

from orchestrator import settings

_HEADER_LIMIT = 16 * 1024


def install() -> None:
    ports = settings.emulator_ports()
    if ports is not None:
        target_port, proxy_port = ports
        start_proxy("127.0.0.1", int(proxy_port), int(target_port))


def start_proxy(host: str, port: int, target_port: int) -> threading.Thread:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((host, port))
    server.listen(64)
    thread = threading.Thread(target=_serve, args=(server, target_port), name="s3control-proxy", daemon=True)
    thread.start()
    return thread


def _serve(server: socket.socket, target_port: int) -> None:
    while True:
        client, _ = server.accept()
        threading.Thread(target=_handle, args=(client, target_port), daemon=True).start()


def parse_connect(head: bytes) -> tuple[str, int] | None:
    """(host, port) of a `CONNECT host:port HTTP/1.1` request head, else None."""
    try:
        method, authority, _version = head.split(b"\r\n", 1)[0].decode("ascii").split(" ")
        host, port = authority.rsplit(":", 1)
        return (host, int(port)) if method == "CONNECT" else None
    except ValueError:
        return None


def _handle(client: socket.socket, target_port: int) -> None:
    with contextlib.closing(client):
        head = b""
        while b"\r\n\r\n" not in head and len(head) < _HEADER_LIMIT:
            chunk = client.recv(4096)
            if not chunk:
                return
            head += chunk
        request = parse_connect(head)
        if request is None or request[1] != target_port:
            client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        try:
            upstream = socket.create_connection(("127.0.0.1", target_port), timeout=10)
        except OSError:
            client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        with contextlib.closing(upstream):
            upstream.settimeout(None)
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            # Bytes the client sent after the request head (the TLS ClientHello) go on too.
            rest = head.split(b"\r\n\r\n", 1)[1]
            if rest:
                upstream.sendall(rest)
            _pipe(client, upstream)


def _pipe(a: socket.socket, b: socket.socket) -> None:
    peers = {a: b, b: a}
    while True:
        readable, _, _ = select.select(list(peers), [], [], 300)
        if not readable:
            return
        for sock in readable:
            data = sock.recv(65536)
            if not data:
                return
            peers[sock].sendall(data)
