// The `smart-mining` command: the one composition root that may import the apps.

import { buildProgram } from './program.ts';

await buildProgram().parseAsync(process.argv);
