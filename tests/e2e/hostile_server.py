#!/usr/bin/env python3
"""A hostile Zhihu server for end-to-end tests: one knob per misbehaviour.

It serves one question (HostileServer.QID) with a small listing on 127.0.0.1, and answers
the same routes on "elsewhere" listeners (127.0.0.2 and another port of 127.0.0.1), so that
a test can tell whether archivist followed a link or a redirect off the base host and what
it sent there. Every request is logged with the listener that received it and its headers.

Knobs (a dict, replaced wholesale by set_knobs or `POST /_hostile/knobs` with a JSON body):
  answers: [ids]            the answers of the listing (default [11, 12])
  nest: {"field": F, "depth": N}
                            F = "id" | "created_time" (first answer of the listing),
                            "probe" (the id of the single-answer reply), "hot" (the hot list's data),
                            "question_id": that value becomes an array nested N deep
  huge_id: N                the first answer's id is a string of N bytes
  huge_title: N             the question's title is N bytes
  huge_error: N             every API route answers 500 with an error object whose code and
                            message are N bytes each
  next: URL                 page 1 says is_end false with paging.next = URL
  redirect: URL             the question route answers 302 with Location: URL
  cards: "unknown"          every listing item is a card of an unknown type
         "mixed"            an unknown card before each answer
         "bare_ids"         a changed shape: /feeds cards carry the answer id as a string
                            target, /answers items are {"type": "answer_ref", "id": …}

usage as a program: hostile_server.py [--port 0]   (prints "PORT OTHER_PORT", serves forever)
"""
import argparse
import http.server
import json
import socketserver
import threading
import urllib.parse

QID = 1000


def _nest(value, depth):
    return "[" * depth + json.dumps(value) + "]" * depth


def _answer(aid, knobs, first):
    nest = knobs.get("nest", {})
    a = {
        "id": aid,
        "type": "answer",
        "author": {"id": "a%d" % aid, "name": "author %d" % aid, "url_token": "u%d" % aid},
        "content": "<p>answer %d</p>" % aid,
        "created_time": 1700000000 + aid,
        "updated_time": 1700000000 + aid,
        "voteup_count": 1,
        "comment_count": 0,
    }
    raw = {}
    if first and nest.get("field") in ("id", "created_time"):
        raw[nest["field"]] = _nest(a[nest["field"]], nest["depth"])
    if first and knobs.get("huge_id"):
        a["id"] = "x" * knobs["huge_id"]
    return a, raw


def _dumps(obj, raw):
    """json.dumps, with the values of `raw` (already JSON text) spliced in unescaped."""
    text = json.dumps(obj, ensure_ascii=False)
    for key, value in raw.items():
        marker = json.dumps("@@%s@@" % key)
        text = text.replace(marker, value, 1)
    return text


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hostile/1"

    def log_message(self, *args):
        pass

    def _send(self, status, body, headers=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if self.path == "/_hostile/knobs":
            self.server.owner.set_knobs(json.loads(body or b"{}"))
            return self._send(200, "{}")
        self._send(404, "{}")

    def do_GET(self):
        owner = self.server.owner
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/_hostile/requests":
            return self._send(200, json.dumps(owner.requests()))
        owner.log(self.server.name, self.path, dict(self.headers.items()))
        knobs = owner.knobs()
        if knobs.get("huge_error"):
            n = knobs["huge_error"]
            return self._send(500, json.dumps({"error": {"code": "c" * n, "message": "m" * n}}))
        parts = [p for p in url.path.split("/") if p]
        if parts[:3] == ["api", "v4", "questions"] and len(parts) == 4:
            return self._question(knobs)
        if parts[:3] == ["api", "v4", "questions"] and len(parts) == 5:
            return self._listing(knobs, feeds=parts[4] == "feeds", query=url.query)
        if parts[:3] == ["api", "v4", "answers"] and len(parts) == 4:
            return self._probe(knobs, parts[3])
        if parts[:3] == ["api", "v3", "feed"]:
            return self._hot(knobs)
        self._send(404, json.dumps({"error": {"code": 404, "message": "no such route"}}))

    def _question(self, knobs):
        if knobs.get("redirect") and self.server.name == "base":
            return self._send(302, "{}", [("Location", knobs["redirect"])])
        q = {"id": str(QID), "title": "T" * knobs.get("huge_title", 0) or "hostile question",
             "created": 1700000000,
             "updated_time": 1700000000, "answer_count": len(knobs.get("answers", [11, 12]))}
        raw = {}
        if knobs.get("nest", {}).get("field") == "question_id":
            q["id"] = "@@id@@"
            raw["id"] = _nest(str(QID), knobs["nest"]["depth"])
        self._send(200, _dumps(q, raw))

    def _listing(self, knobs, feeds, query):
        ids = knobs.get("answers", [11, 12])
        page2 = "page=2" in query
        items, raw = [], {}
        for i, aid in enumerate([] if page2 else ids):
            a, r = _answer(aid, knobs, first=i == 0)
            for key in r:
                a[key] = "@@%s@@" % key
            raw.update(r)
            cards = knobs.get("cards")
            if cards in ("unknown", "mixed"):
                items.append({"type": "zvideo_card", "target_type": "zvideo",
                              "target": {"id": 7000 + aid, "title": "video"}})
                if cards == "unknown":
                    continue
            if not feeds:
                items.append({"type": "answer_ref", "id": aid} if cards == "bare_ids" else a)
            elif cards == "bare_ids":
                items.append({"type": "question_feed_card", "target_type": "answer",
                              "target": str(aid)})
            else:
                items.append({"type": "question_feed_card", "target_type": "answer", "target": a})
        paging = {"is_end": True, "next": ""}
        if knobs.get("next") and not page2 and self.server.name == "base":
            paging = {"is_end": False, "next": knobs["next"]}
        self._send(200, _dumps({"data": items, "paging": paging}, raw))

    def _probe(self, knobs, aid):
        if knobs.get("nest", {}).get("field") == "probe":
            return self._send(200, '{"id": %s}' % _nest(aid, knobs["nest"]["depth"]))
        if int(aid) in knobs.get("answers", [11, 12]):
            a, _ = _answer(int(aid), {}, first=False)
            return self._send(200, json.dumps(a))
        self._send(404, json.dumps({"error": {"code": 4041, "message": "gone"}}))

    def _hot(self, knobs):
        if knobs.get("nest", {}).get("field") == "hot":
            return self._send(200, '{"data": %s}' % _nest([], knobs["nest"]["depth"]))
        self._send(200, json.dumps({"data": [
            {"target": {"id": QID, "title": "hostile question"}, "detail_text": "1 万热度"}]}))


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class HostileServer:
    """The base listener on 127.0.0.1 and two "elsewhere" listeners; serve in threads."""

    def __init__(self, port=0):
        self._lock = threading.Lock()
        self._knobs = {}
        self._requests = []
        self.base = self._listen("base", "127.0.0.1", port)
        self.other_host = self._listen("other_host", "127.0.0.2", 0)
        self.other_port = self._listen("other_port", "127.0.0.1", 0)
        for s in (self.base, self.other_host, self.other_port):
            threading.Thread(target=s.serve_forever, daemon=True).start()

    def _listen(self, name, address, port):
        s = _Server((address, port), Handler)
        s.owner, s.name = self, name
        return s

    @staticmethod
    def url(server):
        host, port = server.server_address[:2]
        return "http://%s:%d" % (host, port)

    def set_knobs(self, knobs):
        with self._lock:
            self._knobs = dict(knobs)

    def knobs(self):
        with self._lock:
            return dict(self._knobs)

    def log(self, listener, path, headers):
        with self._lock:
            self._requests.append({"listener": listener, "path": path, "headers": headers})

    def requests(self):
        with self._lock:
            return list(self._requests)

    def clear(self):
        with self._lock:
            self._requests = []

    def close(self):
        for s in (self.base, self.other_host, self.other_port):
            s.shutdown()
            s.server_close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    args = p.parse_args()
    server = HostileServer(args.port)
    print(server.base.server_address[1], server.other_host.server_address[1], flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
