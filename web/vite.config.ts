import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  // The SDK lives beside the app, outside this folder.
  server: { fs: { allow: ['..'] }, proxy: { '/graphql': { target: 'http://localhost:4000', ws: true } } },
  build: { chunkSizeWarningLimit: 400 },
});
