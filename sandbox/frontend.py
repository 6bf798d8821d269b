"""What Google's API front end refuses before any Forms, Drive or Sheets backend sees a call: an API that is
not enabled for the caller's Cloud project, and a request body over the 10 MiB payload limit.

Both answers come from the shared front end, so they look alike in every API. An API that is not enabled
answers 403 PERMISSION_DENIED with a ``details`` list (google.rpc ErrorInfo reason SERVICE_DISABLED, a
LocalizedMessage and a Help link), and Drive v3 also carries its legacy ``errors[0]`` reason
``accessNotConfigured``, domain ``usageLimits``: the shapes of real answers people pasted (sources in
sandbox/README.md); the reason is defined in google/api/error_reason.proto (SERVICE_DISABLED). The payload
limit answers 400 "Request payload size exceeds the limit: 10485760 bytes." (googleworkspace/dotnet-samples
issue 23).
"""

from __future__ import annotations

from typing import Any

from sandbox.core import ApiError

PROJECT_NUMBER = "612093744581"  # the sandbox's Cloud project (the service account's home)
MAX_BODY_BYTES = 10 * 1024 * 1024  # 10485760
API_NAMES = ("forms", "drive", "sheets")
SERVICES = {
    "forms": "forms.googleapis.com",
    "drive": "drive.googleapis.com",
    "sheets": "sheets.googleapis.com",
}
SERVICE_TITLES = {
    "forms": "Google Forms API",
    "drive": "Google Drive API",
    "sheets": "Google Sheets API",
}


def activation_url(api: str) -> str:
    return f"https://console.developers.google.com/apis/api/{SERVICES[api]}/overview?project={PROJECT_NUMBER}"


def service_disabled(api: str) -> ApiError:
    """The 403 an API answers when it is not enabled in the caller's project."""
    url = activation_url(api)
    message = (
        f"{SERVICE_TITLES[api]} has not been used in project {PROJECT_NUMBER} before or it is disabled. "
        f"Enable it by visiting {url} then retry. If you enabled this API recently, wait a few minutes for "
        "the action to propagate to our systems and retry."
    )
    details: list[dict[str, Any]] = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "SERVICE_DISABLED",
            "domain": "googleapis.com",
            "metadata": {
                "serviceTitle": SERVICE_TITLES[api],
                "containerInfo": PROJECT_NUMBER,
                "service": SERVICES[api],
                "activationUrl": url,
                "consumer": f"projects/{PROJECT_NUMBER}",
            },
        },
        {"@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US", "message": message},
        {
            "@type": "type.googleapis.com/google.rpc.Help",
            "links": [{"description": "Google developers console API activation", "url": url}],
        },
    ]
    return ApiError(
        403,
        message,
        status="PERMISSION_DENIED",
        reason="accessNotConfigured",
        domain="usageLimits",
        extended_help="https://console.developers.google.com",
        details=details,
    )


def payload_too_large() -> ApiError:
    """The 400 for a request body over 10 MiB, answered before the body is parsed."""
    return ApiError(
        400, f"Request payload size exceeds the limit: {MAX_BODY_BYTES} bytes.", reason="badRequest"
    )


class Apis:
    """Which APIs the sandbox's Cloud project has enabled (all by default): ``POST /sandbox/apis``."""

    def __init__(self) -> None:
        self.enabled = dict.fromkeys(API_NAMES, True)

    def configure(self, body: dict[str, Any]) -> None:
        bad = {k: v for k, v in body.items() if k not in self.enabled or not isinstance(v, bool)}
        if bad:
            raise ApiError(400, f'APIs are switched with {{"forms": false, "drive": true}}; not {bad!r}.')
        self.enabled.update(body)

    def describe(self) -> dict[str, bool]:
        return dict(self.enabled)

    def check(self, api: str) -> None:
        """Raise the front end's 403 for an API that is switched off."""
        if not self.enabled.get(api, True):
            raise service_disabled(api)
