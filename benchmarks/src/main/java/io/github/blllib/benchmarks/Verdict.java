package io.github.blllib.benchmarks;

/** Whether a figure meets its goal; {@link #INFO} for figures shown for comparison only. */
enum Verdict {

	PASS, FAIL, INFO;

	static Verdict of(boolean met) {
		return met ? PASS : FAIL;
	}

}
