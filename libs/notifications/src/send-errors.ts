import { isAwsError } from '#libs/aws';
import { TemplateError } from './template-renderer.js';

/**
 * SES errors that another attempt cannot fix: the message or its sender is refused, or the
 * request itself is wrong. Everything else (throttling, 5xx, network) is worth a retry.
 */
const PERMANENT_SES_ERRORS = [
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'BadRequestException',
  'NotFoundException',
  'AccountSuspendedException',
  'InvalidParameterValue',
];

export function isPermanentSendError(error: unknown): boolean {
  return error instanceof TemplateError || isAwsError(error, ...PERMANENT_SES_ERRORS);
}
