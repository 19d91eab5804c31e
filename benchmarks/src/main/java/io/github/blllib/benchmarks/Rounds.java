package io.github.blllib.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs candidates side by side: every candidate's warm-ups first, then rounds in which each
 * candidate runs once. Interleaving spreads a noisy neighbour's bursts over all candidates
 * instead of charging them to whichever ran at that moment.
 */
final class Rounds {

	private Rounds() {
	}

	static Map<String, Samples> interleaved(Mode mode, Map<String, TimedRun> candidates) throws Exception {
		return interleaved(mode.warmups(), mode.repeats(), candidates);
	}

	static Map<String, Samples> interleaved(int warmups, int repeats, Map<String, TimedRun> candidates)
			throws Exception {
		for (int i = 0; i < warmups; i++) {
			for (TimedRun run : candidates.values()) {
				run.runNanos();
			}
		}
		Map<String, long[]> timings = new LinkedHashMap<>();
		candidates.keySet().forEach((name) -> timings.put(name, new long[repeats]));
		for (int round = 0; round < repeats; round++) {
			for (Map.Entry<String, TimedRun> candidate : candidates.entrySet()) {
				timings.get(candidate.getKey())[round] = candidate.getValue().runNanos();
			}
		}
		Map<String, Samples> samples = new LinkedHashMap<>();
		timings.forEach((name, nanos) -> samples.put(name, new Samples(nanos)));
		return samples;
	}

}
