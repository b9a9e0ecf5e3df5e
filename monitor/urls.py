"""URL identity: one canonical URL per article, and the variants that point to it.

`canonicalize` is lossless for the article's identity: it lowercases scheme and host, drops the
default port, the fragment and tracking parameters, and keeps every other query parameter in
order (Korean CMS URLs such as `articleView.html?idxno=123` differ only in the query).
`variants` adds the forms an AMP or mobile copy would have, used to find an already-stored
article before fetching the same story again. The page's own rel=canonical settles the rest, and
teaches how the site's variants map (`variant_rules`): later variant links of that site are
fetched at their canonical URL (`apply_rules`), never at the AMP or mobile copy.
"""

from __future__ import annotations

import base64
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

# Parameters that only say where a click came from.
_TRACKING_EXACT = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "ref_src", "ref_url", "cmpid", "ncid", "ocid", "sr_share",
    "spm", "_ns", "_fr", "rss_type", "fromrss", "from_rss", "smid", "mbid",
}  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "ito_")
# Parameters that are tracking only when their value names a feed or a social site
# (`ref=rss`, Yonhap's `input=1195m`); elsewhere they can select content.
_TRACKING_IF_VALUE = {"ref", "from", "src", "source", "input", "fr", "via", "cid"}
_TRACKING_VALUE = re.compile(r"^(rss|rdf|atom|feed|feeds|xml|twitter|facebook|fb|tw|newsletter|sns|\d{3,4}m)$", re.I)

_DEFAULT_PORTS = {"http": 80, "https": 443}
_AMP_QUERY = {("amp", "1"), ("amp", "true"), ("amp", ""), ("outputtype", "amp"), ("output", "amp")}
_MOBILE_HOST = re.compile(r"^(?:m|mobile|amp)\.")
# Characters left as they are in a path or query; everything else is percent-encoded (upper case).
_SAFE_PATH = "/:@!$&'()*+,;=-._~%"


def canonicalize(url: str) -> str:
    """The canonical form of an article URL (see module docstring). Raises ValueError if not http(s)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = parts.hostname.rstrip(".").lower()
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    netloc = f"[{host}]" if ":" in host else host
    if parts.port and parts.port != _DEFAULT_PORTS[scheme]:
        netloc += f":{parts.port}"
    path = _normalize_percent(parts.path) or "/"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k, v)],
        quote_via=quote,
        safe=_SAFE_PATH.replace("&", "").replace("=", ""),
    )
    return urlunsplit((scheme, netloc, path, query, ""))


def _normalize_percent(path: str) -> str:
    return quote(unquote(path), safe=_SAFE_PATH.replace("%", ""))


def _is_tracking(key: str, value: str) -> bool:
    key = key.lower()
    if key in _TRACKING_EXACT or key.startswith(_TRACKING_PREFIXES):
        return True
    return key in _TRACKING_IF_VALUE and bool(_TRACKING_VALUE.match(value))


def without_amp(url: str) -> str:
    """The non-AMP form of a canonical URL: `/amp/` segments, a trailing `/amp`, `.amp.html`,
    `?amp=1` and `?outputType=amp` removed."""
    parts = urlsplit(url)
    path = re.sub(r"/amp(?=/|$)", "", parts.path) or "/"
    path = re.sub(r"\.amp(\.html?)$", r"\1", path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if (k.lower(), v.lower()) not in _AMP_QUERY]
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query, quote_via=quote), ""))


def without_mobile(url: str) -> str:
    """The desktop host of a mobile or AMP host: m.example.com -> www.example.com."""
    parts = urlsplit(url)
    if not _MOBILE_HOST.match(parts.netloc):
        return url
    return urlunsplit((parts.scheme, _MOBILE_HOST.sub("www.", parts.netloc), parts.path, parts.query, ""))


def variants(url: str) -> list[str]:
    """The canonical URL first, then the forms an AMP or mobile copy of the same page maps to."""
    canonical = canonicalize(url)
    forms = [canonical, without_amp(canonical), without_mobile(canonical), without_mobile(without_amp(canonical))]
    return list(dict.fromkeys(forms))


def variant_rules(variant: str, canonical: str) -> set[str]:
    """The rules by which a site's `variant` URL becomes its `canonical` one (a page fetched at
    `variant` declared `canonical` its rel=canonical): "amp" when dropping the AMP forms
    (`without_amp`) does it, "host:<variant host>><canonical host>" when a mobile or AMP host
    (m., mobile., amp.) serves the same path as the canonical host. Empty when neither does."""
    try:
        variant, canonical = canonicalize(variant), canonicalize(canonical)
    except ValueError:
        return set()
    if variant == canonical or site_key(variant) != site_key(canonical):
        return set()
    rules = set()
    stripped = without_amp(variant)
    if stripped != variant:
        rules.add("amp")
    v, c = urlsplit(stripped), urlsplit(canonical)
    if v.netloc != c.netloc and _MOBILE_HOST.match(v.netloc):
        rules.add(f"host:{v.netloc}>{c.netloc}")
    return rules if apply_rules(variant, rules) == canonical else set()


def apply_rules(url: str, rules: set[str] | frozenset[str]) -> str:
    """`url` (canonicalized) with its site's `variant_rules` applied: the canonical URL of an AMP or
    mobile variant on a site whose variants are known. Raises ValueError if not http(s)."""
    url = canonicalize(url)
    if not rules:
        return url
    parts = urlsplit(url)
    for rule in rules:
        if rule.startswith("host:"):
            source, target = rule[len("host:") :].split(">", 1)
            if parts.netloc == source:
                url = urlunsplit((parts.scheme, target, parts.path, parts.query, ""))
                break
    return without_amp(url) if "amp" in rules else url


def site_key(url: str) -> str:
    """Host without `www.`, `m.`, `mobile.` or `amp.`, with any explicit port."""
    netloc = urlsplit(url).netloc.lower()
    return re.sub(r"^(?:www|m|mobile|amp)\.", "", netloc)


def same_site(a: str, b: str) -> bool:
    """Whether two URLs belong to one site (so a page's rel=canonical may be trusted)."""
    ka, kb = site_key(a), site_key(b)
    return ka == kb or ka.endswith("." + kb) or kb.endswith("." + ka)


def is_opaque(url: str, patterns: tuple[str, ...]) -> bool:
    """Whether a link is an aggregator's redirect rather than the article's own URL."""
    return any(re.search(pattern, url) for pattern in patterns)


def decode_google_news(url: str) -> str | None:
    """The article URL packed inside an older-style Google News link (`/rss/articles/CBMi...`),
    where the id is base64 of a small protobuf holding the URL. None for the newer opaque ids,
    which need a request to resolve."""
    match = re.search(r"/articles/([A-Za-z0-9_-]+)", urlsplit(url).path)
    if not match:
        return None
    token = match.group(1)
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, base64.binascii.Error):
        return None
    found = re.search(rb"https?://[\x21-\x7e]+", raw)
    if not found:
        return None
    candidate = found.group().decode("ascii")
    # The protobuf may append a length byte and a second (AMP) URL; keep the first URL only.
    candidate = re.split(r"[\x00-\x1f\x7f]|(?<=.)(?=https?://)", candidate)[0]
    return candidate if urlsplit(candidate).hostname else None
