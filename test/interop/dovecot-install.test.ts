// The interop gate's decisions: install only as root with apt on Linux; otherwise skip with a reason that
// names what is missing. These run everywhere, Dovecot or not.
import { describe, expect, test } from 'vitest';
import { decide, type HostFacts } from './dovecot-install.js';

const linuxRoot: HostFacts = { missing: [], platform: 'linux', isRoot: true, hasAptGet: true };

describe('Dovecot availability decision', () => {
  test.each([
    ['installed 2.3 with every part', { ...linuxRoot, version: '2.3.19.1 (9b53102964)' }, { action: 'ready' }],
    ['absent, root with apt-get', linuxRoot, { action: 'install' }],
    [
      'installed without submission, root with apt-get',
      { ...linuxRoot, version: '2.3.19.1', missing: ['/usr/lib/dovecot/submission'] },
      { action: 'install' },
    ],
    [
      'absent, not root',
      { ...linuxRoot, isRoot: false },
      { action: 'skip', reason: 'Dovecot is not installed and installing it needs root (apt-get)' },
    ],
    [
      'absent, no apt-get',
      { ...linuxRoot, hasAptGet: false },
      { action: 'skip', reason: 'Dovecot is not installed and this machine has no apt-get' },
    ],
    [
      'absent, macOS',
      { ...linuxRoot, platform: 'darwin' as const },
      { action: 'skip', reason: 'Dovecot is not installed and darwin has no apt-get' },
    ],
    [
      'parts missing, not root',
      { ...linuxRoot, isRoot: false, version: '2.3.21', missing: ['/usr/lib/dovecot/pop3'] },
      { action: 'skip', reason: 'Dovecot 2.3.21 lacks /usr/lib/dovecot/pop3 and installing it needs root (apt-get)' },
    ],
    [
      'Dovecot 2.4 installed',
      { ...linuxRoot, version: '2.4.1-4 (7d8c0e5759)' },
      { action: 'skip', reason: 'Dovecot 2.4.1-4 (7d8c0e5759) is installed; the interop harness needs 2.3.x' },
    ],
  ])('%s', (_name, facts, expected) => {
    expect(decide(facts)).toEqual(expected);
  });
});
