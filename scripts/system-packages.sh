#!/usr/bin/env bash
# Installs the Debian packages yiwang needs (CJK fonts for PDFs, poppler/NSS/zbar tools the tests
# use to check signatures and QR codes, openssl for the local timestamp authority, Chromium for
# browser tests) when any is missing.
set -euo pipefail
packages=(fonts-noto-cjk poppler-utils libnss3-tools zbar-tools chromium openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "yiwang needs these Debian packages: ${missing[*]}" >&2
  echo "yiwang 需要以下系统软件包。请以 root 身份运行 / please run as root:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
