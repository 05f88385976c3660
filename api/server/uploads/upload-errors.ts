/**
 * Errors of a multipart request that is refused before GraphQL runs. They carry the HTTP status
 * yoga answers with; the client sees the code and the message, never a stack.
 */
import { GraphQLError } from 'graphql';

export type UploadErrorCode = 'BAD_REQUEST' | 'PAYLOAD_TOO_LARGE';

const STATUS: Record<UploadErrorCode, number> = { BAD_REQUEST: 400, PAYLOAD_TOO_LARGE: 413 };

export function uploadError(code: UploadErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: STATUS[code] } } });
}

export const badMultipart = (message: string) => uploadError('BAD_REQUEST', `multipart request: ${message}`);

export const tooLarge = (message: string) => uploadError('PAYLOAD_TOO_LARGE', `multipart request: ${message}`);
