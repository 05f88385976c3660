import { isIP, type LookupFunction } from 'node:net';
import type { AllowList } from './allowed-hosts';
import { ALLOWED_HOSTS_ENV } from './allowed-hosts';
import { blockedReason } from './blocked-addresses';
import { HttpFetchError, SsrfError } from './errors';
import type { Resolver } from './resolver';
import { stopErrorOf } from './stop-signal';

/**
 * Refuses the destination unless every address is public or allowed. One blocked address
 * refuses the whole answer rather than being skipped: a name that mixes public and private
 * answers is either misconfigured or probing, and which one the socket picks is not ours.
 */
export function assertDestinationAllowed(
  hostname: string,
  addresses: readonly string[],
  allowList: AllowList,
  label: string,
): void {
  if (allowList.allowsHost(hostname)) return;
  for (const address of addresses) {
    const reason = blockedReason(address);
    if (reason !== undefined && !allowList.allowsAddress(address)) {
      throw new SsrfError(
        'BLOCKED_ADDRESS',
        `${label} resolves to ${address}, ${reason}; an administrator can allow it with ${ALLOWED_HOSTS_ENV}`,
      );
    }
  }
}

/**
 * The `lookup` a socket calls when it connects: it asks the resolver once, checks the answer
 * and hands over only checked addresses. The address checked is the address connected to, so
 * a DNS answer that changes between a check and the connect (rebinding) has nothing to exploit.
 */
export function guardedLookup(
  resolver: Resolver,
  allowList: AllowList,
  label: string,
  signal?: AbortSignal,
): LookupFunction {
  return (hostname, options, callback) => {
    // The Promise constructor turns a resolver that throws at once into a rejection.
    new Promise<readonly string[]>((resolve) => resolve(resolver(hostname))).then(
      (answer) => {
        try {
          // Stopped while resolving: the socket may not know yet, so it gets no address at all.
          if (signal?.aborted) throw stopErrorOf(signal.reason, `The request to ${label}`);
          if (answer.length === 0) {
            throw new HttpFetchError('DNS_FAILED', `${label}: ${hostname} resolves to no address`);
          }
          const invalid = answer.find((address) => isIP(address) === 0);
          if (invalid !== undefined) {
            throw new SsrfError('BLOCKED_ADDRESS', `${label}: ${hostname} resolves to "${invalid}", which is not an IP address`);
          }
          assertDestinationAllowed(hostname, answer, allowList, label);
          const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
          const usable = answer
            .map((address) => ({ address, family: isIP(address) }))
            .filter((entry) => wanted === undefined || entry.family === wanted);
          const first = usable[0];
          if (first === undefined) {
            throw new HttpFetchError('DNS_FAILED', `${label}: ${hostname} has no IPv${wanted} address`);
          }
          if (options.all) callback(null, usable);
          else callback(null, first.address, first.family);
        } catch (err) {
          callback(err as Error, '');
        }
      },
      (err: unknown) => {
        const code = (err as { code?: unknown } | null)?.code;
        const why = typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
        callback(new HttpFetchError('DNS_FAILED', `${label}: ${hostname} could not be resolved (${why})`), '');
      },
    );
  };
}
