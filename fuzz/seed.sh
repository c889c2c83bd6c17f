#!/bin/sh
# Fills fuzz/corpus/<target>/ with starting inputs: the shipped dispatches, the seeds in
# fuzz/seeds/, and the shipped model whole, cut short, and as its JSON body. The model
# target reads a first byte (even: a model file follows; odd: a JSON body follows).
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
{ printf '\001'; tail -c +16 "$m" | gzip -dc; } > corpus/model/json-default
