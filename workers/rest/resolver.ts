import { lookup } from 'node:dns/promises';

/**
 * Turns a host name into the addresses to connect to. Injectable so tests can play a DNS
 * server that answers loopback, or one that changes its answer between two questions.
 */
export type Resolver = (hostname: string) => Promise<readonly string[]>;

/** The operating system's resolver (getaddrinfo), every address in the order it gives them. */
export const systemResolver: Resolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => answer.address);
};
