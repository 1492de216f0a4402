// Builds EntraError from Entra's error JSON (preferred: it is the server's own answer) or, failing that,
// from what MSAL kept of it.
import { EntraError } from '../core/errors.js';

type EntraInfo = EntraError['info'];

/** True when a parsed body looks like Entra's OAuth error answer. */
export function isEntraErrorBody(body: unknown): body is Record<string, unknown> {
  return !!body && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string';
}

export function entraErrorFromBody(httpStatus: number, body: Record<string, unknown>): EntraError {
  const codes = Array.isArray(body.error_codes) ? body.error_codes.map(Number).filter(Number.isFinite) : [];
  const description = String(body.error_description ?? '');
  const fromText = idsFromDescription(description);
  const aadsts = codes[0] ?? aadstsFromText(description);
  return new EntraError(
    prune({
      httpStatus,
      error: String(body.error),
      aadsts,
      errorCodes: codes.length ? codes : aadsts ? [aadsts] : [],
      description: firstLine(description),
      suberror: str(body.suberror),
      traceId: str(body.trace_id) ?? fromText.traceId,
      correlationId: str(body.correlation_id) ?? fromText.correlationId,
      timestamp: str(body.timestamp) ?? fromText.timestamp,
    }),
  );
}

interface MsalLikeError {
  errorCode?: string;
  errorMessage?: string;
  subError?: string;
  errorNo?: string | number;
  status?: number;
  correlationId?: string;
  traceId?: string;
  timestamp?: string;
  message?: string;
}

/** When the raw answer was not seen: MSAL's error fields, with ids parsed out of its message. */
export function entraErrorFromMsal(err: MsalLikeError): EntraError {
  const text = err.errorMessage || err.message || '';
  // MSAL's ServerError message reads "Error(s): 50126 - Timestamp: ... - Description: AADSTS50126: ...\r\nTrace ID: ..."
  const desc = text.match(/Description:\s*([\s\S]*?)(?:\s+-\s+Correlation ID:|$)/)?.[1] ?? text;
  const ids = idsFromDescription(text);
  const tail = text.match(/- Correlation ID:\s*([0-9a-f-]{36})\s*- Trace ID:\s*([0-9a-f-]{36})/i);
  const aadsts = Number(err.errorNo) || aadstsFromText(desc);
  return new EntraError(
    prune({
      httpStatus: err.status ?? 0,
      error: err.errorCode || 'unknown_error',
      aadsts: aadsts || undefined,
      errorCodes: aadsts ? [aadsts] : [],
      description: firstLine(desc),
      suberror: err.subError || undefined,
      traceId: err.traceId || ids.traceId || tail?.[2],
      correlationId: ids.correlationId || tail?.[1] || err.correlationId || undefined,
      timestamp: err.timestamp || ids.timestamp,
    }),
  );
}

function idsFromDescription(text: string): { traceId?: string; correlationId?: string; timestamp?: string } {
  return {
    traceId: text.match(/Trace ID:\s*([0-9a-f-]{36})/i)?.[1],
    correlationId: text.match(/Correlation ID:\s*([0-9a-f-]{36})/i)?.[1],
    timestamp: text.match(/Timestamp:\s*(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\dZ?)/)?.[1],
  };
}

function aadstsFromText(text: string): number | undefined {
  const m = text.match(/AADSTS(\d+)/);
  return m ? Number(m[1]) : undefined;
}

function firstLine(text: string): string {
  // split() always yields at least one element.
  return text.split(/\r?\n/)[0]!.trim();
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

function prune(info: EntraInfo): EntraInfo {
  for (const k of Object.keys(info) as Array<keyof EntraInfo>) if (info[k] === undefined) delete info[k];
  return info;
}
