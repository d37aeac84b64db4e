import { testConfig } from './harness.js';
import { signWithMotoKey } from './jwt.js';
import { startTcpProxy } from './tcp-proxy.js';

/**
 * The one place where the e2e suite reaches into an emulator's own API: reading the e-mails SES
 * accepted, and forging Cognito tokens with the emulator's signing key. Everything else in the suite
 * uses AWS APIs only, against whatever AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>) point at.
 * Which emulator serves a service is asked of the endpoint itself, never assumed.
 */
export type EmulatorKind = 'moto' | 'localstack' | 'unknown';

/** An e-mail as SES accepted it (both emulators keep what the app sent, rendered). */
export interface SentEmail {
  readonly id: string;
  readonly source: string;
  readonly to: readonly string[];
  readonly subject: string;
  /** The HTML part when there is one, else the text part. */
  readonly body: string;
}

const kinds = new Map<string, Promise<EmulatorKind>>();

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** What serves `endpoint`: LocalStack has `/_localstack/health`, moto has `/moto-api/`. */
export function emulatorAt(endpoint: string | undefined): Promise<EmulatorKind> {
  if (!endpoint) return Promise.resolve('unknown');
  const base = endpoint.replace(/\/$/, '');
  let kind = kinds.get(base);
  if (!kind) {
    kind = (async () => {
      if (await answers(`${base}/_localstack/health`)) return 'localstack';
      if (await answers(`${base}/moto-api/`)) return 'moto';
      return 'unknown';
    })();
    kinds.set(base, kind);
  }
  return kind;
}

/** The emulator behind one service's endpoint. */
export function emulatorFor(
  service: keyof ReturnType<typeof testConfig>['aws']['endpoints'],
): Promise<EmulatorKind> {
  return emulatorAt(testConfig().aws.endpoints[service]);
}

interface MotoSesMessage {
  readonly id: string;
  readonly source: string;
  readonly subject: string;
  readonly body: string;
  readonly destinations: { readonly ToAddresses?: readonly string[] };
}

/**
 * moto serialises every backend for data.json; while other threads change them it now and then
 * answers 500 (a dict changed during iteration), so a few tries are allowed.
 */
async function motoMessages(base: string): Promise<SentEmail[]> {
  let last = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const response = await fetch(`${base}/moto-api/data.json`);
    const raw = await response.text();
    if (response.ok) {
      const data = JSON.parse(raw) as { ses?: { Message?: MotoSesMessage[] } };
      return (data.ses?.Message ?? []).map((m) => ({
        id: m.id,
        source: m.source,
        to: m.destinations.ToAddresses ?? [],
        subject: m.subject,
        body: m.body,
      }));
    }
    last = `${response.status} ${raw.slice(0, 200)}`;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moto data.json kept failing: ${last}`);
}

interface LocalStackSesMessage {
  readonly Id: string;
  readonly Source: string;
  readonly Destination?: { readonly ToAddresses?: readonly string[] };
  readonly Subject?: string;
  readonly Body?: { readonly html_part?: string | null; readonly text_part?: string | null };
}

/** LocalStack keeps every accepted e-mail at `GET /_aws/ses`. */
async function localStackMessages(base: string): Promise<SentEmail[]> {
  const response = await fetch(`${base}/_aws/ses`);
  if (!response.ok) throw new Error(`LocalStack /_aws/ses answered ${response.status}`);
  const { messages } = (await response.json()) as { messages: LocalStackSesMessage[] };
  return messages.map((m) => ({
    id: m.Id,
    source: m.Source,
    to: m.Destination?.ToAddresses ?? [],
    subject: m.Subject ?? '',
    body: m.Body?.html_part ?? m.Body?.text_part ?? '',
  }));
}

/** E-mails the SES endpoint accepted, optionally only those sent to one address. */
export async function sentEmails(to?: string): Promise<SentEmail[]> {
  const endpoint = testConfig().aws.endpoints.SES;
  const base = (endpoint ?? '').replace(/\/$/, '');
  const kind = await emulatorAt(endpoint);
  let all: SentEmail[];
  switch (kind) {
    case 'moto':
      all = await motoMessages(base);
      break;
    case 'localstack':
      all = await localStackMessages(base);
      break;
    case 'unknown':
      throw new Error(`no emulator answers at the SES endpoint ${endpoint ?? '(AWS)'}`);
  }
  return to === undefined ? all : all.filter((m) => m.to.includes(to));
}

/**
 * Why a token cannot be forged with the Cognito endpoint's own signing key, or undefined when it
 * can: moto signs every pool's tokens with a key that ships in its package; LocalStack and AWS keep
 * theirs secret. Use as a node:test `skip` value.
 */
export async function cannotForgeCognitoTokens(): Promise<string | undefined> {
  const kind = await emulatorFor('COGNITO_IDENTITY_PROVIDER');
  return kind === 'moto'
    ? undefined
    : `needs the Cognito emulator's signing key; the endpoint is ${kind}, whose key is not public`;
}

/** A token signed with the Cognito emulator's own key (check cannotForgeCognitoTokens first). */
export function forgeCognitoToken(payload: Record<string, unknown>): string {
  return signWithMotoKey(payload);
}

/**
 * Every AWS endpoint the suite was given, behind a switchable loopback proxy: `env` points an app
 * at the proxies, `down()` takes all of AWS "away" from it without touching the emulators others use.
 */
export async function proxiedAwsEndpoints() {
  const { endpoints, endpoint } = testConfig().aws;
  const proxies = new Map<string, Awaited<ReturnType<typeof startTcpProxy>>>();
  const through = async (url: string | undefined): Promise<string | undefined> => {
    if (!url) return undefined;
    const target = new URL(url);
    let proxy = proxies.get(target.host);
    if (!proxy) {
      proxy = await startTcpProxy(target.hostname, Number(target.port || 80));
      proxies.set(target.host, proxy);
    }
    return `http://127.0.0.1:${proxy.port}`;
  };
  const env: NodeJS.ProcessEnv = { AWS_ENDPOINT_URL: await through(endpoint) };
  for (const [service, url] of Object.entries(endpoints))
    env[`AWS_ENDPOINT_URL_${service}`] = await through(url);
  return {
    env,
    down(): void {
      for (const proxy of proxies.values()) proxy.down();
    },
    close: () => Promise.all([...proxies.values()].map((p) => p.close())).then(() => undefined),
  };
}
