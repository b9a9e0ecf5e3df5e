"""Content codings (gzip, deflate) decoded under a byte cap.

httpx inflates each chunk completely before the caller can count it, so a 1.8 KB body coded
`gzip, gzip` became a gigabyte in memory before the monitor's cap was checked. Here every layer
inflates at most a small piece at a time (zlib's `max_length`) and counts what it produced, so
decoding stops as soon as any layer passes the cap, whatever the compression ratio.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

SUPPORTED = ("gzip", "x-gzip", "deflate")
MAX_LAYERS = 2  # "gzip, gzip" still happens (a CDN compressing a pre-compressed file); three does not
_PIECE = 64 * 1024


class CodingError(ValueError):
    """A content coding that cannot be decoded: unsupported, stacked too deep, or corrupt."""


class TooLarge(ValueError):
    """Decoding produced more than the cap allows."""

    def __init__(self, produced: int, cap: int) -> None:
        super().__init__(f"decoded body exceeds the {cap}-byte cap (stopped decoding)")
        self.produced = produced


def codings_of(header: str | None) -> list[str]:
    """The codings of a Content-Encoding header, in the order they were applied (`identity` dropped).
    Raises CodingError for an unsupported coding or more than MAX_LAYERS."""
    codings = [c.strip().lower() for c in (header or "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    for coding in codings:
        if coding not in SUPPORTED:
            raise CodingError(f"unsupported content coding {coding!r}")
    if len(codings) > MAX_LAYERS:
        raise CodingError(f"{len(codings)} stacked content codings ({', '.join(codings)}); at most {MAX_LAYERS} are accepted")
    return codings


class _Layer:
    def __init__(self, coding: str, cap: int) -> None:
        self.coding = coding
        self.cap = cap
        self.produced = 0
        self._inflater: zlib._Decompress | None = None
        self._finished = False  # a deflate stream ended; what follows is ignored

    def _new(self, head: bytes) -> zlib._Decompress:
        if self.coding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # "deflate" should be zlib-wrapped, but many servers send raw deflate.
        wrapped = len(head) >= 2 and head[0] & 0x0F == 8 and (head[0] * 256 + head[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data and not self._finished:
            if self._inflater is None:
                self._inflater = self._new(data)
            try:
                piece = self._inflater.decompress(data, _PIECE)
            except zlib.error as exc:
                raise CodingError(f"corrupt {self.coding} body: {exc}") from None
            self.produced += len(piece)
            if self.produced > self.cap:
                raise TooLarge(self.produced, self.cap)
            if piece:
                yield piece
            if self._inflater.eof:
                data = self._inflater.unused_data
                if self.coding == "deflate" or not data.startswith(b"\x1f\x8b"):
                    self._finished = True  # trailing bytes after the stream: ignored, as browsers do
                self._inflater = None
            else:
                data = self._inflater.unconsumed_tail

    def flush(self) -> Iterator[bytes]:
        if self._inflater is not None:
            piece = self._inflater.flush(_PIECE)
            self.produced += len(piece)
            if self.produced > self.cap:
                raise TooLarge(self.produced, self.cap)
            if piece:
                yield piece


class BoundedDecoder:
    """Feed raw (coded) chunks, get decoded bytes; raises TooLarge past `cap` decoded bytes at any
    layer, CodingError for corrupt data."""

    def __init__(self, codings: list[str], cap: int) -> None:
        # The last coding applied is the first to undo.
        self._layers = [_Layer(coding, cap) for coding in reversed(codings)]
        self.cap = cap
        self.decoded = 0

    def feed(self, chunk: bytes) -> Iterator[bytes]:
        yield from self._through(0, chunk)

    def finish(self) -> Iterator[bytes]:
        for index, layer in enumerate(self._layers):
            for piece in layer.flush():
                yield from self._through(index + 1, piece)

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self._layers):
            self.decoded += len(data)
            if self.decoded > self.cap:
                raise TooLarge(self.decoded, self.cap)
            yield data
            return
        for piece in self._layers[index].feed(data):
            yield from self._through(index + 1, piece)
