// Exit codes are part of vmi's interface (README): scripts rely on them.
export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2, // bad usage or configuration
  auth: 3, // wrong passphrase, disabled user, vCenter or Prism Central login refused or denied
  source: 4, // a source unreachable or failed
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type ErrorReason =
  | 'usage'
  | 'config-invalid'
  | 'home-not-writable'
  | 'not-initialised'
  | 'already-initialised'
  | 'db-too-new'
  | 'db-corrupt'
  | 'db-locked'
  | 'row-tampered'
  | 'wrong-passphrase'
  | 'unknown-user'
  | 'user-disabled'
  | 'must-change-passphrase'
  | 'not-admin'
  | 'not-found'
  | 'conflict'
  | 'filter-invalid'
  | 'audit-broken'
  | 'key-changed'
  // sources
  | 'login-refused'
  | 'unreachable'
  | 'dns'
  | 'refused'
  | 'timeout'
  | 'tls-mismatch'
  | 'tls-untrusted'
  | 'bad-response'
  | 'too-large'
  | 'soap-fault'
  | 'not-authenticated'
  | 'access-denied' // authenticated, but the account may not read this
  | 'rate-limited'
  | 'not-prism-central' // a Nutanix source pointed at something else (Prism Element)
  | 'incomplete' // a retrieval that ended short of what the source announced
  | 'ingest-invalid'
  | 'cancelled'
  | 'offline' // a source without a session (no credentials, not connected, leased elsewhere)
  | 'unsupported' // the platform cannot do what was asked
  | 'internal';

const exitFor: Record<ErrorReason, ExitCode> = {
  usage: EXIT.usage,
  'config-invalid': EXIT.usage,
  'home-not-writable': EXIT.usage,
  'not-initialised': EXIT.usage,
  'already-initialised': EXIT.usage,
  'db-too-new': EXIT.usage,
  'db-corrupt': EXIT.unexpected,
  'db-locked': EXIT.unexpected,
  'row-tampered': EXIT.unexpected,
  'wrong-passphrase': EXIT.auth,
  'unknown-user': EXIT.auth,
  'user-disabled': EXIT.auth,
  'must-change-passphrase': EXIT.auth,
  'not-admin': EXIT.auth,
  'not-found': EXIT.usage,
  conflict: EXIT.usage,
  'filter-invalid': EXIT.usage,
  'audit-broken': EXIT.unexpected,
  'key-changed': EXIT.auth,
  'login-refused': EXIT.auth,
  unreachable: EXIT.source,
  dns: EXIT.source,
  refused: EXIT.source,
  timeout: EXIT.source,
  'tls-mismatch': EXIT.source,
  'tls-untrusted': EXIT.source,
  'bad-response': EXIT.source,
  'too-large': EXIT.source,
  'soap-fault': EXIT.source,
  'not-authenticated': EXIT.auth,
  'access-denied': EXIT.auth,
  'rate-limited': EXIT.source,
  'not-prism-central': EXIT.source,
  incomplete: EXIT.source,
  'ingest-invalid': EXIT.usage,
  cancelled: EXIT.unexpected,
  offline: EXIT.source,
  unsupported: EXIT.source,
  internal: EXIT.unexpected,
};

/** An error a user is meant to read: one line, no secrets, a reason code and an exit code. */
export class VmiError extends Error {
  readonly reason: ErrorReason;
  readonly exitCode: ExitCode;
  constructor(reason: ErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VmiError';
    this.reason = reason;
    this.exitCode = exitFor[reason];
  }
}

export function isVmiError(e: unknown): e is VmiError {
  return e instanceof VmiError;
}

/** One line for the terminal: the message of a VmiError, or a short description of anything else. */
export function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.replace(/\s*\n\s*/g, ' ').trim();
}
