package io.github.blllib;

/**
 * Where a thread running a group's stage code is: which stage and which input, written by that
 * thread with plain stores (cheap enough per item) and read by others only to report a
 * {@link StageCall}, so a report may lag by an item.
 */
final class StageCallSite {

	private final Thread thread;

	private final DrainerGroup outer;

	/** The stage being called, null between chunks. */
	String stage;

	/** The input's position in the stage's input. */
	long index;

	/**
	 * @param thread the thread
	 * @param outer the group whose stage code the thread ran before, when it helps a nested run
	 */
	StageCallSite(Thread thread, DrainerGroup outer) {
		this.thread = thread;
		this.outer = outer;
	}

	Thread thread() {
		return this.thread;
	}

	DrainerGroup outer() {
		return this.outer;
	}

	boolean inCall() {
		return this.stage != null;
	}

	StageCall toCall(String pipeline) {
		return new StageCall(pipeline, this.stage, this.thread.getName(), this.index);
	}

}
