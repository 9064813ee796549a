#!/usr/bin/env python3
"""Writes tests/jsonl/hostile.jsonl: JSON Lines records of every awkward
kind, for the one-pass record reader (annotator/jsonl.c) to be compared
with jansson on.  Each line is raw bytes: escapes of every kind, good and
lone surrogates, \\u0000, raw invalid UTF-8, integer, real, huge and
negative ids, missing or non-string text, duplicate keys, nested members,
top-level non-objects, trailing bytes, empty lines, CRLF, a BOM and deep
nesting.  Run it again after adding a case, and regenerate the expected
messages (tests/jsonl/run.sh says how)."""
import sys

T = b'"text":"Officials said the port closed."'


def rec(*members):
    return b"{" + b",".join(members) + b"}"


lines = [
    # good records, every used member
    rec(b'"id":"good-1"', b'"outlet":"Harbour Wire"', b'"url":"https://example.org/a\\/b"',
        b'"date":"2025-03-01"', b'"title":"Talks stall"', T),
    rec(b'"id":"escapes"', b'"text":"q\\" b\\\\ s\\/ \\b\\f\\n\\r\\t A=\\u0041 e=\\u00e9 E=\\u00E9 eur=\\u20AC '
        b'smile=\\uD83D\\uDE00 max=\\uDBFF\\uDFFF low=\\u0001\\u001f del=\\u007f ff=\\uFFFF fe=\\ufffe said."'),
    rec(b'"id":"escaped-fields"', b'"outlet":"Harbour\\tWire"', b'"title":"\\"Quoted\\" \\u00c9t\\u00e9"',
        b'"url":"\\u0068ttp://x"', b'"date":"2025\\u002d01\\u002D02"', T),
    rec(b'"id":"raw-utf8 \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf"',
        b'"title":"Zo\xc3\xab"', b'"text":"\xe2\x80\x9cWe will not sign,\xe2\x80\x9d said Mara Qu\xc3\xadst."'),
    rec(b'"id":"del-raw"', b'"text":"a\x7fb said."'),
    rec(b'"id":"no-escape-text"', b'"text":"Plain text without any escape, said officials."'),
    rec(b'"id":"only-escapes"', b'"text":"\\n\\n\\n\\u00e9\\n"'),
    rec(b'"id":"empty-text"', b'"text":""'),
    rec(b'"id":""', T),
    # lone and broken surrogates, \u0000, bad escapes
    rec(b'"id":"lone-high"', b'"text":"a \\uD83D b"'),
    rec(b'"id":"lone-high-end"', b'"text":"a \\uD83D"'),
    rec(b'"id":"lone-low"', b'"text":"a \\uDE00 b"'),
    rec(b'"id":"high-high"', b'"text":"a \\uD83D\\uD83D b"'),
    rec(b'"id":"high-then-char"', b'"text":"a \\uD83D\\u0041 b"'),
    rec(b'"id":"high-then-n"', b'"text":"a \\uD83D\\n b"'),
    rec(b'"id":"high-bad-hex"', b'"text":"a \\uD83D\\uDEZ0 b"'),
    rec(b'"id":"nul-escape"', b'"text":"a \\u0000 b"'),
    rec(b'"id":"nul-in-key"', b'"te\\u0000xt":"a"', T),
    rec(b'"id":"nul-in-other"', b'"note":"x\\u0000"', T),
    rec(b'"id":"nul-in-nested"', b'"meta":{"a":["\\u0000"]}', T),
    rec(b'"id":"bad-escape-x"', b'"text":"a \\x41 b"'),
    rec(b'"id":"bad-escape-hex"', b'"text":"a \\u12G4 b"'),
    rec(b'"id":"short-u"', b'"text":"a \\u12"'),
    rec(b'"id":"escape-at-end"', b'"text":"a \\'),
    rec(b'"id":"uppercase-U"', b'"text":"a \\U0041"'),
    # raw invalid UTF-8 and control characters
    rec(b'"id":"raw-ff"', b'"text":"a \xff b"'),
    rec(b'"id":"overlong-2"', b'"text":"a \xc0\xaf b"'),
    rec(b'"id":"overlong-3"', b'"text":"a \xe0\x80\xaf b"'),
    rec(b'"id":"overlong-4"', b'"text":"a \xf0\x80\x80\xaf b"'),
    rec(b'"id":"surrogate-raw"', b'"text":"a \xed\xa0\x80 b"'),
    rec(b'"id":"above-10ffff"', b'"text":"a \xf4\x90\x80\x80 b"'),
    rec(b'"id":"f5"', b'"text":"a \xf5\x80\x80\x80 b"'),
    rec(b'"id":"truncated"', b'"text":"a \xe2\x80"'),
    rec(b'"id":"lone-continuation"', b'"text":"a \x80 b"'),
    rec(b'"id":"bad-utf8-in-key"', b'"k\xff":1', T),
    rec(b'"id":"bad-utf8-in-other"', b'"note":"\xc3"', T),
    rec(b'"id":"bad-utf8-outside"', T, b'\xc3\xa9'),
    rec(b'"id":"raw-tab"', b'"text":"a\tb said."'),
    rec(b'"id":"raw-control"', b'"text":"a\x01b"'),
    rec(b'"id":"raw-nul"', b'"text":"a\x00b"'),
    b'{"id":"nul-between",\x00' + T + b'}',
    rec(b'"id":"nul-at-end"', T) + b'\x00',
    # ids
    rec(b'"id":42', T),
    rec(b'"id":-7', T),
    rec(b'"id":0', T),
    rec(b'"id":-0', T),
    rec(b'"id":123456789012345678', T),
    rec(b'"id":-123456789012345678', T),
    rec(b'"id":1234567890123456789', T),
    rec(b'"id":9223372036854775807', T),
    rec(b'"id":-9223372036854775808', T),
    rec(b'"id":9223372036854775808', T),
    rec(b'"id":-9223372036854775809', T),
    rec(b'"id":99999999999999999999999', T),
    rec(b'"id":1.5', T),
    rec(b'"id":1e3', T),
    rec(b'"id":1E+2', T),
    rec(b'"id":-0.0', T),
    rec(b'"id":2.5e-3', T),
    rec(b'"id":1e400', T),
    rec(b'"id":-1e400', T),
    rec(b'"id":1e-400', T),
    rec(b'"id":1e100', T),
    rec(b'"id":1e0000000001', T),
    rec(b'"id":true', T),
    rec(b'"id":false', T),
    rec(b'"id":null', T),
    rec(b'"id":{"n":1}', T),
    rec(b'"id":[1,2]', T),
    rec(b'"id":00', T),
    rec(b'"id":01', T),
    rec(b'"id":-', T),
    rec(b'"id":--1', T),
    rec(b'"id":+1', T),
    rec(b'"id":1.', T),
    rec(b'"id":.5', T),
    rec(b'"id":1e', T),
    rec(b'"id":1e+', T),
    rec(b'"id":1x', T),
    rec(b'"id":1-', T),
    rec(b'"id":0x10', T),
    # text missing, not a string
    rec(b'"id":"no-text"', b'"outlet":"X"'),
    rec(b'"id":"text-number"', b'"text":42'),
    rec(b'"id":"text-null"', b'"text":null'),
    rec(b'"id":"text-true"', b'"text":true'),
    rec(b'"id":"text-array"', b'"text":["a","b"]'),
    rec(b'"id":"text-object"', b'"text":{"a":"b"}'),
    rec(b'"id":"text-real"', b'"text":1.5'),
    rec(b'"id":"fields-not-strings"', b'"outlet":1', b'"url":null', b'"date":[]', b'"title":{}', T),
    b'{}',
    b'{ }',
    # duplicate keys: the last wins
    rec(b'"id":"dup-text-1"', b'"text":"First text."', b'"text":"Second text, said officials."'),
    rec(b'"id":"dup-text-2"', b'"text":"First text."', b'"text":42'),
    rec(b'"id":"dup-text-3"', b'"text":42', b'"text":"Now a string, said officials."'),
    rec(b'"id":"dup-text-4"', b'"text":"Esc\\u00e9 one."', b'"text":"Esc\\u00e8 two \\n said."'),
    rec(b'"id":"dup-id-1"', b'"id":"dup-id-2"', T),
    rec(b'"id":"dup-id-3"', b'"id":77', T),
    rec(b'"id":77', b'"id":"dup-id-4"', T),
    rec(b'"id":"dup-id-5"', b'"id":1.5', T),
    rec(b'"id":"dup-title"', b'"title":"A"', b'"title":"B\\u00e9"', b'"title":null', T),
    rec(b'"id":"dup-other"', b'"x":1', b'"x":"two"', b'"x":[3]', T),
    # keys spelled with escapes, near misses
    rec(b'"id":"escaped-key"', b'"\\u0074ext":"Escaped key, said officials."'),
    rec(b'"id":"escaped-key-2"', b'"t\\u0065xt":"Other escaped key, said officials."', b'"\\u0069\\u0064":"escaped-id"'),
    rec(b'"id":"near-miss"', b'"text ":"not it"', b'"Text":"nor this"', b'"tex":"nor"', b'"texts":"nor"'),
    rec(b'"id":"key-slash"', b'"te\\/xt":"not text"', T),
    rec(b'"id":"long-key"', b'"' + b'k' * 5000 + b'":1', T),
    # nested members
    rec(b'"id":"nested"', b'"meta":{"a":[1,2,{"b":"c\\n","d":[true,false,null]}],"e":{},"f":[]}',
        b'"tags":["x","y"]', T, b'"after":{"text":"inner text is not the text"}'),
    rec(b'"id":"nested-numbers"', b'"n":[0,-0,1.5e-5,0.0,-1,1e99,1e-400,123456789012345678901234567890.5]', T),
    rec(b'"id":"nested-big-int"', b'"n":[99999999999999999999]', T),
    rec(b'"id":"nested-neg-big-int"', b'"n":-99999999999999999999', T),
    rec(b'"id":"nested-real-overflow"', b'"n":{"m":1e400}', T),
    rec(b'"id":"nested-1e100"', b'"n":1e100', T),
    rec(b'"id":"deep-60"', b'"n":' + b'[' * 60 + b'1' + b']' * 60, T),
    rec(b'"id":"deep-100"', b'"n":' + b'[' * 100 + b']' * 100, T),
    rec(b'"id":"deep-objects-100"', b'"n":' + b'{"a":' * 100 + b'1' + b'}' * 100, T),
    rec(b'"id":"deep-text"', b'"text":' + b'[' * 100 + b']' * 100),
    rec(b'"id":"deep-2047"', b'"n":' + b'[' * 2046 + b']' * 2046, T),
    rec(b'"id":"deep-2048"', b'"n":' + b'[' * 2047 + b']' * 2047, T),
    rec(b'"id":"deep-2049"', b'"n":' + b'[' * 2048 + b']' * 2048, T),
    b'[' * 3000,
    b'{"n":' * 3000,
    # syntax errors
    rec(b'"id":"trailing-comma"', T, b''),
    rec(b'"id":"array-trailing-comma"', b'"n":[1,]', T),
    rec(b'"id":"missing-colon"', b'"text" "a"'),
    rec(b'"id":"missing-comma"', b'"x":1 "y":2', T),
    rec(b'"id":"bare-key"', b'text:"a"'),
    rec(b'"id":"number-key"', b'1:"a"', T),
    rec(b'"id":"single-quotes"', b"'text':'a'"),
    rec(b'"id":"tru"', b'"x":tru', T),
    rec(b'"id":"True"', b'"x":True', T),
    rec(b'"id":"truex"', b'"x":truex', T),
    rec(b'"id":"nulls"', b'"x":nulls', T),
    rec(b'"id":"true1"', b'"x":true1', T),
    rec(b'"id":"nan"', b'"x":NaN', T),
    rec(b'"id":"unclosed-string"', b'"text":"a'),
    b'{"id":"unclosed-object",' + T,
    b'{"id":"unclosed-array","n":[1,2' ,
    rec(b'"id":"extra-close"', T) + b'}',
    rec(b'"id":"close-mismatch"', b'"n":[1}', T),
    # top level not an object
    b'[1,2]',
    b'[]',
    b'[{"id":"in-array","text":"a"}]',
    b'"a string"',
    b'42',
    b'true',
    b'null',
    b'hello',
    # trailing bytes after the object
    rec(b'"id":"trailing-x"', T) + b' x',
    rec(b'"id":"two-objects"', T) + rec(b'"id":"second"', T),
    rec(b'"id":"trailing-comma-after"', T) + b',',
    rec(b'"id":"trailing-space"', T) + b' \t \r \t',
    rec(b'"id":"trailing-cr-x"', T) + b' \r x',
    rec(b'"id":"trailing-nul"', T) + b' \x00',
    # whitespace of every kind inside, CR in the middle, a BOM
    b'{\r"id"\t:\r"inner-cr"\r,\t' + T + b'\r}',
    b' \t {"id":"leading-space",' + T + b'}',
    b'\xef\xbb\xbf' + rec(b'"id":"bom"', T),
    rec(b'"id":"bom-in-text"', b'"text":"\xef\xbb\xbfA BOM starts it, said officials."'),
    rec(b'"id":"form-feed-ws"', T) + b'\x0c',
    b'\x0c' + rec(b'"id":"form-feed-lead"', T),
]

out = bytearray()
for i, line in enumerate(lines):
    out += line
    # CRLF on some lines, blank and whitespace-only lines between some
    out += b"\r\n" if i % 5 == 2 else b"\n"
    if i % 17 == 4:
        out += b"\n"
    if i % 23 == 6:
        out += b" \t\r\n"
# the last record without a newline
out += rec(b'"id":"last-no-newline"', T)
with open(sys.argv[1] if len(sys.argv) > 1 else "hostile.jsonl", "wb") as f:
    f.write(out)
