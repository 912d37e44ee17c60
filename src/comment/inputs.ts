/**
 * The commenter's inputs (action.yml in comment mode: github-token, artifact-name, comment), read
 * once into a typed object. Pure: a getter in, CommenterInputs out; a bad value is a Refused
 * naming the input.
 */

export class Refused extends Error {}

export interface CommenterInputs {
  token: string;
  mode: 'always' | 'on-change';
  /** One artifact to post; empty = every loadgate-report-<job> artifact of the triggering run. */
  artifactName: string;
}

export function parseCommenterInputs(get: (name: string) => string): CommenterInputs {
  const token = get('github-token').trim();
  if (token === '') {
    throw new Refused(
      'loadgate: input github-token is empty (comment mode needs a token with pull-requests: write and actions: read)',
    );
  }
  const mode = (get('comment').trim() || 'always').toLowerCase();
  if (mode !== 'always' && mode !== 'on-change') {
    throw new Refused(
      `loadgate: input comment: in comment mode expected "always" or "on-change", got "${mode}"`,
    );
  }
  return { token, mode, artifactName: get('artifact-name').trim() };
}
