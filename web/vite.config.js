// Vite builds the viewer into dist/, which web/embed.go embeds in the parley binary.
// File names carry no content hash and no timestamp, so the same sources and
// package-lock.json give the same bytes: CI rebuilds and fails when the committed dist/
// differs (see .ci/run).
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
    // Files, not data: URLs, which the page's Content-Security-Policy does not allow.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        timelinejs: resolve(import.meta.dirname, 'timelinejs.html'),
      },
      output: {
        entryFileNames: 'assets/[name].js',
        chunkFileNames: 'assets/[name].js',
        assetFileNames: 'assets/[name][extname]',
      },
    },
  },
});
