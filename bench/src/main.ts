import { USAGE, UsageError, parseArgs } from './args';
import { terminalProgress } from './progress';
import { writeReports } from './report/report';
import { formatResources } from './report/resources';
import { formatTable, summaryRows } from './report/summary';
import { formatSoak } from './soak';
import { passed } from './results';
import { runBench } from './run';

/** `npm run bench -- [options]`: exit 0 when the run passed, 1 when it did not, 2 on a usage error. */
async function main(): Promise<number> {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`bench: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const progress = terminalProgress();
  const { report, stem } = await runBench(options, progress, out);
  const files = await writeReports(report, options.outDir, stem);
  out('');
  for (const line of formatTable(summaryRows(report))) out(line);
  out('');
  const resources = formatResources(report.resources);
  for (const line of resources) out(line);
  if (resources.length > 0) out('');
  if (report.soak) {
    for (const line of formatSoak(report.soak)) out(line);
    out('');
  }
  if (report.shopErrors.count > 0) {
    out(`the shop reported ${report.shopErrors.count} internal failure(s):`);
    for (const error of report.shopErrors.first) out(`  ${error}`);
  }
  for (const failure of report.failures) out(`failed: ${failure}`);
  out(`reports: ${files.json}`);
  out(`         ${files.html}`);
  out(passed(report) ? 'bench: passed' : 'bench: FAILED');
  return passed(report) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
