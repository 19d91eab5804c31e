package io.github.blllib;

/**
 * One link of a run's chain of operators. Polled only by the consuming thread; a poll never
 * waits for other threads (it may run the input iterator or an in-master stage).
 */
abstract class RunNode {

	/** Nothing is ready yet; poll again after the run is signalled. */
	static final Object NOT_READY = new Object() {
		@Override
		public String toString() {
			return "NOT_READY";
		}
	};

	/** The node will produce nothing more. */
	static final Object END = new Object() {
		@Override
		public String toString() {
			return "END";
		}
	};

	/** The next item, in order, or {@link #NOT_READY} or {@link #END}. */
	abstract Object poll();

	/**
	 * The consumer is about to park: publish what drainers need to decide whether to wake it.
	 * Called on every node of the chain, last to first.
	 */
	void beforeWait() {
	}

}
