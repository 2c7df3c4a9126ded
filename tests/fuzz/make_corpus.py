#!/usr/bin/env python3
"""Writes the seed corpora in tests/fuzz/corpus/<target>/: a few small valid and invalid inputs
per fuzz target, in each target's input layout (see the comment at the top of fuzz_*.cpp).
Deterministic, so re-running it changes nothing. Usage: python3 tests/fuzz/make_corpus.py"""
import gzip
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- IDX: magic 0x00 0x00 type(0x08 = u8) ndim, then big-endian u32 sizes, then data.
def idx(dims, payload):
    return bytes([0, 0, 8, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + payload


def idx_input(images, labels, through_file=False):
    # fuzz_idx layout: mode byte, u16 LE image length, images + labels.
    return bytes([1 if through_file else 0]) + struct.pack("<H", len(images)) + images + labels


def gz(b):
    return gzip.compress(b, compresslevel=9, mtime=0)


imgs3 = idx([3, 2, 2], bytes(range(12)))
labs3 = idx([3], bytes([0, 1, 2]))
write("fuzz_idx", "valid_3x2x2", idx_input(imgs3, labs3))
write("fuzz_idx", "valid_1x28x28", idx_input(idx([1, 28, 28], bytes(784)), idx([1], b"\x07")))
write("fuzz_idx", "valid_empty", idx_input(idx([0, 28, 28], b""), idx([0], b"")))
write("fuzz_idx", "lying_count", idx_input(idx([1000000000, 28, 28], bytes(16)), idx([1000000000], b"\x01")))
write("fuzz_idx", "truncated_images", idx_input(idx([3, 2, 2], bytes(7)), labs3))
write("fuzz_idx", "count_mismatch", idx_input(imgs3, idx([2], b"\x00\x01")))
write("fuzz_idx", "bad_magic", idx_input(b"\x89PNG\r\n\x1a\n" + bytes(8), labs3))
write("fuzz_idx", "float_type", idx_input(bytes([0, 0, 0x0D, 3]) + struct.pack(">III", 1, 1, 1) + bytes(4), idx([1], b"\x00")))
write("fuzz_idx", "swapped", idx_input(labs3, imgs3))
# Through read_file_maybe_gzip: gzip of images+labels, split after the images.
write("fuzz_idx", "gzip_valid", idx_input(imgs3, labs3, True)[:3] + gz(imgs3 + labs3))
write("fuzz_idx", "gzip_truncated", idx_input(imgs3, labs3, True)[:3] + gz(imgs3 + labs3)[:20])
write("fuzz_idx", "plain_file", idx_input(imgs3, labs3, True))
# In memory through gunzip (mode 2), including a small bomb over its 64 KiB cap.
write("fuzz_idx", "gunzip_valid", bytes([2]) + struct.pack("<H", len(imgs3)) + gz(imgs3 + labs3))
write("fuzz_idx", "gunzip_bomb", bytes([2, 0, 0]) + gz(bytes(200000)))
write("fuzz_idx", "gunzip_two_members", bytes([2]) + struct.pack("<H", len(imgs3)) + gz(imgs3) + gz(labs3))
bad = bytearray(gz(imgs3 + labs3))
bad[-5] ^= 0xFF  # wrong CRC / length trailer
write("fuzz_idx", "gzip_bad_trailer", idx_input(imgs3, labs3, True)[:3] + bytes(bad))


# ---- Model files (layout in core/src/io/model_file.cpp).
def model(desc, h, w, c, labels, tensors, version=1):
    d = desc.encode()
    out = b"SNMODEL\0" + struct.pack("<7I", version, len(d), h, w, c, len(labels), len(tensors))
    out += d + b"".join(struct.pack("<i", l) for l in labels)
    for t in tensors:
        out += struct.pack("<I", len(t)) + b"".join(struct.pack("<f", v) for v in t)
    return out  # without the CRC


def mf_input(body, fix_crc=True):
    # fuzz_model_file layout: mode byte (bit 0: append the CRC), then the bytes.
    if fix_crc:
        return b"\x01" + body
    return b"\x00" + body + struct.pack("<I", zlib.crc32(body))


# dense 3 on a 2x2x1 input: weight (4, 3) and bias (3) (the network's parameter order).
tiny = model("dense 3 softmax", 2, 2, 1, [0, 1, 2], [[0.1 * i for i in range(12)], [0.0, 0.5, -0.5]])
write("fuzz_model_file", "dense_tiny", mf_input(tiny))
write("fuzz_model_file", "dense_tiny_with_crc", mf_input(tiny, fix_crc=False))
conv = model("conv 2 3x3 relu | maxpool 2 | dense 2 softmax", 6, 6, 1, [3, 8],
             [[0.01] * 18, [0.0, 0.0], [0.02] * 16, [0.0, 0.0]])
write("fuzz_model_file", "conv_small", mf_input(conv))
every = model("conv 2 3 stride 2 same tanh | maxpool 2 | flatten | dropout 0.25 | dense 2 sigmoid | loss mse",
              8, 8, 1, [], [[0.1] * 18, [0.0, 0.1], [-0.05] * 16, [0.0, 0.0]])
write("fuzz_model_file", "many_kinds", mf_input(every))
binary = model("reshape 3x6x1 | dense 1 sigmoid", 3, 3, 2, [3, 8], [[0.5] * 18, [0.25]])
write("fuzz_model_file", "binary", mf_input(binary))
write("fuzz_model_file", "bad_magic", mf_input(b"SNMODEX\0" + tiny[8:]))
write("fuzz_model_file", "version_7", mf_input(model("dense 3", 2, 2, 1, [], [], version=7)))
write("fuzz_model_file", "truncated", mf_input(tiny[:40]))
write("fuzz_model_file", "bad_crc", b"\x00" + tiny + b"\0\0\0\0")
write("fuzz_model_file", "lying_tensor", mf_input(tiny[:-4 * 4] + struct.pack("<I", 0x40000000)))
write("fuzz_model_file", "huge_input", mf_input(model("dense 1", 4096, 4096, 4096, [], [[0.0], [0.0]])))
write("fuzz_model_file", "wrong_tensor_sizes", mf_input(model("dense 3", 2, 2, 1, [], [[1.0], [2.0]])))
write("fuzz_model_file", "bad_description", mf_input(model("dense x", 2, 2, 1, [], [])))

# ---- Descriptions.
for name, text in [
    ("mlp", "dense 128 relu | dense 10 softmax"),
    ("lenet", "conv 6 5x5 same relu | maxpool 2 | conv 16 5x5 relu | maxpool 2 | flatten | dense 120 relu | dense 84 relu | dense 10 softmax"),
    ("strided", "CONV 4 3X5 stride 2 valid tanh | maxpool 3 stride 1 | dropout 0.25 | dense 1 sigmoid"),
    ("reshape", "reshape 14x14x4 | conv 2 3 | flatten | dense 2 | loss mse"),
    ("activations", "relu | sigmoid | tanh | softmax | dense 5 | loss xent"),
    ("loss_bce", "dense 1 sigmoid | loss bce"),
    ("too_many_units", "dense 100000 relu"),
    ("typo", "dens 10 | conv 16 5y5"),
    ("empty_segment", "dense 10 || dense 2"),
    ("dropout_bad", "dropout 1.0 | dense 2"),
    ("huge_kernel", "conv 1 65x65"),
    ("pool_too_big", "maxpool 64 | dense 2"),
    ("many_segments", " | ".join(["relu"] * 65)),
]:
    write("fuzz_description", name, text.encode())
