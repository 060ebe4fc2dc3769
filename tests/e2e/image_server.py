"""A local image server for the media tests: 127.0.0.1:<ephemeral>, one thread per request.

Every path is an image unless a rule says otherwise: its bytes are a deterministic function
of the path (a real format's magic number, then filler) and its Content-Type follows the
extension. Rules (set by the test, keyed by path) script the failures a host may answer
with: ("status", 404), ("slow", seconds), ("big", bytes) with a Content-Length,
("chunked", bytes) without one, ("type", "text/html"), ("redirect", url), ("size", bytes)
for an image of that size. `hits` counts the requests of each path.
"""
import hashlib
import http.server
import threading
import time

MAGIC = {".jpg": (b"\xff\xd8\xff\xe0", "image/jpeg"), ".png": (b"\x89PNG\r\n\x1a\n", "image/png"),
         ".gif": (b"GIF89a", "image/gif"), ".webp": (b"RIFF\0\0\0\0WEBP", "image/webp")}


def image_bytes(path, size=3000):
    """The bytes served for `path`: magic number, then SHA-256 blocks of the path."""
    ext = path[path.rfind("."):].split("?")[0]
    magic = MAGIC.get(ext, MAGIC[".jpg"])[0]
    out = bytearray(magic)
    block = hashlib.sha256(path.encode()).digest()
    while len(out) < size:
        out += block
        block = hashlib.sha256(block).digest()
    return bytes(out[:size])


def media_type(path):
    ext = path[path.rfind("."):].split("?")[0]
    return MAGIC.get(ext, MAGIC[".jpg"])[1]


class ImageServer:
    def __init__(self):
        self.rules, self.hits, self.lock = {}, {}, threading.Lock()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path.split("?")[0]
                with server.lock:
                    server.hits[path] = server.hits.get(path, 0) + 1
                    rule = server.rules.get(path)
                kind, arg = rule if rule else ("ok", None)
                if kind == "status":
                    return self.reply(arg, "text/plain", b"no")
                if kind == "slow":
                    time.sleep(arg)
                    return self.reply(200, media_type(path), image_bytes(path))
                if kind == "type":
                    return self.reply(200, arg, b"<html>not an image</html>")
                if kind == "redirect":
                    self.send_response(302)
                    self.send_header("Location", arg)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if kind == "big":
                    return self.reply(200, media_type(path), image_bytes(path, arg))
                if kind == "chunked":
                    return self.chunked(path, arg)
                size = arg if kind == "size" else 3000
                return self.reply(200, media_type(path), image_bytes(path, size))

            def reply(self, status, ctype, body):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def chunked(self, path, size):
                self.send_response(200)
                self.send_header("Content-Type", media_type(path))
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                body = image_bytes(path, size)
                try:
                    for i in range(0, len(body), 16384):
                        piece = body[i:i + 16384]
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client that aborts a transfer (too large) is expected

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
