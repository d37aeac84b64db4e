import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type AttributeDefinition,
  type DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { isAwsError } from '../../aws-errors.js';
import type { ResourceNames } from '../../resource-names.js';
import type { IndexSpec, TableSpec } from '../manifest.types.js';
import { changed, type Outcome, type StepLog } from './bootstrap-support.js';

/** Tables (on-demand), their missing global secondary indexes and their TTL attribute. */
export class DynamoDbTables {
  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly names: ResourceNames,
    private readonly log: StepLog,
  ) {}

  async ensure(spec: TableSpec): Promise<void> {
    const name = this.names.table(spec.name);
    const existing = await this.dynamo
      .send(new DescribeTableCommand({ TableName: name }))
      .then((r) => r.Table)
      .catch((error: unknown) => {
        if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
        throw error;
      });
    let outcome: Outcome = 'unchanged';
    if (!existing) {
      await this.dynamo.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: attributeDefinitions(spec),
          KeySchema: keySchema(spec.partitionKey.name, spec.sortKey?.name),
          ...(spec.indexes?.length
            ? {
                GlobalSecondaryIndexes: spec.indexes.map((index) => ({
                  IndexName: index.name,
                  KeySchema: keySchema(index.partitionKey.name, index.sortKey?.name),
                  Projection: { ProjectionType: 'ALL' },
                })),
              }
            : {}),
        }),
      );
      await waitUntilTableExists({ client: this.dynamo, maxWaitTime: 60 }, { TableName: name });
      outcome = 'created';
    } else {
      const present = new Set((existing.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
      for (const index of (spec.indexes ?? []).filter((i) => !present.has(i.name))) {
        await this.addIndex(name, spec, index);
        outcome = 'updated';
      }
    }
    if (spec.ttlAttribute && (await this.ensureTtl(name, spec.ttlAttribute)))
      outcome = changed(outcome);
    this.log.record('table', name, outcome);
  }

  private async addIndex(table: string, spec: TableSpec, index: IndexSpec): Promise<void> {
    await this.dynamo.send(
      new UpdateTableCommand({
        TableName: table,
        AttributeDefinitions: attributeDefinitions(spec),
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: index.name,
              KeySchema: keySchema(index.partitionKey.name, index.sortKey?.name),
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
  }

  /** Returns true when it had to enable TTL (or move it to another attribute). */
  private async ensureTtl(table: string, attribute: string): Promise<boolean> {
    const ttl = await this.dynamo.send(new DescribeTimeToLiveCommand({ TableName: table }));
    const current = ttl.TimeToLiveDescription;
    if (current?.TimeToLiveStatus === 'ENABLED' && current.AttributeName === attribute)
      return false;
    await this.dynamo.send(
      new UpdateTimeToLiveCommand({
        TableName: table,
        TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
      }),
    );
    return true;
  }
}

function keySchema(partition: string, sort: string | undefined): KeySchemaElement[] {
  return [
    { AttributeName: partition, KeyType: 'HASH' },
    ...(sort ? [{ AttributeName: sort, KeyType: 'RANGE' as const }] : []),
  ];
}

function attributeDefinitions(spec: TableSpec): AttributeDefinition[] {
  const keys = [
    spec.partitionKey,
    spec.sortKey,
    ...(spec.indexes ?? []).flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const unique = new Map<string, AttributeDefinition>();
  for (const key of keys)
    if (key) unique.set(key.name, { AttributeName: key.name, AttributeType: key.type });
  return [...unique.values()];
}
