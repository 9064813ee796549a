"""Read the subset of YAML that rules/*.yaml is written in, with the stdlib.

The bench scripts may not depend on PyYAML, so this reads what the rule
files use: block mappings and sequences by indentation ("- key: value"
items included), flow sequences and mappings that may span lines, single-
and double-quoted scalars, plain scalars, and comments.  Plain scalars
resolve to None, booleans, integers and floats as YAML 1.2 does; everything
else is a string.  Anchors, tags, block scalars (| >) and multi-document
streams are not supported and raise YAMLSubsetError with the line.
"""

import re


class YAMLSubsetError(ValueError):
    pass


_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")


def _resolve(text):
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n",
            "v": "\v", "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"',
            "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028",
            "P": "\u2029"}


class _Reader:
    """A cursor over the whole text; positions are character offsets."""

    def __init__(self, text, name):
        self.s = text
        self.name = name
        self.i = 0

    def line_of(self, pos):
        return self.s.count("\n", 0, pos) + 1

    def fail(self, msg, pos=None):
        pos = self.i if pos is None else pos
        raise YAMLSubsetError(f"{self.name}:{self.line_of(pos)}: {msg}")

    # -- low level -------------------------------------------------------

    def skip_space_and_comments(self, newlines):
        """Skip blanks (and line breaks when newlines) and # comments."""
        s = self.s
        while self.i < len(s):
            c = s[self.i]
            if c in " \t" or (newlines and c in "\r\n"):
                self.i += 1
            elif c == "#" and (self.i == 0 or s[self.i - 1] in " \t\r\n"):
                while self.i < len(s) and s[self.i] != "\n":
                    self.i += 1
            else:
                break

    def column(self, pos):
        start = self.s.rfind("\n", 0, pos) + 1
        return pos - start

    def next_content_line(self):
        """Move to the first character of the next line holding content;
        return its column, or -1 at the end of the text."""
        while True:
            self.skip_space_and_comments(False)
            if self.i >= len(self.s):
                return -1
            if self.s[self.i] in "\r\n":
                self.i += 1
                continue
            return self.column(self.i)

    # -- scalars ---------------------------------------------------------

    def single_quoted(self):
        s, out = self.s, []
        self.i += 1
        while True:
            if self.i >= len(s):
                self.fail("unterminated single-quoted scalar")
            c = s[self.i]
            if c == "'":
                if s.startswith("''", self.i):
                    out.append("'")
                    self.i += 2
                    continue
                self.i += 1
                return "".join(out)
            if c in "\r\n":
                self._line_break(out)
                continue
            out.append(c)
            self.i += 1

    def double_quoted(self):
        s, out = self.s, []
        self.i += 1
        while True:
            if self.i >= len(s):
                self.fail("unterminated double-quoted scalar")
            c = s[self.i]
            if c == '"':
                self.i += 1
                return "".join(out)
            if c in "\r\n":
                self._line_break(out)
                continue
            if c == "\\":
                e = s[self.i + 1:self.i + 2]
                if e in _ESCAPES:
                    out.append(_ESCAPES[e])
                    self.i += 2
                elif e in ("x", "u", "U"):
                    n = {"x": 2, "u": 4, "U": 8}[e]
                    out.append(chr(int(s[self.i + 2:self.i + 2 + n], 16)))
                    self.i += 2 + n
                elif e in ("\r", "\n"):
                    # an escaped line break joins the lines without a space
                    self.i += 1
                    self._skip_break_and_indent()
                else:
                    self.fail(f"unknown escape \\{e}")
                continue
            out.append(c)
            self.i += 1

    def _skip_break_and_indent(self):
        """Skip one line break and the blanks that open the next line;
        return how many empty lines followed."""
        s, empty = self.s, 0
        if s.startswith("\r\n", self.i):
            self.i += 2
        else:
            self.i += 1
        while True:
            while self.i < len(s) and s[self.i] in " \t":
                self.i += 1
            if self.i < len(s) and s[self.i] in "\r\n":
                empty += 1
                self.i += 2 if s.startswith("\r\n", self.i) else 1
                continue
            return empty

    def _line_break(self, out):
        """Folding of a line break inside a quoted scalar: one break is a
        space, n+1 breaks are n newlines, blanks around them go."""
        while out and out[-1] in (" ", "\t"):
            out.pop()
        empty = self._skip_break_and_indent()
        out.append("\n" * empty if empty else " ")

    def plain(self, flow):
        """A plain scalar up to the end of the line, a comment, ': ' and,
        in flow context, one of , ] }."""
        s, start = self.s, self.i
        while self.i < len(s):
            c = s[self.i]
            if c in "\r\n":
                break
            if c == "#" and s[self.i - 1] in " \t":
                break
            if c == ":" and (self.i + 1 >= len(s) or s[self.i + 1] in " \t\r\n"
                             or (flow and s[self.i + 1] in ",]}")):
                break
            if flow and c in ",]}":
                break
            self.i += 1
        return s[start:self.i].rstrip(" \t")

    def scalar(self, flow):
        c = self.s[self.i]
        if c == "'":
            return self.single_quoted()
        if c == '"':
            return self.double_quoted()
        if c in "&*!|>%@`":
            self.fail(f"unsupported YAML feature starting with {c!r}")
        text = self.plain(flow)
        if not flow:
            text = self._plain_continuation(text)
        return _resolve(text)

    def _plain_continuation(self, text):
        """A block plain scalar may continue on more-indented lines."""
        s = self.s
        while True:
            save = self.i
            self.skip_space_and_comments(False)
            if self.i >= len(s) or s[self.i] not in "\r\n":
                self.i = save
                return text
            j = self.i
            while j < len(s) and s[j] in "\r\n":
                j += 1
            k = j
            while k < len(s) and s[k] == " ":
                k += 1
            if k >= len(s) or s[k] in "#\r\n" or k - j <= self._indent_floor:
                self.i = save
                return text
            line_end = s.find("\n", k)
            line = s[k:len(s) if line_end < 0 else line_end]
            if re.match(r"(?:- |[^'\"\s][^:#]*:(?:\s|$))", line):
                self.i = save
                return text
            self.i = k
            more = self.plain(False)
            text = f"{text} {more}"

    _indent_floor = 0

    # -- flow collections ------------------------------------------------

    def flow_value(self):
        self.skip_space_and_comments(True)
        c = self.s[self.i:self.i + 1]
        if c == "[":
            return self.flow_sequence()
        if c == "{":
            return self.flow_mapping()
        return self.scalar(True)

    def flow_sequence(self):
        items = []
        self.i += 1
        while True:
            self.skip_space_and_comments(True)
            if self.i >= len(self.s):
                self.fail("unterminated flow sequence")
            if self.s[self.i] == "]":
                self.i += 1
                return items
            items.append(self.flow_value())
            self.skip_space_and_comments(True)
            if self.s[self.i:self.i + 1] == ",":
                self.i += 1
            elif self.s[self.i:self.i + 1] != "]":
                self.fail("expected , or ] in flow sequence")

    def flow_mapping(self):
        out = {}
        self.i += 1
        while True:
            self.skip_space_and_comments(True)
            if self.i >= len(self.s):
                self.fail("unterminated flow mapping")
            if self.s[self.i] == "}":
                self.i += 1
                return out
            key = self.scalar(True)
            self.skip_space_and_comments(True)
            if self.s[self.i:self.i + 1] != ":":
                self.fail("expected : in flow mapping")
            self.i += 1
            self.skip_space_and_comments(True)
            if self.s[self.i:self.i + 1] in (",", "}"):
                out[key] = None
            else:
                out[key] = self.flow_value()
            self.skip_space_and_comments(True)
            if self.s[self.i:self.i + 1] == ",":
                self.i += 1
            elif self.s[self.i:self.i + 1] != "}":
                self.fail("expected , or } in flow mapping")

    # -- block collections -----------------------------------------------

    def inline_value(self, indent):
        """The value after 'key:' or '- ' on the same line, or the block
        below it.  indent is the column of the key or of the dash."""
        self.skip_space_and_comments(False)
        if self.i >= len(self.s) or self.s[self.i] in "\r\n":
            col = self.next_content_line()
            if col < 0:
                return None
            is_seq = self.s.startswith("-", self.i) and \
                self.s[self.i + 1:self.i + 2] in (" ", "\n", "\r", "")
            if col > indent or (col == indent and is_seq):
                return self.block(col)
            return None
        c = self.s[self.i]
        if c in "[{":
            return self.flow_value()
        floor, self._indent_floor = self._indent_floor, indent
        try:
            return self.scalar(False)
        finally:
            self._indent_floor = floor

    def block(self, indent):
        if self.s.startswith("-", self.i) and \
                self.s[self.i + 1:self.i + 2] in (" ", "\n", "\r", ""):
            return self.block_sequence(indent)
        return self.block_mapping(indent)

    def block_sequence(self, indent):
        items = []
        while True:
            col = self.next_content_line()
            if col != indent or not self.s.startswith("-", self.i):
                if col > indent:
                    self.fail("bad indentation in sequence")
                return items
            self.i += 1
            self.skip_space_and_comments(False)
            if self.i < len(self.s) and self.s[self.i] not in "\r\n[{'\"" and \
                    self._looks_like_key():
                items.append(self.block_mapping(self.column(self.i)))
            else:
                items.append(self.inline_value(indent))

    def _looks_like_key(self):
        line_end = self.s.find("\n", self.i)
        line = self.s[self.i:len(self.s) if line_end < 0 else line_end]
        return re.match(r"[^\s'\"#][^#]*?:(?:\s|$)", line) is not None

    def block_mapping(self, indent):
        out = {}
        first = True
        while True:
            col = self.column(self.i) if first else self.next_content_line()
            first = False
            if col < indent or col < 0:
                return out
            if col > indent:
                self.fail("bad indentation in mapping")
            if self.s.startswith("- ", self.i):
                return out
            if self.s[self.i] in "'\"":
                key = self.scalar(True)
            else:
                key = self.plain(True)
            if self.s[self.i:self.i + 1] != ":":
                self.fail(f"expected 'key: value', got {key!r}")
            self.i += 1
            if key in out:
                self.fail(f"duplicate key {key!r}")
            out[key] = self.inline_value(indent)


def load(text, name="<yaml>"):
    """Parse one YAML document of the supported subset."""
    r = _Reader(text, name)
    col = r.next_content_line()
    if col < 0:
        return None
    if r.s[r.i] in "[{":
        value = r.flow_value()
    else:
        value = r.block(col)
    if r.next_content_line() >= 0:
        r.fail("unexpected content (indentation?)")
    return value


def load_file(path):
    with open(path, encoding="utf-8") as f:
        return load(f.read(), path)
