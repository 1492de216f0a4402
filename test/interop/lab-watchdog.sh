#!/bin/sh
# Ends one Dovecot lab when the test process that started it is gone without stopping it (a killed or
# timed-out test worker never runs its own exit hooks). Kills by pid only: the master, and the processes
# Dovecot titled "dovecot-<instance>/...". Usage: lab-watchdog.sh OWNER_PID MASTER_PID INSTANCE LAB_DIR
owner=$1 master=$2 instance=$3 lab=$4

while kill -0 "$owner" 2>/dev/null; do sleep 0.5; done

kill -KILL "$master" 2>/dev/null
for dir in /proc/[0-9]*; do
  cmd=$(tr '\0' ' ' < "$dir/cmdline" 2>/dev/null) || continue
  case "$cmd" in "dovecot-$instance/"*) kill -KILL "${dir#/proc/}" 2>/dev/null ;; esac
done
case "$lab" in */m365-doctor-dovecot-*) rm -rf "$lab" ;; esac
