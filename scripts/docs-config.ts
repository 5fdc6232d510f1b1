// Rewrites README's configuration tables from src/config (run after adding or changing a setting).
import { readFileSync, writeFileSync } from 'node:fs';
import { withReference } from '../src/config/reference.ts';

const file = new URL('../README.md', import.meta.url);
writeFileSync(file, withReference(readFileSync(file, 'utf8')));
console.log('README.md: configuration tables regenerated');
