#!/usr/bin/env node
// The `kalends` binary: runs the TypeScript sources directly through tsx, so no build step
// stands between `npm ci` and `npx kalends start`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
await main(process.argv);
