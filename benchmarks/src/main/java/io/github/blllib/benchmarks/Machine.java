package io.github.blllib.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What the figures were measured on: a benchmark figure without its machine means little. */
final class Machine {

	private Machine() {
	}

	static String describe() {
		Runtime runtime = Runtime.getRuntime();
		String collectors = ManagementFactory.getGarbageCollectorMXBeans()
			.stream()
			.map(GarbageCollectorMXBean::getName)
			.collect(Collectors.joining(", "));
		return String.format("%d cores (%s), %s %s (%s), %s %s %s, max heap %s, GC %s, load average %.2f",
				runtime.availableProcessors(), cpuModel(), System.getProperty("java.vm.name"),
				System.getProperty("java.runtime.version"), System.getProperty("java.vm.vendor"),
				System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
				Report.mebibytes(runtime.maxMemory()), collectors, loadAverage());
	}

	static double loadAverage() {
		return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
	}

	private static String cpuModel() {
		Path cpuinfo = Path.of("/proc/cpuinfo");
		if (!Files.isReadable(cpuinfo)) {
			return "unknown CPU";
		}
		try (Stream<String> lines = Files.lines(cpuinfo)) {
			return lines.filter((line) -> line.startsWith("model name"))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("unknown CPU");
		}
		catch (IOException ex) {
			return "unknown CPU";
		}
	}

}
