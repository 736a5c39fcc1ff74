"""A small RFC 3161 timestamp authority on loopback, for tests and the demo: an HTTP server that
answers `application/timestamp-query` POSTs with `openssl ts -reply`, signing with a TSA
certificate from the platform's issuing CA. Production points `YIWANG_TSA_URL` at a real TSA."""

from __future__ import annotations

import logging
import subprocess
import tempfile
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from yiwang.config import Settings, get_settings
from yiwang.signing import pki
from yiwang.signing.keystore import key_password

log = logging.getLogger(__name__)

QUERY_TYPE, REPLY_TYPE = "application/timestamp-query", "application/timestamp-reply"
MAX_QUERY = 16 * 1024  # a query is a hash and a few fields: some hundred bytes
# A UUID-based OID (ITU-T X.667), which needs no registration: the policy our TSA states.
POLICY_OID = "2.25.146187364914718412609046125484338591237"

CONFIG = """\
[ tsa ]
default_tsa = yiwang
[ yiwang ]
serial = {serial}
crypto_device = builtin
signer_cert = {cert}
certs = {chain}
signer_key = {key}
signer_digest = sha256
default_policy = {policy}
digests = sha256, sha384, sha512
accuracy = secs:1
clock_precision_digits = 0
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


class Authority:
    """Turns timestamp queries into replies; one `openssl ts` at a time, because openssl reads
    and rewrites the serial file without locking it."""

    def __init__(self, settings: Settings | None = None) -> None:
        s = settings or get_settings()
        ca = pki.ensure_ca(s)
        pki.ensure_tsa(ca, s)
        store = pki.keystore(s)
        self._password = key_password(s.secret())
        work = s.var_dir / "tsa"
        work.mkdir(parents=True, exist_ok=True)
        chain = work / "chain.pem"
        chain.write_text(pki.pem(ca.issuing))
        serial = work / "serial"
        if not serial.exists():
            serial.write_text("01\n")
        self.config = work / "tsa.cnf"
        self.config.write_text(
            CONFIG.format(
                serial=serial,
                cert=store.cert_path(pki.TSA),
                chain=chain,
                key=store.key_path(pki.TSA),
                policy=POLICY_OID,
            )
        )
        self._lock = threading.Lock()

    def reply(self, query: bytes) -> bytes:
        """Raises ValueError when openssl refuses the query."""
        with tempfile.TemporaryDirectory(prefix="yiwang-tsa-") as tmp:
            q, r = Path(tmp) / "query.tsq", Path(tmp) / "reply.tsr"
            q.write_bytes(query)
            command = ["openssl", "ts", "-reply", "-config", str(self.config)]
            command += ["-queryfile", str(q), "-out", str(r), "-passin", "stdin"]
            with self._lock:
                done = subprocess.run(  # noqa: S603 - fixed arguments, no shell
                    command,
                    input=self._password + b"\n",
                    capture_output=True,
                    timeout=30,
                    check=False,
                )
            if done.returncode != 0 or not r.exists():
                log.info("openssl ts refused a query: %s", done.stderr.decode(errors="replace"))
                raise ValueError("timestamp query refused")
            return r.read_bytes()


class _Handler(BaseHTTPRequestHandler):
    server: TimestampServer

    def do_POST(self) -> None:
        if self.headers.get_content_type() != QUERY_TYPE:
            self._answer(HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
            return
        length = self.headers.get("Content-Length", "")
        if not length.isdigit() or not 0 < int(length) <= MAX_QUERY:
            self._answer(HTTPStatus.BAD_REQUEST)
            return
        try:
            reply = self.server.authority.reply(self.rfile.read(int(length)))
        except ValueError:
            self._answer(HTTPStatus.BAD_REQUEST)
            return
        self._answer(HTTPStatus.OK, reply)

    def _answer(self, status: HTTPStatus, body: bytes = b"") -> None:
        self.send_response(status)
        self.send_header("Content-Type", REPLY_TYPE if body else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug(format, *args)


class TimestampServer(ThreadingHTTPServer):
    """`with TimestampServer(port=0) as tsa:` serves on a free loopback port in a thread;
    `tsa.url` is what `YIWANG_TSA_URL` should hold."""

    daemon_threads = True

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, settings: Settings | None = None
    ) -> None:
        self.authority = Authority(settings)
        super().__init__((host, port), _Handler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/"

    def start(self) -> TimestampServer:
        self._thread = threading.Thread(target=self.serve_forever, name="yiwang-tsa", daemon=True)
        self._thread.start()
        return self

    def __enter__(self) -> TimestampServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
            self._thread = None
        self.server_close()
