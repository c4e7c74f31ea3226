import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // e2e suites start servers on ephemeral loopback ports; files run in parallel workers.
    pool: 'forks',
  },
});
