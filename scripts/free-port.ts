/** The demo, the benchmarks and the tests start services on free ports as loadgate itself does. */
export { freePort } from '../src/service/free-port.js';
