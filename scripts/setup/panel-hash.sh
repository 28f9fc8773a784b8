#!/usr/bin/env bash
# A hash of everything the panel build depends on, so setup rebuilds only when it changed.
cd "$(dirname "$0")/../.."
git ls-files -co --exclude-standard apps/panel packages package-lock.json | grep -v '^apps/panel/.next' | sort | xargs sha256sum 2>/dev/null | sha256sum | cut -d' ' -f1
