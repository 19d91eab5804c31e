package io.github.blllib.benchmarks;

/**
 * One line of the report.
 *
 * @param item the item number, 1 to 7
 * @param measure what is measured
 * @param figure the median figure, with the raw numbers it comes from
 * @param goal the goal it is held to, or "—"
 * @param verdict whether it meets the goal
 */
record ResultRow(int item, String measure, String figure, String goal, Verdict verdict) {

	static ResultRow info(int item, String measure, String figure) {
		return new ResultRow(item, measure, figure, "—", Verdict.INFO);
	}

}
