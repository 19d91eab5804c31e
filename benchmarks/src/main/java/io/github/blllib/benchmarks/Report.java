package io.github.blllib.benchmarks;

import java.util.List;

/** Formats figures and renders the Markdown report. */
final class Report {

	private Report() {
	}

	/** "5.12 M/s", "812 k/s", "950 /s". */
	static String rate(double itemsPerSecond) {
		if (itemsPerSecond >= 1e6) {
			return String.format("%.2f M/s", itemsPerSecond / 1e6);
		}
		if (itemsPerSecond >= 1e3) {
			return String.format("%.1f k/s", itemsPerSecond / 1e3);
		}
		return String.format("%.0f /s", itemsPerSecond);
	}

	static String millis(Samples samples) {
		return String.format("%.1f ms", samples.median() / 1e6);
	}

	static String mebibytes(long bytes) {
		return String.format("%.2f MiB", bytes / (1024.0 * 1024.0));
	}

	static String markdown(Mode mode, String machine, String startedAt, double seconds, List<ResultRow> rows,
			List<String> details, List<String> charts) {
		StringBuilder out = new StringBuilder();
		out.append("# blllib benchmarks\n\n");
		out.append(String.format("Mode **%s** (%d warm-up and %d timed runs of each candidate, interleaved; "
				+ "figures are medians), started %s, took %.0f s.%n%n", mode.name(), mode.warmups(), mode.repeats(),
				startedAt, seconds));
		out.append("Machine: ").append(machine).append(".\n\n");
		out.append("| # | measure | figure (median) | goal | result |\n");
		out.append("| --- | --- | --- | --- | --- |\n");
		for (ResultRow row : rows) {
			out.append(String.format("| %d | %s | %s | %s | %s |%n", row.item(), row.measure(), row.figure(),
					row.goal(), (row.verdict() == Verdict.FAIL) ? "**FAIL**" : row.verdict().name()));
		}
		long passed = rows.stream().filter((row) -> row.verdict() == Verdict.PASS).count();
		long failed = rows.stream().filter((row) -> row.verdict() == Verdict.FAIL).count();
		out.append(String.format("%nGoals: %d passed, %d failed.%n", passed, failed));
		for (String detail : details) {
			if (!detail.isBlank()) {
				out.append('\n').append(detail.strip()).append('\n');
			}
		}
		if (!charts.isEmpty()) {
			out.append('\n');
			charts.forEach((chart) -> out.append("![").append(chart).append("](").append(chart).append(")\n"));
		}
		return out.toString();
	}

}
