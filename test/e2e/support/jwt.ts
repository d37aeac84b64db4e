import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { join } from 'node:path';

/** Signs an RS256 JWT (test-only forgery of expired or foreign tokens). */
export function signJwt(payload: Record<string, unknown>, key: KeyObject, kid: string): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode(payload)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), key).toString('base64url')}`;
}

export function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >;
}

export function foreignKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

const SIGN_WITH_MOTO_KEY = `
import gzip, json, os, sys
import moto.cognitoidp
from joserfc import jwk, jwt
path = os.path.join(os.path.dirname(moto.cognitoidp.__file__), "resources", "jwks-private.json.gz")
key = jwk.RSAKey.import_key(json.load(gzip.open(path)))
print(jwt.encode({"alg": "RS256", "kid": "dummy"}, json.load(sys.stdin), key))
`;

/** moto signs every user pool's tokens with one key that ships in its package; sign with it (via moto's own Python). */
export function signWithMotoKey(payload: Record<string, unknown>): string {
  const result = spawnSync(
    join(process.cwd(), '.venv', 'bin', 'python'),
    ['-c', SIGN_WITH_MOTO_KEY],
    {
      input: JSON.stringify(payload),
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`signing failed: ${result.stderr}`);
  return result.stdout.trim();
}
