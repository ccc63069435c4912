import * as core from '@actions/core';

const inputs = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('INPUT_')));
core.setOutput('inputs', JSON.stringify(inputs));
core.setOutput('greeting', `Hello ${core.getInput('who-to-greet')}`);
core.info(`Hello ${core.getInput('who-to-greet')}`);
