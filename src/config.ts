/**
 * Settings from the environment, read once into a frozen object. A bad value fails at start,
 * naming the variable and its value. Command-line flags override these (see cli/).
 */
import { resolve } from 'node:path';

export interface Config {
  /** Folder of the embedded database (PGlite), used when `databaseUrl` is not set. */
  dataDir: string;
  /** PostgreSQL connection string; when set, Gongfu uses PostgreSQL instead of PGlite. */
  databaseUrl: string | undefined;
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  auth: AuthSettings;
}

export interface AuthSettings {
  /** A session ends after this long without a request. */
  sessionIdleMinutes: number;
  /** Failed sign-ins in a row before the account is locked. */
  maxFailedLogins: number;
  /** How long a lock-out lasts unless an admin lifts it sooner. */
  lockMinutes: number;
  /** Sign-in attempts per minute from one address. */
  loginAttemptsPerMinute: number;
  /** Mark cookies Secure (serve behind HTTPS). */
  secureCookies: boolean;
}

export const DEFAULT_AUTH: AuthSettings = Object.freeze({
  sessionIdleMinutes: 8 * 60,
  maxFailedLogins: 5,
  lockMinutes: 15,
  loginAttemptsPerMinute: 30,
  secureCookies: false,
});

function positiveInt(env: NodeJS.ProcessEnv, variable: string, fallback: number): number {
  const value = env[variable];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new ConfigError(variable, value, 'a whole number ≥ 1');
  return Number(value);
}

export class ConfigError extends Error {
  constructor(variable: string, value: string, expected: string) {
    super(`${variable}=${JSON.stringify(value)} is not valid: expected ${expected}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function parsePort(variable: string, value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 0 || port > 65535) throw new ConfigError(variable, value, 'a port number 0–65535');
  return port;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  // Default warn: the console of `npm start` shows the address and problems, not every request.
  const logLevel = env.LOG_LEVEL ?? 'warn';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel))
    throw new ConfigError('LOG_LEVEL', logLevel, LOG_LEVELS.join(', '));
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new ConfigError('DATABASE_URL', databaseUrl, 'a postgres:// or postgresql:// URL');
  return Object.freeze({
    dataDir: resolve(env.GONGFU_DATA || 'data'),
    databaseUrl,
    host: env.HOST || '127.0.0.1',
    port: parsePort('PORT', env.PORT || '8080'),
    logLevel: logLevel as Config['logLevel'],
    auth: Object.freeze({
      sessionIdleMinutes: positiveInt(env, 'GONGFU_SESSION_IDLE_MINUTES', DEFAULT_AUTH.sessionIdleMinutes),
      maxFailedLogins: positiveInt(env, 'GONGFU_MAX_FAILED_LOGINS', DEFAULT_AUTH.maxFailedLogins),
      lockMinutes: positiveInt(env, 'GONGFU_LOCK_MINUTES', DEFAULT_AUTH.lockMinutes),
      loginAttemptsPerMinute: positiveInt(env, 'GONGFU_LOGIN_ATTEMPTS_PER_MINUTE', DEFAULT_AUTH.loginAttemptsPerMinute),
      secureCookies: env.GONGFU_SECURE_COOKIES === '1' || env.GONGFU_SECURE_COOKIES === 'true',
    }),
  });
}
