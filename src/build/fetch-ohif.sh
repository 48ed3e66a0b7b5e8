#!/usr/bin/env bash
# Puts the OHIF Viewer's static build (npm package @ohif/app) into the WAR's staging folder.
# The package tarball is fetched once with the machine's npm into a cache, and every build
# checks it against the integrity pinned in pom.xml, so a changed or corrupted package fails
# the build instead of being shipped.
#
# usage: fetch-ohif.sh VERSION INTEGRITY INCLUDE_SOURCEMAPS CACHE_DIR OUT_DIR
set -euo pipefail

version=$1 integrity=$2 sourcemaps=$3 cache=$4 out=$5
tarball="$cache/ohif-app-$version.tgz"
stamp="$out.stamp"
wanted="$version $integrity maps=$sourcemaps gzip=9"

fail() { echo "fetch-ohif: $*" >&2; exit 1; }

[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && [ -f "$out/index.html" ] && exit 0

command -v node >/dev/null && command -v npm >/dev/null ||
  fail "npm and node are needed to fetch the OHIF Viewer build. Install them (Debian: apt-get install npm) and build again."

sha512_of() { node -e 'const c=require("crypto"),f=require("fs");process.stdout.write("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$1"; }

if [ ! -f "$tarball" ]; then
  mkdir -p "$cache"
  echo "fetch-ohif: downloading @ohif/app@$version (about 50 MB, once)"
  tmp=$(mktemp -d "$cache/pack.XXXXXX")
  (cd "$tmp" && npm pack --silent "@ohif/app@$version" >/dev/null) || { rm -rf "$tmp"; fail "npm pack @ohif/app@$version failed"; }
  [ "$(sha512_of "$tmp/ohif-app-$version.tgz")" = "$integrity" ] || {
    rm -rf "$tmp"; fail "the downloaded @ohif/app@$version does not match the pinned integrity $integrity"; }
  mv "$tmp/ohif-app-$version.tgz" "$tarball"
  rmdir "$tmp"
fi

actual=$(sha512_of "$tarball")
[ "$actual" = "$integrity" ] ||
  fail "cached $tarball has integrity $actual, pom.xml pins $integrity; delete the file to fetch again"

rm -rf "$out" "$stamp"
mkdir -p "$out"
excludes=(--exclude=package/dist/app-config.js --exclude=package/dist/_headers --exclude=package/dist/_redirects --exclude=package/dist/serve.json)
[ "$sourcemaps" = true ] || excludes+=(--exclude='*.map')
tar -xzf "$tarball" -C "$out" --strip-components=2 "${excludes[@]}" package/dist

# gzip copies, made once here so the server never compresses per request (served by
# StaticFilesFilter); kept only where they save at least a tenth. index.html is compressed by
# the gateway itself, because it rewrites the page for its context path.
command -v gzip >/dev/null || fail "gzip is needed to precompress the viewer's files"
find "$out" -type f -size +1k ! -name index.html \( -name '*.js' -o -name '*.mjs' -o -name '*.css' -o -name '*.wasm' \
  -o -name '*.json' -o -name '*.svg' -o -name '*.html' -o -name '*.map' -o -name '*.txt' -o -name '*.xml' -o -name '*.ttf' \) \
  -exec gzip -9 -n -k -f {} +
find "$out" -type f -name '*.gz' | while read -r compressed; do
  [ $(( $(stat -c %s "$compressed") * 10 )) -le $(( $(stat -c %s "${compressed%.gz}") * 9 )) ] || rm "$compressed"
done
echo "$wanted" > "$stamp"
echo "fetch-ohif: @ohif/app@$version verified ($integrity) and unpacked, source maps: $sourcemaps"
