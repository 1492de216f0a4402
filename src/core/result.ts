// The one result model every reporter reads. Strings in it are already redacted.
import type { Category, Evidence, SkipReason, Status } from './check.js';
import type { Cloud, Activity, ConnectorProfile } from '../config/types.js';

export interface CheckResult {
  id: string;
  title: string;
  category: Category;
  status: Status;
  message: string;
  code?: string;
  remediation?: string;
  skipReason?: SkipReason;
  /** Id of the check whose finding is the root cause of this one (see Outcome.causedBy). */
  causedBy?: string;
  evidence: Record<string, Evidence>;
  docsUrl: string;
  durationMs: number;
  /** Checks this one depends on (for dependency graphs in reports). */
  dependsOn: string[];
}

export interface ReportTarget {
  cloud: Cloud;
  tenant: string;
  clientId: string;
  username: string;
  activities: Activity[];
  /** Connector profile the permissions were judged against (vendor, delegated, app-only). */
  profile?: ConnectorProfile;
  endpoints: Record<string, string>;
}

export interface RunReport {
  /** 2 since root causes and coverage joined the JSON report; `report`, `merge` and `fix --from` still read 1. */
  schemaVersion: 1 | 2;
  tool: { name: 'm365-doctor'; version: string };
  /** osRelease: kernel or Windows build, for support (added after the first release, so optional). */
  environment: {
    node: string;
    os: string;
    osRelease?: string;
    arch: string;
    /** Things about the machine the reader should know, e.g. an ignored NODE_TLS_REJECT_UNAUTHORIZED=0 (optional). */
    warnings?: string[];
  };
  target: ReportTarget;
  startedAt: string;
  finishedAt: string;
  /** Wall time of the whole run. */
  durationMs: number;
  /** Longest chain of dependent checks, by their durations: the lower bound for the run. */
  criticalPathMs: number;
  summary: Record<Status, number>;
  checks: CheckResult[];
}
