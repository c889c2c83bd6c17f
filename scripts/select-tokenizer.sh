#!/usr/bin/env bash
# Chooses the subword tokenizer by measurement: trains BPE, WordPiece and Unigram at
# several vocabulary sizes on the Assemblée corpus plus the project's statements, then
# for each one trains the classifier and reports
#   - macro-F1 on DEFT-2017 val (trained on DEFT-2017 train),
#   - 5-fold grouped cross-validated stance macro-F1 on training-data's train split.
# Needs ../shared/data. Usage: scripts/select-tokenizer.sh [out-dir]
# The winner is copied by hand to models/tokenizer.json (see the README).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared/data
out=${1:-target/tokenizer-selection}
mkdir -p "$out"
cargo build --release --quiet
bin=target/release/stance
# the project's statements of the train split only: no test text shapes the vocabulary
python3 -c "
import csv
train = {r['dispatch_id'] for r in csv.DictReader(open('training-data/splits.csv')) if r['split'] == 'train'}
for r in csv.DictReader(open('training-data/statements.csv')):
    if r['dispatch_id'] in train:
        print(r['text'])
" > "$out/statements.txt"
printf "kind\tvocab\tdeft_val_macro_f1\tkarabakh_cv_stance_macro_f1\n"
for kind in bpe wordpiece unigram; do
  for vocab in ${VOCABS:-4000 8000 16000 32000}; do
    tok="$out/$kind-$vocab.json"
    $bin tokenizer "$shared/corpus-fr-assemblee/debats-an-2013-2018.txt.gz" "$out/statements.txt" \
      --kind "$kind" --vocab-size "$vocab" -o "$tok" > /dev/null 2>&1
    $bin train "$shared/sentiment-fr-deft2017/train.csv" --tokenizer "$tok" -o "$out/deft.stance" > /dev/null 2>&1
    deft=$($bin evaluate "$shared/sentiment-fr-deft2017/val.csv" -m "$out/deft.stance" --label-column label 2>/dev/null | grep -o 'macro-F1 = [0-9.]*' | cut -d' ' -f3)
    kb=$($bin train training-data --label-column stance --tokenizer "$tok" --cv 5 -o "$out/kb.stance" 2>/dev/null | grep -o 'macro-F1 = [0-9.]*' | head -1 | cut -d' ' -f3)
    printf "%s\t%s\t%s\t%s\n" "$kind" "$vocab" "$deft" "$kb"
  done
done
