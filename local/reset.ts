/** `npm run reset`: wipes the local cloud's state folder (every account, resource, key and password). */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

const dir = resolve(process.env.FE_DATA_DIR || '.data');
rmSync(dir, { recursive: true, force: true });
console.log(`Removed ${dir}: the next npm start bootstraps a fresh cloud.`);
