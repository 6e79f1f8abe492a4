#!/usr/bin/env bash
# Regenerates the pictures in docs/ from the example accounts (README: "The power map").
# Needs Graphviz (`dot`) and a Mermaid/Markdown renderer: LOOK names a program taking
# `FILE OUT.png` (for example the project's look tool); without one only the DOT map is drawn.
set -euo pipefail
cd "$(dirname "$0")/.."
export KAM_TODAY=2026-11-24
kam map nordtel --format dot | dot -Tpng -Gdpi=110 -o docs/power-map-nordtel.png
if [ -n "${LOOK:-}" ]; then
  tmp=$(mktemp -d)
  kam map nordtel --format mermaid > "$tmp/map.mmd"
  kam map nordtel --quadrant > "$tmp/quadrant.mmd"
  # the first page of the plan: the title and "What needs attention" to the score table
  kam plan nordtel | awk '/^### Stakeholders/{exit} {print}' > "$tmp/plan-first-page.md"
  "$LOOK" "$tmp/map.mmd" docs/power-map-nordtel-mermaid.png
  "$LOOK" "$tmp/quadrant.mmd" docs/quadrant-nordtel.png
  "$LOOK" "$tmp/plan-first-page.md" docs/plan-nordtel-first-page.png
  rm -rf "$tmp"
fi
