// What every view gets from the shell: the current route (its path and the parameters in the URL hash).

import type { Route } from '../hash-route.ts';

export interface ViewProps {
  route: Route;
}
