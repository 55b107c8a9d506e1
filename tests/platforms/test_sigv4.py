"""SigV4: the request our Bedrock adapter signs (botocore's signer, botocore's credential chain)
is the one botocore signs on fixed inputs, and the emulator's own verifier (stdlib) rebuilds the
same canonical request and signature."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.emulator.platforms import sigv4 as verifier

botocore_auth = pytest.importorskip("botocore.auth")
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

WHEN = dt.datetime(2026, 12, 5, 3, 4, 5, tzinfo=dt.UTC)
ACCESS, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
URL = "https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-haiku-4-5-v1:0/invoke"
BODY = b'{"anthropic_version":"bedrock-2023-05-31","max_tokens":5,"messages":[]}'
HEADERS = {"content-type": "application/json", "accept": "application/json",
           "user-agent": "workbench/test", "anthropic-x": "  two   spaces  "}


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(botocore_auth, "get_current_datetime", lambda: WHEN.replace(tzinfo=None))


def botocore_signed(url: str = URL, token: str | None = None) -> tuple[AWSRequest, str]:
    request = AWSRequest(method="POST", url=url, headers=dict(HEADERS), data=BODY)
    signer = botocore_auth.SigV4Auth(Credentials(ACCESS, SECRET, token), "bedrock", "us-east-1")
    signer.add_auth(request)
    # what botocore signed: its canonical request over the headers as they were at signing
    authorization = request.headers["Authorization"]
    del request.headers["Authorization"]
    canonical = signer.canonical_request(request)
    request.headers["Authorization"] = authorization
    return request, canonical


def test_our_signing_is_botocores() -> None:
    from workbench.api.sigv4 import sign, static_credentials

    ours = sign("POST", URL, HEADERS, BODY, static_credentials(ACCESS, SECRET, "session-tok"),
                "us-east-1")
    theirs, _ = botocore_signed(token="session-tok")
    assert ours["Authorization"] == theirs.headers["Authorization"]
    assert ours["X-Amz-Date"] == "20261205T030405Z"
    assert ours["X-Amz-Security-Token"] == "session-tok"


@pytest.mark.parametrize("url", [URL, URL.replace("/invoke", "/invoke-with-response-stream"),
                                 "http://127.0.0.1:8123/bedrock/model/arn%3Aaws%3Ax%2Fy/invoke",
                                 "https://h.example/model/m/invoke?b=2&a=1%2F"])
def test_emulator_verifier_rebuilds_botocores_canonical_request(url: str) -> None:
    request, canonical = botocore_signed(url)
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    headers = {k.lower(): v for k, v in request.headers.items()}
    headers["host"] = parts.netloc
    auth = verifier.parse_authorization(headers["authorization"])
    mine = verifier.canonical_request("POST", parts.path, parts.query, headers,
                                      auth.signed_headers, BODY)
    assert mine == canonical
    assert verifier.signature(SECRET, auth, headers["x-amz-date"], mine) == auth.signature
    assert verifier.verify("POST", parts.path, parts.query, headers, BODY, {ACCESS: SECRET})
    with pytest.raises(verifier.SignatureProblem, match="does not match"):
        verifier.verify("POST", parts.path, parts.query, headers, BODY + b" ", {ACCESS: SECRET})
    with pytest.raises(verifier.SignatureProblem, match="security token"):
        verifier.verify("POST", parts.path, parts.query, headers, BODY, {"AKIDOTHER": SECRET})


def test_aws_published_vector() -> None:
    """AWS's SigV4 test suite, `get-vanilla`: the signature its documentation gives."""
    when = dt.datetime(2015, 8, 30, 12, 36)
    auth = verifier.Authorization(ACCESS, "20150830", "us-east-1", "service",
                                  ("host", "x-amz-date"), "")
    canonical = verifier.canonical_request(
        "GET", "/", "", {"host": "example.amazonaws.com", "x-amz-date": "20150830T123600Z"},
        auth.signed_headers, b"")
    assert verifier.signature(SECRET, auth, when.strftime("%Y%m%dT%H%M%SZ"), canonical) == \
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
