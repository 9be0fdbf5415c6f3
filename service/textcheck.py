"""Text the service can store and show again.

Refused anywhere in a request: NUL (PostgreSQL's text columns cannot hold it), the other C0
control characters except tab and line breaks (invalid in XML, so in an Excel export), the
XML non-characters U+FFFE and U+FFFF, and unpaired surrogates. JSON can carry all of these
as escapes ("\\u0000", "\\ud800"); an unpaired surrogate cannot be encoded as UTF-8, so a
page or export showing it would fail for every official who opened it.
"""
import re

_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The escapes or bytes that can decode to such text in a JSON body: only a body holding one
# of them is decoded and walked (tab, LF and CR escapes match too; the walk clears them).
_JSON_SUSPECT = re.compile(rb"\\u(?:00[01][0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF])"
                           rb"|\xed[\xa0-\xbf]")


def bad_text(value):
    """Whether `value` is a string holding characters the service refuses."""
    return isinstance(value, str) and _BAD.search(value) is not None


def json_may_hold_bad_text(raw):
    """Whether a raw JSON body may decode to refused text (False: it cannot)."""
    return _JSON_SUSPECT.search(raw) is not None


def shown(text):
    """`text` with each refused character written as an escape, safe to show and encode."""
    return _BAD.sub(lambda m: ascii(m.group())[1:-1], text)


def bad_paths(value, path=()):
    """The paths (tuples of keys and list indexes) of refused strings in decoded JSON-like
    data; a refused key is itself the last step, shown escaped."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if bad_text(key):
                found.append((*path, shown(key)))
            else:
                found += bad_paths(item, (*path, key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found += bad_paths(item, (*path, index))
    elif bad_text(value):
        found.append(path)
    return found
