import fs from 'node:fs';
import path from 'node:path';
import { Topics } from './topology';

// statefun/topics.txt is what gets created (stack/bin/topics.sh, statefun/create-topics.sh in compose
// and k8s); Topics is what the code produces to and consumes from. A topic in one and not the other is
// either never created or never used.
describe('protos > topics.txt', () => {
  const file = path.resolve(__dirname, '../../statefun/topics.txt');
  const listed = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');

  it('lists exactly the topics of the code', () => {
    expect([...listed].sort()).toEqual(Object.values(Topics).sort());
  });

  it('lists each topic once', () => {
    expect(new Set(listed).size).toBe(listed.length);
  });
});
