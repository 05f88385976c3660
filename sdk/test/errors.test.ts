/** Failures arrive as typed errors with the server's codes, over HTTP and over the socket. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../api/test/harness';
import { NetworkError, QueryFailedError, SightlineError, signUp, login, type SessionClient } from '../src';
import { clientFor, nextWithin, WebSocket } from './support';

describe('typed errors', () => {
  let s: TestServer;
  let owner: SessionClient;
  let sampleId: string;

  beforeAll(async () => {
    s = await startTestServer('pglite', { SAMPLE_DATASOURCE: 'true' });
    owner = await signUp(s.url, { email: 'errors-owner@example.com', password: 'a long password', organizationName: 'Errors' }, { webSocketImpl: WebSocket });
    const first = (await owner.datasources.list()).items.find((d) => d.kind === 'SQLITE');
    if (!first) throw new Error('the organization has no sample datasource');
    sampleId = first.id;
  }, 120_000);
  afterAll(async () => {
    await owner?.close();
    await s?.close();
  });

  it('a bad token is UNAUTHENTICATED', async () => {
    const stranger = clientFor(s.url, 'not-a-real-token');
    const err = await stranger.datasources.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SightlineError);
    expect(err).toMatchObject({ code: 'UNAUTHENTICATED' });
    await stranger.close();
  });

  it('a bad token on the socket is UNAUTHENTICATED too', async () => {
    const stranger = clientFor(s.url, 'not-a-real-token');
    try {
      const err = await nextWithin(stranger.liveQuery(sampleId, { measures: [{ agg: 'count' }] }), 'an error').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SightlineError);
      expect(err).toMatchObject({ code: 'UNAUTHENTICATED' });
    } finally {
      await stranger.close();
    }
  });

  it('an unknown field is a QueryFailedError UNKNOWN_FIELD with the path', async () => {
    const err = await owner.getData(sampleId, { dimensions: ['contry'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryFailedError);
    expect(err).toMatchObject({ code: 'UNKNOWN_FIELD', status: 'FAILED', path: 'dimensions[0]' });
    expect((err as QueryFailedError).message).toMatch(/contry/);
  });

  it('an unknown formula is UNKNOWN_FIELD too', async () => {
    const err = await owner.getData(sampleId, { measures: [{ formula: 'no_such_formula' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryFailedError);
    expect((err as QueryFailedError).code).toBe('UNKNOWN_FIELD');
  });

  it('a viewer writing is FORBIDDEN; bad input names the field', async () => {
    const invite = await s.gql<{ inviteMember: { token: string } }>(`mutation { inviteMember(email: "errors-viewer@example.com", role: VIEWER) { token } }`, {}, owner.session.token);
    const viewer = await signUp(s.url, { email: 'errors-viewer@example.com', password: 'a long password', invitationToken: invite.data!.inviteMember.token }, { webSocketImpl: WebSocket });
    try {
      expect((await viewer.viewer()).role).toBe('VIEWER');
      const forbidden = await viewer.dashboards.create({ name: 'Nope' }).catch((e: unknown) => e);
      expect(forbidden).toBeInstanceOf(SightlineError);
      expect(forbidden).toMatchObject({ code: 'FORBIDDEN' });
      const notify = await viewer.notifyDataChanged(sampleId).catch((e: unknown) => e);
      expect(notify).toMatchObject({ code: 'FORBIDDEN' });
      const bad = await owner.dashboards.create({ name: '' }).catch((e: unknown) => e);
      expect(bad).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect((bad as SightlineError).field).toMatch(/name/);
    } finally {
      await viewer.close();
    }
  });

  it('an unknown id is NOT_FOUND; a wrong password is INVALID_CREDENTIALS', async () => {
    const missing = await owner.datasources.update('RGF0YXNvdXJjZTowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA', { name: 'x' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'NOT_FOUND' });
    const wrong = await login(s.url, 'errors-owner@example.com', 'not the password').catch((e: unknown) => e);
    expect(wrong).toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });

  it('a server that cannot be reached is a NetworkError', async () => {
    const nowhere = clientFor('http://127.0.0.1:9', 'x');
    const err = await nowhere.datasources.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ code: 'NETWORK_ERROR' });
    await nowhere.close();
  });
});
