// Prints the files of the repo that Docker sends as the build context: tracked and untracked
// (not git-ignored) files, filtered by .dockerignore with Docker's own matching rules. Read from
// .dockerignore itself, so deploy/image-check.sh builds from exactly what `docker build` would.
/* global process */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import dockerignore from '@balena/dockerignore';

const root = process.argv[2] ?? '.';
const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((file) => file !== '');
const rules = readFileSync(`${root}/.dockerignore`, 'utf8');
const context = dockerignore().add(rules.split('\n')).filter(files);
process.stdout.write(context.length > 0 ? `${context.join('\n')}\n` : '');
