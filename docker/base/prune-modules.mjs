// Copies the production part of node_modules (what `npm ci --omit=dev` would install) into a
// new folder, using only node: the images have no npm, no shell and no registry to install from.
// The lockfile says which installed packages are development-only ("dev": true); everything
// else that is on disk is copied, minus files nothing loads at run time.
//
//   node prune-modules.mjs <project root with package-lock.json and node_modules> <destination>
import { cpSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [root, dest] = process.argv.slice(2);
if (!root || !dest) {
  console.error('usage: node prune-modules.mjs <project root> <destination node_modules>');
  process.exit(2);
}

const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
if (!lock.packages) throw new Error('package-lock.json has no "packages" (lockfileVersion 2 or later is needed)');

// Type declarations, source maps and the native modules' build leftovers (compiler objects,
// bundled C sources, test extensions) are never loaded by node.
const skipFile = /(\.d\.[cm]?ts|\.map|\.musl\.node|[\\/]test_extension\.node)$/;
const skipDir = /^node_modules[\\/]better-sqlite3[\\/](deps|src|build[\\/](Release[\\/](obj|obj\.target|\.deps)|deps))$/;

let copied = 0;
let missing = 0;
for (const [path, meta] of Object.entries(lock.packages)) {
  if (path === '' || meta.dev || meta.link) continue;
  if (path.startsWith('node_modules/@types/')) continue;
  const from = join(root, path);
  if (!existsSync(from)) {
    // Optional packages for other platforms are in the lockfile but were never installed.
    if (meta.optional) {
      missing += 1;
      continue;
    }
    throw new Error(`${path} is a production dependency but is not in the build context (npm ci, or .dockerignore leaves it out)`);
  }
  const nested = join(from, 'node_modules');
  cpSync(from, join(dest, path.slice('node_modules/'.length)), {
    recursive: true,
    dereference: false,
    filter: (src) => {
      // Nested packages are entries of their own in the lockfile, each judged by itself.
      if (src === nested) return false;
      if (skipFile.test(src)) return false;
      const rel = src.slice(root.length).replace(/^[\\/]+/, '');
      if (skipDir.test(rel)) return false;
      return true;
    },
  });
  copied += 1;
}
if (!statSync(dest, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`nothing was copied to ${dest}`);
console.log(`prune-modules: ${copied} packages copied to ${dest}${missing ? `, ${missing} not installed here (other platforms)` : ''}`);
