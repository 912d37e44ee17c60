export { startService, type RunningService, type ServiceOptions } from './service.js';
export { ServiceError, type ServiceErrorKind } from './errors.js';
export {
  installSignalCleanup,
  registeredServices,
  stopAllServices,
  type SignalCleanupOptions,
} from './cleanup.js';
