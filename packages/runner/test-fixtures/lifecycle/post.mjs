import * as core from '@actions/core';
import { appendFileSync } from 'node:fs';
import path from 'node:path';

const label = core.getState('label');
const states = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('STATE_')));
appendFileSync(path.join(process.env.GITHUB_WORKSPACE, 'post-order.txt'), `${label}\n`);
core.info(`post of ${label} saw ${JSON.stringify(states)}`);
