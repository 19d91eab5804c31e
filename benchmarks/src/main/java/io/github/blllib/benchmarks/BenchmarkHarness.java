package io.github.blllib.benchmarks;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs the measurements of issue 6 (items 1 to 6) and issue 12 (item 7) side by side and
 * reports their medians against the goals: a Markdown table on standard output and in {@code results/results.md}, and PNG
 * charts beside it.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar [--quick | --full] [--only 1,2,...] [--out DIR]
 * </pre>
 *
 * {@code --quick} is a smoke test (under a minute); {@code --full}, the default, gives the
 * figures to compare with the goals (a few minutes on 2 cores). {@code --only} runs some items
 * (2 and 3 always run together). The exit code is 0 whatever the verdicts: a missed goal is a
 * finding, not a crash.
 */
public final class BenchmarkHarness {

	private BenchmarkHarness() {
	}

	public static void main(String[] arguments) throws Exception {
		System.setProperty("java.awt.headless", "true");
		// exec:exec passes -Dbenchmarks.args as one argument: "--only 1,2" arrives whole
		String[] args = Arrays.stream(arguments).flatMap((arg) -> Arrays.stream(arg.trim().split("\\s+")))
			.filter((arg) -> !arg.isEmpty())
			.toArray(String[]::new);
		Mode mode = Mode.FULL;
		Set<Integer> only = new LinkedHashSet<>();
		Path out = null;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--quick", "quick" -> mode = Mode.QUICK;
				case "--full", "full" -> mode = Mode.FULL;
				case "--only" -> Arrays.stream(value(args, ++i).split(",")).map(String::trim).map(Integer::valueOf)
					.forEach(only::add);
				case "--out" -> out = Path.of(value(args, ++i));
				default -> usage("unknown argument '" + args[i] + "'");
			}
		}
		Path directory = (out != null) ? out : defaultResultsDirectory();
		run(mode, only, directory);
	}

	private static String value(String[] args, int index) {
		if (index >= args.length) {
			usage(args[index - 1] + " needs a value");
		}
		return args[index];
	}

	private static void usage(String problem) {
		System.err.println("benchmarks: " + problem + ". Usage: [--quick | --full] [--only 1,2,...] [--out DIR]");
		System.exit(2);
	}

	private static void run(Mode mode, Set<Integer> only, Path directory) throws Exception {
		String machine = Machine.describe();
		String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
		long start = System.nanoTime();
		System.out.printf("blllib benchmarks, %s mode, on %s%n", mode.name(), machine);
		TrivialStagesBenchmark trivial = new TrivialStagesBenchmark();
		LatencyBoundBenchmark latency = new LatencyBoundBenchmark();
		IoBoundBenchmark ioBound = new IoBoundBenchmark();
		List<Benchmark> benchmarks = List.of(new SeedExampleBenchmark(), trivial, new CpuBoundBenchmark(),
				new MemoryBenchmark(), latency, ioBound, new RetryBackoffBenchmark(), new FlinkScaleOutBenchmark(), new RateLimitBenchmark(),
				new KafkaBenchmark());
		List<ResultRow> rows = new ArrayList<>();
		List<String> details = new ArrayList<>();
		for (Benchmark benchmark : benchmarks) {
			boolean itemsTwoAndThree = benchmark == trivial && only.contains(3);
			if (!only.isEmpty() && !only.contains(benchmark.item()) && !itemsTwoAndThree) {
				continue;
			}
			long began = System.nanoTime();
			System.out.printf("[%d] %s ...%n", benchmark.item(), benchmark.title());
			List<ResultRow> result = benchmark.run(mode);
			result.forEach((row) -> System.out.printf("    %s: %s (goal %s) %s%n", row.measure(), row.figure(),
					row.goal(), row.verdict()));
			System.out.printf("    (%.1f s)%n", (System.nanoTime() - began) / 1e9);
			rows.addAll(result);
			details.add(benchmark.details());
		}
		Files.createDirectories(directory);
		List<String> charts = new ArrayList<>();
		if (!trivial.itemsPerSecond().isEmpty()) {
			Charts.overhead(trivial.itemsPerSecond(), trivial.items(), directory);
			charts.add(Charts.OVERHEAD);
		}
		if (!latency.points().isEmpty()) {
			Charts.latency(latency.points(), directory);
			charts.add(Charts.LATENCY);
		}
		if (!ioBound.itemsPerSecond().isEmpty()) {
			Charts.ioBound(ioBound.itemsPerSecond(), String.format("Java %d, %d cores", Runtime.version().feature(),
					Runtime.getRuntime().availableProcessors()), directory);
			charts.add(Charts.IO_BOUND);
		}
		String machineAfter = String.format("%s; load average at the end %.2f", machine, Machine.loadAverage());
		String markdown = Report.markdown(mode, machineAfter, startedAt, (System.nanoTime() - start) / 1e9, rows,
				details, charts);
		Path report = directory.resolve("results.md");
		Files.writeString(report, markdown, StandardCharsets.UTF_8);
		System.out.println();
		System.out.println(markdown);
		System.out.println("Written: " + report.toAbsolutePath().normalize()
				+ (charts.isEmpty() ? "" : " and " + String.join(", ", charts)));
	}

	/**
	 * {@code benchmarks/results}, found from where this class was loaded
	 * ({@code benchmarks/target/benchmarks.jar} or {@code benchmarks/target/classes}), so the
	 * report lands in the module whatever the working directory.
	 */
	private static Path defaultResultsDirectory() {
		try {
			Path location = Path.of(BenchmarkHarness.class.getProtectionDomain().getCodeSource().getLocation().toURI());
			for (Path dir = location; dir != null; dir = dir.getParent()) {
				if (dir.getFileName() != null && dir.getFileName().toString().equals("target")
						&& dir.getParent() != null && Files.exists(dir.getParent().resolve("pom.xml"))) {
					return dir.getParent().resolve("results");
				}
			}
		}
		catch (URISyntaxException | SecurityException | NullPointerException ex) {
			// fall through to the working directory
		}
		return Path.of("results");
	}


}
