import { z } from 'zod';

const flag = z.preprocess((v) => (typeof v === 'string' ? ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase()) : v), z.boolean());
const list = z.preprocess((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v), z.array(z.string().url()));

/**
 * Configuration of accounts and hardening, merged into the server's ConfigSchema. Each field
 * documents its environment variable and default.
 */
export const AUTH_CONFIG_SHAPE = {
  /** ADMIN_EMAIL / ADMIN_PASSWORD: on a first start (no account yet), the administrator is created from these. Otherwise a one-time set-up link is printed. */
  adminEmail: z.string().trim().toLowerCase().email().optional(),
  adminPassword: z.string().min(12).max(256).optional(),
  /** ADMIN_NAME: the display name of that first administrator (unique like every name). Default "Administrator". */
  adminName: z.string().trim().min(1).max(120).default('Administrator'),
  /** PUBLIC_URL: the address people use (e.g. https://crise.chu.local), for set-up and invitation links. Default http://localhost:PORT. */
  publicUrl: z.string().url().optional(),
  /** TRUST_PROXY: behind a TLS-terminating reverse proxy, take the client address from X-Forwarded-For. Default off. */
  trustProxy: flag.default(false),
  /** COOKIE_SECURE: mark the session cookie Secure (and name it __Host-…). Default: on when PUBLIC_URL is https. */
  cookieSecure: flag.optional(),
  /** ALLOWED_ORIGINS: comma-separated origins allowed besides the server's own (same host). Default none. */
  allowedOrigins: list.default([]),
  /** SESSION_TTL_HOURS: lifetime of a login session. Default 12 (one shift). */
  sessionTtlHours: z.coerce.number().positive().max(24 * 30).default(12),
  /** INVITE_TTL_HOURS: default validity of an invitation link. Default 72. */
  inviteTtlHours: z.coerce.number().positive().max(24 * 14).default(72),
  /** SETUP_LINK_MINUTES: validity of the first administrator's set-up link. Default 30. */
  setupLinkMinutes: z.coerce.number().positive().max(24 * 60).default(30),
  /** LOG_SEAL_GRACE_SECONDS: how long the author of a log entry may still withdraw it (typos); sealed after. Default 120. */
  logSealGraceSeconds: z.coerce.number().min(0).max(3600).default(120),
  /** SOCKET_RATE_PER_SECOND / SOCKET_RATE_BURST: per-connection message budget (token bucket). Defaults 200/s, burst 2000. */
  socketRatePerSecond: z.coerce.number().positive().default(200),
  socketRateBurst: z.coerce.number().positive().default(2000),
  /** AUTH_RECHECK_SECONDS: how often open sockets are re-validated (expiry, revocation or removal done on another node). Default 15. */
  authRecheckSeconds: z.coerce.number().positive().max(3600).default(15),
  /** TOTP_KEY_FILE: AES-256 key that encrypts TOTP secrets in the database (0600, made at first start; the same file on every node). Default DATA_DIR/totp-key. */
  totpKeyFile: z.string().min(1).optional(),
};

export function authConfigFromEnv(env: NodeJS.ProcessEnv): Record<keyof typeof AUTH_CONFIG_SHAPE, unknown> {
  const v = (name: string) => env[name] || undefined;
  return {
    adminEmail: v('ADMIN_EMAIL'),
    adminPassword: v('ADMIN_PASSWORD'),
    adminName: v('ADMIN_NAME'),
    publicUrl: v('PUBLIC_URL'),
    trustProxy: v('TRUST_PROXY'),
    cookieSecure: v('COOKIE_SECURE'),
    allowedOrigins: v('ALLOWED_ORIGINS'),
    sessionTtlHours: v('SESSION_TTL_HOURS'),
    inviteTtlHours: v('INVITE_TTL_HOURS'),
    setupLinkMinutes: v('SETUP_LINK_MINUTES'),
    logSealGraceSeconds: v('LOG_SEAL_GRACE_SECONDS'),
    socketRatePerSecond: v('SOCKET_RATE_PER_SECOND'),
    socketRateBurst: v('SOCKET_RATE_BURST'),
    authRecheckSeconds: v('AUTH_RECHECK_SECONDS'),
    totpKeyFile: v('TOTP_KEY_FILE'),
  };
}
