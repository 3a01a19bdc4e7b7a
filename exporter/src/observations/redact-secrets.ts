/**
 * Redaction of secrets in argv and environment values, applied right after
 * decoding: nothing downstream (profiles, metrics, logs, sinks) ever sees them.
 * It errs on the side of hiding: a redacted harmless value costs a little
 * profile precision, a leaked token costs a rotation.
 */
export const REDACTED = '<redacted>';

/** Option names whose value is a secret: `--password x`, `--token=x`, `-p x` for known tools. */
const SECRET_OPTION = /^-{1,2}(?:[a-z0-9]+[-_])*(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|auth(?:orization)?|credentials?|client[-_]?secret|session[-_]?key)$/i;
/** `NAME=value` pairs (env-style, also passed as arguments) whose name says secret. */
const SECRET_ASSIGNMENT = /^([A-Za-z0-9_.-]*(?:PASS(?:WORD|WD)?|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH)[A-Za-z0-9_.-]*)=(.+)$/i;
/** Values that are secrets whatever their name. */
const SECRET_VALUES: readonly RegExp[] = [
  /^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}$/, // JWT
  /^(?:AKIA|ASIA)[A-Z0-9]{16}$/, // AWS access key id
  /^gh[pousr]_[A-Za-z0-9]{30,}$/, // GitHub token
  /^xox[abpr]-[A-Za-z0-9-]{10,}$/, // Slack token
  /^sk-[A-Za-z0-9_-]{20,}$/, // API secret keys in the sk- style
  /^-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /^Bearer\s+\S+$/i,
];
/** Credentials inside URLs: scheme://user:password@host. */
const URL_CREDENTIALS = /^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]+:)[^/@\s]+(@.*)$/i;

export function isSecretValue(value: string): boolean {
  return SECRET_VALUES.some((pattern) => pattern.test(value));
}

/** Redacts one argument or env entry on its own (without looking at its neighbours). */
export function redactToken(token: string): string {
  if (isSecretValue(token)) return REDACTED;
  const url = URL_CREDENTIALS.exec(token);
  if (url) return `${url[1]}${REDACTED}${url[2]}`;
  const assignment = SECRET_ASSIGNMENT.exec(token);
  if (assignment) {
    // `--password=x` and `DB_PASSWORD=x` alike.
    return `${assignment[1]}=${REDACTED}`;
  }
  const eq = token.indexOf('=');
  if (eq > 0 && SECRET_OPTION.test(token.slice(0, eq))) return `${token.slice(0, eq)}=${REDACTED}`;
  return token;
}

/** Redacts an argv: tokens on their own, and the value following a secret-named option. */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    const previous = i > 0 ? (argv[i - 1] ?? '') : '';
    if (i > 0 && SECRET_OPTION.test(previous) && !previous.includes('=') && !token.startsWith('-')) {
      out.push(REDACTED);
      continue;
    }
    out.push(redactToken(token));
  }
  return out;
}
