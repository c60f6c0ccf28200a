// The page's state lives in the URL hash (#/history?coins=ETC,RVN&range=7d): shareable and kept on reload.

import { useCallback, useEffect, useState } from 'preact/hooks';

export interface Route {
  path: string;
  params: URLSearchParams;
}

function parse(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  return { path, params: new URLSearchParams(query) };
}

export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parse(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parse(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** One view's parameters: read with defaults, and written back to the hash (replacing, not adding history). */
export function useViewParams<T extends Record<string, string>>(
  route: Route,
  defaults: T,
): [T, (change: Partial<T>) => void] {
  const values = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof T)[]) {
    const value = route.params.get(key as string);
    if (value !== null) values[key] = value as T[keyof T];
  }
  const set = useCallback(
    (change: Partial<T>) => {
      const params = new URLSearchParams(parse(location.hash).params);
      for (const [key, value] of Object.entries(change)) {
        if (value === undefined || value === defaults[key]) params.delete(key);
        else params.set(key, value as string);
      }
      const query = params.toString();
      history.replaceState(null, '', `#/${route.path}${query ? `?${query}` : ''}`);
      dispatchEvent(new HashChangeEvent('hashchange'));
    },
    [route.path, defaults],
  );
  return [values, set];
}
