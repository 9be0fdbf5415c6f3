"""The attachment allow-list: extension -> content type and a check of the file's signature."""
import io
import zipfile

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def _starts(*magics):
    return lambda head, stream: any(head.startswith(m) for m in magics)


def _zip_with(prefix=None):
    """A ZIP archive (that contains a member under `prefix`, for Office Open XML)."""
    def check(head, stream):
        if not head.startswith(ZIP_MAGIC):
            return False
        if prefix is None:
            return True
        try:
            with zipfile.ZipFile(stream) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError):
            return False
        finally:
            stream.seek(0)
        return "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names)
    return check


#: ext -> (content type, signature check(head bytes, seekable stream) -> bool)
FILE_TYPES = {
    "pdf": ("application/pdf", _starts(b"%PDF-")),
    "png": ("image/png", _starts(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("image/jpeg", _starts(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", _starts(b"\xff\xd8\xff")),
    "gif": ("image/gif", _starts(b"GIF87a", b"GIF89a")),
    "tif": ("image/tiff", _starts(b"II*\x00", b"MM\x00*")),
    "tiff": ("image/tiff", _starts(b"II*\x00", b"MM\x00*")),
    "doc": ("application/msword", _starts(OLE2)),
    "xls": ("application/vnd.ms-excel", _starts(OLE2)),
    "ppt": ("application/vnd.ms-powerpoint", _starts(OLE2)),
    "wps": ("application/vnd.ms-works", _starts(OLE2)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             _zip_with("word/")),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             _zip_with("xl/")),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",
             _zip_with("ppt/")),
    "ofd": ("application/ofd", _zip_with()),
    "zip": ("application/zip", _zip_with()),
}


def extension(filename):
    """The lower-case extension of a file name, without the dot."""
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def matches(ext, data):
    """Whether `data` (bytes) has the signature the allow-list expects for `ext`."""
    _, check = FILE_TYPES[ext]
    return check(data[:16], io.BytesIO(data))
