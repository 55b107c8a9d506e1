"""Microsoft Foundry: the Claude API's own paths and bodies under
`https://{resource}.services.ai.azure.com/anthropic`, with the resource's key (sent as
`x-api-key` and `api-key`, like the SDK's `AnthropicFoundry`) or a Microsoft Entra ID token
(from a token command, or azure-identity: the `foundry` extra)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.api.errors import APIStatusError
from workbench.api.platforms.base import (
    LibraryToken,
    PlatformAdapter,
    PlatformSetupError,
    Prepared,
    TokenCommand,
    error_body,
    plain_headers,
    status_error,
)

ENTRA_SCOPE = "https://ai.azure.com/.default"


def default_base_url(resource: str) -> str:
    return f"https://{resource}.services.ai.azure.com/anthropic"


class EntraToken(LibraryToken):
    """`DefaultAzureCredential` from azure-identity (the `foundry` extra)."""

    extra, package, purpose = "foundry", "azure-identity", "a Microsoft Entra ID token for Foundry"
    failing, advice = "Entra ID", "run `az login`, or give the profile a token command"

    def library(self) -> Any:
        import azure.identity

        return azure.identity

    def fetch(self, library: Any) -> str:
        if self._credentials is None:
            self._credentials = library.DefaultAzureCredential()
        return str(self._credentials.get_token(ENTRA_SCOPE).token)


class FoundryAdapter(PlatformAdapter):
    name = "foundry"

    def __init__(self, *, api_version: str, resource: str | None = None,
                 base_url: str | None = None, api_key: str | None = None,
                 token_command: str | None = None, entra: bool = False) -> None:
        if not (resource or base_url):
            raise PlatformSetupError("a Foundry profile needs a resource name or a base URL")
        super().__init__(base_url or default_base_url(resource or ""), api_version)
        self.api_key = api_key
        self._token: TokenCommand | EntraToken | None = None
        if token_command:
            self._token = TokenCommand(token_command, "Entra ID token")
        elif entra or not api_key:
            self._token = EntraToken()

    async def prepare(self, method: str, path: str, headers: Mapping[str, str],
                      content: bytes | None, stream: bool) -> Prepared:
        from workbench.api.platforms.capabilities import feature_of, offers

        feature = feature_of(path)
        if feature is None or not offers(self.name, feature):
            self.refuse_unsupported(method, path)
        out = plain_headers(headers)
        if self._token is not None:
            out["authorization"] = f"Bearer {await self._token.token()}"
        elif self.api_key:
            out["x-api-key"] = out["api-key"] = self.api_key
        return Prepared(self.base_url + path, out, content)

    def error(self, status: int, text: str, headers: Mapping[str, str]) -> APIStatusError | None:
        body, err = error_body(text)
        if not isinstance(err, dict) or err.get("type"):
            return None  # the Claude API's shape
        return status_error(status, f"Foundry: {err.get('message', '')}",
                            headers.get("apim-request-id") or headers.get("x-request-id"),
                            body, headers)

    def secrets(self) -> list[str]:
        return [self.api_key] if self.api_key else []
