/** The repository's `/simple/<project>/` page: which files of a project it already holds, and their SHA-256. */
import * as core from '@actions/core';

/** File name -> SHA-256 (lowercase hex) of the files the repository serves for a project. */
export type PublishedFiles = Map<string, string>;

const ACCEPT =
  'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1';

/** Basic aws:<token>, as pip and twine send it. */
export function basicAuthorization(token: string): string {
  return `Basic ${Buffer.from(`aws:${token}`).toString('base64')}`;
}

/** Reads `<endpoint>simple/<project>/` (PEP 691 JSON, or PEP 503 HTML); a 404 means the project is new. */
export async function readPublishedFiles(
  endpoint: string,
  project: string,
  token: string
): Promise<PublishedFiles> {
  const url = `${endpoint}simple/${project}/`;
  const response = await fetchWithRetry(url, token);
  if (response.status === 404) {
    await response.body?.cancel();
    return new Map();
  }
  const body = await response.text();
  if (!response.ok) {
    throw new Error(
      `Reading ${url} failed: HTTP ${response.status} ${response.statusText}. The repository said: ${body.trim().slice(0, 500) || '(nothing)'}`
    );
  }
  const type = response.headers.get('content-type') ?? '';
  return type.includes('json') ? filesOfJsonPage(body) : filesOfHtmlPage(body);
}

async function fetchWithRetry(url: string, token: string, attempts = 3): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url, {
        headers: { accept: ACCEPT, authorization: basicAuthorization(token) },
        signal: AbortSignal.timeout(30_000)
      });
      const transient = response.status === 429 || response.status >= 500;
      if (!transient || attempt >= attempts) return response;
      await response.body?.cancel();
      core.debug(`GET ${url}: HTTP ${response.status}, attempt ${attempt}; retrying`);
    } catch (error) {
      if (attempt >= attempts)
        throw new Error(`Could not read ${url}: ${(error as Error).message}`, { cause: error });
      core.debug(`GET ${url}: ${(error as Error).message}, attempt ${attempt}; retrying`);
    }
    // Full jitter: concurrent re-runs do not retry in step.
    await new Promise((done) => setTimeout(done, Math.random() * 500 * 2 ** attempt));
  }
}

/** Files of a PEP 691 JSON page. */
export function filesOfJsonPage(body: string): PublishedFiles {
  const page = JSON.parse(body) as { files?: Array<{ filename?: string; hashes?: Record<string, string> }> };
  const files: PublishedFiles = new Map();
  for (const file of page.files ?? []) {
    if (file.filename) files.set(file.filename, (file.hashes?.sha256 ?? '').toLowerCase());
  }
  return files;
}

/** Files of a PEP 503 HTML page: each anchor's text, and the sha256 in its URL fragment. */
export function filesOfHtmlPage(body: string): PublishedFiles {
  const files: PublishedFiles = new Map();
  for (const m of body.matchAll(/<a\s[^>]*href="([^"]*)"[^>]*>([^<]+)<\/a>/gi)) {
    const sha256 = /#sha256=([0-9a-f]{64})/i.exec(m[1] as string)?.[1] ?? '';
    files.set((m[2] as string).trim(), sha256.toLowerCase());
  }
  return files;
}
