#!/usr/bin/env bash
# Step "Validate the package and gate its release" of action.yml. Errors are printed as workflow commands
# (::error file=F,line=N,col=K::...), which GitHub shows as annotations; each command appends its section
# to the job summary. Both checks run whatever the first says; the step fails with the worse exit code
# (1 a check failed, 2 something could not be read).
set -uo pipefail
path="${ENERGY_TIES_ACTION_PATH:-.}"
summary=()
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  summary=(--summary "$GITHUB_STEP_SUMMARY")
  printf '## energy-ties: `%s`\n\n' "$path" >> "$GITHUB_STEP_SUMMARY"
fi
texts=()
if [ -n "${ENERGY_TIES_ACTION_TEXTS:-}" ]; then
  texts=(--texts "$ENERGY_TIES_ACTION_TEXTS")
fi
against=()
if [ -n "${ENERGY_TIES_ACTION_AGAINST:-}" ]; then
  against=(--against "$ENERGY_TIES_ACTION_AGAINST")
fi

energy-ties validate "$path" --format github "${summary[@]}" "${texts[@]}"
validated=$?
energy-ties check-release "$path" --format github "${summary[@]}" "${against[@]}"
released=$?
exit $(( validated > released ? validated : released ))
