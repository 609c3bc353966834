"""wijk.core.textfile: the encodings Dutch offices save text in, binary refused, the separator sniffed."""

from __future__ import annotations

import pytest

from wijk.core.textfile import NotText, decode, sniff_separator

TEXT = "buurtcode;naam;aantal\nBU00140107;Laanhuizen;12\nBU00140108;Coendersborg;€ 7\n"
LATIN1 = TEXT.replace("€ ", "")  # UTF-16 without a BOM is told by its zero bytes: characters below U+0100 only


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (TEXT.encode("utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "UTF-8 (BOM)"),
        (TEXT.encode("utf-16"), "UTF-16"),  # Excel's 'Unicode text': a BOM
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), "UTF-16"),
        (TEXT.encode("cp1252"), "Windows-1252"),  # the euro sign is 0x80, not UTF-8
    ],
)
def test_decodes_each_encoding_to_the_same_text(data, label):
    assert decode(data) == (TEXT, label)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_told_by_its_zero_bytes(encoding):
    assert decode(LATIN1.encode(encoding)) == (LATIN1, "UTF-16")


def test_cp1252_accents_are_read_as_such():
    assert decode("Één café".encode("cp1252")) == ("Één café", "Windows-1252")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"PK\x03\x04\x14\x00\x00\x00", "binary"),  # a zip (an .xlsx) sent as text
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        (b"\xef\xbb\xbf\xff\xfe broken", "encoding"),  # a UTF-8 BOM before bytes that are no UTF-8
        (b"\x81\x8d\x8f\x90\x9d", "encoding"),  # undefined in Windows-1252 as well
        ("a\x00b".encode("utf-16"), "binary"),  # decodes, but holds a NUL
    ],
)
def test_refuses_binary_and_undecodable_bytes(data, reason):
    with pytest.raises(NotText, match=reason):
        decode(data)


@pytest.mark.parametrize(
    ("sample", "sep"),
    [
        (TEXT, ";"),
        ("code,naam,aantal\nBU00140107,Laanhuizen,12\n", ","),
        ("code\tnaam\taantal\nBU00140107\tLaanhuizen\t12\n", "\t"),
        ("code;naam\n", ";"),  # one line: the separator the header uses most
        ("code\n", ","),  # nothing tells: ','
        ("", ","),
    ],
)
def test_sniffs_the_separator(sample, sep):
    assert sniff_separator(sample) == sep
