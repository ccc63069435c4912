/** The Python publisher: build (pypa/build or setup.py), check, and upload with twine, safe to re-run. */
export * from './build.js';
export * from './distributions.js';
export * from './index-page.js';
export * from './interpreter.js';
export * from './plan.js';
export * from './project.js';
export * from './repository.js';
export * from './settings.js';
export * from './summary.js';
export * from './tool-run.js';
export * from './twine.js';
export * from './version.js';
export * from './publish.js';
