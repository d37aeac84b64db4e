import { Injectable, Logger } from '@nestjs/common';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { AppConfig } from '#libs/config';
import { findUserPoolClientId, findUserPoolId, ResourceNames, resourceManifest } from '#libs/aws';
import type { Principal } from './principal.js';

type Verifier = ReturnType<typeof createVerifier>;

function createVerifier(userPoolId: string, clientId: string) {
  // Both ID and access tokens are accepted: the client id is checked in `aud` or `client_id`.
  return CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: null });
}

export class InvalidTokenError extends Error {}

/**
 * Verifies Cognito JWTs with aws-jwt-verify. The user pool and app client come from config or are
 * looked up by their manifest names; on an emulator the JWKS is fetched from the emulator.
 */
@Injectable()
export class TokenVerifier {
  private readonly logger = new Logger(TokenVerifier.name);
  private verifier: Promise<Verifier> | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly names: ResourceNames,
  ) {}

  async verify(token: string): Promise<Principal> {
    const verifier = await this.getVerifier();
    try {
      const payload = await verifier.verify(token);
      const groups = payload['cognito:groups'];
      return {
        sub: payload.sub,
        username: typeof payload.username === 'string' ? payload.username : payload.sub,
        email: typeof payload.email === 'string' ? payload.email : undefined,
        groups: Array.isArray(groups) ? groups.map(String) : [],
      };
    } catch (error) {
      throw new InvalidTokenError(error instanceof Error ? error.message : 'invalid token');
    }
  }

  private getVerifier(): Promise<Verifier> {
    this.verifier ??= this.build().catch((error: unknown) => {
      this.verifier = undefined; // try again on the next request (the emulator may start later)
      throw error;
    });
    return this.verifier;
  }

  private async build(): Promise<Verifier> {
    const pool = resourceManifest.userPools[0];
    if (!pool) throw new Error('The resource manifest declares no user pool');
    const poolId =
      this.config.auth.userPoolId ??
      (await findUserPoolId(this.cognito, this.names.userPool(pool.name)));
    if (!poolId)
      throw new Error(
        `User pool ${this.names.userPool(pool.name)} not found: run npm run bootstrap`,
      );
    const clientId =
      this.config.auth.clientId ??
      (await findUserPoolClientId(this.cognito, poolId, pool.clientName));
    if (!clientId)
      throw new Error(
        `App client ${pool.clientName} not found in ${poolId}: run npm run bootstrap`,
      );
    const verifier = createVerifier(poolId, clientId);
    const jwksUri =
      this.config.auth.jwksUri ??
      (this.config.aws.endpoints.COGNITO_IDENTITY_PROVIDER
        ? `${this.config.aws.endpoints.COGNITO_IDENTITY_PROVIDER.replace(/\/$/, '')}/${poolId}/.well-known/jwks.json`
        : undefined);
    if (jwksUri) {
      // Emulators serve their JWKS at their own address, not at the cognito-idp issuer URL.
      const response = await fetch(jwksUri, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new Error(`JWKS ${jwksUri} answered ${response.status}`);
      verifier.cacheJwks((await response.json()) as Jwks);
    }
    this.logger.log({ poolId, clientId, jwksUri }, 'JWT verifier ready');
    return verifier;
  }
}
