#!/bin/sh
# Fills fuzz/corpus/<target>/ with starting inputs: the shipped dispatches, the seeds in
# fuzz/seeds/, and the shipped model whole, cut short, and as its postcard body. The
# model target reads a first byte (even: a model file follows; odd: a body follows).
set -eu
cd "$(dirname "$0")"
for t in dispatch extract training_csv model; do mkdir -p "corpus/$t"; done
cp ../training-data/dispatches/*.txt corpus/dispatch/
cp ../training-data/dispatches/*.txt corpus/extract/
if [ -d ../../shared/seeds ]; then
    cp ../../shared/seeds/*.txt corpus/dispatch/
    cp ../../shared/seeds/*.txt corpus/extract/
fi
cp seeds/training_csv/* corpus/training_csv/
cp seeds/model/* corpus/model/
m=../models/default.stance
{ printf '\000'; cat "$m"; } > corpus/model/file-default
for n in 15 16 64 1000 100000; do
    { printf '\000'; head -c "$n" "$m"; } > "corpus/model/file-default-$n"
done
# the body: past the 15-byte first line and the 8-byte checksum
{ printf '\001'; tail -c +24 "$m"; } > corpus/model/body-default
