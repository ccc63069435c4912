import * as core from '@actions/core';
import { errorMessage } from '@codeartifact-actions/kit';
import { undoFileChanges, type FileChanges } from '@codeartifact-actions/tools';
import { STATE_CHANGES, STATE_CLEANUP, STATE_CONFIG_DIR } from './state.js';

/** The post step: removes every file the main step wrote and puts back what it replaced. */
export async function runCleanup(): Promise<void> {
  try {
    const configDir = core.getState(STATE_CONFIG_DIR);
    if (core.getState(STATE_CLEANUP) === 'false') {
      core.info(
        `cleanup: false; leaving the tool configuration${configDir ? ` in ${configDir}` : ''} and ~/.m2/settings.xml as they are.`
      );
      return;
    }
    const saved = core.getState(STATE_CHANGES);
    const changes: FileChanges = saved
      ? (JSON.parse(saved) as FileChanges)
      : { created: [], replaced: [], createdDirs: [] };
    const done = await undoFileChanges(changes, configDir || undefined);
    for (const line of done) core.info(line);
    if (done.length === 0) core.info('Nothing to clean up.');
  } catch (error) {
    core.setFailed(`Could not undo the CodeArtifact configuration: ${errorMessage(error)}`);
  }
}
