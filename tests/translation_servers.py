"""Local servers on 127.0.0.1 speaking the OpenAI chat-completions and DeepL HTTP protocols.

Both "translate" by a fixed rule (glossary terms replaced by their Japanese form, 【訳】 in front,
full stops made Japanese), count every request with its time, and can be told to answer with an
error: ``server.script`` is a list of answers for the next requests ("429", "500", "malformed",
"wrong_count", "slow"), and ``server.fail_if`` a text whose presence in a request gives 500 always.
The benchmark uses the OpenAI one with a fixed ``delay``.
"""

from __future__ import annotations

import collections
import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

_GLOSSARY_LINE = re.compile(r"^- (.+?) → (.+)$", re.M)


def fake_translate(text: str, glossary: dict[str, str]) -> str:
    for source in sorted(glossary, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(source)}\w*", glossary[source], text)
    text = re.sub(r"\.(\s+|$)", "。", text.strip())
    return "【訳】" + text


class FakeServer:
    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.script: list[str] = []
        self.fail_if = ""
        self.retry_after = "1"
        self.ignore_glossary = False
        self.times: list[float] = []
        self.bodies: list[dict] = []
        self.in_flight = 0
        self.most_in_flight = 0  # requests being answered at the same moment, at most
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                server._handle(self, "GET")

            def do_POST(self) -> None:  # noqa: N802
                server._handle(self, "POST")

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.request_queue_size = 128
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    # bookkeeping

    def start(self) -> FakeServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def count(self) -> int:
        return len(self.times)

    def max_per_second(self) -> int:
        """Most requests that arrived within any one second."""
        times, best, window = sorted(self.times), 0, collections.deque()
        for t in times:
            window.append(t)
            while t - window[0] >= 1.0:
                window.popleft()
            best = max(best, len(window))
        return best

    # HTTP

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = {}
        with self.lock:
            self.times.append(time.monotonic())
            self.bodies.append(body)
            answer = self.script.pop(0) if self.script else ""
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            self._answer(handler, method, body, raw, answer)
        finally:
            with self.lock:
                self.in_flight -= 1

    def _answer(self, handler, method: str, body: dict, raw: bytes, answer: str) -> None:
        if self.delay:
            time.sleep(self.delay)
        try:
            if answer == "429":
                return self.send(
                    handler, 429, {"message": "Too many requests"}, {"Retry-After": self.retry_after}
                )
            if answer == "500" or (self.fail_if and self.fail_if in raw.decode("utf-8", "replace")):
                return self.send(handler, 500, {"message": "Internal error"})
            if answer == "slow":
                time.sleep(2)
            self.route(handler, method, body, answer)
        except (BrokenPipeError, ConnectionResetError):
            pass

    @staticmethod
    def send(handler, status: int, payload, headers: dict | None = None) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    def route(self, handler, method: str, body: dict, answer: str) -> None:
        raise NotImplementedError


class OpenAIServer(FakeServer):
    """POST /v1/chat/completions; the content is {"translations": [{"i", "ja"}]} or {"bullets": [...]}."""

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__(delay)
        self.summary_bullets: list[str] | None = None

    def route(self, handler, method, body, answer):
        if method != "POST" or not handler.path.endswith("/chat/completions"):
            return self.send(handler, 404, {"error": {"message": "not found"}})
        messages = body.get("messages", [])
        system = next((m["content"] for m in messages if m["role"] == "system"), "")
        user = json.loads(next(m["content"] for m in messages if m["role"] == "user"))
        if "箇条書き" in system:
            bullets = self.summary_bullets
            if bullets is None:
                bullets = [p.split("。")[0] + "。" for p in user["paragraphs"]]
            content = json.dumps({"bullets": bullets}, ensure_ascii=False)
        else:
            glossary = {} if self.ignore_glossary else dict(_GLOSSARY_LINE.findall(system))
            items = [{"i": item["i"], "ja": fake_translate(item["text"], glossary)} for item in user["items"]]
            if answer == "wrong_count":
                items = items[:-1] if len(items) > 1 else items * 2
            content = json.dumps({"translations": items}, ensure_ascii=False)
            if answer == "malformed":
                content = content[: len(content) // 2]
        payload = {
            "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", ""),
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
            ],
            "usage": {
                "prompt_tokens": len(json.dumps(messages)) // 4,
                "completion_tokens": len(content) // 2,
                "total_tokens": len(json.dumps(messages)) // 4 + len(content) // 2,
            },
        }
        self.send(handler, 200, payload)

    def translated_texts(self) -> list[str]:
        """Every segment text sent for translation, in order."""
        texts = []
        for body in self.bodies:
            for message in body.get("messages", []):
                if message["role"] == "user" and '"items"' in message["content"]:
                    texts += [item["text"] for item in json.loads(message["content"])["items"]]
        return texts


class DeepLServer(FakeServer):
    """POST /v2/translate, GET and POST /v2/glossaries, as the DeepL API v2 answers them."""

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__(delay)
        self.glossaries: dict[str, dict] = {}

    def route(self, handler, method, body, answer):
        path = handler.path.split("?", 1)[0]
        if not handler.headers.get("Authorization", "").startswith("DeepL-Auth-Key "):
            return self.send(handler, 403, {"message": "Wrong auth key"})
        if path == "/v2/glossaries" and method == "GET":
            return self.send(handler, 200, {"glossaries": [info for info, _ in self.glossaries.values()]})
        if path == "/v2/glossaries" and method == "POST":
            entries = dict(line.split("\t", 1) for line in body["entries"].splitlines() if "\t" in line)
            info = {
                "glossary_id": uuid.uuid4().hex,
                "name": body["name"],
                "ready": True,
                "source_lang": body["source_lang"].lower(),
                "target_lang": body["target_lang"].lower(),
                "creation_time": "2025-03-12T09:15:00.000000Z",
                "entry_count": len(entries),
            }
            self.glossaries[info["glossary_id"]] = (info, entries)
            return self.send(handler, 201, info)
        if path == "/v2/translate" and method == "POST":
            glossary = {}
            if body.get("glossary_id"):
                if body["glossary_id"] not in self.glossaries:
                    return self.send(handler, 404, {"message": "Glossary not found"})
                glossary = self.glossaries[body["glossary_id"]][1]
            if self.ignore_glossary:
                glossary = {}
            texts = body.get("text", [])
            translations = [
                {
                    "detected_source_language": body.get("source_lang") or "EN",
                    "text": fake_translate(text, glossary),
                    "billed_characters": len(text),
                }
                for text in texts
            ]
            if answer == "wrong_count":
                translations = translations[:-1]
            return self.send(handler, 200, {"translations": translations})
        self.send(handler, 404, {"message": "Not found"})

    def translated_texts(self) -> list[str]:
        return [text for body in self.bodies for text in body.get("text", [])]


@pytest.fixture
def openai_server() -> Iterator[OpenAIServer]:
    server = OpenAIServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def deepl_server() -> Iterator[DeepLServer]:
    server = DeepLServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fast_retries(monkeypatch):
    """Backoff of a few milliseconds (Retry-After is still honoured)."""
    from newsdesk.translation import service

    monkeypatch.setattr(service, "BACKOFF_BASE", 0.01)


@pytest.fixture
def use_openai(settings, openai_server, fast_retries) -> OpenAIServer:
    settings.NEWSDESK = {
        **settings.NEWSDESK,
        "TRANSLATOR": "openai",
        "OPENAI_BASE_URL": openai_server.base + "/v1",
        "OPENAI_MODEL": "test-model",
        "OPENAI_API_KEY": "local",
        "TRANSLATION_TIMEOUT": 5.0,
        "TRANSLATION_RETRIES": 2,
    }
    return openai_server


@pytest.fixture
def use_deepl(settings, deepl_server, fast_retries) -> DeepLServer:
    settings.NEWSDESK = {
        **settings.NEWSDESK,
        "TRANSLATOR": "deepl",
        "DEEPL_AUTH_KEY": "local-test-key",
        "DEEPL_SERVER_URL": deepl_server.base,
        "TRANSLATION_TIMEOUT": 5.0,
        "TRANSLATION_RETRIES": 2,
    }
    return deepl_server
