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
