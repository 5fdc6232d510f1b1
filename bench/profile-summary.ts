// Prints where the time of one or more .cpuprofile files went: `npx tsx bench/profile-summary.ts FILE… [--top N]`.
import { summarizeProfile } from './lib/profile.ts';

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25;
if (args.length === 0) {
  console.error('usage: npx tsx bench/profile-summary.ts FILE.cpuprofile… [--top N]');
  process.exit(64);
}
for (const file of args) console.log(`Profile ${file}\n${summarizeProfile(file, top)}\n`);
