package io.github.blllib.benchmarks;

import java.util.List;

/** One of the harness's measurements (items 1 to 6 from issue 6, item 7 from issue 12). */
interface Benchmark {

	/** The item number, 1 to 7. */
	int item();

	String title();

	/** Runs the measurement and returns its report rows. */
	List<ResultRow> run(Mode mode) throws Exception;

	/** Markdown shown under the main table: per-point figures, how a number was obtained. */
	default String details() {
		return "";
	}

}
