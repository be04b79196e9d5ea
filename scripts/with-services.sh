#!/usr/bin/env bash
# Run a command against freshly started throwaway services, and always stop them afterwards.
#   scripts/with-services.sh CMD [ARGS...]
# The command's exit code is preserved. QJ_KEEP_SERVICES=1 leaves the services running.
set -euo pipefail

services=$(dirname "$0")/services.sh
if [[ ${QJ_KEEP_SERVICES:-0} != 1 ]]; then
  # An EXIT trap does not change the script's exit status; INT/TERM are turned into an exit so it runs.
  trap 'bash "$services" stop' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
fi
bash "$services" start
eval "$(bash "$services" env)"
"$@"
