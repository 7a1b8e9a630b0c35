/*
 * Removes the images the engine tests cache between runs (see engine.ts), and the containers, networks and
 * volumes of test runs that were killed before they could clean up:
 *   node scripts/run-ts.js test/e2e/clean-cache.ts
 */
import { removeCachedImages, sweepLeftovers } from './engine';

sweepLeftovers()
  .then(async (removed) => {
    for (const r of removed) console.log(`removed ${r}`);
    await removeCachedImages();
  })
  .then(
    () => console.log('removed the cached e2e images'),
    (e: Error) => {
      console.error(e.message);
      process.exit(1);
    },
  );
