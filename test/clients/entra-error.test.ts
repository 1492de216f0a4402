// EntraError from MSAL's own error objects, for the cases where the raw token answer was not seen.
import { InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { entraErrorFromBody, entraErrorFromMsal } from '../../src/auth/entra-error.js';

const TRACE = '0b1c2d3e-0000-4000-8000-000000000001';
const CORR = '0b1c2d3e-0000-4000-8000-000000000002';
const DESC = `AADSTS50126: Error validating credentials due to invalid username or password.\r\nTrace ID: ${TRACE}\r\nCorrelation ID: ${CORR}\r\nTimestamp: 2026-11-02 10:00:00Z`;

describe('entraErrorFromMsal', () => {
  it('reads a ServerError: errorNo, class, first description line, trace and correlation ids', () => {
    // The message shape msal-common's ResponseHandler builds from the server answer.
    const msg = `Error(s): 50126 - Timestamp: 2026-11-02 10:00:00Z - Description: ${DESC} - Correlation ID: ${CORR} - Trace ID: ${TRACE}`;
    const e = entraErrorFromMsal(new ServerError('invalid_grant', CORR, msg, undefined, '50126', 400));
    expect(e.info).toEqual({
      httpStatus: 400,
      error: 'invalid_grant',
      aadsts: 50126,
      errorCodes: [50126],
      description: 'AADSTS50126: Error validating credentials due to invalid username or password.',
      traceId: TRACE,
      correlationId: CORR,
      timestamp: '2026-11-02 10:00:00Z',
    });
    expect(e.code).toBe('AADSTS50126');
  });

  it('reads an InteractionRequiredAuthError with its suberror and trace id', () => {
    const desc = `AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.\r\nTrace ID: ${TRACE}\r\nCorrelation ID: ${CORR}`;
    const e = entraErrorFromMsal(
      new InteractionRequiredAuthError(
        'invalid_grant',
        CORR,
        desc,
        'basic_action',
        '2026-11-02 10:00:00Z',
        TRACE,
        '{}',
        '50076',
      ),
    );
    expect(e.info).toMatchObject({
      error: 'invalid_grant',
      aadsts: 50076,
      suberror: 'basic_action',
      traceId: TRACE,
      correlationId: CORR,
    });
    expect(e.info.description).toMatch(/^AADSTS50076: Due to a configuration change/);
  });

  it("keeps MSAL's own error code when no server answer exists", () => {
    const e = entraErrorFromMsal({
      errorCode: 'endpoints_resolution_error',
      errorMessage: 'Endpoints cannot be resolved',
    });
    expect(e.info).toMatchObject({
      error: 'endpoints_resolution_error',
      errorCodes: [],
      description: 'Endpoints cannot be resolved',
    });
    expect(e.code).toBe('endpoints_resolution_error');
  });
});

describe('entraErrorFromBody', () => {
  it('takes the first of several error codes and parses ids from the description when fields are absent', () => {
    const e = entraErrorFromBody(400, { error: 'invalid_grant', error_description: DESC, error_codes: [50126, 70002] });
    expect(e.info).toMatchObject({
      aadsts: 50126,
      errorCodes: [50126, 70002],
      traceId: TRACE,
      correlationId: CORR,
      timestamp: '2026-11-02 10:00:00Z',
    });
  });
});
