/** loadgate's version; the bundler replaces __LOADGATE_VERSION__, tests see the fallback. */
declare const __LOADGATE_VERSION__: string | undefined;

export const LOADGATE_VERSION: string =
  typeof __LOADGATE_VERSION__ === 'string' ? __LOADGATE_VERSION__ : '0.0.0-dev';
