"""The LINE Messaging API calls the LINE channel makes: reply, push, get profile.

Every call has a timeout, and a LINE API that is down, slow or refusing only ever yields a
result that says so, never an exception: the Rasa server must keep running. Logs name the
endpoint and the status, never a user id or a message text.
"""

from __future__ import annotations

import asyncio
import enum
import json
import logging
import uuid
from typing import Any
from urllib.parse import quote

import aiohttp

logger = logging.getLogger(__name__)

DEFAULT_API_BASE_URL = "https://api.line.me"
REPLY_PATH = "/v2/bot/message/reply"
PUSH_PATH = "/v2/bot/message/push"
PROFILE_PATH = "/v2/bot/profile/{user_id}"


class SendResult(enum.Enum):
    """What became of a reply or push request."""

    SENT = "sent"
    # The reply API answers 400 to a reply token that is expired, used or unknown.
    INVALID_REPLY_TOKEN = "invalid_reply_token"
    FAILED = "failed"


def _error_message(body: bytes) -> str:
    """LINE's short error text from an error response body ('Invalid reply token')."""
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    message = data.get("message") if isinstance(data, dict) else None
    return message[:200] if isinstance(message, str) else ""


class LineApi:
    """An aiohttp client of the Messaging API for one channel (its access token)."""

    def __init__(
        self,
        access_token: str,
        base_url: str = DEFAULT_API_BASE_URL,
        *,
        timeout: float = 10.0,
        profile_timeout: float = 3.0,
        push_attempts: int = 3,
        retry_delay: float = 0.5,
    ) -> None:
        self._headers = {"Authorization": f"Bearer {access_token}"}
        self._base_url = base_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        # The profile only seeds the language: never hold a user's answer up for long.
        self._profile_timeout = aiohttp.ClientTimeout(total=profile_timeout)
        self._push_attempts = max(push_attempts, 1)
        self._retry_delay = retry_delay
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        # Created on first use, inside the server's running event loop.
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(headers=self._headers)
        return self._session

    async def close(self) -> None:
        """Closes the HTTP connection pool."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def _request(
        self,
        method: str,
        path: str,
        endpoint: str,
        *,
        payload: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        timeout: aiohttp.ClientTimeout | None = None,
    ) -> tuple[int | None, bytes]:
        """(status, body) of one call, or (None, b"") when LINE could not be reached."""
        try:
            async with self._client().request(
                method,
                self._base_url + path,
                json=payload,
                headers=headers,
                timeout=timeout or self._timeout,
            ) as response:
                return response.status, await response.read()
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.warning("LINE API %s: not reachable (%s)", endpoint, type(error).__name__)
            return None, b""

    async def reply(self, reply_token: str, messages: list[dict[str, Any]]) -> SendResult:
        """Sends up to 5 messages with a reply token (free, but valid for about a minute)."""
        status, body = await self._request(
            "POST",
            REPLY_PATH,
            "reply",
            payload={"replyToken": reply_token, "messages": messages},
        )
        if status == 200:
            return SendResult.SENT
        if status is not None:
            logger.warning("LINE API reply: HTTP %d %s", status, _error_message(body))
        return SendResult.INVALID_REPLY_TOKEN if status == 400 else SendResult.FAILED

    async def push(self, to: str, messages: list[dict[str, Any]]) -> SendResult:
        """Sends up to 5 messages to a user, retrying on network and server errors.

        One X-Line-Retry-Key for all attempts makes LINE deliver the messages at most once
        (a retry of an accepted request gets 409).
        """
        headers = {"X-Line-Retry-Key": str(uuid.uuid4())}
        for attempt in range(self._push_attempts):
            if attempt:
                await asyncio.sleep(self._retry_delay * 2 ** (attempt - 1))
            status, body = await self._request(
                "POST", PUSH_PATH, "push", payload={"to": to, "messages": messages}, headers=headers
            )
            if status in (200, 409):
                return SendResult.SENT
            if status is not None:
                logger.warning("LINE API push: HTTP %d %s", status, _error_message(body))
                if status < 500:  # 4xx, including 429 (rate or monthly limit): retrying is futile
                    return SendResult.FAILED
        return SendResult.FAILED

    async def profile_language(self, user_id: str) -> str | None:
        """The language of a user's LINE app ("ja", "en", "zh-Hant" ...), when LINE tells."""
        status, body = await self._request(
            "GET",
            PROFILE_PATH.format(user_id=quote(user_id, safe="")),
            "profile",
            timeout=self._profile_timeout,
        )
        if status != 200:
            if status is not None:
                logger.info("LINE API profile: HTTP %d", status)
            return None
        try:
            profile = json.loads(body)
        except ValueError:
            return None
        language = profile.get("language") if isinstance(profile, dict) else None
        return language if isinstance(language, str) and language else None
