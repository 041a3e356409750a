// Copies the files of Knight Lab TimelineJS that the TimelineJS page uses from
// node_modules into dist/timelinejs/ (after vite build): the script, its stylesheet,
// its icon font and the English locale. TimelineJS loads them by path at run time, so
// they are served as they are rather than bundled.
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const from = join(import.meta.dirname, '..', 'node_modules', '@knight-lab', 'timelinejs', 'dist');
const to = join(import.meta.dirname, '..', 'dist', 'timelinejs');
const files = [
  'js/timeline.js',
  'js/timeline.js.LICENSE.txt',
  'js/locale/en.json',
  'css/timeline.css',
  'css/icons/tl-icons.woff2',
  'css/icons/tl-icons.woff',
  'css/icons/tl-icons.ttf',
];
for (const f of files) {
  mkdirSync(dirname(join(to, f)), { recursive: true });
  cpSync(join(from, f), join(to, f));
}
