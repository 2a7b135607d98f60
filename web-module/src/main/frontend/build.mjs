// Bundles the softphone into OUT/app/wwsf.js and OUT/app/wwsf.css, and the client for third parties' pages into
// OUT/app/webims-client.js (JsSIP is CommonJS: it is bundled, never loaded
// from a CDN). OUT is the first argument or WWSF_OUT, default ../../../target/generated-webapp (the Maven build adds
// it to the WAR). Run: npm run build [-- OUT]
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || process.env.WWSF_OUT || join(here, '../../../target/generated-webapp'));
const app = join(out, 'app');
mkdirSync(app, { recursive: true });

const result = await build({
  entryPoints: { wwsf: join(here, 'src/main.js'), 'webims-client': join(here, 'src/client.js') },
  bundle: true,
  format: 'iife',
  platform: 'browser',
  // the last two majors of the engines we support (Chromium and Firefox ESR)
  target: ['chrome110', 'firefox115', 'safari16'],
  outdir: app,
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
});
const versions = Object.fromEntries(['jssip', 'esbuild'].map((name) =>
  [name, JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version]));
const bytes = Object.fromEntries(Object.entries(result.metafile.outputs)
  .filter(([file]) => !file.endsWith('.map'))
  .map(([file, o]) => [file.slice(file.lastIndexOf('/') + 1), o.bytes]));
writeFileSync(join(app, 'build-info.json'), `${JSON.stringify({ versions, bytes }, null, 2)}\n`);
console.error(`built ${Object.entries(bytes).map(([f, b]) => `${f} (${b} bytes)`).join(', ')} in ${app}`);
