import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    // A static SPA: the API's own HTTP server serves it, so one URL is all a user needs.
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true }),
    alias: { $sdk: '../sdk/src/index.ts', '$sdk/*': '../sdk/src/*' },
    output: { bundleStrategy: 'split' },
  },
};
