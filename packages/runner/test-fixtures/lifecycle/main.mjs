import * as core from '@actions/core';

const label = core.getInput('label', { required: true });
const secret = core.getInput('secret');
if (secret) {
  core.setSecret(secret);
  core.info(`the secret is ${secret}`);
}
core.saveState('label', label);
core.exportVariable(`LIFECYCLE_${label.toUpperCase()}`, `exported by ${label}`);
core.exportVariable('LIFECYCLE_MULTILINE', `first line of ${label}\nsecond line`);
core.addPath(`/opt/lifecycle-${label}/bin`);
core.setOutput('label', label);
await core.summary.addHeading(`Summary from ${label}`, 3).write();
if (core.getInput('fail') === 'true') core.setFailed(`${label} failed on purpose`);
