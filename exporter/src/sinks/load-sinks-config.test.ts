import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSinksConfig } from './load-sinks-config.js';
import { SINK_FLAGS, sinkParseArgsOptions } from './sink-flags.js';
import { SinksConfigError, type AlertmanagerSinkConfig, type SyslogSinkConfig, type WebhookSinkConfig } from './sinks-config.js';

const SECRET = 'sekret-token-123';
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'telltale-sinks-config-'));
  await writeFile(join(dir, 'webhook-token'), `${SECRET}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configFile(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** The problems of a load that must fail, one formatted line each. */
async function problemsOf(load: Promise<unknown>): Promise<string[]> {
  const error = await load.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SinksConfigError);
  const message = (error as SinksConfigError).message;
  expect(message).not.toContain(SECRET);
  return message.split('\n').slice(message.includes('\n') ? 1 : 0).map((line) => line.trim().replace(/^invalid sink configuration: /, ''));
}

const FULL_EXAMPLE = `# every sink type, with defaults and overrides
defaults:
  minSeverity: warning
  dedupWindow: 2m
  queue: { capacity: 500, overflow: drop-oldest }
  batch: { maxSize: 20, linger: 100ms }
  timeout: 3s
  retry: { maxAttempts: 4, initialDelay: 100ms, maxDelay: 5s }
sinks:
  - type: alertmanager
    urls: [http://am-0:9093, "https://am-1.example/alertmanager/"]
    resolveAfter: 10m
    runbookUrl: https://runbooks.example/{runbook}
    externalLabels: { cluster: prod-eu }
  - type: webhook
    name: soc
    url: https://soc.example/hooks/telltale?x=1
    tokenFile: webhook-token
    minSeverity: critical
    dedupWindow: "0"
  - type: syslog
    url: tcp://[::1]:6514
    facility: authpriv
  - type: syslog
    url: udp://siem.example
    facility: 3
    maxMessageBytes: 1180
    hostname: node-7
`;

describe('loadSinksConfig from a file', () => {
  it('reads every sink type, applies defaults and overrides, and loads the token relative to the file', async () => {
    const path = await configFile('full.yaml', FULL_EXAMPLE);
    const { sinks } = await loadSinksConfig({ 'sinks-config': path }, { env: {} });
    expect(sinks.map((s) => `${s.type}:${s.name}`)).toEqual(['alertmanager:alertmanager', 'webhook:soc', 'syslog:syslog', 'syslog:syslog-2']);

    const [am, hook, tcp, udp] = sinks as [AlertmanagerSinkConfig, WebhookSinkConfig, SyslogSinkConfig, SyslogSinkConfig];
    expect(am.urls.map(String)).toEqual(['http://am-0:9093/', 'https://am-1.example/alertmanager/']);
    expect(am.alerts).toEqual({
      resolveAfterMs: 600_000,
      runbookUrlTemplate: 'https://runbooks.example/{runbook}',
      externalLabels: { cluster: 'prod-eu' },
      generatorUrl: undefined,
    });
    expect(am.delivery).toEqual({
      minSeverity: 'warning',
      dedupWindowMs: 120_000,
      queueCapacity: 500,
      overflow: 'drop-oldest',
      batchMaxSize: 20,
      lingerMs: 100,
      timeoutMs: 3_000,
      retry: { maxAttempts: 4, initialDelayMs: 100, maxDelayMs: 5_000 },
    });
    expect(hook.delivery.minSeverity).toBe('critical');
    expect(hook.delivery.dedupWindowMs).toBe(0);
    expect(hook.delivery.queueCapacity).toBe(500);
    expect(await hook.token?.value()).toBe(SECRET);
    expect(hook.url.search).toBe('?x=1');
    expect(tcp).toMatchObject({ protocol: 'tcp', host: '::1', port: 6514, facility: 10, maxMessageBytes: 8096, hostname: undefined, sdId: 'telltale@32473' });
    expect(udp).toMatchObject({ protocol: 'udp', host: 'siem.example', port: 514, facility: 3, maxMessageBytes: 1180, hostname: 'node-7' });
  });

  it('reads JSON too', async () => {
    const path = await configFile('sinks.json', '{\n\t"sinks": [\n\t\t{ "type": "webhook", "url": "http://127.0.0.1:8080/x" }\n\t]\n}\n');
    const { sinks } = await loadSinksConfig({ 'sinks-config': path }, { env: {} });
    expect(sinks).toHaveLength(1);
    expect(sinks[0]?.delivery.dedupWindowMs).toBe(300_000);
  });

  it('names the file, line, column and field of shape errors', async () => {
    const path = await configFile(
      'shape.yaml',
      `sinks:
  - type: webhook
    url: http://x
    tokenFiel: /x
  - type: pagerduty
  - type: syslog
    facility: local0
  - type: alertmanager
    urls: http://am:9093
    batch: { maxSize: 0 }
defaults:
  queue: { overflow: drop-random }
`,
    );
    expect(await problemsOf(loadSinksConfig({ 'sinks-config': path }, { env: {} }))).toEqual([
      `${path}:4:5: sinks[0].tokenFiel: unknown field`,
      `${path}:5:11: sinks[1].type: must be one of alertmanager, webhook, syslog`,
      `${path}:6:5: sinks[2]: missing required field "url"`,
      `${path}:9:11: sinks[3].urls: must be an array`,
      `${path}:10:23: sinks[3].batch.maxSize: must be >= 1`,
      `${path}:12:22: defaults.queue.overflow: must be one of drop-newest, drop-oldest`,
    ]);
  });

  it('reports value problems of well-formed parts together with shape problems, not after them', async () => {
    const path = await configFile(
      'mixed.yaml',
      `defaults:
  dedupWindw: 5m
  timeout: soon
sinks:
  - type: webhook
    url: ftp://files.example/x
    tokenFiel: /x
    batch: { linger: forever, maxSize: 0 }
  - type: pagerduty
    url: not checked, the type is unknown
  - type: syslog
    url: http://siem:514
    facility: true
`,
    );
    expect(await problemsOf(loadSinksConfig({ 'sinks-config': path }, { env: {} }))).toEqual([
      `${path}:2:3: defaults.dedupWindw: unknown field`,
      `${path}:3:12: defaults.timeout: "soon" is not a duration; write e.g. 250ms, 5s, 5m or 1h30m`,
      `${path}:6:10: sinks[0].url: must be an http:// or https:// URL, not ftp:`,
      `${path}:7:5: sinks[0].tokenFiel: unknown field`,
      `${path}:8:22: sinks[0].batch.linger: "forever" is not a duration; write e.g. 250ms, 5s, 5m or 1h30m`,
      `${path}:8:40: sinks[0].batch.maxSize: must be >= 1`,
      `${path}:9:11: sinks[1].type: must be one of alertmanager, webhook, syslog`,
      `${path}:12:10: sinks[2].url: "http://siem:514" is not udp://host:port or tcp://host:port`,
      `${path}:13:15: sinks[2].facility: must be a string or integer`,
    ]);
  });

  it('reports YAML syntax errors with their line', async () => {
    const path = await configFile('syntax.yaml', 'sinks:\n  - type: webhook\n    url: http://x\n    url: http://y\n');
    const [problem] = await problemsOf(loadSinksConfig({ 'sinks-config': path }, { env: {} }));
    expect(problem).toMatch(new RegExp(`^${path}:4:5: not valid YAML: Map keys must be unique`));
  });

  it('checks meaning: durations, URLs, tokens, names, facilities, resolveAfter against dedupWindow', async () => {
    const path = await configFile(
      'meaning.yaml',
      `defaults:
  dedupWindow: 5 minutes
sinks:
  - type: webhook
    name: hook
    url: ftp://files.example/${SECRET}
    timeout: 0s
  - type: webhook
    name: hook
    url: "https://user:${SECRET}@hooks.example/"
    tokenFile: missing-token
  - type: webhook
    name: Bad Name
    url: "not a url ${SECRET}"
    tokenEnv: UNSET_TOKEN_VARIABLE
  - type: alertmanager
    urls: [http://am:9093]
    dedupWindow: 30m
    externalLabels: { "bad-label": x }
    retry: { initialDelay: 2s, maxDelay: 1s }
  - type: syslog
    url: http://siem:514
  - type: syslog
    url: udp://siem
    facility: local9
    sdId: telltale
    maxMessageBytes: 100000
`,
    );
    const problems = await problemsOf(loadSinksConfig({ 'sinks-config': path }, { env: {} }));
    expect(problems).toEqual([
      `${path}:2:16: defaults.dedupWindow: "5 minutes" is not a duration; write e.g. 250ms, 5s, 5m or 1h30m`,
      `${path}:6:10: sinks[0].url: must be an http:// or https:// URL, not ftp:`,
      `${path}:7:14: sinks[0].timeout: must be between 1ms and 5m, got 0s`,
      `${path}:9:11: sinks[1].name: another sink is already named "hook"`,
      `${path}:10:10: sinks[1].url: must not carry credentials (user:password@); use tokenFile or tokenEnv`,
      `${path}:11:16: sinks[1].tokenFile: cannot read bearer token file ${join(dir, 'missing-token')}: ENOENT`,
      `${path}:13:11: sinks[2].name: "Bad Name" is not a sink name: 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit`,
      `${path}:14:10: sinks[2].url: is not a valid URL (value not shown: it may hold a secret)`,
      `${path}:15:15: sinks[2].tokenEnv: environment variable UNSET_TOKEN_VARIABLE is not set`,
      `${path}:18:18: sinks[3].dedupWindow: resolveAfter (15m) must be longer than dedupWindow (30m), or an alert for a finding that keeps happening would resolve and fire again`,
      `${path}:19:36: sinks[3].externalLabels.bad-label: "bad-label" is not a valid Alertmanager label name`,
      `${path}:20:42: sinks[3].retry.maxDelay: maxDelay (1s) must not be shorter than initialDelay (2s)`,
      `${path}:22:10: sinks[4].url: "http://siem:514" is not udp://host:port or tcp://host:port`,
      `${path}:25:15: sinks[5].facility: "local9" is not a facility; use one of kern, user, mail, daemon, auth, syslog, lpr, news, uucp, cron, authpriv, ftp, ntp, security, console, clock, local0, local1, local2, local3, local4, local5, local6, local7`,
      `${path}:26:11: sinks[5].sdId: "telltale" is not an RFC 5424 SD-ID of the form name@enterprise-number`,
      `${path}:27:22: sinks[5].maxMessageBytes: must be between 480 and 65507 for udp, got 100000`,
    ]);
  });

  it('says when the file itself cannot be read', async () => {
    const missing = join(dir, 'nope.yaml');
    expect(await problemsOf(loadSinksConfig({ 'sinks-config': missing }, { env: {} }))).toEqual([
      `--sinks-config: cannot read sinks config file ${missing}: ENOENT`,
    ]);
  });
});

describe('loadSinksConfig from flags and environment', () => {
  it('gives no sinks without flags', async () => {
    expect(await loadSinksConfig({}, { env: {} })).toEqual({ sinks: [] });
  });

  it('builds one HA Alertmanager sink, a webhook with its token, and one sink per syslog URL', async () => {
    const { sinks } = await loadSinksConfig(
      {
        'sink-alertmanager': ['http://am-0:9093', 'http://am-1:9093'],
        'sink-webhook': 'https://hooks.example/t',
        'sink-webhook-token-file': 'webhook-token',
        'sink-syslog': ['udp://127.0.0.1:5514', 'tcp://siem:601'],
        'sink-min-severity': 'warning',
        'sink-dedup-window': '1m',
      },
      { env: {}, cwd: dir },
    );
    expect(sinks.map((s) => s.name)).toEqual(['alertmanager', 'webhook', 'syslog', 'syslog-2']);
    const [am, hook] = sinks as [AlertmanagerSinkConfig, WebhookSinkConfig];
    expect(am.urls).toHaveLength(2);
    expect(await hook.token?.value()).toBe(SECRET);
    expect(sinks.every((s) => s.delivery.minSeverity === 'warning' && s.delivery.dedupWindowMs === 60_000)).toBe(true);
    expect(sinks.every((s) => s.delivery.lingerMs === 200)).toBe(true);
  });

  it('falls back to environment variables, with comma lists for repeatable flags', async () => {
    const { sinks } = await loadSinksConfig(
      { 'sink-syslog': [] },
      {
        env: {
          TELLTALE_SINK_SYSLOG: 'udp://a:514, tcp://b:601',
          TELLTALE_SINK_WEBHOOK: 'http://hooks:8080/',
          TELLTALE_SINK_WEBHOOK_TOKEN: SECRET,
        },
      },
    );
    expect(sinks.map((s) => s.name)).toEqual(['webhook', 'syslog', 'syslog-2']);
    const hook = sinks[0] as WebhookSinkConfig;
    expect(await hook.token?.value()).toBe(SECRET);
    expect(String(hook.token)).toBe('[bearer token from environment variable TELLTALE_SINK_WEBHOOK_TOKEN]');
  });

  it('prefers the flag over its variable', async () => {
    const { sinks } = await loadSinksConfig(
      { 'sink-webhook': 'http://from-flag/' },
      { env: { TELLTALE_SINK_WEBHOOK: 'http://from-env/' } },
    );
    expect(String((sinks[0] as WebhookSinkConfig).url)).toBe('http://from-flag/');
  });

  it('names the flag or variable in errors, and never shows a token', async () => {
    const problems = await problemsOf(
      loadSinksConfig(
        {
          'sink-webhook': ['http://a/', 'http://b/'],
          'sink-webhook-token-file': join(dir, 'webhook-token'),
          'sink-min-severity': 'loud',
          'sink-dedup-window': 'forever',
          'sink-alertmanager': ['http://am:9093', 'am:9093'],
        },
        { env: { TELLTALE_SINK_SYSLOG: 'syslog.example:514', TELLTALE_SINK_WEBHOOK_TOKEN: `${SECRET} x` } },
      ),
    );
    expect(problems).toEqual([
      '--sink-min-severity: "loud" is not one of critical, warning, info',
      '--sink-webhook: takes one value, given 2 (use --sinks-config for several webhooks)',
      `--sink-webhook-token-file: give the token either in this file or in TELLTALE_SINK_WEBHOOK_TOKEN, not both`,
      '--sink-dedup-window: "forever" is not a duration; write e.g. 250ms, 5s, 5m or 1h30m',
      '--sink-alertmanager: must be an http:// or https:// URL, not am:',
      'TELLTALE_SINK_SYSLOG (environment): "syslog.example:514" is not udp://host:port or tcp://host:port',
    ]);
  });

  it('reports a bad token in the environment without echoing it', async () => {
    const problems = await problemsOf(
      loadSinksConfig({ 'sink-webhook': 'http://a/' }, { env: { TELLTALE_SINK_WEBHOOK_TOKEN: `${SECRET} with space` } }),
    );
    expect(problems).toEqual([
      'TELLTALE_SINK_WEBHOOK_TOKEN (environment): bearer token from environment variable TELLTALE_SINK_WEBHOOK_TOKEN holds whitespace or non-ASCII characters inside it',
    ]);
  });

  it('adds flag sinks to file sinks, keeping names unique', async () => {
    const path = await configFile('named.yaml', 'sinks:\n  - { type: webhook, url: "http://file/" }\n  - { type: syslog, name: webhook-2, url: "udp://x" }\n');
    const { sinks } = await loadSinksConfig({ 'sinks-config': path, 'sink-webhook': 'http://flag/' }, { env: {} });
    expect(sinks.map((s) => s.name)).toEqual(['webhook', 'webhook-2', 'webhook-3']);
  });
});

describe('SINK_FLAGS', () => {
  it('describes every flag for --help and works with node:util parseArgs', () => {
    expect(new Set(SINK_FLAGS.map((f) => f.name)).size).toBe(SINK_FLAGS.length);
    for (const flag of SINK_FLAGS) {
      expect(flag.env).toMatch(/^TELLTALE_SINKS?_[A-Z_]+$/);
      expect(flag.help.length).toBeGreaterThan(20);
    }
    const { values } = parseArgs({
      args: ['--sink-alertmanager', 'http://a', '--sink-alertmanager', 'http://b', '--sink-webhook', 'http://w', '--sink-syslog', 'udp://s'],
      options: sinkParseArgsOptions(),
    });
    expect(values).toEqual({ 'sink-alertmanager': ['http://a', 'http://b'], 'sink-webhook': 'http://w', 'sink-syslog': ['udp://s'] });
  });
});
