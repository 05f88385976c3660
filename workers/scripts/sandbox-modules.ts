/**
 * The modules a script may import by name, and where they are inside the sandbox image
 * (docker/sandbox.Dockerfile). Absolute file: URLs because the script runs as a data: module,
 * which cannot resolve bare names.
 */
export const SANDBOX_MODULES: Readonly<Record<string, string>> = {
  '@sightline/sdk': 'file:///node_modules/@sightline/sdk/dist/index.js',
  '@sightline/script': 'file:///node_modules/@sightline/script/index.mjs',
  // The WebSocket the SDK's README tells Node 20 users to pass; the bootstrap also makes it global.
  ws: 'file:///node_modules/ws/wrapper.mjs',
};

export const IMPORTABLE = 'only @sightline/sdk, @sightline/script, ws and node: built-ins can be imported';
