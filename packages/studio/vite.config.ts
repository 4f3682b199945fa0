import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The runtime serves dist/ at `/`: hashed files under /assets/ are cached for a year, index.html never.
// In `npm run dev -w @flowcard/studio`, API calls go to a runtime on FLOWCARD_API_URL (default :3000).
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: { outDir: 'dist', assetsDir: 'assets', sourcemap: false, reportCompressedSize: false },
  server: {
    proxy: Object.fromEntries(
      ['/v1', '/docs', '/health'].map((path) => [
        path,
        { target: process.env.FLOWCARD_API_URL ?? 'http://localhost:3000', changeOrigin: false },
      ]),
    ),
  },
});
