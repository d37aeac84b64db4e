import {
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';

/** A user pool's id by its (physical) name; pools have no name-based API. */
export async function findUserPoolId(
  cognito: CognitoIdentityProviderClient,
  name: string,
): Promise<string | undefined> {
  let token: string | undefined;
  do {
    const page = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken: token }));
    const match = page.UserPools?.find((p) => p.Name === name);
    if (match?.Id) return match.Id;
    token = page.NextToken;
  } while (token);
  return undefined;
}

/** An app client's id by its name within a pool. */
export async function findUserPoolClientId(
  cognito: CognitoIdentityProviderClient,
  poolId: string,
  clientName: string,
): Promise<string | undefined> {
  let token: string | undefined;
  do {
    const page = await cognito.send(
      new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60, NextToken: token }),
    );
    const match = page.UserPoolClients?.find((c) => c.ClientName === clientName);
    if (match?.ClientId) return match.ClientId;
    token = page.NextToken;
  } while (token);
  return undefined;
}
