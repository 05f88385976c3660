import {
  CreatePlaylistDocument,
  DeletePlaylistDocument,
  GetPlaylistDocument,
  ListPlaylistsDocument,
  UpdatePlaylistDocument,
  type PlaylistFieldsFragment,
  type PlaylistInput,
} from '../generated/graphql.js';
import { pageOf } from '../paging.js';
import type { RequestTransport } from '../transport/types.js';
import { resource, type Resource } from './resource.js';

export type Playlist = PlaylistFieldsFragment;
export type { PlaylistInput };
export type Playlists = Resource<Playlist, PlaylistInput, PlaylistInput>;

export function createPlaylists(http: RequestTransport): Playlists {
  return resource({
    page: async (args, signal) => pageOf((await http.request(ListPlaylistsDocument, args, signal)).playlists),
    get: async (id, signal) => (await http.request(GetPlaylistDocument, { id }, signal)).playlist,
    create: async (input) => (await http.request(CreatePlaylistDocument, { input })).createPlaylist,
    update: async (id, input) => (await http.request(UpdatePlaylistDocument, { id, input })).updatePlaylist,
    delete: async (id) => void (await http.request(DeletePlaylistDocument, { id })),
  });
}
