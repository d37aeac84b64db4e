// The page cursor is shared by every DynamoDB listing; it lives in #libs/platform.
export { decodeCursor, encodeCursor, type PageKey } from '#libs/platform';
