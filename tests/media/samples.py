"""Small real files of each kind, built in memory."""
import io
import zipfile

from PIL import Image

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 40
VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\n牛舍消毒\n".encode()
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_SAFE = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
SVG_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
SVG_HANDLER = b'<svg xmlns="http://www.w3.org/2000/svg"><rect onload="alert(1)"/></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def png(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def zip_bytes(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": "<w>牛羊</w>".encode()})
