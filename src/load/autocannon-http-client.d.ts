// autocannon 9's HTTP client (lib/httpClient.js): the Client whose prototype
// src/load/autocannon-client-fix.ts wraps. What the fix touches is typed there, structurally.
declare module 'autocannon/lib/httpClient.js' {
  const Client: { prototype: object };
  export default Client;
}
