"""Stored text made safe for document formats that refuse some characters.

The public form stores whatever a person typed, control characters included (a pasted vertical tab, "a\\x0bb").
XML 1.0, and so .xlsx and .docx, cannot hold C0 control characters other than tab, line feed and carriage return,
nor lone surrogates or U+FFFE/U+FFFF; openpyxl and lxml raise on them, which once made an export answer 500.
"""

import re

# Tab (\x09), line feed (\x0a) and carriage return (\x0d) are allowed in XML; every other C0 character is not.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _replacement(match: re.Match) -> str:
    # Vertical tab, form feed and the separators \x1c-\x1f are white space to Python (and to the person who typed
    # them): they become a space, so "a\x0bb" reads "a b"; the rest (NUL, bell, escape, ...) is dropped.
    return " " if match.group().isspace() else ""


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (white-space control characters become a space)."""
    return _NOT_IN_XML.sub(_replacement, text)
