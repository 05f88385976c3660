/**
 * `Upload`: a file sent in the same request, by the GraphQL multipart request spec. The server's
 * multipart parser stages each file on disk first; resolvers receive a `StagedUpload` and must
 * move the file (`fs.rename`) during execution to keep it, since it is deleted when the request ends.
 */
import { GraphQLError, GraphQLScalarType } from 'graphql';
import { isStagedUpload, type StagedUpload } from '../../server/uploads/staged-upload';
import { builder } from '../builder';

export type { StagedUpload } from '../../server/uploads/staged-upload';

// No code here on purpose: graphql-js then reports the variable (`Variable "$file" got invalid
// value "x"; must be …`), and the server's error masking codes it BAD_USER_INPUT.
const notAFile = () => new GraphQLError('must be a file sent as multipart (GraphQL multipart request spec), not a JSON value');

export const UploadScalar = new GraphQLScalarType<StagedUpload, never>({
  name: 'Upload',
  description: 'A file sent as a part of a multipart request (GraphQL multipart request spec). Input only.',
  // Only the parser's own objects pass: a JSON look-alike could name any file on the server.
  parseValue: (value) => {
    if (isStagedUpload(value)) return value;
    throw notAFile();
  },
  parseLiteral: () => {
    throw notAFile();
  },
  serialize: () => {
    throw new GraphQLError('Upload is an input type and cannot be returned');
  },
});



builder.addScalarType('Upload', UploadScalar);
