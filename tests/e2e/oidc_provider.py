"""A tiny OpenID Connect provider on 127.0.0.1 for the login test: a real HTTP server that Streamlit's ``st.login``
(Authlib) talks to exactly as it would to Google or Okta, because no external provider is reachable here.

It knows one client and one user and approves every authorization request at once (no login form), but does
what a real provider checks: the client's redirect_uri, a one-time code bound to that redirect_uri, the client
secret at /token, PKCE (S256) when the client sends a challenge, and an RS256-signed id_token carrying the
nonce, verifiable with the key at /jwks. Every request is recorded in ``calls`` so a test can show the
flow went through the provider. Signing uses joserfc, the JOSE library Authlib itself verifies with
(``authlib.jose`` is deprecated in Authlib 1.9).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey


@dataclass
class Provider:
    """The provider's settings and what it saw; ``issuer`` is its base URL once started."""

    client_id: str
    client_secret: str
    redirect_uri: str
    user: dict[str, Any]
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "test-key"}))
    issuer: str = ""
    #: sign id_tokens with another key under the same kid, as a forger would: the client must reject them
    forge: bool = False
    calls: list[str] = field(default_factory=list)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "grant_types_supported": ["authorization_code"],
        }

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300, "nonce": nonce}
        key = RSAKey.generate_key(2048, parameters={"kid": self.key.kid}) if self.forge else self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid}, {**self.user, **claims}, key)


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        """The five endpoints; anything wrong gets the OAuth error a real provider would send."""

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
            pass

        def _json(self, body: dict[str, Any], status: int = 200) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            with provider.lock:
                provider.calls.append(url.path)
            if url.path == "/.well-known/openid-configuration":
                self._json(provider.metadata())
            elif url.path == "/jwks":
                self._json({"keys": [provider.key.as_dict(private=False)]})
            elif url.path == "/authorize":
                self._authorize(query)
            elif url.path == "/userinfo":
                bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
                with provider.lock:
                    found = provider.tokens.get(bearer)
                self._json(found) if found else self._json({"error": "invalid_token"}, 401)
            else:
                self._json({"error": "not_found"}, 404)

        def _authorize(self, query: dict[str, str]) -> None:
            if query.get("client_id") != provider.client_id or query.get("redirect_uri") != provider.redirect_uri:
                self._json({"error": "invalid_request", "error_description": "unknown client or redirect_uri"}, 400)
                return
            if query.get("response_type") != "code" or "openid" not in query.get("scope", "").split():
                self._json({"error": "invalid_request", "error_description": "code flow with openid only"}, 400)
                return
            code = secrets.token_urlsafe(24)
            with provider.lock:
                provider.codes[code] = {
                    "redirect_uri": query["redirect_uri"],
                    "nonce": query.get("nonce", ""),
                    "challenge": query.get("code_challenge", ""),
                }
            back = {"code": code, **({"state": query["state"]} if "state" in query else {})}
            self.send_response(302)
            self.send_header("Location", f"{query['redirect_uri']}?{urlencode(back)}")
            self.end_headers()

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            with provider.lock:
                provider.calls.append(url.path)
            if url.path != "/token":
                self._json({"error": "not_found"}, 404)
                return
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            client_id, client_secret = form.get("client_id"), form.get("client_secret")
            basic = self.headers.get("Authorization", "")
            if basic.startswith("Basic "):
                client_id, _, client_secret = base64.b64decode(basic[6:]).decode().partition(":")
            if (client_id, client_secret) != (provider.client_id, provider.client_secret):
                self._json({"error": "invalid_client"}, 401)
                return
            with provider.lock:
                grant = provider.codes.pop(form.get("code", ""), None)  # a code works once
            if form.get("grant_type") != "authorization_code" or grant is None:
                self._json({"error": "invalid_grant"}, 400)
                return
            if form.get("redirect_uri") != grant["redirect_uri"]:
                self._json({"error": "invalid_grant", "error_description": "redirect_uri differs"}, 400)
                return
            if grant["challenge"]:
                digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
                    self._json({"error": "invalid_grant", "error_description": "PKCE verifier"}, 400)
                    return
            access = secrets.token_urlsafe(24)
            with provider.lock:
                provider.tokens[access] = dict(provider.user)
            self._json(
                {
                    "access_token": access,
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": provider.id_token(grant["nonce"]),
                }
            )

    return Handler


@contextmanager
def running(provider: Provider) -> Iterator[Provider]:
    """Serve ``provider`` on a free port of 127.0.0.1 for the duration of the block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
