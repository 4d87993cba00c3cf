#!/usr/bin/env bash
# Fonts for the reports: JFreeChart draws chart text with Java2D (needs fontconfig and a font), and
# the headless-Chromium test of the HTML report renders the page text.
set -euo pipefail
apt-get install -y -qq --no-install-recommends fontconfig fonts-dejavu-core >/dev/null
