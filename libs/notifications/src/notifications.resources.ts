import { declareResources } from '#libs/aws';
import { DELIVERY_LOG_TABLE } from './delivery-log.repository.js';
import { SES_SENDER_SECRET } from './ses.mailer.js';

/**
 * Notifications: the delivery log and the sender address. The templates belong to the domains
 * that send them (projects, bank); the renderer finds them all in the manifest.
 */
export const notificationsResources = declareResources({
  owner: 'notifications',
  tables: [
    {
      name: DELIVERY_LOG_TABLE,
      purpose: 'Delivery log: one item per (event, recipient); makes notifications idempotent',
      partitionKey: { name: 'eventId', type: 'S' },
      sortKey: { name: 'recipient', type: 'S' },
      // GET /notifications?accountId=: an account's deliveries, newest first (sparse: only
      // deliveries about a bank account carry accountId).
      indexes: [
        {
          name: 'by-account',
          partitionKey: { name: 'accountId', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
      ],
      ttlAttribute: 'expiresAt',
    },
  ],
  secrets: [
    {
      name: SES_SENDER_SECRET,
      purpose: 'From address of notification e-mails (a verified SES identity)',
      generate: 'sender-address',
    },
  ],
  // The configured sender (SES_FROM_ADDRESS) is added by the bootstrap.
  emailIdentities: [],
});
