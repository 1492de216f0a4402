#!/bin/sh
# Installs Debian's Dovecot (IMAP, POP3, submission) for the interop suite, without ever starting
# the distribution's own dovecot service. Needs root and apt-get; prints one line of timing.
set -eu

PACKAGES="dovecot-core dovecot-imapd dovecot-pop3d dovecot-submissiond"
POLICY=/usr/sbin/policy-rc.d

if [ "$(id -u)" != 0 ]; then echo "install-dovecot: needs root" >&2; exit 77; fi
command -v apt-get >/dev/null 2>&1 || { echo "install-dovecot: no apt-get" >&2; exit 77; }

# Test workers start in parallel and may all find Dovecot missing: one installs, the others wait, then find it.
if command -v flock >/dev/null 2>&1; then
  exec 9>/var/lock/m365-doctor-install-dovecot.lock
  flock -w 600 9
fi
if command -v dovecot >/dev/null 2>&1 && [ -x /usr/lib/dovecot/imap ] && [ -x /usr/lib/dovecot/pop3 ] && [ -x /usr/lib/dovecot/submission ]; then
  echo "install-dovecot: $(dovecot --version) already installed"
  exit 0
fi

# invoke-rc.d asks policy-rc.d before starting a service; exit 101 means "do not start".
# A policy already in place (container images ship one) is left untouched.
OWN_POLICY=0
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$POLICY"
  chmod 755 "$POLICY"
  OWN_POLICY=1
fi
cleanup() { if [ "$OWN_POLICY" = 1 ]; then rm -f "$POLICY"; fi; }
trap cleanup EXIT INT TERM

start=$(date +%s.%N)
export DEBIAN_FRONTEND=noninteractive
# Another test worker may be installing at the same moment: wait for the dpkg lock instead of failing.
LOCK_WAIT="-o DPkg::Lock::Timeout=300"
# Always refresh the lists: the aud check of passdb oauth2 came to bookworm as a security update.
apt-get $LOCK_WAIT update -q >/dev/null
updated=$(date +%s.%N)
apt-get $LOCK_WAIT install -y -q --no-install-recommends $PACKAGES >/dev/null
end=$(date +%s.%N)
echo "install-dovecot: $(dovecot --version) installed in $(awk "BEGIN { printf \"%.1f s (apt-get update %.1f s)\", $end - $start, $updated - $start }")"
