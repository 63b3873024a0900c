// The real-systemd suite (npm run test:hosts): systemd-nspawn containers with their sshd on
// loopback. Slow to set up the first time (debootstrap), so it stays out of `npm test`; CI runs it.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globals: true,
    include: ['test/hosts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // The first run builds the image (about a minute, more on a slow mirror).
    hookTimeout: 20 * 60_000,
    // Containers boot on the same two cores: one file at a time.
    fileParallelism: false,
  },
});
