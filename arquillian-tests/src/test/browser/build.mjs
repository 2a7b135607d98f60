// Builds dist/: the harness bundle (JsSIP is CommonJS only, so it is bundled, never loaded from a CDN) and the tone
// files Chromium plays as its fake microphone. Run: npm run build
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toneWav } from './tone.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const TONES = [1000, 440];

mkdirSync(dist, { recursive: true });
const result = await build({
  entryPoints: [join(here, 'harness.js')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome110'],
  outfile: join(dist, 'harness.bundle.js'),
  sourcemap: 'linked',
  logLevel: 'warning',
  metafile: true,
});
for (const hz of TONES) {
  writeFileSync(join(dist, `tone-${hz}.wav`), toneWav(hz));
}
const versions = Object.fromEntries(['jssip', 'esbuild', 'playwright-core'].map((name) =>
  [name, JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version]));
writeFileSync(join(dist, 'build-info.json'), JSON.stringify({
  builtAt: new Date().toISOString(),
  versions,
  tones: TONES.map((hz) => `tone-${hz}.wav`),
  outputBytes: Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0),
}, null, 2) + '\n');
console.error(`built dist/harness.bundle.js and ${TONES.map((hz) => `tone-${hz}.wav`).join(', ')}`);
