// The fleet report on stdout and in --report files, for a fleet run (check --targets) and for merge: rendering only,
// so merge loads no runner, client or check.
import { resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { terminalWidth, useColor } from '../output/color.js';
import { writeAll, writeFileAtomic } from '../output/atomic-file.js';
import type { FleetHeader, FleetTargetEntry } from '../fleet/fleet-report.js';
import { FLEET_FORMATS, renderFleet, type FleetFormat, type Sink } from '../fleet/render.js';

/** A fleet report format by name; `problem` says what a wrong name is (e.g. "is not available with --targets"). */
export function fleetFormat(name: string, flag: string, problem: string): FleetFormat {
  if ((FLEET_FORMATS as readonly string[]).includes(name)) return name as FleetFormat;
  throw new ConfigError(flag, `"${name}" ${problem}`, `Use one of ${FLEET_FORMATS.join(', ')}`);
}

/** Collects small chunks into larger writes. */
function bufferedSink(out: (s: string) => void, limit = 1 << 16): { write: Sink; flush(): void } {
  let buf = '';
  return {
    write: (chunk) => {
      buf += chunk;
      if (buf.length >= limit) {
        out(buf);
        buf = '';
      }
    },
    flush: () => {
      if (buf) out(buf);
      buf = '';
    },
  };
}

/** Streams a report into a file (folders created), every chunk scrubbed on its way to the disk. */
function writeFleetFile(
  file: string,
  render: (sink: Sink) => void,
  scrub: (s: string) => string,
  cwd = process.cwd(),
): string {
  const path = resolve(cwd, file);
  // Through a temporary file and a rename (output/atomic-file.ts): a failure leaves no half-written report.
  writeFileAtomic(
    path,
    (put) => {
      const sink = bufferedSink((s) => put(scrub(s)));
      render(sink.write);
      sink.flush();
    },
    { flag: '--report' },
  );
  return path;
}

/** The fleet report on stdout, then each --report file (scrubbed); `say` hears of every file written. */
export function printFleetReports(
  format: FleetFormat,
  header: FleetHeader,
  entries: () => Iterable<FleetTargetEntry>,
  files: readonly { file: string; format: FleetFormat }[],
  o: { env: NodeJS.ProcessEnv; quiet?: boolean; scrub: (s: string) => string; say: (line: string) => void },
): void {
  const stdout = bufferedSink((s) => process.stdout.write(s));
  renderFleet(format, header, entries(), stdout.write, {
    color: useColor(process.stdout, o.env),
    width: terminalWidth(process.stdout),
    problemsOnly: o.quiet,
  });
  stdout.flush();
  writeAll(files, (spec) => {
    const path = writeFleetFile(spec.file, (sink) => renderFleet(spec.format, header, entries(), sink), o.scrub);
    o.say(`wrote ${spec.format} report to ${path}`);
  });
}
