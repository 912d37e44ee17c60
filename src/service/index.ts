export { startService, type RunningService, type ServiceOptions } from './service.js';
export {
  ServiceError,
  setLogTailPolicy,
  type LogTailPolicy,
  type ServiceErrorKind,
} from './errors.js';
export {
  installSignalCleanup,
  registeredServices,
  RUNNER_KILLED_AFTER_MS,
  stopAllServices,
  type SignalCleanupOptions,
} from './cleanup.js';
export { refuseCommands } from './process-group.js';
export { watchdogPid } from './watchdog.js';
