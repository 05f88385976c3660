/** Logging in and signing up over plain HTTP, before there is a token. */
import { LogInDocument, SignUpDocument, type LogInMutation, type SignUpInput } from './generated/graphql.js';
import { createHttpTransport, type FetchLike } from './transport/http.js';
import { graphqlEndpoint } from './endpoint.js';

/** Who a new session acts as. */
export type Session = LogInMutation['logIn'];
export type { SignUpInput };

export interface AuthOptions {
  fetch?: FetchLike;
  /** Log in to this organization instead of the first one. */
  organizationId?: string;
}

function anonymous(url: string, fetchImpl: FetchLike | undefined) {
  return createHttpTransport({ endpoint: graphqlEndpoint(url), token: undefined, fetch: fetchImpl ?? globalThis.fetch.bind(globalThis) });
}

export async function logInSession(url: string, email: string, password: string, options: AuthOptions = {}): Promise<Session> {
  const input = { email, password, ...(options.organizationId ? { organizationId: options.organizationId } : {}) };
  return (await anonymous(url, options.fetch).request(LogInDocument, { input })).logIn;
}

export async function signUpSession(url: string, input: SignUpInput, options: AuthOptions = {}): Promise<Session> {
  return (await anonymous(url, options.fetch).request(SignUpDocument, { input })).signUp;
}
