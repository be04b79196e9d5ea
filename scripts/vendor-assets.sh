#!/usr/bin/env bash
# Copy the front-end files the pages load from node_modules (installed by `npm ci` from package-lock.json)
# into vendor/, which Django serves under static/vendor/. Run from the project root (or the Docker
# build's /assets).
set -euo pipefail
rm -rf vendor
mkdir -p vendor/echarts
cp node_modules/echarts/dist/echarts.min.js vendor/echarts/
cp node_modules/echarts/LICENSE vendor/echarts/ 2>/dev/null || true
