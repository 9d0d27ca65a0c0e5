import { defineConfig } from 'vitest/config';

// The build is served by `malchin serve` from web/dist; asset names carry a
// content hash (hex) so the server can cache them as immutable.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    assetsDir: 'assets',
    rollupOptions: {
      // The officers' app and the herders' own small page (herder.html).
      input: { main: 'index.html', herder: 'herder.html' },
      output: {
        // Hex hashes: the server treats "name.<hex>.ext" as immutable.
        hashCharacters: 'hex',
        entryFileNames: 'assets/[name].[hash].js',
        chunkFileNames: 'assets/[name].[hash].js',
        assetFileNames: 'assets/[name].[hash][extname]',
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080', '/health': 'http://127.0.0.1:8080' },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
