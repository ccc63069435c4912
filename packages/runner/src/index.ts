export type {
  Annotation,
  GithubContext,
  JobResult,
  JobSpec,
  RunOptions,
  StepOutcome,
  StepResult,
  StepSpec
} from './types.js';
export { runAction, runJob } from './job.js';
export {
  runWorkflow,
  type WorkflowResult,
  type WorkflowRunOptions,
  type WorkflowRunSpec
} from './workflow.js';
export {
  loadWorkflowFile,
  resolveWorkflowInputs,
  type WorkflowEvent,
  type WorkflowFile,
  type WorkflowInput
} from './workflow-file.js';
export { lintWorkflowFiles, type LintProblem } from './workflow-lint.js';
