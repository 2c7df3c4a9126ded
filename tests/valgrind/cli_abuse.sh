#!/usr/bin/env bash
# Hostile use of the `nn` CLI: absurd numbers, NaN, missing/unreadable/corrupt files and
# directories, model files that lie. Every case must end with exit 1 or 2 and exactly one line on
# stderr: never exit 0, a crash, an abort, "terminate called", or (under valgrind) a memcheck
# error. Complements tests/core/cli/cli_test.sh, which checks the messages of ordinary mistakes.
# usage: cli_abuse.sh path/to/nn [data_dir]     NN_WRAPPER="valgrind ..." runs each case under it
set -u
nn=${1:?usage: cli_abuse.sh NN [DATA_DIR]}
data=${2:-}
wrapper=${NN_WRAPPER:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"  # the unreadable-directory cases run as an unprivileged user
failures=0
cases=0

# refuse 'what it is' nn args...  (run under $wrapper; $as_user, if set, prefixes the command)
refuse() {
  local what=$1
  shift
  cases=$((cases + 1))
  # shellcheck disable=SC2086
  ${as_user:-} $wrapper "$nn" "$@" >"$work/out" 2>"$work/err" </dev/null
  local rc=$? lines
  lines=$(grep -vc '^==[0-9]*==' "$work/err")  # valgrind's own lines are judged by its exit code
  if [[ $rc == 0 || $rc -gt 2 ]] || [[ $lines != 1 ]] || grep -q 'terminate called' "$work/err"; then
    failures=$((failures + 1))
    echo "FAIL ($what): nn $* -> exit $rc, $lines line(s) on stderr:"
    head -c 600 "$work/err" | sed 's/^/    /'
    [[ $rc == 0 ]] && head -c 300 "$work/out" | sed 's/^/    stdout: /'
  fi
}

# ---- arguments ----
refuse "batch far too big" train --model mlp --batch 1000000000
refuse "batch overflowing 64 bits" train --model mlp --batch 99999999999999999999999
refuse "negative batch" train --model mlp --batch -5
refuse "lr nan" train --model mlp --lr nan
refuse "lr inf" train --model mlp --lr inf
refuse "lr negative" train --model mlp --lr -0.1
refuse "lr below range" train --model mlp --lr 1e-30
refuse "momentum nan" train --model mlp --optimizer momentum --momentum nan
refuse "weight decay inf" train --model mlp --weight-decay inf
refuse "epochs huge" train --model mlp --epochs 100000000000
refuse "threads huge" train --model mlp --threads 100000
refuse "threads zero" train --model mlp --threads 0
refuse "seed negative" train --model mlp --seed -1
refuse "classes out of byte range" train --model mlp --classes 3,300
refuse "classes empty" train --model mlp --classes ""
refuse "unknown optimizer" train --model mlp --optimizer rmsprop
refuse "flag without value at end" train --model
refuse "empty model" train --model ""
refuse "100000-unit layer" summary --model "dense 100000"
refuse "10^4 layers" summary --model "$(printf 'relu|%.0s' {1..9999})dense 10"
refuse "model beyond memory limit" summary --model "dense 16384 | dense 16384 | dense 10 softmax"
refuse "input 0x0x0" summary --model lenet --input 0x0x0
refuse "input huge" summary --model lenet --input 4096x4096x4096
refuse "input overflow" summary --model lenet --input 99999999999x1x1
refuse "binary garbage argument" summary --model "$(printf 'dense \001\377 relu')"
refuse "unknown command" frobnicate --x

# ---- files and directories ----
refuse "model file is /dev/null" eval --model-file /dev/null --data "$work"
refuse "model file is a directory" eval --model-file / --data "$work"
refuse "model file missing" predict --model-file "$work/nothing.bin" --data "$work"
printf 'not a model' >"$work/junk.bin"
refuse "model file is text" eval --model-file "$work/junk.bin" --data "$work"
refuse "data dir is a file" train --model mlp --data /etc/hostname
refuse "data dir missing" train --model mlp --data "$work/missing"
refuse "data dir empty" train --model mlp --data "$work"

mkdir "$work/empty-files"
: >"$work/empty-files/train-images-idx3-ubyte"
: >"$work/empty-files/train-labels-idx1-ubyte"
refuse "empty IDX files" train --model mlp --data "$work/empty-files"

mkdir "$work/lying"
printf '\x00\x00\x08\x03\x3b\x9a\xca\x00\x00\x00\x00\x1c\x00\x00\x00\x1c' >"$work/lying/train-images-idx3-ubyte"
printf '\x00\x00\x08\x01\x3b\x9a\xca\x00\x07' >"$work/lying/train-labels-idx1-ubyte"
refuse "IDX header claiming 10^9 images" train --model mlp --data "$work/lying"

mkdir "$work/png"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' >"$work/png/train-images-idx3-ubyte"
printf '\x00\x00\x08\x01\x00\x00\x00\x01\x07' >"$work/png/train-labels-idx1-ubyte"
refuse "PNG named .idx" train --model mlp --data "$work/png"

mkdir "$work/notgz"
printf 'PK\x03\x04 a zip' >"$work/notgz/train-images-idx3-ubyte.gz"
cp "$work/png/train-labels-idx1-ubyte" "$work/notgz/"
refuse "zip named .gz" train --model mlp --data "$work/notgz"

mkdir "$work/badgz"
printf '\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage-deflate-stream' >"$work/badgz/train-images-idx3-ubyte.gz"
cp "$work/png/train-labels-idx1-ubyte" "$work/badgz/"
refuse "corrupt gzip" train --model mlp --data "$work/badgz"

# A decompression bomb: 4 MB of gzip whose header declares 60,000 images of 28x28 (47 MB) but
# that inflates to 4 GiB (tests/valgrind/gzip_bomb.py). Refused once the declared size plus one
# byte is out, with a message that names the file and says why.
mkdir "$work/bomb"
python3 "$(dirname "$0")/gzip_bomb.py" "$work/bomb/train-images-idx3-ubyte.gz" 60000 4
cp "$work/png/train-labels-idx1-ubyte" "$work/bomb/"
refuse "gzip bomb" train --model mlp --data "$work/bomb"
if ! grep -qF "train-images-idx3-ubyte.gz: inflates to more than the 47040016 bytes its IDX header declares" "$work/err"; then
  failures=$((failures + 1))
  echo "FAIL (gzip bomb): the message does not say why: $(head -c 300 "$work/err")"
fi

mkdir "$work/dirs"
mkdir "$work/dirs/train-images-idx3-ubyte" "$work/dirs/train-labels-idx1-ubyte"
refuse "directories named like the files" train --model mlp --data "$work/dirs"

mkdir "$work/loop"
ln -s train-images-idx3-ubyte "$work/loop/train-images-idx3-ubyte"
refuse "symlink loop" train --model mlp --data "$work/loop"

# Unreadable files and directories: root reads everything, so run these as 'nobody'.
mkdir "$work/locked" "$work/locked-files"
cp "$work/png/train-labels-idx1-ubyte" "$work/locked-files/"
cp "$work/png/train-labels-idx1-ubyte" "$work/locked-files/train-images-idx3-ubyte"
cp "$work/junk.bin" "$work/locked.bin"
chmod 000 "$work/locked" "$work/locked-files/train-images-idx3-ubyte" "$work/locked.bin"
if [[ $(id -u) != 0 ]]; then
  as_user=""
elif command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
  as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
  as_user=skip
fi
if [[ $as_user != skip ]]; then
  # That user must reach the binary: a checkout under a private folder (a 0700 home, or
  # under-load.sh's mktemp folder) hides it, so these cases run a copy from $work.
  nn_root=$nn
  nn=$work/nn
  cp "$nn_root" "$nn" && chmod 755 "$nn"
  refuse "unreadable data directory" train --model mlp --data "$work/locked"
  refuse "unreadable IDX file" train --model mlp --data "$work/locked-files"
  refuse "unreadable model file" eval --model-file "$work/locked.bin" --data "$work"
  refuse "save into unwritable directory" train --model mlp --data "$work/locked" --save "$work/locked/m.bin"
  nn=$nn_root
else
  echo "note: running as root without setpriv; skipped the unreadable-file cases"
fi
as_user=""

# ---- model files that lie (need the bundled digits to get as far as the model) ----
if [[ -n $data && -e $data/t10k-images-idx3-ubyte.gz ]]; then
  python3 - "$work" <<'PY'
import struct, sys, zlib
work = sys.argv[1]
def model(desc, h, w, c, labels, tensors):
    d = desc.encode()
    out = b"SNMODEL\0" + struct.pack("<7I", 1, len(d), h, w, c, len(labels), len(tensors)) + d
    out += b"".join(struct.pack("<i", l) for l in labels)
    for t in tensors:
        out += struct.pack("<I", len(t)) + b"".join(struct.pack("<f", v) for v in t)
    return out + struct.pack("<I", zlib.crc32(out))
files = {
    # Fewer class labels than outputs: eval/predict must not index past the list.
    "few_labels": model("dense 10 softmax", 28, 28, 1, [1, 2], [[0.0] * 7840, [0.0] * 10]),
    # Labels outside 0..255, and duplicates.
    "bad_labels": model("dense 10 softmax", 28, 28, 1, [-5, 99999] + [3] * 8, [[0.0] * 7840, [0.0] * 10]),
    "dup_labels": model("dense 10 softmax", 28, 28, 1, [3] * 10, [[0.0] * 7840, [0.0] * 10]),
    "nan_weights": model("dense 10 softmax", 28, 28, 1, [], [[float("nan")] * 7840, [0.0] * 10]),
    "wrong_shape": model("dense 10 softmax", 2, 2, 1, [], [[0.0] * 40, [0.0] * 10]),
    "tensor_count": model("dense 10 softmax", 28, 28, 1, [], [[0.0]]),
    "huge_input": model("dense 10 softmax", 4096, 4096, 4096, [], [[0.0], [0.0]]),
    "bad_desc": model("dense ten", 28, 28, 1, [], []),
}
for name, b in files.items():
    open(f"{work}/{name}.bin", "wb").write(b)
PY
  for name in few_labels bad_labels dup_labels nan_weights wrong_shape tensor_count huge_input bad_desc; do
    refuse "model file: $name" eval --model-file "$work/$name.bin" --data "$data" --threads 1
    refuse "model file: $name (predict)" predict --model-file "$work/$name.bin" --data "$data" --count 2
  done
else
  echo "note: no bundled data in '$data'; skipped the lying-model-file cases (run npm run data)"
fi

if [[ $failures -ne 0 ]]; then
  echo "$failures of $cases hostile CLI cases failed"
  exit 1
fi
echo "all $cases hostile CLI cases refused cleanly"
