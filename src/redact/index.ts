export {
  clearSecrets,
  redact,
  redactFileText,
  registerSecret,
  registerSecretsFromEnv,
  registerSecretsInText,
  registerUrlSecrets,
  registeredSecretCount,
} from './registry.js';
export { childEnv, isLoadgateOnlyVariable } from './child-env.js';
export { looksSecretName } from './names.js';
export { secretsFromEnv, secretsInText, type FoundSecret } from './recognise.js';
export { MASK, SecretSet, isPlausibleSecret, type SecretSource } from './secrets.js';
export { hideUrlCredentials, urlSecrets } from './url.js';
export { guardWorkflowCommands, hasWorkflowCommand } from './workflow-commands.js';
