/** Names of the values the main step leaves for the post step (core.saveState / core.getState). */
export const STATE_CHANGES = 'file-changes';
export const STATE_CONFIG_DIR = 'config-dir';
export const STATE_CLEANUP = 'cleanup';
