package io.github.blllib.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Item 5: an endless input through a mixed pipeline in a child JVM limited to 32 MB of heap.
 * The long run must complete, and its peak heap after GC must stay within 10% of a run 100
 * times shorter: memory bounded by the batch and window sizes, not by the input's length.
 */
final class MemoryBenchmark implements Benchmark {

	private static final String MAX_HEAP = "-Xmx32m";

	private static final double GOAL = 1.10;

	private String details = "";

	@Override
	public int item() {
		return 5;
	}

	@Override
	public String title() {
		return "memory";
	}

	@Override
	public String details() {
		return this.details;
	}

	@Override
	public List<ResultRow> run(Mode mode) throws Exception {
		Probe baseline = probe(mode.memoryBaselineItems());
		Probe endless = probe(mode.memoryItems());
		List<ResultRow> rows = new ArrayList<>();
		rows.add(new ResultRow(5, String.format("memory: %,d items of an endless input complete at %s",
				mode.memoryItems(), MAX_HEAP),
				endless.completed(mode.memoryItems())
						? String.format("yes, in %.1f s (%s)", endless.elapsedNanos() / 1e9, Report.rate(endless.rate()))
						: "no: " + endless.failure(),
				"complete", Verdict.of(endless.completed(mode.memoryItems()))));
		boolean measured = baseline.completed(mode.memoryBaselineItems()) && endless.completed(mode.memoryItems());
		double ratio = measured ? (double) endless.peakUsedAfterGc() / baseline.peakUsedAfterGc() : Double.NaN;
		rows.add(new ResultRow(5, String.format("memory: peak heap after GC, %,d items / %,d items",
				mode.memoryItems(), mode.memoryBaselineItems()),
				measured ? String.format("%.3f (%s vs %s)", ratio, Report.mebibytes(endless.peakUsedAfterGc()),
						Report.mebibytes(baseline.peakUsedAfterGc())) : "not measured",
				"≤ 1.10", Verdict.of(measured && ratio <= GOAL)));
		this.details = String.format("Item 5: child JVMs with %s (%s); heap used sampled after System.gc() at 20 "
				+ "checkpoints and at the end, run still open.%n", MAX_HEAP, endless.collectors());
		return rows;
	}

	private static Probe probe(long items) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = List.of(java, MAX_HEAP, "-cp", System.getProperty("java.class.path"),
				MemoryProbe.class.getName(), Long.toString(items));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
			.start();
		StringBuilder output = new StringBuilder();
		Map<String, String> result = new HashMap<>();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.startsWith(MemoryProbe.RESULT_PREFIX)) {
					for (String pair : line.substring(MemoryProbe.RESULT_PREFIX.length()).trim().split(" ")) {
						String[] keyValue = pair.split("=", 2);
						result.put(keyValue[0], keyValue[1]);
					}
				}
				else if (output.length() < 2000) {
					output.append(line).append('\n');
				}
			}
		}
		if (!process.waitFor(15, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			return Probe.failed("timed out");
		}
		if (process.exitValue() != 0 || !result.containsKey("items")) {
			String firstLine = output.toString().lines().findFirst().orElse("");
			return Probe.failed("exit " + process.exitValue() + ": " + firstLine);
		}
		return new Probe(Long.parseLong(result.get("items")), Long.parseLong(result.get("peakUsedAfterGc")),
				Long.parseLong(result.get("elapsedNanos")), result.get("gc"), null);
	}

	private record Probe(long items, long peakUsedAfterGc, long elapsedNanos, String collectors, String failure) {

		static Probe failed(String why) {
			return new Probe(0, 0, 0, "?", why);
		}

		boolean completed(long expected) {
			return this.failure == null && this.items == expected;
		}

		double rate() {
			return this.items * 1e9 / this.elapsedNanos;
		}

	}

}
