import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

/**
 * A DynamoDB table whose items are found by one string partition key: the create-once and
 * read-by-key every such repository needs. Repositories extend it with their own queries.
 */
export abstract class KeyedTable<T extends object> {
  protected constructor(
    protected readonly documents: DynamoDBDocumentClient,
    /** Physical table name (`ResourceNames.table(...)`). */
    readonly table: string,
    /** The partition key attribute. */
    private readonly keyAttribute: string,
  ) {}

  /** Writes a new item; a second write with the same key is refused (ids are never reused). */
  async create(item: T): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...item },
        ConditionExpression: 'attribute_not_exists(#key)',
        ExpressionAttributeNames: { '#key': this.keyAttribute },
      }),
    );
  }

  /** The item, read consistently, or undefined. */
  async get(key: string): Promise<T | undefined> {
    const result = await this.documents.send(
      new GetCommand({
        TableName: this.table,
        Key: { [this.keyAttribute]: key },
        ConsistentRead: true,
      }),
    );
    return result.Item as T | undefined;
  }
}
