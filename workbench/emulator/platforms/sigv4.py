"""Checking AWS Signature Version 4 on the server side, as Bedrock does (stdlib only).

The client side signs with botocore (`workbench.api.sigv4`); this verifier rebuilds the same
canonical request from what arrived, so the tests hold the two against each other on fixed
inputs. Only the header form (`Authorization: AWS4-HMAC-SHA256 ...`) is accepted.
"""

from __future__ import annotations

import hashlib
import hmac
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, unquote

ALGORITHM = "AWS4-HMAC-SHA256"


class SignatureProblem(Exception):
    """Why a signature is refused: `code` is the AWS error type, `message` its text."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Authorization:
    access_key: str
    date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_authorization(value: str) -> Authorization:
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise SignatureProblem("IncompleteSignatureException",
                               f"Unsupported AWS 'algorithm': '{algorithm}'")
    parts = {}
    for item in rest.split(","):
        key, _, val = item.strip().partition("=")
        parts[key] = val
    try:
        access_key, date, region, service, terminator = parts["Credential"].split("/")
        signed = tuple(parts["SignedHeaders"].split(";"))
        signature = parts["Signature"]
    except (KeyError, ValueError):
        raise SignatureProblem(
            "IncompleteSignatureException",
            "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' "
            "parameters.") from None
    if terminator != "aws4_request":
        raise SignatureProblem("IncompleteSignatureException", "Credential should be scoped "
                               "with a valid terminator: 'aws4_request'.")
    return Authorization(access_key, date, region, service, signed, signature)


def canonical_uri(raw_path: str) -> str:
    """botocore's rule for services other than S3: dot segments removed, then the path as
    sent quoted once more (so `%3A` becomes `%253A`)."""
    path = raw_path or "/"
    normalized = posixpath.normpath(path)
    if path.endswith("/") and normalized != "/":
        normalized += "/"
    return quote(normalized, safe="/~")


def canonical_query(raw_query: str) -> str:
    pairs = []
    for item in raw_query.split("&") if raw_query else []:
        key, _, value = item.partition("=")
        pairs.append((quote(unquote(key), safe="-_.~"), quote(unquote(value), safe="-_.~")))
    return "&".join(f"{k}={v}" for k, v in sorted(pairs))


def canonical_request(method: str, raw_path: str, raw_query: str,
                      headers: Mapping[str, str], signed: tuple[str, ...], body: bytes) -> str:
    lines = [f"{name}:{' '.join(headers.get(name, '').split())}" for name in signed]
    payload = headers.get("x-amz-content-sha256") or hashlib.sha256(body).hexdigest()
    return "\n".join([method.upper(), canonical_uri(raw_path), canonical_query(raw_query),
                      "\n".join(lines) + "\n", ";".join(signed), payload])


def signature(secret: str, auth: Authorization, amz_date: str, canonical: str) -> str:
    scope = f"{auth.date}/{auth.region}/{auth.service}/aws4_request"
    to_sign = "\n".join([ALGORITHM, amz_date, scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + secret).encode()
    for part in (auth.date, auth.region, auth.service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def verify(method: str, raw_path: str, raw_query: str, headers: Mapping[str, str], body: bytes,
           secrets: Mapping[str, str], service: str = "bedrock") -> Authorization:
    """The parsed authorization when the signature holds; SignatureProblem otherwise.
    `headers` must have lower-case names."""
    value = headers.get("authorization", "")
    if not value:
        raise SignatureProblem("MissingAuthenticationTokenException",
                               "Missing Authentication Token")
    auth = parse_authorization(value)
    secret = secrets.get(auth.access_key)
    if secret is None:
        raise SignatureProblem("UnrecognizedClientException",
                               "The security token included in the request is invalid.")
    amz_date = headers.get("x-amz-date", "")
    if auth.service != service or not amz_date.startswith(auth.date) or "host" not in \
            auth.signed_headers:
        raise SignatureProblem("InvalidSignatureException", "Credential should be scoped to "
                               f"correct service: '{service}'.")
    canonical = canonical_request(method, raw_path, raw_query, headers, auth.signed_headers,
                                  body)
    if not hmac.compare_digest(signature(secret, auth, amz_date, canonical), auth.signature):
        raise SignatureProblem(
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.")
    return auth
