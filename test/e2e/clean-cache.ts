/*
 * Removes the images the engine tests cache between runs (see engine.ts):
 *   node scripts/run-ts.js test/e2e/clean-cache.ts
 */
import { removeCachedImages } from './engine';

removeCachedImages().then(
  () => console.log('removed the cached e2e images'),
  (e: Error) => {
    console.error(e.message);
    process.exit(1);
  },
);
