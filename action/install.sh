#!/usr/bin/env bash
# Step "Install energy-ties" of action.yml: a virtual environment of its own (nothing leaks into the job's
# Python), holding the energy-ties this action was taken from, or the git ref (a commit) asked for; its bin/ goes on
# the job's PATH for the next steps.
set -euo pipefail
venv="${RUNNER_TEMP:?RUNNER_TEMP is set by the runner}/energy-ties-venv"
version="${ENERGY_TIES_ACTION_VERSION:-}"
if [ -n "$version" ]; then
  spec="energy-ties @ git+https://github.com/energy-ties/energy-ties@${version}"
else
  spec="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is set by the runner}"
fi
python -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$spec"
echo "$venv/bin" >> "${GITHUB_PATH:?GITHUB_PATH is set by the runner}"
"$venv/bin/energy-ties" --version
