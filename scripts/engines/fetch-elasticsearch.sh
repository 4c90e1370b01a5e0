#!/usr/bin/env bash
# Fetches Elasticsearch's integ-test zip from Maven Central with `mvn dependency:copy`, unpacks it
# into the engine cache (outside the repository) and prints the unpacked home directory.
#
#   scripts/engines/fetch-elasticsearch.sh [VERSION]
#
# VERSION defaults to $CAIRN_ES_VERSION, else 8.19.21: the newest 8.x on Maven Central, the last line
# that runs on Java 17 (9.x needs Java 21). The cache is $CAIRN_ENGINES_CACHE, else
# $XDG_CACHE_HOME/cairn-engines, else /var/cache/cairn-engines for root (Elasticsearch then runs as an
# unprivileged user, which cannot read /root) and ~/.cache/cairn-engines for everyone else.
# Progress goes to stderr; stdout is only the path, so callers can capture it.
set -euo pipefail

version="${1:-${CAIRN_ES_VERSION:-8.19.21}}"
if [[ -n "${CAIRN_ENGINES_CACHE:-}" ]]; then
  cache="$CAIRN_ENGINES_CACHE"
elif [[ -n "${XDG_CACHE_HOME:-}" ]]; then
  cache="$XDG_CACHE_HOME/cairn-engines"
elif [[ "$(id -u)" == 0 ]]; then
  cache=/var/cache/cairn-engines
else
  cache="$HOME/.cache/cairn-engines"
fi
home="$cache/elasticsearch-$version"

if [[ -f "$home/.complete" ]]; then
  echo "$home"
  exit 0
fi

for tool in mvn unzip java; do
  command -v "$tool" >/dev/null || {
    echo "Cannot fetch Elasticsearch $version: '$tool' is not installed (needs Maven, unzip and Java 17+)" >&2
    exit 1
  }
done

mkdir -p "$cache"
zip="$cache/elasticsearch-$version.zip"
if [[ ! -f "$zip" ]]; then
  echo "Downloading org.elasticsearch.distribution.integ-test-zip:elasticsearch:$version:zip (about 100 MB) …" >&2
  # A pinned plugin version: the default one of Maven 3.8 predates some options.
  mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$version:zip" \
    -DoutputDirectory="$cache" -Dmdep.overWriteReleases=true >&2
fi

# Unpack beside the target and rename, so an interrupted unzip never looks complete.
tmp="$(mktemp -d "$cache/.unpack-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
unzip -q "$zip" -d "$tmp"
rm -rf "$home"
mv "$tmp/elasticsearch-$version" "$home"
chmod -R a+rX "$home"
touch "$home/.complete"
echo "$home"
