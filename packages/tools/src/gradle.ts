import { join } from 'node:path';
import { exists } from './files.js';
import { TOKEN_USER } from './python.js';
import { noChanges, type ToolModule } from './types.js';

/**
 * Gradle takes project properties from ORG_GRADLE_PROJECT_* variables; a repository named
 * "codeartifact" with `credentials(PasswordCredentials::class)` reads codeartifactUsername and
 * codeartifactPassword by itself. Nothing is written to disk, so there is nothing to undo.
 */
export const gradle: ToolModule = {
  name: 'gradle',
  format: 'maven',
  async configure(ctx) {
    const url = ctx.endpoints.maven;
    if (!url) throw new Error('The maven endpoint of the repository is missing.');
    return {
      tool: 'gradle',
      env: {
        ORG_GRADLE_PROJECT_codeartifactUrl: url,
        ORG_GRADLE_PROJECT_codeartifactUsername: TOKEN_USER,
        ORG_GRADLE_PROJECT_codeartifactPassword: ctx.token
      },
      secrets: [],
      changes: noChanges(),
      description: `gradle: project properties codeartifactUrl/Username/Password = ${url}`,
      warnings: []
    };
  },
  async detect(workspace) {
    for (const name of ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts']) {
      if (await exists(join(workspace, name))) return true;
    }
    return false;
  }
};
