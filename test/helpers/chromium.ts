// Headless Chromium for the tests that open an HTML report in a real browser: which binary, and the flags that keep
// it quiet, offline and away from the user's own profile.

export const CHROMIUM = process.env.M365_DOCTOR_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for one headless run with `profile` as its (fresh) user data folder. */
export function headlessFlags(profile: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-extensions',
    `--user-data-dir=${profile}`,
  ];
}
