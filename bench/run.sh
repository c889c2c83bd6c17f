#!/usr/bin/env bash
# Benchmarks of issues 5 and 7: stance against scikit-learn and fastText.
#
#   bench/run.sh models              model quality and fit time  -> bench/out/models.md
#   bench/run.sh speed [--with-1g]   speed and memory             -> bench/out/speed.md
#   bench/run.sh all [--with-1g]     both
#
# Extra arguments after the command go to the script (e.g. `speed --sizes 10M`).
# Creates bench/.venv on first use and installs bench/requirements.txt into it.
# STANCE (default target/release/stance) and GENERATE_CORPUS (default
# target/release/examples/generate_corpus) name the binaries; SHARED_DATA the public
# sets (default ../shared/data). Build them first: cargo build --release --examples
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$bench")"
venv="$bench/.venv"

usage() {
    sed -n '2,12p' "$bench/run.sh" | sed 's/^# \{0,1\}//'
    exit 2
}

# Create the virtual environment and install the pinned requirements. fastText comes
# from fasttext-wheel; if that cannot be installed, from the fasttext package.
setup_venv() {
    if [[ ! -x "$venv/bin/python" ]]; then
        python3 -m venv "$venv"
    fi
    if ! "$venv/bin/pip" install --quiet -r "$bench/requirements.txt"; then
        echo "fasttext-wheel failed to install; trying the fasttext package" >&2
        grep -v '^fasttext-wheel' "$bench/requirements.txt" > "$venv/requirements-fallback.txt"
        "$venv/bin/pip" install --quiet -r "$venv/requirements-fallback.txt" fasttext
    fi
}

[[ $# -ge 1 ]] || usage
command="$1"
shift
case "$command" in
    models | speed | all) ;;
    *) usage ;;
esac

setup_venv
cd "$repo"
case "$command" in
    models) "$venv/bin/python" "$bench/compare_models.py" "$@" ;;
    speed)  "$venv/bin/python" "$bench/compare_speed.py" "$@" ;;
    all)
        "$venv/bin/python" "$bench/compare_models.py"
        "$venv/bin/python" "$bench/compare_speed.py" "$@"
        ;;
esac
