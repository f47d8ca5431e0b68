#!/usr/bin/env bash
# Mutation testing (mutmut 3) of the modules whose mistakes cost the most: calendar (deadlines), audit (findings),
# projection (what the public sees) and the YAML reader. Report: bench/mutation.md.
#
#   make mutasi                          # all four, the fast tests only (about an hour on two busy cores)
#   bench/mutasi.sh 'pengaduan.history.calendar.*'   # only the mutants whose names match (fnmatch), e.g. one module
#
# mutmut imports the code under test from src/, so the run happens in a copy (build/mutasi) where
# tools/pengaduan is src/pengaduan; the working tree is never mutated. Results stay in build/mutasi/mutants:
# `cd build/mutasi && ../../.venv/bin/mutmut results` lists the survivors, `mutmut show NAME` shows one.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=build/mutasi
mkdir -p "$work/src"
# A fresh copy of what the tests read; mutmut keeps its own results in $work/mutants between runs.
rsync -a --delete tools/pengaduan/ "$work/src/pengaduan/"
rsync -a --delete --exclude pengaduan --exclude '*.egg-info' tools/ "$work/tools/"
for item in tests templates docs records mkdocs.yml pyproject.toml .github .forgejo; do
  rsync -a --delete "$item" "$work/"
done
cd "$work"
export HYPOTHESIS_PROFILE=mutasi
patterns=("$@")
if [ ${#patterns[@]} -eq 0 ]; then
  # The YAML reader only: yamlio's writer has its own property tests and is not part of this run.
  patterns=('pengaduan.history.calendar.*' 'pengaduan.outputs.projection.*' 'pengaduan.history.audit.*'
            'pengaduan.core.yamlio.xǁ_Loaderǁ*' 'pengaduan.core.yamlio.x__mark_problem*' 'pengaduan.core.yamlio.x__closing*'
            'pengaduan.core.yamlio.x__unclosed_quote*' 'pengaduan.core.yamlio.x__cause*' 'pengaduan.core.yamlio.x__syntax_problem*'
            'pengaduan.core.yamlio.x__reader_problem*' 'pengaduan.core.yamlio.x_decode*' 'pengaduan.core.yamlio.x_load_text*'
            'pengaduan.core.yamlio.x_load_mapping*' 'pengaduan.core.yamlio.x_locate*')
fi
"$root/.venv/bin/mutmut" run --max-children "${MUTASI_PROSES:-2}" "${patterns[@]}" || true
"$root/.venv/bin/mutmut" export-cicd-stats >/dev/null 2>&1 || true
"$root/.venv/bin/python" "$root/bench/mutation_report.py" "${patterns[@]}"
