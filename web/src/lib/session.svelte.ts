/**
 * Who is logged in. The session token is kept in localStorage so a reload (or a new tab)
 * stays logged in; logging out ends the session on the server too.
 */
import { clientFor, type SightlineClient } from './api/client';
import { logOut as endSession, me, type Me, type Role } from './api/organization';

const KEY = 'sightline.token';

function readToken(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

class Session {
  token = $state<string | null>(readToken());
  me = $state<Me | null>(null);
  #client: SightlineClient | null = null;
  #clientToken: string | null = null;

  /** The SDK client for the current token; made once per token. */
  get client(): SightlineClient {
    if (!this.#client || this.#clientToken !== this.token) {
      void this.#client?.close();
      this.#client = clientFor(this.token ?? undefined);
      this.#clientToken = this.token;
    }
    return this.#client;
  }

  get role(): Role | null {
    return this.me?.role ?? null;
  }
  get canEdit(): boolean {
    return this.role === 'OWNER' || this.role === 'EDITOR';
  }
  get isOwner(): boolean {
    return this.role === 'OWNER';
  }

  async start(token: string): Promise<void> {
    localStorage.setItem(KEY, token);
    this.token = token;
    this.me = await me(this.client);
  }

  /** Loads who the token belongs to; a dead token logs out quietly. */
  async restore(): Promise<boolean> {
    if (!this.token) return false;
    try {
      this.me = await me(this.client);
      return true;
    } catch {
      this.forget();
      return false;
    }
  }

  async logOut(): Promise<void> {
    if (this.token) await endSession(this.client).catch(() => undefined);
    this.forget();
  }

  forget(): void {
    localStorage.removeItem(KEY);
    void this.#client?.close();
    this.#client = null;
    this.#clientToken = null;
    this.token = null;
    this.me = null;
  }
}

export const session = new Session();
