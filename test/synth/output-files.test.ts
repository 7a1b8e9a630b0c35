import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readOutputFiles, writeOutputFiles } from '../../lib/synth/output-files';

describe('writeOutputFiles', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-out-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('writes every file as UTF-8, ASCII or not (é is one latin1 byte but two UTF-8 bytes)', () => {
    const files = [
      { path: 'ascii.yaml', content: 'kind: Service\nname: web\n' },
      { path: 'latin.yaml', content: 'greeting: café\n' },
      { path: 'wide.yaml', content: 'mark: ✓ 😀\n' },
    ];
    writeOutputFiles(dir, files, []);
    for (const f of files) expect(fs.readFileSync(path.join(dir, f.path))).toEqual(Buffer.from(f.content, 'utf8'));
    expect(readOutputFiles(dir)).toEqual(new Map(files.map((f) => [f.path, f.content])));
  });

  test('keeps the mode a file asks for', () => {
    writeOutputFiles(dir, [{ path: 'run.sh', content: '#!/bin/sh\n', mode: 0o755 }], []);
    expect(fs.statSync(path.join(dir, 'run.sh')).mode & 0o777).toBe(0o755);
  });
});
