package io.github.blllib;

/**
 * How a stage may be scheduled, the seed's {@code stateful} setting.
 */
public enum StageKind {

	/** Runs sequentially, in input order, on a thread of its own ({@code stateful = true}). */
	STATEFUL,

	/** May run concurrently on the shared worker pool ({@code stateful = false}). */
	STATELESS,

	/**
	 * Conditionally stateless ({@code stateful = k}): receives sliding windows of {@code k}
	 * consecutive items and runs like a stateless stage.
	 */
	WINDOW

}
