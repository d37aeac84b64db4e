import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KeyedTable } from './keyed-table.js';

interface Widget {
  readonly widgetId: string;
  readonly colour: string;
}

class Widgets extends KeyedTable<Widget> {
  constructor(documents: DynamoDBDocumentClient) {
    super(documents, 'cc-widgets', 'widgetId');
  }
}

function recording(item?: Widget) {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  const documents = {
    send: (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ name: command.constructor.name, input: command.input });
      return Promise.resolve(item ? { Item: item } : {});
    },
  } as unknown as DynamoDBDocumentClient;
  return { widgets: new Widgets(documents), sent };
}

describe('KeyedTable', () => {
  it('creates an item only if no item has its key', async () => {
    const { widgets, sent } = recording();
    await widgets.create({ widgetId: 'w1', colour: 'red' });
    assert.deepEqual(sent, [
      {
        name: 'PutCommand',
        input: {
          TableName: 'cc-widgets',
          Item: { widgetId: 'w1', colour: 'red' },
          ConditionExpression: 'attribute_not_exists(#key)',
          ExpressionAttributeNames: { '#key': 'widgetId' },
        },
      },
    ]);
  });

  it('reads by its own key attribute, consistently', async () => {
    const { widgets, sent } = recording({ widgetId: 'w1', colour: 'red' });
    assert.deepEqual(await widgets.get('w1'), { widgetId: 'w1', colour: 'red' });
    assert.deepEqual(sent[0]?.input, {
      TableName: 'cc-widgets',
      Key: { widgetId: 'w1' },
      ConsistentRead: true,
    });
    assert.equal(recording().widgets.table, 'cc-widgets');
    assert.equal(await recording().widgets.get('nope'), undefined);
  });
});
