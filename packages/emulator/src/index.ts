/** The local CodeArtifact: start it in-process, or run `codeartifact-local` (see README.md). */
export { startEmulator, type ReadyInfo, type RunningEmulator, type StartOptions } from './emulator.js';
export type { FaultSpec, ActiveFault, RequestLogEntry } from './faults.js';
export * from './contracts.js';
export { loadConfig, defaultConfig, parseConfig, ConfigError, type EmulatorConfig } from './config.js';
export { spawnEmulator, buildEmulatorLibrary, BIN_PATH, type SpawnedEmulator } from './spawn.js';
