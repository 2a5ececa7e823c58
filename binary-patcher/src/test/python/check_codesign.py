#!/usr/bin/env python3
"""Independent judge of an embedded Mach-O ad-hoc signature (thin or fat): recomputes every page
hash and special-slot hash of the CodeDirectory. Prints one line per slice; exit 1 on a problem."""
import hashlib
import struct
import sys


def slices(data):
    magic = struct.unpack(">I", data[:4])[0]
    if magic == 0xCAFEBABE:
        count = struct.unpack(">I", data[4:8])[0]
        for i in range(count):
            _, _, off, size, _ = struct.unpack(">iiIII", data[8 + 20 * i:28 + 20 * i])
            yield data[off:off + size]
    else:
        yield data


def check(image):
    magic, cpu, _, filetype, ncmds, _, _ = struct.unpack("<IiiIIII", image[:28])
    at = 32 if magic == 0xFEEDFACF else 28
    sig = None
    for _ in range(ncmds):
        cmd, size = struct.unpack("<II", image[at:at + 8])
        if cmd == 0x1D:
            sig = struct.unpack("<II", image[at + 8:at + 16])
        at += size
    if sig is None:
        return "unsigned"
    dataoff, datasize = sig
    blob = image[dataoff:dataoff + datasize]
    if struct.unpack(">I", blob[:4])[0] != 0xFADE0CC0:
        return "no SuperBlob"
    count = struct.unpack(">I", blob[8:12])[0]
    blobs = {}
    for i in range(count):
        kind, off = struct.unpack(">II", blob[12 + 8 * i:20 + 8 * i])
        length = struct.unpack(">I", blob[off + 4:off + 8])[0]
        blobs[kind] = blob[off:off + length]
    cd = blobs[0]
    (_, _, version, flags, hash_off, ident_off, n_special, n_code, code_limit, hash_size,
     hash_type, _, page_shift) = struct.unpack(">IIIIIIIIIBBBB", cd[:40])
    ident = cd[ident_off:cd.index(b"\0", ident_off)].decode()
    if code_limit != dataoff:
        return f"codeLimit {code_limit} != dataoff {dataoff}"
    page = 1 << page_shift
    for i in range(n_code):
        want = cd[hash_off + i * hash_size:hash_off + (i + 1) * hash_size]
        got = hashlib.sha256(image[i * page:min((i + 1) * page, code_limit)]).digest()
        if want != got:
            return f"page {i} hash mismatch"
    for slot, kind in ((2, 2), (5, 5), (7, 7)):
        if kind in blobs and n_special >= slot:
            want = cd[hash_off - slot * hash_size:hash_off - (slot - 1) * hash_size]
            if hashlib.sha256(blobs[kind]).digest() != want:
                return f"special slot -{slot} mismatch"
    if not (flags & 0x20000) and 2 not in blobs:
        return "no requirements blob"
    return f"ok ident={ident} flags=0x{flags:x} version=0x{version:x} pages={n_code} special={n_special}"


def main():
    data = open(sys.argv[1], "rb").read()
    bad = False
    for image in slices(data):
        result = check(image)
        print(result)
        bad |= not (result.startswith("ok") or result == "unsigned")
    sys.exit(1 if bad else 0)


main()
