#!/usr/bin/env python3
"""Extracts, from the Go API types, what the .proto files cannot say about the JSON form of each field.

For every struct field carrying a `protobuf:"...,name=X"` tag it prints the JSON name (from the `json` tag),
whether the Go field is a pointer, whether it is omitempty, and whether it is inlined (`json:",inline"`).
The codec needs this to reproduce encoding/json: a non-pointer omitempty zero is dropped, a pointer zero is kept,
and JSON names such as `$ref` or `x-kubernetes-*` differ from the proto names.

Usage: gofields.py SRC_ROOT PROTO_FILE... > fields.tsv
Output: one line per message: <proto message full name> TAB <protoName>=<jsonName>:<flags> ... (flags p, o, i).
"""
import os
import re
import sys

STRUCT = re.compile(r'^type\s+(\w+)\s+struct\s*{', re.M)
FIELD = re.compile(r'^\s*(?:(\w+)\s+)?([*\[\]\w.]+)\s+`([^`]*)`')
TAG = re.compile(r'(\w+):"([^"]*)"')


def structs(text):
    """Yields (struct name, body lines) for each top-level struct. gofmt puts a top-level closing brace in column 0,
    which braces inside comments or nested literals never are, so that line ends the body."""
    for m in STRUCT.finditer(text):
        if text[m.end():].lstrip(' ').startswith('}'):
            continue  # struct{} on one line: no fields
        end = text.find('\n}', m.end())
        yield m.group(1), text[m.end():end].splitlines()


def main():
    root, protos = sys.argv[1], sys.argv[2:]
    for proto in protos:
        directory = os.path.dirname(os.path.join(root, proto))
        package = re.search(r'^package\s+([\w.]+);', open(os.path.join(root, proto)).read(), re.M).group(1)
        for name in sorted(os.listdir(directory)):
            if not name.endswith('.go') or name.endswith('_test.go') or name.startswith('zz_generated'):
                continue
            text = open(os.path.join(directory, name)).read()
            for struct, lines in structs(text):
                fields = []
                for line in lines:
                    f = FIELD.match(line)
                    if not f:
                        continue
                    tags = dict(TAG.findall(f.group(3)))
                    pb = tags.get('protobuf')
                    if not pb:
                        continue
                    named = re.search(r'name=(\w+)', pb)
                    if named:
                        proto_name = named.group(1)
                    else:
                        # go-to-protobuf then names the field after the Go field (the type, when embedded), lowerCamel.
                        go_name = f.group(1) or f.group(2).lstrip('*').split('.')[-1]
                        proto_name = go_name[0].lower() + go_name[1:]
                    json = tags.get('json', '').split(',')
                    if json[0] == '-':
                        continue
                    flags = ''
                    if f.group(2).startswith('*'):
                        flags += 'p'
                    if 'omitempty' in json[1:]:
                        flags += 'o'
                    if 'inline' in json[1:] or (json[0] == '' and f.group(1) is None):
                        flags += 'i'
                    fields.append('%s=%s:%s' % (proto_name, json[0], flags))
                if fields:
                    print('%s.%s\t%s' % (package, struct, ' '.join(fields)))


if __name__ == '__main__':
    main()
