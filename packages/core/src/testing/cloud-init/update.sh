#!/usr/bin/env sh
# Replaces schema-cloud-config-v1.json with the one of a cloud-init release tag. Usage: ./update.sh 26.2
set -eu
tag="${1:?usage: ./update.sh <cloud-init release tag>}"
cd "$(dirname "$0")"
curl -fsSL "https://raw.githubusercontent.com/canonical/cloud-init/${tag}/cloudinit/config/schemas/schema-cloud-config-v1.json" -o schema-cloud-config-v1.json.new
node -e 'JSON.parse(require("fs").readFileSync("schema-cloud-config-v1.json.new","utf8"))'
mv schema-cloud-config-v1.json.new schema-cloud-config-v1.json
echo "schema-cloud-config-v1.json is now cloud-init ${tag}: update the tag and commit in SOURCE.md"
