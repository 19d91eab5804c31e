package io.github.blllib;

/**
 * An item a stage gave up on and skipped.
 *
 * @param pipeline the pipeline's name
 * @param stage the stage's name
 * @param index the item's position in that stage's input
 * @param input the stage's input (a window, for a window stage)
 * @param failure the last attempt's failure
 * @param attempts the calls made, retries included
 */
public record FailedItem(String pipeline, String stage, long index, Object input, Throwable failure, int attempts) {

	/**
	 * The failure as text for a log line: its {@code toString()}, or its class name when that
	 * throws, so that describing a skipped item never fails the run.
	 */
	public String failureDescription() {
		return FailureDescription.of(this.failure);
	}

}
