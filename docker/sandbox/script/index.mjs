// What a user script imports to reach the API without configuring anything:
//   import { client } from '@sightline/script';
//   console.log((await client.datasources.list()).items.map((d) => d.name));
// The sandbox's bootstrap sets SIGHTLINE_URL (its bridge to the API) and SIGHTLINE_TOKEN (the
// run's token, scoped to the script's organization) before the script is imported.
import { createClient } from '@sightline/sdk';

/** A client with other options (retries, keep-alive, ...), still on the run's URL and token. */
export function connect(options = {}) {
  return createClient({ ...options, url: process.env.SIGHTLINE_URL ?? '', token: process.env.SIGHTLINE_TOKEN || undefined });
}

/** The run's client. Its socket opens on the first subscription; close() it when done with one. */
export const client = connect();
