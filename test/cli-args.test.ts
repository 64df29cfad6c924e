import { FLAGS, parseArgs } from "../generator/cli/args";

/** The command line as the commands see it: canonical flag names, values in order. */
function read(argv: string[]): { command?: string; positionals: string[]; flags: Record<string, string[]> } | string {
  try {
    const p = parseArgs(argv);
    return { ...(p.command !== undefined ? { command: p.command } : {}), positionals: p.positionals, flags: Object.fromEntries(p.flags) };
  } catch (e) {
    return (e as Error).message;
  }
}

describe("parseArgs", () => {
  const table: { given: string[]; want: ReturnType<typeof read> }[] = [
    { given: ["generate", "a.yaml", "-o", "out"], want: { command: "generate", positionals: ["a.yaml"], flags: { out: ["out"] } } },
    { given: ["generate", "a.yaml", "-o=out"], want: { command: "generate", positionals: ["a.yaml"], flags: { out: ["out"] } } },
    { given: ["generate", "a.yaml", "--out=out"], want: { command: "generate", positionals: ["a.yaml"], flags: { out: ["out"] } } },
    { given: ["generate", "a.yaml", "--output", "out"], want: { command: "generate", positionals: ["a.yaml"], flags: { out: ["out"] } } },
    { given: ["generate", "a.yaml", "--output=out"], want: { command: "generate", positionals: ["a.yaml"], flags: { out: ["out"] } } },
    { given: ["--out=-x"], want: { positionals: [], flags: { out: ["-x"] } } },
    { given: ["--no-union-for", "A", "--no-union-for=B", "--check"], want: { positionals: [], flags: { "no-union-for": ["A", "B"], check: ["true"] } } },
    { given: ["-o", "a", "--output", "b"], want: { positionals: [], flags: { out: ["a", "b"] } } },
    { given: ["generate", "--", "-o", "x"], want: { command: "generate", positionals: ["-o", "x"], flags: {} } },
    { given: ["--", "generate"], want: { positionals: ["generate"], flags: {} } },
    { given: ["-h"], want: { positionals: [], flags: { help: ["true"] } } },
    { given: ["-o"], want: "option -o needs a value" },
    { given: ["-o", "--check"], want: "option -o needs a value" },
    { given: ["--output"], want: "option --output needs a value" },
    { given: ["--check=yes"], want: "option --check takes no value" },
    { given: ["--quite"], want: "unknown option --quite; did you mean --quiet?" },
    { given: ["--outt", "x"], want: "unknown option --outt; did you mean --out?" },
    { given: ["--frobnicate"], want: "unknown option --frobnicate" },
    { given: ["--foo=bar"], want: "unknown option --foo=bar" },
    // One-letter flags stand alone: these are typos, not `-o ut` or `-h -v`.
    { given: ["-out"], want: "unknown option -out" },
    { given: ["-hv"], want: "unknown option -hv" },
    { given: ["-x"], want: "unknown option -x" },
  ];
  test.each(table)("$given", ({ given, want }) => {
    expect(read(given)).toEqual(want);
  });

  test("every flag of the table parses under its long name", () => {
    for (const [name, spec] of Object.entries(FLAGS)) {
      expect(read(spec.value ? [`--${name}`, "x"] : [`--${name}`])).toEqual({ positionals: [], flags: { [name]: [spec.value ? "x" : "true"] } });
    }
  });
});
