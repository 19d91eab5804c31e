package io.github.blllib.demo;

import java.time.Duration;

/**
 * What the long job produced.
 *
 * @param items inputs fed to the pipeline
 * @param outputs outputs it produced (two fewer than the inputs left after the skipped and the
 * screened-out ones: the last stage takes windows of three)
 * @param checksum sum of the outputs
 * @param retried calls of the flaky stage tried again after a failure
 * @param skipped inputs the flaky stage gave up on and handed to the dead letters
 * @param screenedOut inputs the remote screening service turned away (its async stage dropped them)
 * @param elapsed time from the first pull to the last output
 */
public record LongJobResult(long items, long outputs, long checksum, long retried, long skipped,
		long screenedOut, Duration elapsed) {

	/** Inputs per second over the whole run. */
	public double itemsPerSecond() {
		return this.items * 1e9 / Math.max(1, this.elapsed.toNanos());
	}

}
