#!/usr/bin/env bash
# Generates the shipped announcements (texts.txt) as 8 kHz mono 16-bit WAVs in $1, with Debian's espeak-ng and sox
# (bin/gateway install installs both); nothing is downloaded. A file newer than texts.txt is kept.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: generate.sh OUTPUT_DIR}"
mkdir -p "$out"
for tool in espeak-ng sox; do
	command -v "$tool" >/dev/null || { echo "generate.sh: $tool is missing (bin/gateway install)" >&2; exit 1; }
done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
while IFS='|' read -r cause text; do
	[[ -z "$cause" || "$cause" == \#* ]] && continue
	wav="$out/$cause.wav"
	[[ -f "$wav" && "$wav" -nt "$here/texts.txt" ]] && continue
	espeak-ng -v en-gb -s 150 -w "$tmp/$cause.wav" "$text"
	# telephone band, normalised to -3 dBFS, a short silence before and after
	sox "$tmp/$cause.wav" -r 8000 -c 1 -b 16 "$wav" norm -3 pad 0.2 0.4
done < "$here/texts.txt"
