#!/usr/bin/env python3
"""Writes a minimal valid PDF 1.4 of one A4 page, for gates and fixtures that need a PDF
without a PDF library: `blank` (an empty page, e.g. an attachment) or `scan` (a page that
is only an image, no text, as a scanned letter is).

    scripts/minimal_pdf.py blank|scan OUT.pdf

Written by hand because the gates must not install a PDF library just to make one page."""
import sys
import zlib

CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"


def stream(header, data):
    return b"<< %s/Length %d >>\nstream\n" % (header, len(data)) + data + b"\nendstream"


def blank():
    return [CATALOG, PAGES, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]


def scan():
    pixels = zlib.compress(bytes([200]) * 64)
    return [
        CATALOG,
        PAGES,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        stream(b"", b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
        stream(b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
               b"/BitsPerComponent 8 /Filter /FlateDecode ", pixels),
    ]


def write(objs):
    """The objects numbered from 1, with an xref table of their exact byte offsets."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


if __name__ == "__main__":
    kinds = {"blank": blank, "scan": scan}
    if len(sys.argv) != 3 or sys.argv[1] not in kinds:
        sys.exit("usage: minimal_pdf.py blank|scan OUT.pdf")
    with open(sys.argv[2], "wb") as f:
        f.write(write(kinds[sys.argv[1]]()))
