// Error classes with stable codes that checks match on. Messages never hold secrets.

/** Usage or configuration error: exit code 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly field: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${field}: ${problem}. ${fix}`);
  }
}

/** An Entra ID error answer (token, discovery, userrealm). */
export class EntraError extends Error {
  override name = 'EntraError';
  constructor(
    readonly info: {
      httpStatus: number;
      error: string; // OAuth class, e.g. invalid_grant
      aadsts?: number; // first of error_codes
      errorCodes: number[];
      description: string; // first line of error_description (no trace lines)
      suberror?: string;
      traceId?: string;
      correlationId?: string;
      timestamp?: string;
    },
  ) {
    super(info.description || info.error);
  }
  /**
   * Values for the code's fix text that differ from the run's defaults: a refusal of the directory reader's
   * sign-in names that app ({clientId}), not the connector's.
   */
  data: Record<string, string> = {};
  get code(): string {
    return this.info.aadsts ? `AADSTS${this.info.aadsts}` : this.info.error;
  }
  /** The same answer, about another app or user than the connector's. */
  about(data: Record<string, string>): EntraError {
    const e = new EntraError(this.info);
    e.data = { ...this.data, ...data };
    return e;
  }
}

/** A Microsoft Graph error answer. */
export class GraphError extends Error {
  override name = 'GraphError';
  constructor(readonly info: { status: number; code: string; message: string; requestId?: string; path: string }) {
    super(`${info.status} ${info.code}: ${info.message}`);
  }
}

/** A Graph read's value, or undefined when Graph answered 404 (no such object); any other failure is thrown. */
export async function unlessNotFound<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (err) {
    if (err instanceof GraphError && err.info.status === 404) return undefined;
    throw err;
  }
}

export type NetErrorCode =
  | 'CONNECTION_REFUSED'
  | 'DNS_NOT_FOUND'
  | 'TIMEOUT'
  | 'CONNECTION_RESET'
  | 'TLS_UNTRUSTED'
  | 'TLS_HOSTNAME_MISMATCH'
  | 'TLS_EXPIRED'
  | 'TLS_FAILED'
  | 'BAD_RESPONSE'
  | 'RESPONSE_TOO_LARGE'
  | 'THROTTLED'
  | 'SERVER_ERROR'
  | 'ABORTED'
  // The peer ended the connection cleanly in the middle of a dialog (not a TCP reset).
  | 'CONNECTION_CLOSED'
  // The proxy: asked for credentials (HTTP 407), refused the tunnel (403, 5xx...), or could not be reached at all.
  | 'PROXY_AUTH_REQUIRED'
  | 'PROXY_REFUSED'
  | 'PROXY_UNREACHABLE';

/** Transport-level failure: the server could not be reached or answered nonsense. */
export class NetError extends Error {
  override name = 'NetError';
  constructor(
    readonly code: NetErrorCode,
    readonly host: string,
    readonly phase: string,
    message: string,
    readonly detail: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

/** No --admin credential: directory-reader checks skip. */
export class NoDirectoryReaderError extends Error {
  override name = 'NoDirectoryReaderError';
  constructor() {
    super('no directory reader configured (--admin device-code or --admin-client-id)');
  }
}

/** An output file (a --report file, init's config) could not be written: exit code 3; nothing partial is left. */
export class OutputWriteError extends Error {
  override name = 'OutputWriteError';
  constructor(
    readonly flag: string,
    readonly path: string,
    readonly code: string,
    readonly also: OutputWriteError[] = [],
  ) {
    super(`${flag}: cannot write ${path} (${describeWriteFailure(code)}); nothing was written there`);
  }
  /** One line per file that could not be written. */
  get lines(): string[] {
    return [this.message, ...this.also.map((e) => e.message)];
  }
}

function describeWriteFailure(code: string): string {
  const words: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    EISDIR: 'it is a folder',
    ENOTDIR: 'a part of the path is not a folder',
    ENOENT: 'the folder does not exist',
    EEXIST: 'it already exists',
  };
  return words[code] ? `${code}: ${words[code]}` : code;
}
