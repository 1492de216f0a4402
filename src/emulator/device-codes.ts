// Pending device-code sign-ins: created by /devicecode, approved by a person (the deviceauth page) or a test,
// redeemed once at the token endpoint.
import { randomBytes, randomInt } from 'node:crypto';

export interface DeviceCodeEntry {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scope: string;
  expiresAt: number;
  /** UPN of the approving user, or '' for "the tenant's first user"; undefined while pending. */
  approvedAs?: string;
}

export const DEVICE_CODE_LIFETIME_SECONDS = 900;
const MAX_PENDING = 1000;
const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export class DeviceCodeStore {
  readonly #byDevice = new Map<string, DeviceCodeEntry>();

  create(clientId: string, scope: string, autoApprove: boolean): DeviceCodeEntry {
    this.#prune();
    let userCode = '';
    for (let i = 0; i < 9; i++) userCode += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
    const entry: DeviceCodeEntry = {
      deviceCode: `DAQABAAEAAA${randomBytes(96).toString('base64url')}`,
      userCode,
      clientId,
      scope,
      expiresAt: Date.now() + DEVICE_CODE_LIFETIME_SECONDS * 1000,
      approvedAs: autoApprove ? '' : undefined,
    };
    this.#byDevice.set(entry.deviceCode, entry);
    return entry;
  }

  byDeviceCode(deviceCode: string): DeviceCodeEntry | undefined {
    return this.#byDevice.get(deviceCode);
  }

  /** Approve a pending code; false when no live code matches (case-insensitive, as people type it). */
  approve(userCode: string, upn = ''): boolean {
    const wanted = userCode.trim().toUpperCase();
    for (const e of this.#byDevice.values()) {
      if (e.userCode === wanted && e.expiresAt > Date.now() && e.approvedAs === undefined) {
        e.approvedAs = upn;
        return true;
      }
    }
    return false;
  }

  /** Bounded memory: expired codes go, and at most MAX_PENDING stay. */
  #prune(): void {
    const now = Date.now();
    for (const [code, e] of this.#byDevice) if (e.expiresAt <= now) this.#byDevice.delete(code);
    while (this.#byDevice.size >= MAX_PENDING) this.#byDevice.delete(this.#byDevice.keys().next().value!);
  }

  redeem(deviceCode: string): void {
    this.#byDevice.delete(deviceCode);
  }
}
