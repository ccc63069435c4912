import type { Format, FormatHandler } from '../contracts.js';

/** The package endpoints the emulator serves by format (generic is API-only). */
export const defaultFormats: Partial<Record<Format, FormatHandler>> = {};
