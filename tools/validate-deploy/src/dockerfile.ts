/** One build stage of a Dockerfile, with what a container of it inherits from the stages it is built on. */
export interface Stage {
  /** The `AS` name, lower-cased as Docker treats it, or undefined for an unnamed stage. */
  name: string | undefined;
  /** The FROM image as written, build args substituted. */
  base: string;
  /** Whether `base` is an earlier stage of this file rather than an image. */
  baseIsStage: boolean;
  /** The HEALTHCHECK in force: its own, else the parent stage's; `NONE` disables it. */
  healthcheck: boolean;
  /** ENTRYPOINT and CMD words, own or inherited. */
  entrypoint: string[];
  cmd: string[];
  line: number;
}

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Joins continuation lines and drops comments and blank lines; keeps each instruction's first line. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (pending === undefined && (trimmed === '' || trimmed.startsWith('#'))) return;
    if (pending !== undefined && trimmed.startsWith('#')) return;
    const continued = /\\\s*$/.test(raw);
    const piece = continued ? raw.replace(/\\\s*$/, '') : raw;
    pending =
      pending === undefined
        ? { text: piece, line: index + 1 }
        : { ...pending, text: `${pending.text} ${piece}` };
    if (!continued) {
      const match = /^\s*(\S+)\s*(.*)$/s.exec(pending.text);
      if (match) out.push({ keyword: match[1].toUpperCase(), args: match[2].trim(), line: pending.line });
      pending = undefined;
    }
  });
  return out;
}

function substitute(text: string, args: Map<string, string>): string {
  return text.replace(
    /\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)/g,
    (_m, braced: string, dflt: string, bare: string) => {
      const name = braced ?? bare;
      return args.get(name) ?? dflt ?? '';
    },
  );
}

/** The words of an exec-form (JSON array) or shell-form command. */
function commandWords(args: string): string[] {
  if (args.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(args);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // Docker runs a malformed JSON array as a shell command: so do we.
    }
  }
  return args.split(/\s+/).filter((w) => w !== '');
}

export function parseDockerfile(text: string): Stage[] {
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const ins of instructions(text)) {
    if (ins.keyword === 'ARG' && stages.length === 0) {
      const [name, value] = ins.args.split('=', 2);
      if (value !== undefined) globalArgs.set(name.trim(), value.trim().replace(/^["']|["']$/g, ''));
    } else if (ins.keyword === 'FROM') {
      const words = substitute(ins.args, globalArgs)
        .split(/\s+/)
        .filter((w) => !w.startsWith('--'));
      const base = words[0] ?? '';
      const name = words.length >= 3 && words[1].toUpperCase() === 'AS' ? words[2].toLowerCase() : undefined;
      const parent = stages.find((s) => s.name !== undefined && s.name === base.toLowerCase());
      stages.push({
        name,
        base,
        baseIsStage: parent !== undefined,
        healthcheck: parent?.healthcheck ?? false,
        entrypoint: parent?.entrypoint ?? [],
        cmd: parent?.cmd ?? [],
        line: ins.line,
      });
    } else if (stages.length > 0) {
      const current = stages[stages.length - 1];
      if (ins.keyword === 'HEALTHCHECK') current.healthcheck = !/^NONE\b/i.test(ins.args);
      // A new ENTRYPOINT drops the CMD inherited with it, as Docker does.
      if (ins.keyword === 'ENTRYPOINT') [current.entrypoint, current.cmd] = [commandWords(ins.args), []];
      if (ins.keyword === 'CMD') current.cmd = commandWords(ins.args);
    }
  }
  return stages;
}

/** What a container of the stage runs when nothing overrides it. */
export function commandOf(stage: Stage): string[] {
  return [...stage.entrypoint, ...stage.cmd];
}

export function stageNamed(stages: Stage[], name: string): Stage | undefined {
  return stages.find((s) => s.name === name.toLowerCase());
}
