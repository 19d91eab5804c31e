package io.github.blllib;

import java.lang.invoke.VarHandle;

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
	 * The origin of the item the last poll handed out: the index of the first input it depends
	 * on (a window depends on its first item). Consuming thread.
	 */
	abstract long handedOrigin();

	/**
	 * The earliest origin of what this node and those before it hold or have still to read: the
	 * run's position (SPEC §14) once every item this node handed out is delivered. Along the chain
	 * origins only grow from the output back to the input, so this is the origin of the item
	 * nearest the output. Consuming thread.
	 */
	abstract long heldOrigin();

	/**
	 * The consumer is about to park: publish what drainers need to decide whether to wake it.
	 * Called on every node of the chain, last to first.
	 * @return whether a node now waits for another item than the one it last published: a poll
	 * since then handed on items that were dropped or skipped
	 */
	boolean beforeWait() {
		return false;
	}

	/**
	 * The poll of a consumer that has published what it waits for ({@link #beforeWait()}, then
	 * {@link RunState#consumerWaits()}) and parks when nothing is ready. A poll can hand on
	 * items that were dropped or skipped meanwhile and stop at a later head than the one
	 * published, whose completion would then wake nobody: it publishes the new heads and polls
	 * again until none moved.
	 */
	final Object pollWhileWaiting() {
		while (true) {
			Object item = poll();
			if (item != NOT_READY || !beforeWait()) {
				return item;
			}
			// Dekker with the threads that complete items: the heads, then the outcomes
			VarHandle.fullFence();
		}
	}

}
