"""The HTTP side of the CBS client (wijk.data.cbs): one session per refresh with timeouts, retries and one
deadline, and the rules CBS's servers need.

- Connection errors, resets and 5xx are retried by urllib3 with backoff. A 200 whose body is cut off or is no
  JSON (a truncated page) is asked again, up to the same number of retries, instead of abandoning the API.
- A 429 is retried after its Retry-After only when that wait fits in the time left; otherwise the refresh stops
  at once with one sentence (urllib3 would sleep as long as the server asks, past the deadline).
- Every URL the client builds stays under MAX_URL bytes: CBS resets over-long URLs (edwindj/cbsodataR#16).
  The callers split their queries (cbs.fetch_*); a longer URL here is a programming error.
"""

from __future__ import annotations

import os
import re
import time
from email.utils import parsedate_to_datetime
from typing import Protocol
from urllib.parse import urljoin

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from wijk.core.i18n import Message, MessageError


class TableRef(Protocol):
    """What the client needs of a table (wijk.data.cbs.CbsTable), without importing it back (no cycle)."""

    @property
    def table_id(self) -> str: ...

    @property
    def catalog(self) -> str: ...


V3_FEED = "ODataFeed/odata"
V4_HOST = "datasets.cbs.nl"
V4_ROOT = "odata/v1/CBS"
MAX_URL = 2000  # bytes per request URL
_BODY_ERRORS = (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)


class CBSUnavailable(MessageError):
    """CBS could not be reached or answered with an error: one clear sentence (a Message), the short cause
    (`detail`: plain text such as 'HTTP 503', or a Message) for the sentences that name it, and the HTTP
    status when CBS answered (404: the table is not there)."""

    def __init__(self, message: Message, detail: Message | str = "", status: int | None = None):
        super().__init__(message)
        self.detail: Message | str = detail or message
        self.status = status


def base_url(host: str) -> str:
    """https://<host>, or the override in WIJK_CBS_BASE (a recorded-fixture server in tests and bench)."""
    return os.environ.get("WIJK_CBS_BASE", "").rstrip("/") or f"https://{host}"


def url_length(url: str, params: dict | None) -> int:
    """Bytes of the URL `requests` sends for url + params (encoded as on the wire)."""
    return len(requests.Request("GET", url, params=params).prepare().url or "")


class Client:
    """One session per refresh: retries, timeouts, a deadline, metadata read once, a request count."""

    def __init__(self, timeout: float = 10.0, deadline: float = 600.0, retries: int = 3, backoff: float = 0.3):
        self.timeout = timeout
        self.connect_timeout = min(timeout, 5.0)
        self.ends = time.monotonic() + deadline
        self.retries = retries
        self.backoff = backoff
        self.requests = 0
        self.session = requests.Session()
        retry = Retry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            backoff_factor=backoff,
            backoff_max=4.0,
            status_forcelist=(500, 502, 503, 504),  # 429 is handled in `get`, against the deadline
            allowed_methods={"GET"},
            respect_retry_after_header=False,
            raise_on_status=False,
        )
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._meta: dict[tuple[str, str], list[dict]] = {}

    def remaining(self) -> float:
        return self.ends - time.monotonic()

    def get(self, url: str, params: dict | None = None) -> dict:
        """One JSON answer; a truncated or invalid body and a 429 that fits in the time left are asked again."""
        length = url_length(url, params)
        if params is not None and length > MAX_URL:
            raise ValueError(f"request URL of {length} bytes (CBS resets URLs over {MAX_URL}); split the query")
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                resp = self._send(url, params)
            except CBSUnavailable as exc:
                if last or not isinstance(exc.__cause__, _BODY_ERRORS):
                    raise
                time.sleep(min(self.backoff * 2**attempt, max(0.0, self.remaining())))
                continue  # the answer broke off mid-body: ask again
            if resp.status_code == 429:
                wait = _retry_after(resp.headers.get("Retry-After"))
                if last or wait > self.remaining() - 0.5:
                    raise CBSUnavailable(
                        Message.of(
                            "cbs_retry_after", url=_short(url), wait=round(wait), left=max(0, round(self.remaining()))
                        ),
                        "HTTP 429",
                        429,
                    )
                time.sleep(wait)
                continue
            if resp.status_code != 200:
                raise CBSUnavailable(
                    Message.of("cbs_http_status", status=resp.status_code, url=_short(url)),
                    f"HTTP {resp.status_code}",
                    resp.status_code,
                )
            try:
                body = resp.json()
                if isinstance(body, dict):
                    return body
            except (ValueError, requests.RequestException):
                pass
            if last:
                raise CBSUnavailable(Message.of("cbs_bad_json", url=_short(url)), Message.of("cbs_detail_no_json"))
            time.sleep(min(self.backoff * 2**attempt, max(0.0, self.remaining())))
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _send(self, url: str, params: dict | None) -> requests.Response:
        left = self.remaining()
        if left <= 0:
            raise CBSUnavailable(Message.of("cbs_deadline"), Message.of("cbs_detail_deadline"))
        self.requests += 1
        try:
            return self.session.get(
                url, params=params, timeout=(min(self.connect_timeout, left), min(self.timeout, left))
            )
        except requests.RequestException as exc:
            reason = _reason(exc)
            raise CBSUnavailable(Message.of("cbs_no_answer", url=_short(url), reason=reason), reason) from exc

    def pages(self, url: str, params: dict | None = None) -> list[dict]:
        """All rows of a Feed query, following odata.nextLink (v3) or @odata.nextLink (v4)."""
        rows: list[dict] = []
        next_url: str | None = url
        while next_url:
            page = self.get(next_url, params)
            rows.extend(page.get("value", []))
            link = page.get("odata.nextLink") or page.get("@odata.nextLink")
            next_url = urljoin(next_url, link) if link else None  # absolute in practice; relative allowed
            params = None  # the next link carries the query
        return rows

    def meta(self, table: TableRef, name: str) -> list[dict]:
        """TableInfos / DataProperties (v3) or MeasureCodes / MeasureGroups (v4) of a table, read once per client."""
        key = (table.table_id, name)
        if key not in self._meta:
            v4 = name in ("MeasureCodes", "MeasureGroups")
            root = (
                f"{base_url(V4_HOST)}/{V4_ROOT}/{table.table_id}"
                if v4
                else f"{base_url(table.catalog)}/{V3_FEED}/{table.table_id}"
            )
            self._meta[key] = self.pages(f"{root}/{name}", None if v4 else {"$format": "json"})
        return self._meta[key]

    def probe(self, table: TableRef) -> None:
        """Reachability: the service document of the table on the endpoint the downloads use; status counts."""
        self.get(f"{base_url(table.catalog)}/{V3_FEED}/{table.table_id}/", {"$format": "json"})


def _retry_after(value: str | None) -> float:
    """Seconds from a Retry-After header (seconds or an HTTP date); 1 s when absent or unreadable."""
    if not value:
        return 1.0
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return 1.0


def _reason(exc: Exception) -> Message | str:
    """The cause of a failed request, short: 'ConnectionError: timed out' (the library's words, kept as
    they are) or, for a name that could not be looked up, a sentence for the user."""
    text = str(exc).lower()
    name = type(exc).__name__
    if "resolve" in text or "name or service" in text:
        return Message.of("cbs_reason_no_name", error=name)
    for word in ("timed out", "connection reset", "connection refused", "max retries"):  # most specific first
        if word in text:
            return f"{name}: {word}"
    return name


def _short(url: str) -> str:
    return re.sub(r"\?.*$", "", url)[:120]
