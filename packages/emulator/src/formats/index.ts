import type { Format, FormatHandler } from '../contracts.js';
import { mavenHandler } from './maven.js';
import { npmHandler } from './npm.js';
import { pypiHandler } from './pypi.js';

/** The package endpoints the emulator serves by format (generic is API-only). */
export const defaultFormats: Partial<Record<Format, FormatHandler>> = {
  pypi: pypiHandler,
  maven: mavenHandler,
  npm: npmHandler
};
