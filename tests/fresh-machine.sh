#!/usr/bin/env bash
# Repeats a new user's first run on a bare machine: a Debian 12 chroot (debootstrap minbase with only
# git and ca-certificates), a clone of this repository, then README's two commands: the main job
# (shortened) and the tests; then checks that `devices --json` parses and that the main job ran on
# PoCL. Not run by CI: it needs root, the Debian mirror and about 15 minutes.
#
#   sudo tests/fresh-machine.sh [CHROOT_DIR]      # default /var/tmp/multimax-fresh (removed first)
#
# MIRROR overrides the Debian mirror. CA certificates the host trusts beyond Debian's
# (/usr/local/share/ca-certificates) are carried into the chroot, so a TLS-inspecting proxy works.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
root="${1:-/var/tmp/multimax-fresh}"
mirror="${MIRROR:-http://deb.debian.org/debian}"
[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: needs root (debootstrap, chroot, mounts)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "fresh-machine: needs debootstrap (apt-get install debootstrap)" >&2; exit 2; }

step() { echo "== $(date +%T) $*"; }
mounted=()
cleanup() {
  local m
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
bind() { mkdir -p "$root$2"; mount $1 "$root$2"; mounted+=("$root$2"); }

t0=$SECONDS
step "debootstrap bookworm (minbase, git, ca-certificates) into $root"
rm -rf "$root"
debootstrap --variant=minbase --include=git,ca-certificates bookworm "$root" "$mirror" > /tmp/fresh-debootstrap.log 2>&1 \
  || { tail -20 /tmp/fresh-debootstrap.log; exit 1; }
cp /etc/resolv.conf "$root/etc/resolv.conf"
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" update-ca-certificates > /dev/null
fi
bind "-t proc proc" /proc
bind "-t sysfs sys" /sys
bind "--bind /dev" /dev
bind "--bind /dev/pts" /dev/pts
echo "   base system: $(du -sh --exclude=proc --exclude=sys --exclude=dev "$root" | cut -f1), $(chroot "$root" dpkg -l | grep -c '^ii') packages"

step "clone"
git clone -q "$repo" "$root/home/user/multimax-vit"
in_chroot() { chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  TERM=dumb LANG=C.UTF-8 bash -c "cd /home/user/multimax-vit && $1"; }

step "main job (README's first command, shortened: 1 epoch on 5000 images)"
t1=$SECONDS
in_chroot "bin/multimax train --epochs 1 --limit-train 5000 --val 500 --limit-test 1000 --out runs/fresh" 2>&1 | tee /tmp/fresh-train.log
echo "   main job: $((SECONDS - t1)) s with installs and build"
grep -q "^device: opencl:" /tmp/fresh-train.log || { echo "FAIL: the main job did not run on an OpenCL device (PoCL)"; exit 1; }
grep -q "^done: test accuracy" /tmp/fresh-train.log || { echo "FAIL: the main job did not finish"; exit 1; }

step "devices --json parses"
in_chroot "bin/multimax devices --json 2>/dev/null > /tmp/devices.json && node -e 'const d = JSON.parse(require(\"fs\").readFileSync(\"/tmp/devices.json\", \"utf8\")); console.log(\"   \" + d.map(x => x.id).join(\", \"))'"

step "tests (README's second command)"
t2=$SECONDS
in_chroot "tests/run.sh" > /tmp/fresh-tests.log 2>&1 || { tail -60 /tmp/fresh-tests.log; echo "FAIL: tests/run.sh (log: /tmp/fresh-tests.log)"; exit 1; }
grep -E "Tests run:.*Fail" /tmp/fresh-tests.log | tail -1
echo "   tests: $((SECONDS - t2)) s"

step "cost of the first run"
echo "   installed: $(chroot "$root" dpkg -l | grep -c '^ii') packages, chroot $(du -sh --exclude=proc --exclude=sys --exclude=dev "$root" | cut -f1), ~/.m2 $(du -sh "$root/root/.m2" | cut -f1)"
echo "OK: both README commands passed in a bare Debian 12 chroot in $((SECONDS - t0)) s"
