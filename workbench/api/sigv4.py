"""AWS SigV4 for Bedrock profiles, done by botocore (the `bedrock` extra), never by hand.

botocore is the well-kept implementation of both halves: the credential chain (environment,
shared config and credentials files, named profiles, SSO sessions, instance roles) and the
signer. It is imported only when a Bedrock profile signs a request; without it the error says
which extra to install. A Bedrock API key (bearer) needs none of this.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.api.platforms.base import MissingExtra, PlatformSetupError

SERVICE = "bedrock"


def _botocore() -> Any:
    try:
        import botocore.auth
        import botocore.awsrequest
        import botocore.credentials
        import botocore.session
    except ImportError:
        raise MissingExtra("bedrock", "botocore", "signing Bedrock requests (SigV4)") from None
    return botocore


def load_credentials(aws_profile: str | None = None) -> Any:
    """Frozen credentials from the standard AWS chain (blocking: may read files or refresh an
    SSO token; call it in a thread). PlatformSetupError says what is missing."""
    botocore = _botocore()
    try:
        session = botocore.session.Session(profile=aws_profile or None)
        credentials = session.get_credentials()
    except Exception as exc:  # ProfileNotFound, SSO token expired, bad config file, ...
        raise PlatformSetupError(f"AWS credentials: {exc}") from None
    if credentials is None:
        where = f"profile {aws_profile!r}" if aws_profile else "the AWS credential chain"
        raise PlatformSetupError(
            f"no AWS credentials found in {where}: run `aws configure` (or `aws sso login`), "
            "set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or use a Bedrock API key")
    return credentials.get_frozen_credentials()


def static_credentials(access_key: str, secret_key: str, token: str | None = None) -> Any:
    return _botocore().credentials.Credentials(access_key, secret_key, token)


def sign(method: str, url: str, headers: Mapping[str, str], body: bytes | None,
         credentials: Any, region: str) -> dict[str, str]:
    """`headers` plus the SigV4 ones (`Authorization`, `X-Amz-Date`, and the session token if
    any) for this exact request, signed by botocore's `SigV4Auth`."""
    botocore = _botocore()
    request = botocore.awsrequest.AWSRequest(method=method.upper(), url=url,
                                             headers=dict(headers), data=body or b"")
    botocore.auth.SigV4Auth(credentials, SERVICE, region).add_auth(request)
    return {k: v for k, v in request.headers.items() if v is not None}
