export interface AuthSettings {
  adminEmail?: string;
  adminPassword?: string;
  /** ADMIN_NAME: the first administrator's display name. */
  adminName?: string;
  /** Base of the links handed out (set-up, invitations). */
  publicUrl: string;
  sessionTtlHours: number;
  inviteTtlHours: number;
  setupLinkMinutes: number;
}

/** What the login counts for /metrics. */
export interface AuthMetrics {
  /** Every password hash verified at login (argon2: the expensive step the throttle rations). */
  passwordChecks: { inc(): void };
}
