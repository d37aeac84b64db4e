import { Injectable } from '@nestjs/common';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ResourceNames } from '#libs/aws';
import {
  BANK_BUS,
  BANK_EVENT_SOURCE,
  OPERATION_BOOKED,
  type OperationBookedDetail,
} from './domain/bank-event.js';

/** PutEvents takes at most 10 entries. */
export const PUT_EVENTS_BATCH = 10;

export interface PutResult {
  readonly eventId: string;
  /** Undefined when EventBridge accepted the entry. */
  readonly error?: string;
}

/** The EventBridge adapter: puts `bank.operation.booked` events on the bank bus. */
@Injectable()
export class BankEventsPublisher {
  private readonly bus: string;

  constructor(
    private readonly events: EventBridgeClient,
    names: ResourceNames,
  ) {
    this.bus = names.bus(BANK_BUS);
  }

  /** One PutEvents call (up to PUT_EVENTS_BATCH); per-entry results, in order. */
  async put(details: readonly OperationBookedDetail[]): Promise<PutResult[]> {
    const result = await this.events.send(
      new PutEventsCommand({
        Entries: details.map((detail) => ({
          EventBusName: this.bus,
          Source: BANK_EVENT_SOURCE,
          DetailType: OPERATION_BOOKED,
          Detail: JSON.stringify(detail),
          Time: new Date(detail.bookedAt),
        })),
      }),
    );
    return details.map((detail, i) => {
      const entry = result.Entries?.[i];
      return entry?.EventId && !entry.ErrorCode
        ? { eventId: detail.eventId }
        : {
            eventId: detail.eventId,
            error: `${entry?.ErrorCode ?? 'NoEntry'}: ${entry?.ErrorMessage ?? ''}`,
          };
    });
  }
}
