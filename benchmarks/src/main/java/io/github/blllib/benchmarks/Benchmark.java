package io.github.blllib.benchmarks;

import java.util.List;

/** One of the numbered measurements. */
interface Benchmark {

	/** The item's number in the report. */
	int item();

	String title();

	/** Runs the measurement and returns its report rows. */
	List<ResultRow> run(Mode mode) throws Exception;

	/** Markdown shown under the main table: per-point figures, how a number was obtained. */
	default String details() {
		return "";
	}

}
