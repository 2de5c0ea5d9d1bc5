#!/usr/bin/env node
// The `gongfu` command. Gongfu runs from its TypeScript sources through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
