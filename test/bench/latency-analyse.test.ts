// The latency bench's reading of one run: the critical chain, the round trips each check on it waited on (the
// longest series on one of its connections falling mostly inside its window), and how long they took; the rest of
// the critical path is the CLI's own time.
import { describe, expect, it } from 'vitest';
import { analyse } from '../../bench/latency.js';
import type { ProxiedConnection } from '../../bench/delay-proxy.js';
import type { RunningEmulator } from '../../src/emulator/index.js';

const T0 = 1_000;
const iso = (ms: number) => new Date(performance.timeOrigin + T0 + ms).toISOString();
const noLog = { log: { entries: [] } } as unknown as RunningEmulator;
const conn = (service: string, setup: [number, number], flights: Array<[number, number]>): ProxiedConnection => ({
  service,
  acceptedAt: T0 + setup[0],
  setup: { sentAt: T0 + setup[0], answeredAt: T0 + setup[1] },
  flights: flights.map(([s, a]) => ({ sentAt: T0 + s, answeredAt: T0 + a })),
});
/** A run's report: its checks (status pass) by id, duration and dependencies, started at 0. */
const reportOf = (durationMs: number, criticalPathMs: number, checks: Array<[string, number, string[]]>) => ({
  startedAt: iso(0),
  finishedAt: iso(durationMs),
  durationMs,
  criticalPathMs,
  checks: checks.map(([id, ms, dependsOn]) => ({ id, status: 'pass', durationMs: ms, dependsOn })),
});
/** When each check's progress line arrived, on the proxies' performance.now() clock. */
const endsAt = (ends: Record<string, number>) => new Map(Object.entries(ends).map(([id, ms]) => [id, T0 + ms]));

describe('latency analysis', () => {
  it('sums the round trips and their time along the chain that ended last', () => {
    const report = reportOf(300, 290, [
      ['tenant-discovery', 130, []],
      ['ropc-token', 50, ['tenant-discovery']],
      ['pop-login', 110, ['ropc-token']],
      ['user-realm', 100, []],
    ]);
    const ends = endsAt({ 'tenant-discovery': 135, 'user-realm': 105, 'ropc-token': 185, 'pop-login': 295 });
    const conns = [
      // Entra: connect, TLS, discovery; then the ROPC POST on the same connection.
      conn(
        'entra',
        [5, 45],
        [
          [45, 86],
          [88, 130],
          [137, 180],
        ],
      ),
      // POP: its three exchanges after the token.
      conn(
        'pop',
        [5, 45],
        [
          [45, 86],
          [186, 227],
          [228, 249],
          [250, 292],
        ],
      ),
    ];
    const { rows, criticalRoundTrips, criticalWaitMs } = analyse(report, conns, noLog, 2, ends);
    expect(rows.filter((r) => r.critical).map((r) => r.id)).toEqual(['tenant-discovery', 'ropc-token', 'pop-login']);
    expect(rows.find((r) => r.id === 'user-realm')?.critical).toBe(false);
    expect(criticalRoundTrips).toBe(3 + 1 + 3);
    // 40 + 41 + 42 (discovery's window) + 43 (ROPC) + 41 + 21 + 42 (POP).
    expect(criticalWaitMs).toBe(270);
  });

  it('counts a round trip mostly inside a check window, for the part after its start', () => {
    const report = reportOf(150, 138, [
      ['tenant-discovery', 130, []],
      ['app-credentials', 8, ['tenant-discovery']],
    ]);
    const ends = endsAt({ 'tenant-discovery': 140, 'app-credentials': 148 });
    const conns = [
      // Opened at 7 by a pre-connect, the check starting at 10: counted, 37 of its 40 ms.
      conn(
        'entra',
        [7, 47],
        [
          [47, 88],
          [90, 131],
        ],
      ),
      // A warm-up exchange over before the start.
      conn('entra', [0, 5], [[5, 9]]),
      // The app's token, asked at 100 beside discovery and answered 4 ms into app-credentials (140-148): that
      // round trip was spent in tenant-discovery's window, not app-credentials'.
      conn('entra', [7, 47], [[100, 144]]),
    ];
    const { rows, criticalRoundTrips, criticalWaitMs } = analyse(report, conns, noLog, 2, ends);
    expect(rows.find((r) => r.id === 'app-credentials')?.roundTrips).toBe(0);
    expect(criticalRoundTrips).toBe(3);
    expect(criticalWaitMs).toBe(37 + 41 + 41);
  });
});
