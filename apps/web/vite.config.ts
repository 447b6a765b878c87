import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The frontend Amplify serves: a static single-page app in dist/ (the default build spec's artifacts).
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
});
