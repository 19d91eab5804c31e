package io.github.blllib;

/**
 * The {@link InMasterChain} between two off-thread stages, or between the input and the first
 * of them: pulls upstream items through the chain on the consuming thread. Nothing is handed to
 * another thread, so its stages keep no in-flight count.
 */
final class InMasterSegmentNode extends RunNode {

	private final RunNode upstream;

	private final InMasterChain chain;

	private final RunState state;

	InMasterSegmentNode(RunNode upstream, InMasterChain chain, RunState state) {
		this.upstream = upstream;
		this.chain = chain;
		this.state = state;
	}

	@Override
	long handedOrigin() {
		return this.chain.outputOrigin();
	}

	@Override
	long heldOrigin() {
		return this.chain.heldOrigin();
	}

	@Override
	boolean beforeWait() {
		return this.upstream.beforeWait();
	}

	@Override
	Object poll() {
		while (true) {
			Object item = this.upstream.poll();
			if (item == NOT_READY || item == END) {
				return item;
			}
			this.state.consumerIn(RunState.IN_MASTER_CALLS);
			Object output = this.chain.accept(item);
			this.state.consumerIn(RunState.PULLING);
			if (output != null) {
				return output;
			}
			// a chain that drops or withholds input after input must still notice a close or an
			// interrupt: the run checks both whenever a poll comes back empty
			if (this.state.isClosed() || Thread.currentThread().isInterrupted()) {
				return NOT_READY;
			}
		}
	}

}
