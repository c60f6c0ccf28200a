// The `smart-mining` command: the one composition root that may import the apps.

import { buildProgram } from './program.ts';
import { reexec, reexecArgs, stopWithParent } from './v8-flags.ts';

stopWithParent();
const again = reexecArgs(process.argv, process.execArgv, process.env);
if (again) await reexec(again);
else await buildProgram().parseAsync(process.argv);
