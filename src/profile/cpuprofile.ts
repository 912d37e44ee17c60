/**
 * The `.cpuprofile` format (V8's CPU profiler, what `node --cpu-prof` writes and Chrome DevTools
 * and speedscope open), read strictly: a profile is written by the code under test, so it is
 * hostile input: an invalid one is refused with what is wrong, never half read.
 */
import { z } from 'zod';

const int = z.number().int();

const callFrame = z.object({
  functionName: z.string(),
  scriptId: z.union([z.string(), int]).optional(),
  url: z.string(),
  /** 0-based; -1 when unknown. */
  lineNumber: int,
  columnNumber: int.optional(),
});

const profileNode = z.object({
  id: int,
  callFrame,
  children: z.array(int).optional(),
  hitCount: int.optional(),
});

export const cpuProfileSchema = z.object({
  nodes: z.array(profileNode).min(1),
  startTime: z.number(),
  endTime: z.number(),
  /** The node each sample was in, in time order. */
  samples: z.array(int),
  /** Microseconds since the previous sample (the first: since startTime). */
  timeDeltas: z.array(z.number()),
});
export type CpuProfile = z.infer<typeof cpuProfileSchema>;
export type ProfileNode = CpuProfile['nodes'][number];

/** A profile's text parsed and checked: samples and deltas alike in number, nodes known. */
export function parseCpuProfile(text: string): CpuProfile {
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`not a CPU profile: not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  const parsed = cpuProfileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `not a CPU profile: ${issue ? `${issue.path.join('.') || 'document'}: ${issue.message}` : 'invalid'}`,
    );
  }
  const profile = parsed.data;
  if (profile.samples.length !== profile.timeDeltas.length) {
    throw new Error(
      `not a CPU profile: ${profile.samples.length} samples but ${profile.timeDeltas.length} time deltas`,
    );
  }
  const ids = new Set(profile.nodes.map((n) => n.id));
  const unknown =
    profile.samples.find((id) => !ids.has(id)) ??
    profile.nodes.flatMap((n) => n.children ?? []).find((id) => !ids.has(id));
  if (unknown !== undefined) throw new Error(`not a CPU profile: node ${unknown} is not defined`);
  return profile;
}
