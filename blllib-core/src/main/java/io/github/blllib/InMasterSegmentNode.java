package io.github.blllib;

import java.util.List;

/**
 * Consecutive stages that run on the consuming thread, at the moment it pulls: each upstream
 * item goes through an {@link InMasterChain}. Nothing is handed to another thread, so these
 * stages keep no in-flight count; a sequential pipeline is one such segment.
 */
final class InMasterSegmentNode extends RunNode {

	private final RunNode upstream;

	private final InMasterChain chain;

	InMasterSegmentNode(String pipeline, RunNode upstream, List<StageCounters> counters) {
		this.upstream = upstream;
		this.chain = new InMasterChain(pipeline, counters);
	}

	@Override
	void beforeWait() {
		this.chain.publishCounts();
		this.upstream.beforeWait();
	}

	@Override
	void publishCounts() {
		this.chain.publishCounts();
		this.upstream.publishCounts();
	}

	@Override
	Object poll() {
		while (true) {
			Object item = this.upstream.poll();
			if (item == NOT_READY || item == END) {
				return item;
			}
			Object output = this.chain.accept(item);
			if (output != null) {
				return output;
			}
		}
	}

}
