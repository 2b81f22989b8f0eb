#!/usr/bin/env bash
# The main job: build everything (runtime, extension, .vsix) and show the runtime's command line.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run package
./bin/mfdata --help
